//! How certificates are numbered: CERT-<year>-<sequence>, restarting each year.

use chrono::{DateTime, Datelike, Utc};

/// `CERT-2026-000042`: the year of issue and a sequence within it.
pub fn number(year: i32, sequence: u32) -> String {
    format!("CERT-{year}-{sequence:06}")
}

/// The number after `last` (the year's latest number, if any).
pub fn next_number(at: DateTime<Utc>, last: Option<&str>) -> String {
    let year = at.year();
    let sequence = last
        .and_then(|n| n.strip_prefix(&format!("CERT-{year}-")))
        .and_then(|s| s.parse::<u32>().ok())
        .unwrap_or(0);
    number(year, sequence + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_each_other_within_a_year_and_restart_with_the_next() {
        let at = DateTime::parse_from_rfc3339("2026-11-22T10:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(next_number(at, None), "CERT-2026-000001");
        assert_eq!(
            next_number(at, Some("CERT-2026-000041")),
            "CERT-2026-000042"
        );
        assert_eq!(
            next_number(at, Some("CERT-2025-000900")),
            "CERT-2026-000001"
        );
    }
}
