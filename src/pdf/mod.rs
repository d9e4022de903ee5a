//! A small page writer over printpdf, shared by certificates and labels: pages
//! of any size (A4 by default), text measured with the embedded font's own
//! glyph widths (printpdf does not wrap), wrapped table cells, tables whose
//! header repeats on every page, and QR codes drawn as a grey raster with
//! their quiet zone.
//!
//! Coordinates are millimetres from the top-left corner, as a layout reads;
//! they are turned into PDF points from the bottom-left at the last moment.

use std::collections::BTreeMap;

use printpdf::{
    Color, DictItem, ExternalStream, ExternalXObject, FontId, Greyscale, Line, LinePoint, Mm, Op,
    ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Px, TextItem,
    XObjectTransform,
};
use qrcode::{Color as QrColor, EcLevel, QrCode};

use crate::error::AppError;

pub const PAGE_WIDTH: f32 = 210.0;
pub const PAGE_HEIGHT: f32 = 297.0;
pub const MARGIN: f32 = 15.0;
/// White modules around a QR code: the standard's minimum, which readers need.
pub const QUIET_ZONE: usize = 4;

const REGULAR_TTF: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");

/// Regular or bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

struct Face {
    font: ParsedFont,
    id: FontId,
}

impl Face {
    /// The width of `text` at `size` points, in millimetres.
    fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| {
                self.font
                    .lookup_glyph_index(c as u32)
                    .and_then(|g| self.font.get_glyph_width(g))
                    .map_or(500, u32::from)
            })
            .sum();
        let points = units as f32 / f32::from(self.font.units_per_em.max(1)) * size;
        points * 25.4 / 72.0
    }
}

/// A document being written, page by page.
pub struct Writer {
    doc: PdfDocument,
    regular: Face,
    bold: Face,
    pages: Vec<PdfPage>,
    ops: Vec<Op>,
    /// The page size, in mm.
    width: f32,
    height: f32,
    /// The next free line, in mm from the top.
    pub y: f32,
}

/// One column of a table: its title and width in millimetres.
#[derive(Debug, Clone)]
pub struct Column {
    pub title: String,
    pub width: f32,
}

impl Writer {
    /// A document of A4 pages.
    pub fn new(title: &str, issued_at: chrono::DateTime<chrono::Utc>) -> Result<Self, AppError> {
        Self::with_page_size(title, issued_at, PAGE_WIDTH, PAGE_HEIGHT)
    }

    /// A document whose pages are `width` × `height` mm (a label roll, say).
    pub fn with_page_size(
        title: &str,
        issued_at: chrono::DateTime<chrono::Utc>,
        width: f32,
        height: f32,
    ) -> Result<Self, AppError> {
        let mut doc = PdfDocument::new(title);
        // printpdf dates a document 1970 unless told otherwise.
        let date = printpdf::date::OffsetDateTime::from_unix_timestamp(issued_at.timestamp())
            .map_err(AppError::internal)?;
        doc.metadata.info.creation_date = date;
        doc.metadata.info.modification_date = date;
        doc.metadata.info.metadata_date = date;
        doc.metadata.info.creator = "Retrace".into();
        doc.metadata.info.producer = "Retrace".into();
        let mut load = |bytes: &[u8]| -> Result<Face, AppError> {
            let font = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
                .ok_or_else(|| AppError::internal("cannot read the embedded font"))?;
            let id = doc.add_font(&font);
            Ok(Face { font, id })
        };
        let regular = load(REGULAR_TTF)?;
        let bold = load(BOLD_TTF)?;
        Ok(Self {
            doc,
            regular,
            bold,
            pages: Vec::new(),
            ops: Vec::new(),
            width,
            height,
            y: MARGIN,
        })
    }

    fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    pub fn width(&self, text: &str, size: f32, weight: Weight) -> f32 {
        self.face(weight).width(text, size)
    }

