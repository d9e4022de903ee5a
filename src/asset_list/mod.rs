//! Donors' asset lists: whatever their IT exported (GLPI, Snipe-IT, a
//! spreadsheet), read into devices for a lot.
//!
//! Reading is forgiving — encoding (UTF-8 with or without BOM, UTF-16 with
//! BOM, else Windows-1252), delimiter (`,` `;` tab), French and English
//! header names, kind words — and reporting is exact: every problem comes
//! with its line number. Importing is all or nothing ([`import`]).

pub mod import;
mod read;
pub mod refusals;
pub mod routes;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::devices::DeviceKind;
use crate::domain::Domain;
use crate::i18n::Language;

pub(crate) use read::fold;
pub use read::{decode, delimiter, kind_of, parse};

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain = Domain::new(routes::router);

/// Larger files are refused: a lot is a truck, not a warehouse.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
pub const MAX_ROWS: usize = 10_000;

/// One device of the list, as it will be registered.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Row {
    /// The line of the file where the row starts (1 is the header).
    pub line: u64,
    pub kind: Option<DeviceKind>,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    /// Trimmed and upper-cased.
    pub serial_number: Option<String>,
    pub donor_asset_number: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The import cannot run until this line is fixed.
    Error,
    /// Imported, but worth a look.
    Warning,
}

/// Something about one line (or the whole file, line 0).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Issue {
    pub line: u64,
    pub severity: Severity,
    /// `serial_number`, `kind`, `file`…
    pub field: String,
    /// What is wrong, as a `code` and the values its sentence needs.
    #[serde(flatten)]
    pub finding: Finding,
    /// The finding in English, for a person reading the API's answer.
    pub message: String,
}

impl Issue {
    fn new(line: u64, field: &str, finding: Finding) -> Self {
        Self {
            line,
            severity: finding.severity(),
            field: field.to_owned(),
            message: finding.describe(Language::En),
            finding,
        }
    }
}

/// What can be wrong with a line or a file. The words are in the catalogues
/// (`import_issue.<code>`), so the lot page speaks the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Finding {
    /// The CSV reader gave up on the file or a line.
    Unreadable {
        reason: String,
    },
    Empty,
    /// No column the import can recognise devices by.
    NoColumns,
    NoKindColumn,
    TooManyRows {
        max: usize,
    },
    UnknownKind {
        word: String,
    },
    NoKind,
    /// Imported all the same: a warning.
    NoSerial,
    TooLong {
        max: usize,
    },
    RepeatedSerial {
        serial: String,
        first_line: u64,
    },
    AlreadyInLot {
        asset_tag: String,
    },
    OnlyHeader,
}

impl Finding {
    pub fn severity(&self) -> Severity {
        match self {
            Self::NoSerial => Severity::Warning,
            _ => Severity::Error,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::Unreadable { .. } => "unreadable",
            Self::Empty => "empty",
            Self::NoColumns => "no_columns",
            Self::NoKindColumn => "no_kind_column",
            Self::TooManyRows { .. } => "too_many_rows",
            Self::UnknownKind { .. } => "unknown_kind",
            Self::NoKind => "no_kind",
            Self::NoSerial => "no_serial",
            Self::TooLong { .. } => "too_long",
            Self::RepeatedSerial { .. } => "repeated_serial",
            Self::AlreadyInLot { .. } => "already_in_lot",
            Self::OnlyHeader => "only_header",
        }
    }

    /// The sentence for a person reading `lang`.
    pub fn describe(&self, lang: Language) -> String {
        let key = format!("import_issue.{}", self.code());
        match self {
            Self::Unreadable { reason } => lang.fill(&key, &[("reason", reason)]),
            Self::TooManyRows { max } | Self::TooLong { max } => {
                lang.fill(&key, &[("max", &max.to_string())])
            }
            Self::UnknownKind { word } => lang.fill(&key, &[("word", word)]),
            Self::RepeatedSerial { serial, first_line } => lang.fill(
                &key,
                &[("serial", serial), ("first_line", &first_line.to_string())],
            ),
            Self::AlreadyInLot { asset_tag } => lang.fill(&key, &[("asset_tag", asset_tag)]),
            Self::Empty
            | Self::NoColumns
            | Self::NoKindColumn
            | Self::NoKind
            | Self::NoSerial
            | Self::OnlyHeader => lang.text(&key).to_owned(),
        }
    }
}

/// How the file was read, for the person checking a dry run.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Reading {
    /// `utf-8`, `utf-16le`, `utf-16be` or `windows-1252`.
    pub encoding: String,
    /// `,`, `;` or `\t`.
    pub delimiter: String,
    /// Which column each field came from.
    pub columns: HashMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Parsed {
    pub reading: Reading,
    pub rows: Vec<Row>,
    pub issues: Vec<Issue>,
}

impl Parsed {
    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(|i| i.severity == Severity::Error)
    }
}

#[cfg(test)]
mod tests;
