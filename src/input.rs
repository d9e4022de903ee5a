//! What every text of a request may hold, checked once for the whole
//! application, before any handler reads it: in the query string, and in
//! JSON and form bodies.
//!
//! - A date lies between 1900 and 2200. Past those years no workshop has a
//!   record, and the calendar arithmetic of reports and weeks would
//!   overflow (chrono's dates end in the year 262,143).
//! - No text holds a NUL character, which PostgreSQL cannot store in a text
//!   (it would answer an error, not a refusal).

use axum::body::Body;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::error::AppError;

pub const FIRST_YEAR: i64 = 1900;
pub const LAST_YEAR: i64 = 2200;

/// The year of a text shaped like a date (`YYYY-MM-DD`, with a sign or more
/// digits for far years, and maybe a time after it); `None` for any other
/// text — a serial number such as `12-34-56` is no date.
fn year_of(text: &str) -> Option<i64> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let digits = unsigned.bytes().take_while(u8::is_ascii_digit).count();
    let rest = unsigned.get(digits..)?.as_bytes();
    let shaped = digits >= 4
        && rest.len() >= 6
        && rest[0] == b'-'
        && rest[1..3].iter().all(u8::is_ascii_digit)
        && rest[3] == b'-'
        && rest[4..6].iter().all(u8::is_ascii_digit)
        && (rest.len() == 6 || matches!(rest[6], b'T' | b't' | b' '));
    if !shaped {
        return None;
    }
    let year: i64 = unsigned[..digits].parse().unwrap_or(i64::MAX);
    Some(if text.starts_with('-') { -year } else { year })
}

/// Refuses a NUL, or a date outside the years Retrace keeps, naming the field.
pub fn check(field: &str, text: &str) -> Result<(), AppError> {
    if text.contains('\0') {
        return Err(AppError::field(field, "a text cannot hold a NUL character"));
    }
    match year_of(text) {
        Some(year) if !(FIRST_YEAR..=LAST_YEAR).contains(&year) => Err(AppError::field(
            field,
            format!("dates run from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31"),
        )),
        _ => Ok(()),
    }
}

/// Every string of a JSON document, by the name of its member.
fn check_json(field: &str, value: &Value) -> Result<(), AppError> {
    match value {
        Value::String(text) => check(field, text),
        Value::Array(items) => items.iter().try_for_each(|item| check_json(field, item)),
        Value::Object(members) => members
            .iter()
            .try_for_each(|(name, member)| check_json(name, member)),
        _ => Ok(()),
    }
}

/// Every value of a query string or a form body.
fn check_pairs(encoded: &[u8]) -> Result<(), AppError> {
    form_urlencoded::parse(encoded).try_for_each(|(name, value)| check(&name, &value))
}

/// The middleware: the query string of every request, and its body when it
/// is JSON or a form (read whole: bodies are bounded already).
pub async fn checked(request: Request, next: Next) -> Response {
    if let Some(query) = request.uri().query()
        && let Err(refusal) = check_pairs(query.as_bytes())
    {
        return refusal.into_response();
    }
    let kind = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let json = kind.starts_with("application/json");
    let form = kind.starts_with("application/x-www-form-urlencoded");
    // A file a tool wrote (lshw's JSON, with its filesystems' mount times)
    // is read by its own parser, which takes none of its dates as a record's.
    let tool_output = request.uri().path().ends_with("/audit");
    if (!json && !form) || tool_output {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, crate::JSON_BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(_) => return AppError::PayloadTooLarge.into_response(),
    };
    let checked = if json {
        // What is not JSON is the handler's to refuse, in its own words.
        serde_json::from_slice::<Value>(&bytes).map_or(Ok(()), |v| check_json("body", &v))
    } else {
        check_pairs(&bytes)
    };
    if let Err(refusal) = checked {
        return refusal.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_texts_shaped_like_dates_are_dates() {
        assert_eq!(year_of("2026-12-05"), Some(2026));
        assert_eq!(year_of("2026-12-05T10:00:00Z"), Some(2026));
        assert_eq!(year_of("-262143-01-01"), Some(-262_143));
        assert_eq!(year_of("+262142-12-31"), Some(262_142));
        assert_eq!(year_of("99999999999999999999-01-01"), Some(i64::MAX));
        for other in [
            "12-34-56",
            "1-2-3",
            "PF1ABC01",
            "2026-1-5",
            "2026-12-05x",
            "",
            "-",
            "2026",
        ] {
            assert_eq!(year_of(other), None, "{other}");
        }
    }

    #[test]
    fn a_date_outside_1900_to_2200_is_refused_with_its_field() {
        assert!(check("from", "1900-01-01").is_ok());
        assert!(check("from", "2200-12-31").is_ok());
        assert!(check("note", "written 1850-01-01").is_ok());
        for far in [
            "1899-12-31",
            "2201-01-01",
            "-262143-01-01",
            "+262142-12-31",
            "0000-01-01",
        ] {
            let refused = check("from", far).unwrap_err();
            assert!(format!("{refused:?}").contains("from"), "{far}");
        }
        let body = serde_json::json!({"entries": [{"date": "+262142-12-31"}]});
        assert!(check_json("body", &body).is_err());
    }

    #[test]
    fn a_nul_is_refused_anywhere_with_its_field() {
        let refused = check("q", "ab\0c").unwrap_err();
        assert!(format!("{refused:?}").contains("NUL"), "{refused:?}");
        assert!(check_pairs(b"q=%00").is_err());
        assert!(check_json("body", &serde_json::json!({"note": "x\u{0}"})).is_err());
    }
}
