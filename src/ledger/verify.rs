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

/// Events read per query: bounded memory whatever the size of the ledger.
const PAGE: u64 = 2000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub events: i64,
    pub head: String,
    pub checkpoints: u64,
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
            check_event(&row, &prev_hash, key, &mut checkpoints).map_err(|reason| {
                Failure::BadEvent {
                    seq: row.seq,
                    reason,
                }
            })?;
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
    })
}

/// The hash a stored event should have, from its row and parsed payload.
pub fn hash_of(
    row: &event::Model,
    payload: &serde_json::Value,
) -> Result<String, chain::ChainError> {
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
    let hash = hash_of(row, &payload).map_err(|e| e.to_string())?;
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
