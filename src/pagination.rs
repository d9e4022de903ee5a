//! Keyset pagination for every list: `limit` + an opaque `cursor`, answered
//! as `{"items": [...], "next_cursor": ...}`. Ids are UUIDv7, so ordering by
//! id is ordering by creation, and a cursor stays valid while rows are added.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::error::AppError;

pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 500;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// How many items to return (1 to 500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page (the id of its last item).
    #[param(value_type = Option<uuid::Uuid>)]
    pub cursor: Option<String>,
}

/// A page's `limit`: `default` when absent, refused outside 1 to [`MAX_LIMIT`].
fn limit(asked: Option<u64>, default: u64) -> Result<u64, AppError> {
    match asked {
        None => Ok(default),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(AppError::bound(
            "limit",
            "range",
            format!("must be between 1 and {MAX_LIMIT}"),
        )),
    }
}

impl PageParams {
    fn limit(&self) -> Result<u64, AppError> {
        limit(self.limit, DEFAULT_LIMIT)
    }

    fn cursor(&self) -> Result<Option<Uuid>, AppError> {
        self.cursor
            .as_deref()
            .map(|c| {
                Uuid::parse_str(c)
                    .map_err(|_| AppError::field("cursor", "is not a cursor this API gave out"))
            })
            .transpose()
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// One page of `select`, ordered by the `id` column.
pub async fn fetch<E, C>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    id: C,
    params: &PageParams,
    id_of: impl Fn(&E::Model) -> Uuid,
) -> Result<Page<E::Model>, AppError>
where
    E: EntityTrait,
    C: ColumnTrait,
{
    let limit = params.limit()?;
    let mut select = select.order_by_asc(id).limit(limit + 1);
    if let Some(after) = params.cursor()? {
        select = select.filter(id.gt(after));
    }
    let mut items = select.all(db).await?;
    let next_cursor = if items.len() as u64 > limit {
        items.truncate(limit as usize);
        items.last().map(|m| id_of(m).to_string())
    } else {
        None
    };
    Ok(Page { items, next_cursor })
}

impl<T> Page<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }
}

/// A page of the ledger's history: `after_seq` + `limit`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryPage {
    /// Events after this `seq` (the previous page's `next_cursor`).
    #[param(minimum = 0)]
    pub after_seq: Option<i64>,
    /// How many (1 to 500, default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
}

impl HistoryPage {
    /// The events of this page about any of `subjects` (every event without).
    pub async fn fetch(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        subjects: Option<Vec<Uuid>>,
    ) -> Result<crate::ledger::history::History, AppError> {
        let limit = limit(self.limit, 100)?;
        let after_seq = self.after_seq.unwrap_or(0);
        if after_seq < 0 {
            return Err(AppError::bound(
                "after_seq",
                "range",
                "must not be negative",
            ));
        }
        Ok(crate::ledger::history::of(db, subjects, after_seq, limit).await?)
    }
}
