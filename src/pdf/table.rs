//! Tables whose header row repeats on each page they span.

use super::{Column, MARGIN, Weight, Writer, line_height};

impl Writer {
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
}
