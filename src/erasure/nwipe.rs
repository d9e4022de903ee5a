//! Reading nwipe's log (`nwipe --logfile`, also what ShredOS writes).
//!
//! A log is bytes, not text: some hardware reports serial numbers full of
//! garbage, runs get cut off, lines go missing. The parser never panics and
//! never guesses success: it keys on the summary tables and their status words
//! (`Erased`, `-FAILED-`, `UABORTED`, `INSANITY`) rather than on exact
//! spacing, so that every version from 0.33 on reads the same way, and a
//! drive without a status row is reported as unfinished.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use serde::Serialize;

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

fn trim_ascii(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &bytes[start..end.max(start)]
}

/// `[2026/11/21 22:49:38] notice: …` → the time and the message.
fn split_timestamp(line: &str) -> (Option<NaiveDateTime>, &str) {
    if let Some(rest) = line.strip_prefix('[')
        && let Some(close) = rest.find(']')
    {
        let at = NaiveDateTime::parse_from_str(&rest[..close], "%Y/%m/%d %H:%M:%S").ok();
        return (at, rest[close + 1..].trim_start());
    }
    (None, line)
}

/// The message without its `notice:` / `info:` / `error:` level.
fn message(text: &str) -> &str {
    match text.split_once(':') {
        Some((level, rest))
            if matches!(
                level.trim(),
                "notice" | "info" | "warning" | "error" | "fatal" | "debug"
            ) =>
        {
            rest.trim()
        }
        _ => text.trim(),
    }
}

fn short_name(device: &str) -> &str {
    device.rsplit('/').next().unwrap_or(device)
}

fn parse_number(text: &str) -> Option<u64> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        None
    } else {
        digits.parse().ok()
    }
}

fn parse_duration(text: &str) -> Option<u64> {
    let parts: Vec<u64> = text
        .trim()
        .split(':')
        .map(|p| p.trim().parse().ok())
        .collect::<Option<_>>()?;
    // Numbers from a file: an absurd one is no duration, not a wrapped one.
    let seconds = |h: u64, m: u64, s: u64| {
        h.checked_mul(3600)?
            .checked_add(m.checked_mul(60)?)?
            .checked_add(s)
    };
    match parts[..] {
        [h, m, s] => seconds(h, m, s),
        [m, s] => seconds(0, m, s),
        _ => None,
    }
}

/// The closing `Total Throughput …, <method>, <rounds>R+<B|NB>+<NV|VL|VA>` line.
fn parse_trailer(text: &str) -> Option<(String, u32, bool, VerifyMode)> {
    let rest = text.split_once("Total Throughput")?.1;
    let mut fields: Vec<&str> = rest.split(',').map(str::trim).collect();
    let code = fields.pop()?;
    let method = fields.get(1..)?.join(",").trim().to_owned();
    let parts: Vec<&str> = code.split('+').collect();
    let rounds = parts.first()?.strip_suffix('R')?.parse().ok()?;
    let blanking = match *parts.get(1)? {
        "B" => true,
        "NB" => false,
        _ => return None,
    };
    let verify = match *parts.get(2)? {
        "NV" => VerifyMode::None,
        "VL" => VerifyMode::LastPass,
        "VA" => VerifyMode::AllPasses,
        _ => return None,
    };
    Some((method, rounds, blanking, verify))
}

/// The key of a drive (`sda` for `/dev/sda`), registering it on first sight.
fn drive(name: &str, drives: &mut BTreeMap<String, Drive>, order: &mut Vec<String>) -> String {
    let key = short_name(name).to_owned();
    if !drives.contains_key(&key) {
        let device = if name.starts_with('/') {
            name.to_owned()
        } else {
            format!("/dev/{name}")
        };
        drives.insert(key.clone(), Drive::new(device));
        order.push(key.clone());
    }
    key
}

/// A summary table being read: its column names, from its header line.
struct Table {
    columns: Vec<String>,
}

