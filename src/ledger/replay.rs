//! Rebuilding projections from the ledger alone. Used to check that the
//! tables the API reads are exactly what the events say (the property and
//! upgrade tests do this), to move an instance to another database, and to
//! recover from a damaged one.

use entities::{event, event_personal_field, ledger_head};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use super::payload::{Catalogue, DecodeError};
use super::{Error, Event, personal};

use crate::db::conn::Conn;

/// Events read and applied per transaction.
const PAGE: u64 = 2_000;
/// Events per `INSERT`: eleven columns each stay well under SQLite's
/// (32,766) and PostgreSQL's (65,535) bound on a statement's parameters.
const INSERT_ROWS: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error(transparent)]
    Ledger(#[from] Error),
    #[error(transparent)]
    Event(#[from] DecodeError),
    #[error("seq {0} is unreadable")]
    Unreadable(i64),
}

impl From<sea_orm::DbErr> for ReplayError {
    fn from(err: sea_orm::DbErr) -> Self {
        Self::Ledger(Error::from(err))
    }
}

/// Copies every event of `source` into the empty, migrated `target`, applies
/// each to `target`'s projections with the payload type of its kind and
/// version, in order, and leaves `target`'s head at the last one: the target
/// is then a ledger that takes new events.
pub async fn replay_into(
    source: &impl ConnectionTrait,
    target: &DatabaseConnection,
    catalogue: &Catalogue,
) -> Result<u64, ReplayError> {
    let mut count = 0;
    let mut after = 0;
    loop {
        let rows = event::Entity::find()
            .filter(event::Column::Seq.gt(after))
            .order_by_asc(event::Column::Seq)
            .limit(PAGE)
            .all(source)
            .await?;
        let Some(last) = rows.last() else {
            return Ok(count);
        };
        let first = rows[0].seq;
        after = last.seq;
        let txn = Conn::new(target.begin().await?, None);
        // What the events say of people, beside them: copied as it is, and
        // merged into each payload before it is projected.
        let beside = personal::rows_between(source, first, after).await?;
        let mut events = rows
            .iter()
            .map(|row| Event::from_row(row.clone()).ok_or(ReplayError::Unreadable(row.seq)))
            .collect::<Result<Vec<_>, _>>()?;
        personal::attach_rows(&mut events, &beside);
        if !beside.is_empty() {
            event_personal_field::Entity::insert_many(
                beside
                    .into_iter()
                    .map(|row| row.into_active_model().reset_all()),
            )
            .exec(&txn)
            .await?;
        }
        // The events go in a few statements, not one each: no projection
        // reads the event table, so a page's events may precede their
        // projection inside its transaction.
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            event::Entity::insert_many(
                rows.by_ref()
                    .take(INSERT_ROWS)
                    .map(|row| row.into_active_model().reset_all()),
            )
            .exec(&txn)
            .await?;
        }
        let mut head = None;
        for event in events {
            catalogue.replay(&txn, &event).await?;
            head = Some((event.seq, event.hash));
            count += 1;
        }
        if let Some((seq, hash)) = head {
            ledger_head::ActiveModel {
                id: Set(1),
                seq: Set(seq),
                hash: Set(hash),
            }
            .update(&txn)
            .await?;
        }
        txn.into_transaction().commit().await?;
    }
}
