//! The history of one or more subjects (a device and its media), oldest first.

use entities::event;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::Event;
use crate::error::AppError;
use crate::pagination::MAX_LIMIT;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryPage {
    /// Events after this `seq` (the previous page's `next_cursor`).
    pub after_seq: Option<i64>,
    /// How many (1 to 500, default 100).
    pub limit: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct History {
    /// Oldest first.
    pub items: Vec<Event>,
    /// The `after_seq` of the next page; `null` at the end.
    pub next_cursor: Option<String>,
}

/// Events about any of `subjects`, in ledger order.
pub async fn of(
    db: &impl ConnectionTrait,
    subjects: Option<Vec<Uuid>>,
    page: &HistoryPage,
) -> Result<History, AppError> {
    let limit = page.limit.unwrap_or(100);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(AppError::field(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        ));
    }
    let mut select =
        event::Entity::find().filter(event::Column::Seq.gt(page.after_seq.unwrap_or(0)));
    if let Some(subjects) = subjects {
        select = select.filter(event::Column::SubjectId.is_in(subjects));
    }
    let rows = select
        .order_by_asc(event::Column::Seq)
        .limit(limit)
        .all(db)
        .await?;
    let full = rows.len() as u64 == limit;
    let items: Vec<Event> = rows.into_iter().filter_map(Event::from_row).collect();
    let next_cursor = if full {
        items.last().map(|e| e.seq.to_string())
    } else {
        None
    };
    Ok(History { items, next_cursor })
}

/// Every event after `seq`, in order: what one write job recorded.
pub async fn since(db: &impl ConnectionTrait, seq: i64) -> Result<Vec<Event>, AppError> {
    let rows = event::Entity::find()
        .filter(event::Column::Seq.gt(seq))
        .order_by_asc(event::Column::Seq)
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(Event::from_row).collect())
}
