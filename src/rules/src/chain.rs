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
mod tests {
    use super::*;
    use serde_json::json;

    fn sample(payload: &Value) -> HashedEvent<'_> {
        HashedEvent {
            seq: 1,
            id: Uuid::nil(),
            at: "2026-11-22T10:00:00.000000Z".into(),
            actor_id: None,
            site_id: None,
            subject_type: "site",
            subject_id: Uuid::nil(),
            kind: "site.created",
            payload,
            prev_hash: GENESIS_HASH,
        }
    }

    #[test]
    fn a_payload_is_stored_as_its_rfc_8785_text() {
        let payload = json!({"b": 1, "a": [2.5, "é\u{2028}"], "c": {"z": null, "y": true}});
        assert_eq!(
            canonical_text(&payload).unwrap(),
            "{\"a\":[2.5,\"é\u{2028}\"],\"b\":1,\"c\":{\"y\":true,\"z\":null}}"
        );
    }

    #[test]
    fn the_hash_is_over_the_canonical_form_whatever_the_key_order() {
        let a = json!({"name": "Brest", "code": "BRE"});
        let b: Value = serde_json::from_str(r#"{ "code":"BRE",  "name":"Brest" }"#).unwrap();
        assert_eq!(
            compute_hash(&sample(&a)).unwrap(),
            compute_hash(&sample(&b)).unwrap()
        );
    }

    #[test]
    fn the_hash_matches_an_independent_computation() {
        // sha256(32 zero bytes ‖ JCS text), computed by hand once and frozen here.
        let payload = json!({"code": "BRE", "name": "Brest"});
        let jcs = r#"{"actor_id":null,"at":"2026-11-22T10:00:00.000000Z","id":"00000000-0000-0000-0000-000000000000","kind":"site.created","payload":{"code":"BRE","name":"Brest"},"prev_hash":"0000000000000000000000000000000000000000000000000000000000000000","seq":1,"site_id":null,"subject_id":"00000000-0000-0000-0000-000000000000","subject_type":"site"}"#;
        let mut hasher = Sha256::new();
        hasher.update([0u8; 32]);
        hasher.update(jcs.as_bytes());
        assert_eq!(
            compute_hash(&sample(&payload)).unwrap(),
            hex::encode(hasher.finalize())
        );
    }

    #[test]
    fn any_change_changes_the_hash() {
        let payload = json!({"code": "BRE"});
        let base = compute_hash(&sample(&payload)).unwrap();
        let mut other = sample(&payload);
        other.seq = 2;
        assert_ne!(compute_hash(&other).unwrap(), base);
        let changed = json!({"code": "BRF"});
        assert_ne!(compute_hash(&sample(&changed)).unwrap(), base);
    }

    #[test]
    fn times_keep_microseconds() {
        let at = DateTime::parse_from_rfc3339("2026-11-22T10:00:00.123456789Z")
            .unwrap()
            .to_utc();
        assert_eq!(
            format_time(truncate_to_micros(at)),
            "2026-11-22T10:00:00.123456Z"
        );
    }
}
