//! Checkpoints: the head of the chain signed with the instance key and
//! recorded as an event. An auditor who kept a checkpoint can later prove
//! that the history before it was not rewritten.
//!
//! The signed message is the canonical JSON
//! `{"head_hash":"…","seq":N,"signed_at":"…"}` of the head *before* the
//! checkpoint event itself.

use chrono::{Duration, Utc};
use entities::event;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::keys::InstanceKey;
use super::{Error, Event, Payload, Recorded, Subject, SubjectType, Tx, chain};

use crate::db::conn::Conn;

/// The payload of `ledger.checkpoint`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The last event covered.
    pub seq: i64,
    pub head_hash: String,
    pub signed_at: String,
    pub key_id: String,
    /// Ed25519 signature of the signed message, base64.
    pub signature: String,
}

impl Payload for Checkpoint {
    const KIND: &'static str = "ledger.checkpoint";
    const VERSION: u32 = 1;

    /// A fact about the ledger: no table to change.
    async fn project(&self, _: &Conn, _: &Event) -> Result<(), DbErr> {
        Ok(())
    }
}

/// The bytes a checkpoint's signature covers.
pub fn signed_message(seq: i64, head_hash: &str, signed_at: &str) -> Vec<u8> {
    chain::canonical_text(
        &serde_json::json!({ "seq": seq, "head_hash": head_hash, "signed_at": signed_at }),
    )
    .map(String::into_bytes)
    .unwrap_or_default()
}

/// Signs the current head and records it, inside the writer.
pub async fn record<E: From<Error> + Send + 'static>(
    tx: &mut Tx<E>,
    key: &InstanceKey,
) -> Result<Recorded, E> {
    let head = tx.head().clone();
    let signed_at = chain::format_time(chain::truncate_to_micros(Utc::now()));
    let signature = key.sign(&signed_message(head.seq, &head.hash, &signed_at));
    let checkpoint = Checkpoint {
        seq: head.seq,
        head_hash: head.hash,
        signed_at,
        key_id: key.key_id(),
        signature,
    };
    tx.record(
        None,
        Subject::new(SubjectType::LEDGER, Uuid::nil()),
        checkpoint,
    )
    .await
}

/// Whether a scheduled checkpoint is due: none in the last day, and events since the last one.
pub async fn is_due(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    let last_event = event::Entity::find()
        .order_by_desc(event::Column::Seq)
        .one(db)
        .await?;
    let Some(last_event) = last_event else {
        return Ok(false);
    };
    if last_event.kind == Checkpoint::KIND {
        return Ok(false);
    }
    let last_checkpoint = event::Entity::find()
        .filter(event::Column::Kind.eq(Checkpoint::KIND))
        .order_by_desc(event::Column::Seq)
        .one(db)
        .await?;
    Ok(last_checkpoint.is_none_or(|c| c.at < Utc::now() - Duration::days(1)))
}
