//! The history of one or more subjects (a device and its media), oldest first.

use entities::event;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::Event;

#[derive(Debug, Serialize, ToSchema)]
pub struct History {
    /// Oldest first.
    pub items: Vec<Event>,
    /// The `after_seq` of the next page; `null` at the end.
    pub next_cursor: Option<String>,
}

/// At most `limit` events after `after_seq` about any of `subjects` (all
/// events without subjects), in ledger order.
pub async fn of(
    db: &impl ConnectionTrait,
    subjects: Option<Vec<Uuid>>,
    after_seq: i64,
    limit: u64,
) -> Result<History, DbErr> {
    let mut select = event::Entity::find().filter(event::Column::Seq.gt(after_seq));
    if let Some(subjects) = subjects {
        select = select.filter(event::Column::SubjectId.is_in(subjects));
    }
    let rows = select
        .order_by_asc(event::Column::Seq)
        .limit(limit)
        .all(db)
        .await?;
    let full = rows.len() as u64 == limit;
    let mut items: Vec<Event> = rows.into_iter().filter_map(Event::from_row).collect();
    super::personal::attach(db, &mut items).await?;
    let next_cursor = if full {
        items.last().map(|e| e.seq.to_string())
    } else {
        None
    };
    Ok(History { items, next_cursor })
}

/// Every event about any of `subjects`, in ledger order: what a person's
/// access request answers (a person's records have tens of events, not
/// millions: one query).
pub async fn all_about(
    db: &impl ConnectionTrait,
    subjects: Vec<Uuid>,
) -> Result<Vec<Event>, DbErr> {
    let rows = event::Entity::find()
        .filter(event::Column::SubjectId.is_in(subjects))
        .order_by_asc(event::Column::Seq)
        .all(db)
        .await?;
    let mut events: Vec<Event> = rows.into_iter().filter_map(Event::from_row).collect();
    super::personal::attach(db, &mut events).await?;
    Ok(events)
}

/// Every event after `seq`, in order: what one write job recorded.
pub async fn since(db: &impl ConnectionTrait, seq: i64) -> Result<Vec<Event>, DbErr> {
    let rows = event::Entity::find()
        .filter(event::Column::Seq.gt(seq))
        .order_by_asc(event::Column::Seq)
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(Event::from_row).collect())
}
