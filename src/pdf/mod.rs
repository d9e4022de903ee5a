//! A small page writer over printpdf, shared by certificates and labels: pages
//! of any size (A4 by default), text measured with the embedded font's own
//! glyph widths (printpdf does not wrap), wrapped table cells, tables whose
//! header repeats on every page, and QR codes drawn as a grey raster with
//! their quiet zone.
//!
//! Coordinates are millimetres from the top-left corner, as a layout reads;
//! they are turned into PDF points from the bottom-left at the last moment.

use printpdf::{
    FontId, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt,
    TextItem,
};

use crate::error::AppError;

mod archive;
mod qr;
mod shapes;
mod subset;
mod table;
mod text;

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
    title: String,
    issued_at: chrono::DateTime<chrono::Utc>,
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
            title: title.to_owned(),
            issued_at,
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

    /// Returns the PDF, with no footer.
    pub fn finish_plain(mut self) -> Vec<u8> {
        if !self.ops.is_empty() || self.pages.is_empty() {
            self.new_page();
        }
        self.save()
    }

    /// Writes page numbers and a footer on every page, and returns the PDF,
    /// in the archival form (PDF/A-2b): the documents with a footer are the
    /// ones kept for years.
    pub fn finish(mut self, footer: &str) -> Result<Vec<u8>, AppError> {
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
        let (title, issued_at) = (std::mem::take(&mut self.title), self.issued_at);
        archive::archival(&self.save(), &title, issued_at)
    }

    /// The document with its fonts cut to the characters its pages show.
    fn save(mut self) -> Vec<u8> {
        let pages = std::mem::take(&mut self.pages);
        let fonts = [
            (&self.regular.id, &self.regular.font, REGULAR_TTF),
            (&self.bold.id, &self.bold.font, BOLD_TTF),
        ];
        if let Err(err) = subset::apply(&mut self.doc, &pages, &fonts) {
            // The whole fonts are still in the document: it is only larger.
            tracing::error!(error = %err, "a document's fonts could not be subset");
        }
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
