//! Erasing a person: the one path every domain's erasure takes through the
//! ledger's surroundings. A domain decides who may erase whom and which
//! records concern the person (an account, a donor, a beneficiary and its
//! allocations); this takes what the events about those records say of
//! people from beside the chain (`ledger::personal`), redacts the events
//! written before that held it inline (`ledger::redaction`), and says so in
//! a `ledger.redacted` event.

use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::catalogue::catalogue;
use crate::error::AppError;
use crate::ledger::redaction::{self, Redacted, RedactedEvent};
use crate::ledger::{Event, history, personal};
use crate::state::Tx;

/// What an erasure took.
#[derive(Debug, Default)]
#[must_use = "the redactions must be recorded"]
pub struct Taken {
    /// Fields deleted from beside the chain.
    pub beside: u64,
    /// Events written before, redacted.
    pub redacted: Vec<RedactedEvent>,
}

impl Taken {
    pub fn is_empty(&self) -> bool {
        self.beside == 0 && self.redacted.is_empty()
    }

    /// Takes, too, the fields at `only` of `events` that name the person
    /// without being about them (an erasure's operator).
    pub async fn and_from(
        mut self,
        tx: &mut Tx,
        events: &[Event],
        only: &[&str],
    ) -> Result<Self, AppError> {
        let seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
        self.beside += personal::erase_events(tx.conn(), &seqs, only).await?;
        self.redacted
            .extend(redaction::redact(tx.conn(), catalogue(), events, Some(only)).await?);
        Ok(self)
    }

    /// Records the redactions, if any, as one `ledger.redacted` event.
    pub async fn record(self, tx: &mut Tx) -> Result<(), AppError> {
        if self.redacted.is_empty() {
            return Ok(());
        }
        tx.record(
            None,
            Redacted::subject(),
            Redacted {
                events: self.redacted,
                reason: "erasure on request".into(),
            },
        )
        .await?;
        Ok(())
    }
}

/// Takes what the events about `subjects` say of people: every personal
/// field, or only those at `only` (a company's contact, not its name).
pub async fn take(
    tx: &mut Tx,
    subjects: &[Uuid],
    only: Option<&[&str]>,
) -> Result<Taken, AppError> {
    let beside = personal::erase(tx.conn(), subjects, only).await?;
    forget_answers(tx, subjects).await?;
    let events = history::all_about(tx.conn(), subjects.to_vec()).await?;
    let redacted = redaction::redact(tx.conn(), catalogue(), &events, only).await?;
    Ok(Taken { beside, redacted })
}

/// Deletes the answers kept for retried requests (a day's worth) that are
/// about `subjects`: an answer naming a person would outlive their erasure.
/// A retry after it gets a new answer, as after the day.
async fn forget_answers(tx: &mut Tx, subjects: &[Uuid]) -> Result<(), AppError> {
    use entities::idempotency_key;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Condition};
    let mut about = Condition::any();
    for subject in subjects {
        about = about.add(idempotency_key::Column::Body.contains(subject.to_string()));
    }
    idempotency_key::Entity::delete_many()
        .filter(about)
        .exec(tx.conn())
        .await?;
    Ok(())
}

/// The tables an erasure may leave traces in, beyond a domain's own.
pub const TABLES: &[&str] = &["event_personal_fields", "events", "idempotency_keys"];

/// After an erasure is committed: what the storage engine still keeps of
/// the deleted rows goes too (see [`crate::db::scrub`]).
pub async fn scrub(db: &DatabaseConnection, own: &[&str]) -> Result<(), AppError> {
    let tables: Vec<&str> = TABLES.iter().chain(own).copied().collect();
    crate::db::scrub(db, &tables).await
}
