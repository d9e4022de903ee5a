//! Labels for Zebra printers, as ZPL II: 2 × 1 inch at 203 dpi (406 × 203
//! dots), one `^XA … ^XZ` block a label.

use std::fmt::Write;

use qrcode::{EcLevel, QrCode};

use super::Label;
use crate::error::AppError;

const WIDTH: u32 = 406;
const HEIGHT: u32 = 203;
/// White modules kept around the code, as the QR standard asks.
const QUIET_MODULES: u32 = 4;

/// ZPL for `labels`, one after the other.
pub fn render(labels: &[Label]) -> Result<String, AppError> {
    let mut out = String::new();
    for label in labels {
        write_label(&mut out, label)?;
    }
    Ok(out)
}

fn write_label(out: &mut String, label: &Label) -> Result<(), AppError> {
    let code = QrCode::with_error_correction_level(label.url.as_bytes(), EcLevel::M)
        .map_err(AppError::internal)?;
    let modules = code.width() as u32;
    // The largest magnification (dots a module) at which code and quiet zone fit the height.
    let magnification = (HEIGHT / (modules + 2 * QUIET_MODULES)).clamp(1, 10);
    let quiet = QUIET_MODULES * magnification;
    let text_x = quiet + modules * magnification + quiet;
    let text_width = WIDTH.saturating_sub(text_x + 8);
    let _ = write!(
        out,
        "^XA\n^CI28\n^PW{WIDTH}\n^LL{HEIGHT}\n\
         ^FO{quiet},{quiet}^BQN,2,{magnification}^FDMA,{url}^FS\n\
         ^FO{text_x},{top}^A0N,30,26^FB{text_width},1,0,L^FD{tag}^FS\n\
         ^FO{text_x},{title_top}^A0N,20,18^FB{text_width},3,2,L^FD{title}^FS\n\
         ^FO{text_x},{site_top}^A0N,18,16^FB{text_width},1,0,L^FD{site}^FS\n\
         ^XZ\n",
        url = field(&label.url),
        top = quiet,
        tag = field(&label.asset_tag),
        title_top = quiet + 40,
        title = field(&label.title),
        site_top = HEIGHT - quiet - 18,
        site = field(&label.site),
    );
    Ok(())
}

/// `^` and `~` start ZPL commands: they cannot appear in field data.
fn field(text: &str) -> String {
    text.chars()
        .map(|c| if matches!(c, '^' | '~') { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(url: &str) -> Label {
        Label {
            url: url.into(),
            asset_tag: "BRE-004217-K".into(),
            title: "Portable ^ThinkPad~ T480".into(),
            site: "Atelier de Brest".into(),
        }
    }

    #[test]
    fn each_label_is_a_block_with_its_url_in_the_qr_field() {
        let zpl = render(&[
            label("https://a.example/d/BRE-004217-K"),
            label("https://a.example/d/BRE-004218-H"),
        ])
        .unwrap();
        assert_eq!(zpl.matches("^XA").count(), 2);
        assert_eq!(zpl.matches("^XZ").count(), 2);
        assert!(zpl.contains("^FDMA,https://a.example/d/BRE-004217-K^FS"));
        assert!(zpl.contains("^FDMA,https://a.example/d/BRE-004218-H^FS"));
        assert!(zpl.contains("^FDPortable  ThinkPad  T480^FS"), "{zpl}");
    }

    #[test]
    fn the_code_and_its_quiet_zone_fit_the_label_for_long_urls_too() {
        for length in [20, 40, 80, 120] {
            let url = format!("https://{}/d/BRE-004217-K", "a".repeat(length));
            let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).unwrap();
            let modules = code.width() as u32;
            let zpl = render(&[label(&url)]).unwrap();
            let magnification: u32 = zpl
                .split("^BQN,2,")
                .nth(1)
                .and_then(|rest| rest.split('^').next())
                .and_then(|m| m.parse().ok())
                .unwrap();
            assert!(
                (modules + 8) * magnification <= HEIGHT,
                "{length}: {magnification}"
            );
            assert!(magnification >= 2, "{length}: modules too small to scan");
        }
    }
}
