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
mod tests;

/// For `#[serde(skip_serializing_if = "crate::input::request_only")]`: a
/// field a request sends but nothing writes back — the version a change
/// expects (not part of the change its event records), a password. Plain
/// `skip_serializing` would tell serde the same, but utoipa would then leave
/// the field out of the documented request, where a client must find it.
pub fn request_only<T>(_: &T) -> bool {
    true
}
