//! Erasing a person from events written before their personal fields were
//! held beside the chain (`super::personal`): those events carry them
//! inline, covered by their hash.
//!
//! A redaction removes the fields the kind declares personal from the stored
//! payload and keeps the event's `hash`, which the next event's `prev_hash`
//! and the checkpoints still bind. It is said by a `ledger.redacted` event
//! naming, for each event, its `seq`, the fields removed and the hash of the
//! event as it now is, so that `verify` checks a redacted event against that
//! hash and the chain's links through it (docs/LEDGER.md, "Redaction").

use entities::event;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::chain::{self, HashedEvent};
use super::payload::Catalogue;
use super::{Event, Payload, Subject, SubjectType, personal};

/// `ledger.redacted`: which events lost which personal fields, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redacted {
    pub events: Vec<RedactedEvent>,
    /// e.g. `erasure on request`, `retention period over`.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedactedEvent {
    pub seq: i64,
    /// The paths removed from its payload.
    pub fields: Vec<String>,
    /// The hash of the event as it is now stored (its `hash` column keeps
    /// the original one, which the chain links to).
    pub redacted_hash: String,
}

impl Payload for Redacted {
    const KIND: &'static str = "ledger.redacted";
    const VERSION: u32 = 1;

    async fn project(&self, _: &crate::db::conn::Conn, _: &Event) -> Result<(), DbErr> {
        Ok(())
    }
}

impl Redacted {
    /// The subject a redaction is recorded about: the ledger itself.
    pub fn subject() -> Subject {
        Subject::new(SubjectType::LEDGER, Uuid::nil())
    }
}

/// Removes from the stored payload of each of `events` the personal fields
/// its kind declares (only those at `only`, when given) that it still holds
/// inline, and answers what was removed, for the `ledger.redacted` event the
/// caller records in the same transaction. Events whose personal fields are
/// held beside the chain hold none inline, and are left as they are.
pub async fn redact(
    conn: &impl ConnectionTrait,
    catalogue: &Catalogue,
    events: &[Event],
    only: Option<&[&str]>,
) -> Result<Vec<RedactedEvent>, DbErr> {
    let mut redacted = Vec::new();
    for stored in events {
        let Some(entry) = catalogue.get(&stored.kind, stored.version()) else {
            continue;
        };
        let paths: Vec<&str> = entry
            .personal
            .iter()
            .copied()
            .filter(|path| only.is_none_or(|only| only.contains(path)))
            .collect();
        let mut payload = stored.payload.clone();
        let fields = personal::remove(&mut payload, &paths);
        if fields.is_empty() {
            continue;
        }
        let text = chain::canonical_text(&payload).map_err(|e| DbErr::Custom(e.to_string()))?;
        let redacted_hash = chain::compute_hash(&HashedEvent {
            seq: stored.seq,
            id: stored.id,
            at: chain::format_time(stored.at),
            actor_id: stored.actor_id,
            site_id: stored.site_id,
            subject_type: &stored.subject_type,
            subject_id: stored.subject_id,
            kind: &stored.kind,
            payload: &text,
            prev_hash: &stored.prev_hash,
        })
        .map_err(|e| DbErr::Custom(e.to_string()))?;
        event::Entity::update_many()
            .col_expr(event::Column::Payload, Expr::value(text))
            .filter(event::Column::Seq.eq(stored.seq))
            .exec(conn)
            .await?;
        redacted.push(RedactedEvent {
            seq: stored.seq,
            fields,
            redacted_hash,
        });
    }
    Ok(redacted)
}

/// What the ledger's `ledger.redacted` events say, read by `verify` before
/// it walks the chain: for each redacted `seq`, the latest redaction of it
/// (its fields, its hash as redacted) and the `seq` that said so.
pub(super) async fn all(
    db: &impl ConnectionTrait,
) -> Result<std::collections::BTreeMap<i64, (RedactedEvent, i64)>, DbErr> {
    let rows = event::Entity::find()
        .filter(event::Column::Kind.eq(Redacted::KIND))
        .order_by_asc(event::Column::Seq)
        .all(db)
        .await?;
    let mut redactions = std::collections::BTreeMap::new();
    for row in rows {
        // An unreadable one is reported by the walk, at its own seq.
        let Ok(said) = serde_json::from_str::<Redacted>(&row.payload) else {
            continue;
        };
        for event in said.events {
            redactions.insert(event.seq, (event, row.seq));
        }
    }
    Ok(redactions)
}
