//! Recomputing the chain: every event's `seq` follows the previous one, its
//! `prev_hash` is the previous hash, its payload is stored in canonical form,
//! its hash is right, and every checkpoint's signature holds. A single byte
//! changed anywhere in an event is reported with the first bad `seq`.

use ed25519_dalek::VerifyingKey;
use entities::{event, ledger_head};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::chain::{self, GENESIS_HASH, HashedEvent};
use super::checkpoint::{self, Checkpoint};
use super::keys;
use super::redaction::{self, RedactedEvent};

/// Events read per query: bounded memory whatever the size of the ledger.
const PAGE: u64 = 2000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub events: i64,
    pub head: String,
    pub checkpoints: u64,
    /// The events redacted since they were written (docs/LEDGER.md).
    pub redacted: Vec<i64>,
}

impl std::fmt::Display for Report {
    /// `ok N events, head …`, or `ok N events, K redacted (seq a, b), head …`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ok {} events, ", self.events)?;
        if !self.redacted.is_empty() {
            let seqs: Vec<String> = self.redacted.iter().map(i64::to_string).collect();
            write!(
                f,
                "{} redacted (seq {}), ",
                self.redacted.len(),
                seqs.join(", ")
            )?;
        }
        write!(f, "head {}", self.head)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    #[error("bad seq {seq}: {reason}")]
    BadEvent { seq: i64, reason: String },
    #[error(
        "the ledger ends at seq {ledger_seq} but its head row says seq {head_seq}: events were removed or added outside Retrace"
    )]
    HeadMismatch { ledger_seq: i64, head_seq: i64 },
    #[error("cannot read the ledger: {0}")]
    Database(String),
}

impl Failure {
    /// The first bad `seq`, when one event is to blame.
    pub fn seq(&self) -> Option<i64> {
        match self {
            Self::BadEvent { seq, .. } => Some(*seq),
            _ => None,
        }
    }
}

/// Verifies the whole ledger. With `key`, checkpoint signatures are checked too.
pub async fn verify(
    db: &impl ConnectionTrait,
    key: Option<&VerifyingKey>,
) -> Result<Report, Failure> {
    let db_err = |e: sea_orm::DbErr| Failure::Database(e.to_string());
    let mut expected_seq = 1;
    let mut prev_hash = GENESIS_HASH.to_owned();
    let mut checkpoints = 0;
    let redactions = redaction::all(db).await.map_err(db_err)?;
    let mut redacted = Vec::new();
    loop {
        let rows = event::Entity::find()
            .filter(event::Column::Seq.gte(expected_seq))
            .order_by_asc(event::Column::Seq)
            .limit(PAGE)
            .all(db)
            .await
            .map_err(db_err)?;
        if rows.is_empty() {
            break;
        }
        for row in rows {
            if row.seq != expected_seq {
                return Err(Failure::BadEvent {
                    seq: expected_seq,
                    reason: format!("missing; the next event is seq {}", row.seq),
                });
            }
            let redaction = redactions.get(&row.seq);
            check_event(&row, &prev_hash, key, &mut checkpoints, redaction).map_err(|reason| {
                Failure::BadEvent {
                    seq: row.seq,
                    reason,
                }
            })?;
            if redaction.is_some() {
                redacted.push(row.seq);
            }
            prev_hash = row.hash;
            expected_seq += 1;
        }
    }
    let last = expected_seq - 1;
    let head = ledger_head::Entity::find_by_id(1)
        .one(db)
        .await
        .map_err(db_err)?;
    match head {
        Some(head) if head.seq == last && head.hash == prev_hash => {}
        Some(head) => {
            return Err(Failure::HeadMismatch {
                ledger_seq: last,
                head_seq: head.seq,
            });
        }
        None => {
            return Err(Failure::HeadMismatch {
                ledger_seq: last,
                head_seq: -1,
            });
        }
    }
    Ok(Report {
        events: last,
        head: prev_hash,
        checkpoints,
        redacted,
    })
}

/// The hash a stored event should have, from its row and its payload's
/// canonical text.
pub fn hash_of(row: &event::Model, payload: &str) -> Result<String, chain::ChainError> {
    chain::compute_hash(&HashedEvent {
        seq: row.seq,
        id: row.id,
        at: chain::format_time(row.at),
        actor_id: row.actor_id,
        site_id: row.site_id,
        subject_type: &row.subject_type,
        subject_id: row.subject_id,
        kind: &row.kind,
        payload,
        prev_hash: &row.prev_hash,
    })
}

fn check_event(
    row: &event::Model,
    prev_hash: &str,
    key: Option<&VerifyingKey>,
    checkpoints: &mut u64,
    redaction: Option<&(RedactedEvent, i64)>,
) -> Result<(), String> {
    if row.prev_hash != prev_hash {
        return Err(format!(
            "prev_hash {} is not the previous event's hash {prev_hash}",
            row.prev_hash
        ));
    }
    let payload: serde_json::Value =
        serde_json::from_str(&row.payload).map_err(|e| format!("payload is not JSON: {e}"))?;
    let canonical = chain::canonical_text(&payload).map_err(|e| e.to_string())?;
    if canonical != row.payload {
        return Err("payload is not stored in its canonical form".into());
    }
    let hash = hash_of(row, &canonical).map_err(|e| e.to_string())?;
    if let Some((redacted, said_at)) = redaction {
        // Its `hash` is the original, bound by the links; its content is
        // bound by the hash the redaction recorded.
        if *said_at <= row.seq || row.kind.starts_with("ledger.") {
            return Err(format!("redacted by seq {said_at}, which cannot redact it"));
        }
        if hash != redacted.redacted_hash {
            return Err(format!(
                "redacted by seq {said_at}, but its content is not what was left (expected {}, found {hash})",
                redacted.redacted_hash
            ));
        }
        let mut left = payload.clone();
        if !super::personal::remove(&mut left, &field_refs(&redacted.fields)).is_empty() {
            return Err(format!(
                "redacted by seq {said_at}, but still holds a field it removed"
            ));
        }
        return Ok(());
    }
    if hash != row.hash {
        return Err(format!(
            "hash {} does not match its content (expected {hash})",
            row.hash
        ));
    }
    if row.kind == <Checkpoint as super::Payload>::KIND {
        let checkpoint: Checkpoint =
            serde_json::from_value(payload).map_err(|e| format!("unreadable checkpoint: {e}"))?;
        if checkpoint.seq != row.seq - 1 || checkpoint.head_hash != prev_hash {
            return Err("checkpoint does not sign the head it follows".into());
        }
        if let Some(key) = key {
            let message = checkpoint::signed_message(
                checkpoint.seq,
                &checkpoint.head_hash,
                &checkpoint.signed_at,
            );
            if checkpoint.key_id != keys::key_id(key)
                || !keys::verify(key, &message, &checkpoint.signature)
            {
                return Err("checkpoint signature is not valid for this instance's key".into());
            }
        }
        *checkpoints += 1;
    }
    Ok(())
}

fn field_refs(fields: &[String]) -> Vec<&str> {
    fields.iter().map(String::as_str).collect()
}
