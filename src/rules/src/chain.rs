//! The hash chain: `hash = SHA-256(prev_hash ‖ JCS(event without hash))`.
//!
//! `prev_hash` enters as its 32 raw bytes; the event enters as its RFC 8785
//! canonical JSON, so anyone can recompute a hash with any JCS library
//! (see docs/LEDGER.md). The first event's `prev_hash` is 32 zero bytes.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The `prev_hash` of the first event, as stored (64 hex zeros).
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Exactly the fields that are hashed, in the shape an auditor sees them.
#[derive(Debug, Serialize)]
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
    pub payload: &'a Value,
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
    serde_jcs::to_string(value).map_err(|e| ChainError::Canonical(e.to_string()))
}

pub fn compute_hash(event: &HashedEvent<'_>) -> Result<String, ChainError> {
    let prev: [u8; 32] = hex::decode(event.prev_hash)
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(ChainError::BadPrevHash)?;
    let canonical = serde_jcs::to_vec(event).map_err(|e| ChainError::Canonical(e.to_string()))?;
    let mut hasher = Sha256::new();
    hasher.update(prev);
    hasher.update(&canonical);
    Ok(hex::encode(hasher.finalize()))
}

#[cfg(test)]
mod tests;
