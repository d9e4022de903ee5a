//! How a line of the log reads: its time, its message, its numbers and
//! durations, the trailer of a summary row.

use chrono::NaiveDateTime;

use super::VerifyMode;

pub(super) fn trim_ascii(bytes: &[u8]) -> &[u8] {
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
pub(super) fn split_timestamp(line: &str) -> (Option<NaiveDateTime>, &str) {
    if let Some(rest) = line.strip_prefix('[')
        && let Some(close) = rest.find(']')
    {
        let at = NaiveDateTime::parse_from_str(&rest[..close], "%Y/%m/%d %H:%M:%S").ok();
        return (at, rest[close + 1..].trim_start());
    }
    (None, line)
}

/// The message without its `notice:` / `info:` / `error:` level.
pub(super) fn message(text: &str) -> &str {
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

pub(super) fn short_name(device: &str) -> &str {
    device.rsplit('/').next().unwrap_or(device)
}

pub(super) fn parse_number(text: &str) -> Option<u64> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        None
    } else {
        digits.parse().ok()
    }
}

pub(super) fn parse_duration(text: &str) -> Option<u64> {
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
pub(super) fn parse_trailer(text: &str) -> Option<(String, u32, bool, VerifyMode)> {
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
