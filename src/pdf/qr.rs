//! QR codes, drawn as a one-bit raster with their quiet zone.

use std::collections::BTreeMap;

use printpdf::{DictItem, ExternalStream, ExternalXObject, Mm, Op, Px, XObjectTransform};
use qrcode::{Color as QrColor, EcLevel, QrCode};

use super::{QUIET_ZONE, Writer};
use crate::error::AppError;

impl Writer {
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
}
