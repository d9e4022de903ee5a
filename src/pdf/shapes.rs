//! Lines and boxes: rules, a drawn signature, a chart's bars, a box to
//! sign in.

use printpdf::{Color, Greyscale, Line, LinePoint, Mm, Op, Point, Pt};

use super::{MARGIN, Writer};

impl Writer {
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
}