fn cells(line: &str) -> Vec<String> {
    line.trim_start_matches(['!', ' '])
        .split('|')
        .map(|c| c.trim().to_owned())
        .collect()
}

fn is_rule(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.chars().all(|c| c == '-' || c == '*')
}

pub fn parse(bytes: &[u8]) -> Result<NwipeLog, NwipeError> {
    let mut log = NwipeLog {
        banner: None,
        method: None,
        prng: None,
        rounds: None,
        blanking: None,
        verify: None,
        complete: false,
        drives: Vec::new(),
    };
    let mut drives: BTreeMap<String, Drive> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut table: Option<Table> = None;
    let mut saw_status_table = false;
    let mut last_time = None;

    for raw in bytes.split(|b| *b == b'\n') {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let line = String::from_utf8_lossy(raw);
        let (at, text) = split_timestamp(&line);
        if at.is_some() {
            last_time = at;
        }

        // Inside a summary table: rows until a rule of stars or dashes.
        if let Some(current) = &table {
            // The first line with columns after the title is the header.
            if current.columns.is_empty() && text.contains('|') {
                table = Some(Table {
                    columns: cells(text),
                });
                continue;
            }
            if is_rule(text) && !current.columns.is_empty() && text.trim().starts_with('*') {
                table = None;
                continue;
            }
            if is_rule(text) || text.trim().is_empty() || !text.contains('|') {
                if text.contains("Total Throughput") {
                    if let Some((method, rounds, blanking, verify)) = parse_trailer(text) {
                        log.method.get_or_insert(method);
                        log.rounds = Some(rounds);
                        log.blanking = Some(blanking);
                        log.verify = Some(verify);
                    }
                    for d in drives.values_mut() {
                        d.ended_at = d.ended_at.or(at);
                    }
                }
                continue;
            }
            let values = cells(text);
            let (Some(name), Some(columns)) = (values.first(), Some(&current.columns)) else {
                continue;
            };
            if name.is_empty() {
                continue;
            }
            let key = drive(name, &mut drives, &mut order);
            let Some(entry) = drives.get_mut(&key) else {
                continue;
            };
            for (column, value) in columns.iter().zip(values.iter()).skip(1) {
                let column = column.to_ascii_lowercase();
                if column.starts_with("pass error") {
                    entry.pass_errors = parse_number(value);
                } else if column.starts_with("verif") {
                    entry.verify_errors = parse_number(value);
                } else if column.starts_with("fdatasync") || column.starts_with("sync") {
                    entry.sync_errors = parse_number(value);
                } else if column == "status" {
                    saw_status_table = true;
                    entry.status = match value.trim_matches('-').to_ascii_uppercase().as_str() {
                        "ERASED" => DriveStatus::Erased,
                        "FAILED" => DriveStatus::Failed,
                        "UABORTED" => DriveStatus::Aborted,
                        "INSANITY" => DriveStatus::Insanity,
                        _ => DriveStatus::Other(value.clone()),
                    };
                } else if column.starts_with("thru") {
                    entry.throughput = Some(value.clone()).filter(|v| !v.is_empty());
                } else if column.starts_with("hh:mm") {
                    entry.duration_secs = parse_duration(value);
                } else if column.contains("bytes") {
                    entry.bytes_erased = parse_number(value);
                }
            }
            continue;
        }

        if text.contains("Error Summary")
            || text.contains("Drive Status")
            || text.contains("Erasure Summary")
        {
            table = Some(Table {
                columns: Vec::new(),
            });
            continue;
        }
        if text.contains("Total Throughput") {
            if let Some((method, rounds, blanking, verify)) = parse_trailer(text) {
                log.method.get_or_insert(method);
                log.rounds = Some(rounds);
                log.blanking = Some(blanking);
                log.verify = Some(verify);
            }
            continue;
        }

        let msg = message(text);
        if let Some(found) = msg.strip_prefix("Found ") {
            // `Found <dev>, <bus>, <model>, <size>, S/N=<serial>`; the serial is bytes.
            let serial = raw
                .windows(4)
                .position(|w| w == b"S/N=")
                .map(|p| Serial::from_bytes(&raw[p + 4..]));
            let head = found.split("S/N=").next().unwrap_or(found);
            let fields: Vec<&str> = head
                .split(',')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .collect();
            if let Some(device) = fields.first() {
                let key = drive(device, &mut drives, &mut order);
                if let Some(entry) = drives.get_mut(&key) {
                    entry.bus = fields.get(1).map(|s| (*s).to_owned());
                    if fields.len() >= 4 {
                        entry.size_text = fields.last().map(|s| (*s).to_owned());
                        entry.model =
                            Some(fields[2..fields.len() - 1].join(", ")).filter(|m| !m.is_empty());
                    } else {
                        entry.model = fields.get(2).map(|s| (*s).to_owned());
                    }
                    entry.serial = serial;
                }
            }
        } else if let Some(value) = msg
            .strip_prefix("banner")
            .and_then(|r| r.trim_start().strip_prefix('='))
        {
            log.banner = Some(value.trim().to_owned());
        } else if let Some(value) = msg
            .strip_prefix("prng")
            .and_then(|r| r.trim_start().strip_prefix('='))
        {
            log.prng = Some(value.trim().to_owned());
        } else if let Some(value) = msg
            .strip_prefix("method")
            .and_then(|r| r.trim_start().strip_prefix('='))
        {
            log.method.get_or_insert(value.trim().to_owned());
        } else if let Some(value) = msg
            .strip_prefix("rounds")
            .and_then(|r| r.trim_start().strip_prefix('='))
        {
            log.rounds = parse_number(value).and_then(|n| u32::try_from(n).ok());
        } else if let Some(value) = msg
            .strip_prefix("verify")
            .and_then(|r| r.trim_start().strip_prefix('='))
        {
            log.verify = match value.trim().chars().next() {
                Some('0') => Some(VerifyMode::None),
                Some('1') => Some(VerifyMode::LastPass),
                Some('2') => Some(VerifyMode::AllPasses),
                _ => log.verify,
            };
        } else if let Some(rest) = msg.strip_prefix("Invoking method '") {
            if let Some((method, device)) = rest.split_once("' on ") {
                log.method.get_or_insert(method.to_owned());
                let key = drive(device.trim(), &mut drives, &mut order);
                if let Some(entry) = drives.get_mut(&key) {
                    entry.method = Some(method.to_owned());
                    entry.started_at = entry.started_at.or(at);
                }
            }
        } else if let Some((device, geometry)) = msg.split_once(", sect/blk/dev ") {
            let key = drive(device.trim(), &mut drives, &mut order);
            if let Some(entry) = drives.get_mut(&key) {
                entry.size_bytes = geometry.rsplit('/').next().and_then(parse_number);
            }
        } else if let Some(device) = msg.strip_prefix("[SUCCESS] Blanked device ") {
            let key = drive(device.trim(), &mut drives, &mut order);
            if let Some(entry) = drives.get_mut(&key) {
                entry.ended_at = at;
            }
        } else if let Some(rest) = msg.strip_prefix("Finished final round")
            && let Some(device) = rest.rsplit(" on ").next()
        {
            let key = drive(device.trim(), &mut drives, &mut order);
            if let Some(entry) = drives.get_mut(&key) {
                entry.ended_at = at;
            }
        }
    }

    log.complete = saw_status_table;
    log.drives = order
        .into_iter()
        .filter_map(|k| drives.remove(&k))
        .collect();
    for d in &mut log.drives {
        if d.ended_at.is_none() && log.complete {
            d.ended_at = last_time;
        }
    }
    if log.drives.is_empty() && log.method.is_none() && !log.complete {
        return Err(NwipeError::NotAnNwipeLog);
    }
    if log.drives.len() > MAX_DRIVES {
        return Err(NwipeError::TooManyDrives(log.drives.len()));
    }
    Ok(log)
}

#[cfg(test)]
mod tests;
