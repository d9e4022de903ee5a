//! Reading a donor's file: its encoding and delimiter, its headers in the words of GLPI, Snipe-IT or a hand-made sheet, its device kinds, line by line.

use std::collections::HashMap;

use super::{Finding, Issue, MAX_ROWS, Parsed, Reading, Row};
use crate::devices::DeviceKind;

/// Text from bytes: a BOM decides; else UTF-8 if it is valid; else the
/// Windows-1252 of old spreadsheets (which maps every byte to something).
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return (String::from_utf8_lossy(rest).into_owned(), "utf-8");
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        let (text, _, _) = encoding_rs::UTF_16LE.decode(bytes);
        return (text.into_owned(), "utf-16le");
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let (text, _, _) = encoding_rs::UTF_16BE.decode(bytes);
        return (text.into_owned(), "utf-16be");
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), "utf-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), "windows-1252")
        }
    }
}

/// The delimiter the header line uses most, outside quotes.
pub fn delimiter(text: &str) -> u8 {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in header.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(entry) = counts.iter_mut().find(|(d, _)| *d == b) {
            entry.1 += 1;
        }
    }
    // Ties go to `;` (French spreadsheets), then `,`; none at all means one column.
    let mut best = (b',', 0);
    for (d, n) in counts {
        if n > best.1 {
            best = (d, n);
        }
    }
    best.0
}

/// A header or kind word without case, accents, punctuation or extra spaces.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        let plain = match c {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        if plain == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(plain);
    }
    out.trim_end().to_owned()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Field {
    Serial,
    Manufacturer,
    Model,
    Kind,
    DonorAsset,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Self::Serial => "serial_number",
            Self::Manufacturer => "manufacturer",
            Self::Model => "model",
            Self::Kind => "kind",
            Self::DonorAsset => "donor_asset_number",
        }
    }
}

/// Header names seen in donors' exports (GLPI, Snipe-IT, hand-made), folded.
pub(super) fn field_of(header: &str) -> Option<Field> {
    let folded = fold(header);
    let field = match folded.as_str() {
        "numero de serie" | "n serie" | "n de serie" | "no de serie" | "no serie" | "num serie"
        | "serial" | "serial number" | "serial no" | "serialnumber" | "sn" | "s n" => Field::Serial,
        "fabricant" | "marque" | "constructeur" | "manufacturer" | "make" | "brand" | "vendor" => {
            Field::Manufacturer
        }
        "modele" | "model" | "model name" | "nom du modele" => Field::Model,
        "type" | "categorie" | "category" | "kind" | "type de materiel" | "asset type"
        | "device type" => Field::Kind,
        "numero d inventaire"
        | "n d inventaire"
        | "n inventaire"
        | "no d inventaire"
        | "numero d immobilisation"
        | "n d immobilisation"
        | "n immobilisation"
        | "immobilisation"
        | "inventaire"
        | "asset tag"
        | "asset number"
        | "asset no"
        | "inventory number" => Field::DonorAsset,
        _ => return None,
    };
    Some(field)
}

/// The device kind a donor's word means, if any.
pub fn kind_of(word: &str) -> Option<DeviceKind> {
    let folded = fold(word);
    let kind = match folded.as_str() {
        "laptop"
        | "laptops"
        | "notebook"
        | "notebooks"
        | "portable"
        | "portables"
        | "ordinateur portable"
        | "ordinateurs portables"
        | "pc portable"
        | "pc portables"
        | "ultrabook"
        | "netbook" => DeviceKind::Laptop,
        "desktop" | "desktops" | "ordinateur" | "ordinateurs" | "ordinateur fixe"
        | "ordinateurs fixes" | "pc fixe" | "pc" | "unite centrale" | "unites centrales" | "uc"
        | "tour" | "computer" | "computers" | "workstation" | "station de travail" => {
            DeviceKind::Desktop
        }
        "all in one" | "all in ones" | "tout en un" | "aio" => DeviceKind::AllInOne,
        "monitor" | "monitors" | "moniteur" | "moniteurs" | "ecran" | "ecrans" | "display"
        | "displays" => DeviceKind::Monitor,
        "tablet" | "tablets" | "tablette" | "tablettes" => DeviceKind::Tablet,
        "smartphone" | "smartphones" | "telephone" | "telephones" | "phone" | "phones"
        | "mobile" | "mobiles" | "telephone portable" => DeviceKind::Smartphone,
        "server" | "servers" | "serveur" | "serveurs" => DeviceKind::Server,
        "printer" | "printers" | "imprimante" | "imprimantes" | "multifonction" => {
            DeviceKind::Printer
        }
        "other" | "autre" | "autres" => DeviceKind::Other,
        _ => return DeviceKind::parse(&folded.replace(' ', "_")),
    };
    Some(kind)
}

