//! Labels laid out on PDF pages: sheets of Avery labels or a roll, one
//! label a page.

use chrono::{DateTime, Utc};
use qrcode::{EcLevel, QrCode};

use super::{Geometry, Label};
use crate::error::AppError;
use crate::pdf::{Weight, Writer, line_height};

/// Space between the label's edge and what is printed on it, in mm.
const PADDING: f32 = 1.2;

/// The PDF of `labels` on `geometry`'s stock, the first `skip` slots of the
/// first sheet left blank (they were used already).
pub fn render(
    geometry: &Geometry,
    labels: &[Label],
    skip: usize,
    at: DateTime<Utc>,
) -> Result<Vec<u8>, AppError> {
    let mut writer = Writer::with_page_size(
        "Retrace labels",
        at,
        geometry.page_width,
        geometry.page_height,
    )?;
    let codes = encode_all(labels)?;
    let per_page = geometry.per_page();
    for (index, (label, code)) in labels.iter().zip(&codes).enumerate() {
        let slot = (index + skip) % per_page;
        if slot == 0 && index > 0 {
            writer.new_page();
        }
        let (x, y) = geometry.slot(slot);
        draw(&mut writer, geometry, x, y, label, code);
    }
    Ok(writer.finish_plain())
}

/// Every label's QR code, encoded on all cores: choosing each code's mask is
/// most of the time a thousand labels take.
fn encode_all(labels: &[Label]) -> Result<Vec<QrCode>, AppError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = labels.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = labels
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|l| QrCode::with_error_correction_level(&l.url, EcLevel::M))
                        .collect::<Result<Vec<_>, _>>()
                })
            })
            .collect();
        let mut codes = Vec::with_capacity(labels.len());
        for worker in workers {
            let part = worker
                .join()
                .map_err(|_| AppError::internal("a QR encoding thread panicked"))?
                .map_err(AppError::internal)?;
            codes.extend(part);
        }
        Ok(codes)
    })
}

/// One label with its top-left corner at (`x`, `y`): the QR on the left,
/// vertically centred; the tag, the kind and model, and the site beside it.
fn draw(writer: &mut Writer, g: &Geometry, x: f32, y: f32, label: &Label, code: &QrCode) {
    let qr_top = y + (g.label_height - g.qr) / 2.0;
    // The quiet zone is drawn as part of the code: the QR can touch the edge.
    writer.qr_code(x, qr_top, g.qr, 1, code);
    let text_x = x + g.qr + 0.5;
    let width = g.label_width - g.qr - 0.5 - PADDING;

    // The tag as large as fits: it is what a person reads and types.
    let at_one_point = writer.width(&label.asset_tag, 1.0, Weight::Bold);
    let tag_points = g.tag_points.min(width / at_one_point.max(f32::EPSILON));
    let mut line = y + PADDING + line_height(tag_points) * 0.8;
    writer.text(text_x, line, tag_points, Weight::Bold, &label.asset_tag);

    let size = g.text_points;
    let bottom = y + g.label_height - PADDING;
    let site_line = bottom - line_height(size) * 0.2;
    let room = ((site_line - line_height(size) - line) / line_height(size)).floor();
    let mut title = writer.wrap(&label.title, width, size, Weight::Regular);
    title.truncate(room.max(0.0) as usize);
    for text in &title {
        line += line_height(size);
        writer.text(text_x, line, size, Weight::Regular, text);
    }
    let site = writer
        .wrap(&label.site, width, size, Weight::Regular)
        .into_iter()
        .next()
        .unwrap_or_default();
    writer.text(text_x, site_line, size, Weight::Regular, &site);
}