    /// Text at a point (its baseline at `y`, in mm from the top).
    pub fn text(&mut self, x: f32, y: f32, size: f32, weight: Weight, text: &str) {
        let font = PdfFontHandle::External(self.face(weight).id.clone());
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font,
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Point::new(Mm(x), Mm(self.height - y)),
            },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_owned())],
            },
            Op::EndTextSection,
        ]);
    }

    /// Breaks `text` into lines no wider than `width` mm (a word too long is cut).
    pub fn wrap(&self, text: &str, width: f32, size: f32, weight: Weight) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, size, weight) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the column (a long serial) is cut where it must be.
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if self.width(&piece, size, weight) > width && piece.chars().count() > 1 {
                        let last = piece.pop().unwrap_or(c);
                        lines.push(std::mem::take(&mut piece));
                        piece.push(last);
                    }
                }
                line = piece;
            }
            lines.push(line);
        }
        lines
    }

    /// A wrapped paragraph from the current line; advances `y`.
    pub fn paragraph(&mut self, text: &str, size: f32, weight: Weight) {
        let lines = self.wrap(text, self.width - 2.0 * MARGIN, size, weight);
        for line in lines {
            self.y += line_height(size);
            self.text(MARGIN, self.y, size, weight, &line);
        }
        self.y += 1.5;
    }

    pub fn rule(&mut self, y: f32) {
        self.ops.extend([
            Op::SetOutlineColor {
                col: Color::Greyscale(Greyscale::new(0.6, None)),
            },
            Op::SetOutlineThickness { pt: Pt(0.5) },
            Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint {
                            p: Point::new(Mm(MARGIN), Mm(self.height - y)),
                            bezier: false,
                        },
                        LinePoint {
                            p: Point::new(Mm(self.width - MARGIN), Mm(self.height - y)),
                            bezier: false,
                        },
                    ],
                    is_closed: false,
                },
            },
        ]);
    }

    /// A line through `points` (mm from the top-left), in black: a drawn
    /// signature's stroke.
    pub fn polyline(&mut self, points: &[(f32, f32)], thickness_pt: f32) {
        if points.len() < 2 {
            return;
        }
        let points = points
            .iter()
            .map(|(x, y)| LinePoint {
                p: Point::new(Mm(*x), Mm(self.height - y)),
                bezier: false,
            })
            .collect();
        self.ops.extend([
            Op::SetOutlineColor {
                col: Color::Greyscale(Greyscale::new(0.0, None)),
            },
            Op::SetOutlineThickness {
                pt: Pt(thickness_pt),
            },
            Op::DrawLine {
                line: Line {
                    points,
                    is_closed: false,
                },
            },
        ]);
    }

    /// A filled rectangle in a shade of grey (0 black, 1 white): a chart's bar.
    pub fn fill_rect(&mut self, x: f32, y: f32, width: f32, height: f32, grey: f32) {
        if width <= 0.0 || height <= 0.0 {
            return;
        }
        let corner = |cx: f32, cy: f32| LinePoint {
            p: Point::new(Mm(cx), Mm(self.height - cy)),
            bezier: false,
        };
        let points = vec![
            corner(x, y),
            corner(x + width, y),
            corner(x + width, y + height),
            corner(x, y + height),
        ];
        self.ops.extend([
            Op::SetFillColor {
                col: Color::Greyscale(Greyscale::new(grey, None)),
            },
            Op::DrawPolygon {
                polygon: printpdf::Polygon {
                    rings: vec![printpdf::PolygonRing { points }],
                    mode: printpdf::PaintMode::Fill,
                    winding_order: printpdf::WindingOrder::NonZero,
                },
            },
            // Text drawn next is black again.
            Op::SetFillColor {
                col: Color::Greyscale(Greyscale::new(0.0, None)),
            },
        ]);
    }

    /// A grey rectangle's outline: a box to sign in.
    pub fn frame(&mut self, x: f32, y: f32, width: f32, height: f32) {
        let corner = |cx: f32, cy: f32| LinePoint {
            p: Point::new(Mm(cx), Mm(self.height - cy)),
            bezier: false,
        };
        let points = vec![
            corner(x, y),
            corner(x + width, y),
            corner(x + width, y + height),
            corner(x, y + height),
        ];
        self.ops.extend([
            Op::SetOutlineColor {
                col: Color::Greyscale(Greyscale::new(0.6, None)),
            },
            Op::SetOutlineThickness { pt: Pt(0.5) },
            Op::DrawLine {
                line: Line {
                    points,
                    is_closed: true,
                },
            },
        ]);
    }

    /// Ends the page and starts another.
    pub fn new_page(&mut self) {
        let ops = std::mem::take(&mut self.ops);
        self.pages
            .push(PdfPage::new(Mm(self.width), Mm(self.height), ops));
        self.y = MARGIN;
    }

    /// Whether `height` mm still fit above the footer.
    pub fn fits(&self, height: f32) -> bool {
        self.y + height <= self.height - MARGIN - 10.0
    }

    /// A table whose header row repeats on each page it spans.
    pub fn table(&mut self, columns: &[Column], rows: &[Vec<String>], size: f32) {
        let padding = 1.2;
        let header: Vec<String> = columns.iter().map(|c| c.title.clone()).collect();
        self.table_row(columns, &header, size, Weight::Bold, padding);
        for row in rows {
            let height = self.row_height(columns, row, size, Weight::Regular, padding);
            if !self.fits(height) {
                self.new_page();
                self.table_row(columns, &header, size, Weight::Bold, padding);
            }
            self.table_row(columns, row, size, Weight::Regular, padding);
        }
    }

    fn row_height(
        &self,
        columns: &[Column],
        cells: &[String],
        size: f32,
        weight: Weight,
        padding: f32,
    ) -> f32 {
        let lines = columns
            .iter()
            .zip(cells)
            .map(|(c, text)| self.wrap(text, c.width - 2.0 * padding, size, weight).len())
            .max()
            .unwrap_or(1);
        lines as f32 * line_height(size) + 2.0 * padding
    }

    fn table_row(
        &mut self,
        columns: &[Column],
        cells: &[String],
        size: f32,
        weight: Weight,
        padding: f32,
    ) {
        let top = self.y;
        let height = self.row_height(columns, cells, size, weight, padding);
        let mut x = MARGIN;
        for (column, text) in columns.iter().zip(cells) {
            let lines = self.wrap(text, column.width - 2.0 * padding, size, weight);
            for (i, line) in lines.iter().enumerate() {
                self.text(
                    x + padding,
                    top + padding + (i as f32 + 1.0) * line_height(size) - 0.8,
                    size,
                    weight,
                    line,
                );
            }
            x += column.width;
        }
        self.y = top + height;
        self.rule(self.y);
    }

    /// A QR code of `data`, `size` mm wide with its quiet zone, its top-left
    /// corner at (`x`, `y`), drawn with `scale` pixels a module. The image is
    /// marked not to be interpolated, so even one pixel a module prints sharp;
    /// more only helps viewers that ignore that mark.
    pub fn qr(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        scale: usize,
        data: &str,
    ) -> Result<(), AppError> {
        let code =
            QrCode::with_error_correction_level(data, EcLevel::M).map_err(AppError::internal)?;
        self.qr_code(x, y, size, scale, &code);
        Ok(())
    }

    /// An already encoded QR code (see [`Writer::qr`]): encoding is the costly
    /// part, which a caller may spread over threads.
    ///
    /// The image has one bit a pixel, as a QR code needs: a sheet of labels
    /// is a thousand of them, and at eight bits a pixel compressing them took
    /// a quarter of the sheet's time.
    pub fn qr_code(&mut self, x: f32, y: f32, size: f32, scale: usize, code: &QrCode) {
        let modules = code.width();
        let side = (modules + 2 * QUIET_ZONE) * scale;
        let row_bytes = side.div_ceil(8);
        // DeviceGray at one bit: 1 is white, 0 black; rows end on a whole byte.
        let mut bits = vec![0xFF_u8; row_bytes * side];
        for (index, color) in code.to_colors().iter().enumerate() {
            if *color != QrColor::Dark {
                continue;
            }
            let (mx, my) = (index % modules + QUIET_ZONE, index / modules + QUIET_ZONE);
            for py in my * scale..(my + 1) * scale {
                for px in mx * scale..(mx + 1) * scale {
                    bits[py * row_bytes + px / 8] &= !(0x80 >> (px % 8));
                }
            }
        }
        let pixels = i64::try_from(side).unwrap_or(i64::MAX);
        let dict = BTreeMap::from([
            ("Type".to_owned(), DictItem::Name(b"XObject".to_vec())),
            ("Subtype".to_owned(), DictItem::Name(b"Image".to_vec())),
            ("Width".to_owned(), DictItem::Int(pixels)),
            ("Height".to_owned(), DictItem::Int(pixels)),
            (
                "ColorSpace".to_owned(),
                DictItem::Name(b"DeviceGray".to_vec()),
            ),
            ("BitsPerComponent".to_owned(), DictItem::Int(1)),
            ("Interpolate".to_owned(), DictItem::Bool(false)),
        ]);
        let id = self.doc.add_xobject(&ExternalXObject {
            stream: ExternalStream {
                dict,
                content: bits,
                compress: true,
            },
            width: Some(Px(side)),
            height: Some(Px(side)),
            dpi: None,
        });
        let dpi = side as f32 / (size / 25.4);
        self.ops.push(Op::UseXobject {
            id,
            transform: XObjectTransform {
                translate_x: Some(Mm(x).into()),
                translate_y: Some(Mm(self.height - y - size).into()),
                dpi: Some(dpi),
                ..Default::default()
            },
        });
    }

    /// Returns the PDF, with no footer.
    pub fn finish_plain(mut self) -> Vec<u8> {
        if !self.ops.is_empty() || self.pages.is_empty() {
            self.new_page();
        }
        let pages = std::mem::take(&mut self.pages);
        self.doc
            .with_pages(pages)
            .save(&PdfSaveOptions::default(), &mut Vec::new())
    }

    /// Writes page numbers and a footer on every page, and returns the PDF.
    pub fn finish(mut self, footer: &str) -> Vec<u8> {
        if !self.ops.is_empty() || self.pages.is_empty() {
            self.new_page();
        }
        let total = self.pages.len();
        let font = PdfFontHandle::External(self.regular.id.clone());
        for (index, page) in self.pages.iter_mut().enumerate() {
            let text = format!("{footer} — {}/{total}", index + 1);
            page.ops.extend([
                Op::StartTextSection,
                Op::SetFont {
                    font: font.clone(),
                    size: Pt(7.0),
                },
                Op::SetTextCursor {
                    pos: Point::new(Mm(MARGIN), Mm(8.0)),
                },
                Op::ShowText {
                    items: vec![TextItem::Text(text)],
                },
                Op::EndTextSection,
            ]);
        }
        let pages = std::mem::take(&mut self.pages);
        self.doc
            .with_pages(pages)
            .save(&PdfSaveOptions::default(), &mut Vec::new())
    }
}

/// The distance between two lines of text of `size` points, in mm.
pub fn line_height(size: f32) -> f32 {
    size * 1.25 * 25.4 / 72.0
}

#[cfg(test)]
mod tests;
