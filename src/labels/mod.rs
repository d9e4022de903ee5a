//! Asset labels: the QR code a technician scans, the tag they type when it
//! is damaged. Sheet geometry and the content of one label live here; the
//! PDF layout in [`sheet`], Zebra's ZPL in [`zpl`].
//!
//! Every label carries the URL `<public URL>/d/<asset tag>`, so any phone
//! camera opens the device page (SPEC §4).

pub mod routes;
pub mod sheet;
pub mod zpl;

use crate::domain::{Domain, Tag};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain =
    Domain::new(routes::router).tags(&[Tag::described("labels", "QR labels to print")]);

/// The label stocks Retrace prints on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum LabelFormat {
    /// Avery L7651: 65 labels of 38.1 × 21.2 mm on an A4 sheet.
    #[serde(rename = "a4-l7651")]
    A4L7651,
    /// Avery L7163: 14 labels of 99.1 × 38.1 mm on an A4 sheet.
    #[serde(rename = "a4-l7163")]
    A4L7163,
    /// Brother DK-11209 roll: one 62 × 29 mm label a page.
    #[serde(rename = "roll-62x29")]
    Roll62x29,
    /// Zebra printers: 2 × 1 inch labels at 203 dpi, as ZPL text.
    #[serde(rename = "zpl")]
    Zpl,
}

/// Where the labels of a PDF stock sit, in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    pub page_width: f32,
    pub page_height: f32,
    pub columns: usize,
    pub rows: usize,
    pub label_width: f32,
    pub label_height: f32,
    /// The top-left corner of the first label.
    pub left: f32,
    pub top: f32,
    /// From one label's corner to the next one's.
    pub pitch_x: f32,
    pub pitch_y: f32,
    /// The QR code's side, quiet zone included.
    pub qr: f32,
    /// The largest size of the asset tag, in points (smaller if it must fit).
    pub tag_points: f32,
    /// The size of the other lines, in points.
    pub text_points: f32,
}

impl Geometry {
    pub fn per_page(&self) -> usize {
        self.columns * self.rows
    }

    /// The top-left corner of the `slot`-th label of a page, row by row.
    pub fn slot(&self, slot: usize) -> (f32, f32) {
        let (row, column) = (slot / self.columns, slot % self.columns);
        (
            self.left + column as f32 * self.pitch_x,
            self.top + row as f32 * self.pitch_y,
        )
    }
}

impl LabelFormat {
    pub const ALL: [LabelFormat; 4] = [Self::A4L7651, Self::A4L7163, Self::Roll62x29, Self::Zpl];

    /// The stock as a workshop knows it, for a format menu.
    pub fn stock_name(self) -> &'static str {
        match self {
            Self::A4L7651 => "Avery L7651 (65 × A4)",
            Self::A4L7163 => "Avery L7163 (14 × A4)",
            Self::Roll62x29 => "Brother 62 × 29 mm",
            Self::Zpl => "Zebra ZPL",
        }
    }

    pub fn as_str(self) -> &'static str {
        crate::words::word(&self)
    }

    /// The layout of a PDF stock; `None` for ZPL, which the printer lays out.
    pub fn geometry(self) -> Option<Geometry> {
        match self {
            // Avery's templates: 5 × 13, 2.5 mm between columns, no gap between rows.
            Self::A4L7651 => Some(Geometry {
                page_width: 210.0,
                page_height: 297.0,
                columns: 5,
                rows: 13,
                label_width: 38.1,
                label_height: 21.2,
                left: 4.75,
                top: 10.7,
                pitch_x: 40.6,
                pitch_y: 21.2,
                qr: 17.0,
                tag_points: 9.0,
                text_points: 5.0,
            }),
            Self::A4L7163 => Some(Geometry {
                page_width: 210.0,
                page_height: 297.0,
                columns: 2,
                rows: 7,
                label_width: 99.1,
                label_height: 38.1,
                left: 4.65,
                top: 15.15,
                pitch_x: 101.6,
                pitch_y: 38.1,
                qr: 34.0,
                tag_points: 18.0,
                text_points: 9.0,
            }),
            Self::Roll62x29 => Some(Geometry {
                page_width: 62.0,
                page_height: 29.0,
                columns: 1,
                rows: 1,
                label_width: 62.0,
                label_height: 29.0,
                left: 0.0,
                top: 0.0,
                pitch_x: 62.0,
                pitch_y: 29.0,
                qr: 26.0,
                tag_points: 14.0,
                text_points: 7.0,
            }),
            Self::Zpl => None,
        }
    }

    /// How many labels a sheet holds: the most `skip` can be (exclusive).
    pub fn per_sheet(self) -> usize {
        self.geometry().map_or(1, |g| g.per_page())
    }
}

/// What one label says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Label {
    /// The QR content: the item's public URL.
    pub url: String,
    pub asset_tag: String,
    /// Kind and model, e.g. "Portable ThinkPad T480".
    pub title: String,
    /// The workshop.
    pub site: String,
}

/// The URL a label's QR code carries.
pub fn item_url(public_url: &str, asset_tag: &str) -> String {
    format!("{}/d/{asset_tag}", public_url.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF_FORMATS: [LabelFormat; 3] = [
        LabelFormat::A4L7651,
        LabelFormat::A4L7163,
        LabelFormat::Roll62x29,
    ];

    #[test]
    fn every_label_of_a_sheet_lies_inside_the_page_and_apart_from_the_others() {
        for format in PDF_FORMATS {
            let g = format.geometry().unwrap();
            for slot in 0..g.per_page() {
                let (x, y) = g.slot(slot);
                assert!(x >= 0.0 && y >= 0.0, "{format:?} {slot}");
                assert!(
                    x + g.label_width <= g.page_width + 0.01,
                    "{format:?} {slot}"
                );
                assert!(
                    y + g.label_height <= g.page_height + 0.01,
                    "{format:?} {slot}"
                );
            }
            assert!(g.pitch_x >= g.label_width && g.pitch_y >= g.label_height);
            assert!(
                g.qr <= g.label_height,
                "{format:?}: the QR must fit the label"
            );
        }
    }

    #[test]
    fn sheets_hold_what_their_makers_sell() {
        assert_eq!(LabelFormat::A4L7651.per_sheet(), 65);
        assert_eq!(LabelFormat::A4L7163.per_sheet(), 14);
        assert_eq!(LabelFormat::Roll62x29.per_sheet(), 1);
        assert_eq!(LabelFormat::Zpl.per_sheet(), 1);
    }

    #[test]
    fn the_url_joins_the_public_url_and_the_tag() {
        assert_eq!(
            item_url("https://atelier.example/", "BRE-004217-K"),
            "https://atelier.example/d/BRE-004217-K"
        );
    }
}