/// Line numbers from byte offsets. (The csv reader's own count goes wrong
/// after blank lines and CRLF endings; a person needs the line their editor shows.)
pub(super) struct LineIndex<'a> {
    text: &'a str,
    newlines: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            newlines: text.match_indices('\n').map(|(i, _)| i).collect(),
        }
    }

    /// The 1-based line of the first character of a record at `offset`
    /// (blank lines before it, which the reader skips, do not count).
    fn line_at(&self, offset: u64) -> u64 {
        let mut start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        let skipped = self.text[start..]
            .bytes()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        start += skipped;
        (self.newlines.partition_point(|&n| n < start) + 1) as u64
    }
}

pub(super) fn cell(record: &csv::StringRecord, index: Option<usize>) -> Option<String> {
    index
        .and_then(|i| record.get(i))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Reads a donor's file. Problems with the file as a whole (no recognisable
/// header, too many rows) are issues on line 0.
pub fn parse(bytes: &[u8]) -> Parsed {
    let (text, encoding) = decode(bytes);
    let delimiter = delimiter(&text);
    let mut reading = Reading {
        encoding: encoding.to_owned(),
        delimiter: (delimiter as char).to_string(),
        columns: HashMap::new(),
    };
    let mut issues = Vec::new();
    let mut rows = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    // The header is the first line with a cell in it.
    let header = loop {
        match records.next() {
            Some(Ok(record)) if record.iter().all(|c| c.trim().is_empty()) => continue,
            Some(Ok(record)) => break Some(record),
            Some(Err(err)) => {
                issues.push(Issue::new(
                    0,
                    "file",
                    Finding::Unreadable {
                        reason: err.to_string(),
                    },
                ));
                break None;
            }
            None => break None,
        }
    };
    let Some(header) = header else {
        if issues.is_empty() {
            issues.push(Issue::new(0, "file", Finding::Empty));
        }
        return Parsed {
            reading,
            rows,
            issues,
        };
    };
    let mut columns: HashMap<Field, usize> = HashMap::new();
    for (index, name) in header.iter().enumerate() {
        if let Some(field) = field_of(name) {
            columns.entry(field).or_insert_with(|| {
                reading
                    .columns
                    .insert(field.name().to_owned(), name.trim().to_owned());
                index
            });
        }
    }
    if !columns.contains_key(&Field::Serial) && !columns.contains_key(&Field::Model) {
        issues.push(Issue::new(0, "file", Finding::NoColumns));
        return Parsed {
            reading,
            rows,
            issues,
        };
    }
    if !columns.contains_key(&Field::Kind) {
        issues.push(Issue::new(0, "kind", Finding::NoKindColumn));
    }
    let mut first_line_of: HashMap<String, u64> = HashMap::new();
    let lines = LineIndex::new(&text);
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                let line = err.position().map_or(0, |p| lines.line_at(p.byte()));
                issues.push(Issue::new(
                    line,
                    "file",
                    Finding::Unreadable {
                        reason: err.to_string(),
                    },
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            issues.push(Issue::new(
                line,
                "file",
                Finding::TooManyRows { max: MAX_ROWS },
            ));
            break;
        }
        let kind_word = cell(&record, columns.get(&Field::Kind).copied());
        let kind = kind_word.as_deref().and_then(kind_of);
        match (&kind_word, kind) {
            (Some(word), None) => issues.push(Issue::new(
                line,
                "kind",
                Finding::UnknownKind { word: word.clone() },
            )),
            (None, _) if columns.contains_key(&Field::Kind) => {
                issues.push(Issue::new(line, "kind", Finding::NoKind));
            }
            _ => {}
        }
        let serial =
            crate::devices::normalize_serial(cell(&record, columns.get(&Field::Serial).copied()));
        match &serial {
            None => issues.push(Issue::new(line, "serial_number", Finding::NoSerial)),
            Some(s) if s.chars().count() > 100 => {
                issues.push(Issue::new(
                    line,
                    "serial_number",
                    Finding::TooLong { max: 100 },
                ));
            }
            Some(s) => {
                if let Some(first) = first_line_of.get(s) {
                    issues.push(Issue::new(
                        line,
                        "serial_number",
                        Finding::RepeatedSerial {
                            serial: s.clone(),
                            first_line: *first,
                        },
                    ));
                } else {
                    first_line_of.insert(s.clone(), line);
                }
            }
        }
        let row = Row {
            line,
            kind,
            manufacturer: cell(&record, columns.get(&Field::Manufacturer).copied()),
            model: cell(&record, columns.get(&Field::Model).copied()),
            serial_number: serial,
            donor_asset_number: cell(&record, columns.get(&Field::DonorAsset).copied()),
        };
        for (field, value, max) in [
            ("manufacturer", &row.manufacturer, 200),
            ("model", &row.model, 200),
            ("donor_asset_number", &row.donor_asset_number, 100),
        ] {
            if value.as_ref().is_some_and(|v| v.chars().count() > max) {
                issues.push(Issue::new(line, field, Finding::TooLong { max }));
            }
        }
        rows.push(row);
    }
    if rows.is_empty() && !issues.iter().any(|i| i.line == 0) {
        issues.push(Issue::new(0, "file", Finding::OnlyHeader));
    }
    Parsed {
        reading,
        rows,
        issues,
    }
}
