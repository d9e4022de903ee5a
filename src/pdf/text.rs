//! Text on a page: a line at a point, and paragraphs wrapped to a width.

use printpdf::{Mm, Op, PdfFontHandle, Point, Pt, TextItem};

use super::{MARGIN, Weight, Writer, line_height};

impl Writer {
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
}
