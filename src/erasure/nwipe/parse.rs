//! The log read line by line: the drives it names, their summary rows and
//! what the run says of itself.

use std::collections::BTreeMap;

use super::lines::{
    message, parse_duration, parse_number, parse_trailer, short_name, split_timestamp,
};
use super::{Drive, DriveStatus, MAX_DRIVES, NwipeError, NwipeLog, Serial, VerifyMode};

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
