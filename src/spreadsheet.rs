//! The one way Retrace writes a CSV file: UTF-8 with a byte-order mark,
//! `;`-separated, CRLF lines — what the spreadsheets of French offices open
//! as they are — and no cell a spreadsheet would run. A cell that starts
//! like a formula (`=`, `+`, `-`, `@`, a tab or a carriage return) is
//! written with a leading `'`, which spreadsheets show as text: a donor's
//! asset number `=HYPERLINK(…)` or a recycler's name must not run on the
//! desk of whoever opens the file. Numbers (`-3.5`) stay numbers.

use std::borrow::Cow;

use crate::error::AppError;

/// A CSV file being written.
pub struct Sheet {
    writer: csv::Writer<Vec<u8>>,
}

impl Default for Sheet {
    fn default() -> Self {
        Self::new()
    }
}

impl Sheet {
    pub fn new() -> Self {
        Self {
            writer: csv::WriterBuilder::new()
                .delimiter(b';')
                .terminator(csv::Terminator::CRLF)
                .from_writer("\u{feff}".as_bytes().to_vec()),
        }
    }

    /// Writes one row, each cell made safe to open.
    pub fn row<'c>(&mut self, cells: impl IntoIterator<Item = &'c str>) -> Result<(), AppError> {
        self.writer
            .write_record(cells.into_iter().map(neutralised).map(Cow::into_owned))
            .map_err(AppError::internal)
    }

    /// The file's bytes.
    pub fn finish(self) -> Result<Vec<u8>, AppError> {
        self.writer.into_inner().map_err(AppError::internal)
    }
}

/// `cell` as a spreadsheet may open it: text that starts like a formula is
/// quoted with `'`; numbers and every other text stay as they are.
pub fn neutralised(cell: &str) -> Cow<'_, str> {
    let runs = cell
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    if runs && cell.trim().parse::<f64>().is_err() {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_that_would_run_is_written_as_text_and_a_number_stays_a_number() {
        for formula in [
            "=HYPERLINK(\"http://evil.example\",\"x\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1:A2)",
            "\t=1+1",
            "\r=1+1",
        ] {
            assert_eq!(neutralised(formula), format!("'{formula}"));
        }
        for plain in [
            "-3.5",
            "+12",
            "-0",
            "PF1ABC01",
            "",
            "Banque de l’Ouest",
            "a=b",
        ] {
            assert_eq!(neutralised(plain), plain);
        }
    }

    #[test]
    fn a_sheet_is_bom_semicolons_and_crlf() {
        let mut sheet = Sheet::new();
        sheet.row(["a", "=1+1"]).unwrap();
        let bytes = sheet.finish().unwrap();
        assert_eq!(bytes, "\u{feff}a;'=1+1\r\n".as_bytes());
    }
}
