//! Reading nwipe's log (`nwipe --logfile`, also what ShredOS writes).
//!
//! A log is bytes, not text: some hardware reports serial numbers full of
//! garbage, runs get cut off, lines go missing. The parser never panics and
//! never guesses success: it keys on the summary tables and their status words
//! (`Erased`, `-FAILED-`, `UABORTED`, `INSANITY`) rather than on exact
//! spacing, so that every version from 0.33 on reads the same way, and a
//! drive without a status row is reported as unfinished.

use chrono::NaiveDateTime;
use serde::Serialize;

mod lines;
mod parse;

use lines::trim_ascii;
pub use parse::parse;

/// What nwipe says became of a drive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DriveStatus {
    Erased,
    Failed,
    /// Aborted by the user (nwipe's `UABORTED`).
    Aborted,
    /// nwipe's own consistency check failed (`INSANITY`).
    Insanity,
    /// No status row: the log ends before the summary (power cut, crash).
    Unfinished,
    /// A status word this parser does not know, as written.
    Other(String),
}

impl DriveStatus {
    /// The status as one word: `erased`, `failed`, `aborted`, `insanity`, `unfinished`, or nwipe's own.
    pub fn as_text(&self) -> &str {
        match self {
            Self::Erased => "erased",
            Self::Failed => "failed",
            Self::Aborted => "aborted",
            Self::Insanity => "insanity",
            Self::Unfinished => "unfinished",
            Self::Other(word) => word,
        }
    }
}

/// How the passes were verified (the `NV` / `VL` / `VA` of the summary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerifyMode {
    None,
    LastPass,
    AllPasses,
}

/// A serial number as the log has it: its bytes, and a readable rendering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Serial {
    /// The bytes as text, undecodable bytes replaced by `�`, trimmed.
    pub text: String,
    /// The raw bytes in hexadecimal, for the record.
    pub raw_hex: String,
}

impl Serial {
    fn from_bytes(raw: &[u8]) -> Self {
        let raw = trim_ascii(raw);
        Self {
            text: String::from_utf8_lossy(raw).trim().to_owned(),
            raw_hex: hex::encode(raw),
        }
    }

    /// Whether the serial is worth matching on: printable, not empty.
    pub fn is_usable(&self) -> bool {
        !self.text.is_empty() && self.text.chars().all(|c| c.is_ascii_graphic() || c == ' ')
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Drive {
    /// The device path, e.g. `/dev/sda`.
    pub device: String,
    pub bus: Option<String>,
    pub model: Option<String>,
    pub serial: Option<Serial>,
    /// The size as nwipe printed it, e.g. `33 MB` or `1000 GB`.
    pub size_text: Option<String>,
    /// The exact size, when nwipe logged the device geometry.
    pub size_bytes: Option<u64>,
    pub status: DriveStatus,
    pub pass_errors: Option<u64>,
    pub verify_errors: Option<u64>,
    pub sync_errors: Option<u64>,
    /// From the `Bytes Erased` column of newer versions.
    pub bytes_erased: Option<u64>,
    /// e.g. `105 MB/s`.
    pub throughput: Option<String>,
    pub duration_secs: Option<u64>,
    /// The method started on this drive (when it differs from the run's, the drive's).
    pub method: Option<String>,
    pub started_at: Option<NaiveDateTime>,
    pub ended_at: Option<NaiveDateTime>,
}

impl Drive {
    fn new(device: String) -> Self {
        Self {
            device,
            bus: None,
            model: None,
            serial: None,
            size_text: None,
            size_bytes: None,
            status: DriveStatus::Unfinished,
            pass_errors: None,
            verify_errors: None,
            sync_errors: None,
            bytes_erased: None,
            throughput: None,
            duration_secs: None,
            method: None,
            started_at: None,
            ended_at: None,
        }
    }

    /// Erased, and no pass, verification or sync error: the only success.
    pub fn succeeded(&self) -> bool {
        self.status == DriveStatus::Erased
            && self.pass_errors.unwrap_or(0) == 0
            && self.verify_errors.unwrap_or(0) == 0
            && self.sync_errors.unwrap_or(0) == 0
    }
}

/// Everything read from one log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NwipeLog {
    /// e.g. `nwipe 0.33`, or a ShredOS banner.
    pub banner: Option<String>,
    pub method: Option<String>,
    pub prng: Option<String>,
    pub rounds: Option<u32>,
    pub blanking: Option<bool>,
    pub verify: Option<VerifyMode>,
    /// Whether the summary tables were found: without them nothing is known to be erased.
    pub complete: bool,
    pub drives: Vec<Drive>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NwipeError {
    #[error("this is not an nwipe log: no drive, no method and no summary table in it")]
    NotAnNwipeLog,
    #[error("this log names {0} drives; one import takes at most {MAX_DRIVES}")]
    TooManyDrives(usize),
}

/// The drives one log may name: a wiping station erases tens at once, and
/// every drive of an import is matched and recorded inside the one ledger
/// writer, which every other write waits for.
pub const MAX_DRIVES: usize = 256;

#[cfg(test)]
mod tests;
