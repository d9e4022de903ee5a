//! The hash chain: `hash = SHA-256(prev_hash ‖ JCS(event without hash))`.
//!
//! `prev_hash` enters as its 32 raw bytes; the event enters as its RFC 8785
//! canonical JSON, so anyone can recompute a hash with any JCS library
//! (see docs/LEDGER.md). The first event's `prev_hash` is 32 zero bytes.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

mod jcs;

/// The `prev_hash` of the first event, as stored (64 hex zeros).
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Exactly the fields that are hashed, in the shape an auditor sees them.
#[derive(Debug)]
pub struct HashedEvent<'a> {
    pub seq: i64,
    pub id: Uuid,
    /// RFC 3339 UTC with microseconds, the precision every database keeps.
    pub at: String,
    pub actor_id: Option<Uuid>,
    pub site_id: Option<Uuid>,
    pub subject_type: &'a str,
    pub subject_id: Uuid,
    pub kind: &'a str,
    /// The payload's canonical text ([`canonical_text`]), as it is stored:
    /// made once, it serves the row and the hash.
    pub payload: &'a str,
    pub prev_hash: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    #[error("prev_hash is not 64 hexadecimal digits")]
    BadPrevHash,
    #[error("cannot canonicalize the event: {0}")]
    Canonical(String),
}

/// The timestamp as hashed: microseconds, `Z`.
pub fn format_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Drops what a database would drop, so the time hashed is the time stored.
pub fn truncate_to_micros(at: DateTime<Utc>) -> DateTime<Utc> {
    let micros = at.timestamp_micros();
    DateTime::from_timestamp_micros(micros).unwrap_or(at)
}

/// The canonical text of a payload, as stored in `events.payload`.
pub fn canonical_text(value: &Value) -> Result<String, ChainError> {
    let mut text = String::with_capacity(256);
    jcs::write(value, &mut text)?;
    Ok(text)
}

pub fn compute_hash(event: &HashedEvent<'_>) -> Result<String, ChainError> {
    let prev: [u8; 32] = hex::decode(event.prev_hash)
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(ChainError::BadPrevHash)?;
    let mut hasher = Sha256::new();
    hasher.update(prev);
    hasher.update(canonical_event(event)?);
    Ok(hex::encode(hasher.finalize()))
}

/// The event's RFC 8785 text: its members in the order of their keys, the
/// payload's text as it is (it is canonical already).
fn canonical_event(event: &HashedEvent<'_>) -> Result<String, ChainError> {
    let mut text = String::with_capacity(event.payload.len() + 400);
    text.push_str("{\"actor_id\":");
    write_uuid(event.actor_id, &mut text);
    text.push_str(",\"at\":");
    jcs::write_string(&event.at, &mut text);
    text.push_str(",\"id\":");
    write_uuid(Some(event.id), &mut text);
    text.push_str(",\"kind\":");
    jcs::write_string(event.kind, &mut text);
    text.push_str(",\"payload\":");
    text.push_str(event.payload);
    text.push_str(",\"prev_hash\":");
    jcs::write_string(event.prev_hash, &mut text);
    text.push_str(",\"seq\":");
    jcs::write_double(event.seq as f64, &mut text)?;
    text.push_str(",\"site_id\":");
    write_uuid(event.site_id, &mut text);
    text.push_str(",\"subject_id\":");
    write_uuid(Some(event.subject_id), &mut text);
    text.push_str(",\"subject_type\":");
    jcs::write_string(event.subject_type, &mut text);
    text.push('}');
    Ok(text)
}

/// A UUID as serde writes one (hyphenated, lower case: nothing to escape), or `null`.
fn write_uuid(id: Option<Uuid>, out: &mut String) {
    match id {
        Some(id) => {
            out.push('"');
            out.push_str(id.hyphenated().encode_lower(&mut Uuid::encode_buffer()));
            out.push('"');
        }
        None => out.push_str("null"),
    }
}

#[cfg(test)]
mod tests;
