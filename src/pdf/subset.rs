//! Fonts cut down to the characters a document uses.
//!
//! printpdf subsets only behind its text-layout feature, which brings a whole
//! layout engine with it; without it every document carried both DejaVu faces
//! whole (1.4 MB for a one-page label sheet). Certificates are kept forever in
//! the database, so their size is paid for years. Here a document's fonts are
//! replaced, just before it is saved, by subsets holding the glyphs its pages
//! show: printpdf looks every character up in the font it finds at saving
//! time, so the pages themselves need not change.

use std::collections::{BTreeMap, BTreeSet};

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile};
use printpdf::{FontId, Op, ParsedFont, PdfDocument, PdfFont, PdfFontHandle, PdfPage, TextItem};

use crate::error::AppError;

/// The characters each font shows on `pages`.
fn characters(pages: &[PdfPage]) -> BTreeMap<FontId, BTreeSet<char>> {
    let mut shown: BTreeMap<FontId, BTreeSet<char>> = BTreeMap::new();
    for page in pages {
        let mut current: Option<&FontId> = None;
        for op in &page.ops {
            match op {
                Op::SetFont {
                    font: PdfFontHandle::External(id),
                    ..
                } => current = Some(id),
                Op::ShowText { items } => {
                    let Some(id) = current else { continue };
                    let chars = shown.entry(id.clone()).or_default();
                    for item in items {
                        if let TextItem::Text(text) = item {
                            chars.extend(text.chars());
                        }
                    }
                }
                _ => {}
            }
        }
    }
    shown
}

/// `font` reduced to the glyphs of `chars` (and .notdef, which must stay first).
fn subset(font: &ParsedFont, bytes: &[u8], chars: &BTreeSet<char>) -> Result<ParsedFont, AppError> {
    let mut glyphs: BTreeSet<u16> = chars
        .iter()
        .filter_map(|c| font.lookup_glyph_index(*c as u32))
        .collect();
    glyphs.remove(&0);
    let ids: Vec<u16> = std::iter::once(0).chain(glyphs).collect();
    let data = ReadScope::new(bytes)
        .read::<FontData<'_>>()
        .map_err(AppError::internal)?;
    let provider = data.table_provider(0).map_err(AppError::internal)?;
    let cut = allsorts::subset::subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
        .map_err(AppError::internal)?;
    ParsedFont::from_bytes(&cut, 0, &mut Vec::new())
        .ok_or_else(|| AppError::internal("cannot read back a font subset"))
}

/// Replaces each of `fonts` (its id, parsed face and file) in `doc` by the
/// subset of the characters `pages` show with it.
pub(super) fn apply(
    doc: &mut PdfDocument,
    pages: &[PdfPage],
    fonts: &[(&FontId, &ParsedFont, &[u8])],
) -> Result<(), AppError> {
    let shown = characters(pages);
    for (id, font, bytes) in fonts {
        let empty = BTreeSet::new();
        let chars = shown.get(*id).unwrap_or(&empty);
        let cut = subset(font, bytes, chars)?;
        doc.resources
            .fonts
            .map
            .insert((*id).clone(), PdfFont::new(cut));
    }
    Ok(())
}
