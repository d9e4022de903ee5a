//! Rebuilding projections from the ledger alone. Used to check that the
//! tables the API reads are exactly what the events say (the property test
//! does this after random histories), and to recover from a damaged database.

use entities::event;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryOrder};

use super::{Change, Event, projection};
use crate::error::AppError;

/// Copies every event of `source` into the empty, migrated `target` and
/// applies each to `target`'s projections, in order.
pub async fn replay_into(
    source: &impl ConnectionTrait,
    target: &impl ConnectionTrait,
) -> Result<u64, AppError> {
    let rows = event::Entity::find()
        .order_by_asc(event::Column::Seq)
        .all(source)
        .await?;
    let mut count = 0;
    for row in rows {
        let event = Event::from_row(row.clone())
            .ok_or_else(|| AppError::internal(format!("seq {} is unreadable", row.seq)))?;
        let change = Change::from_parts(&event.kind, event.payload.clone())
            .map_err(|e| AppError::internal(format!("seq {}: {e}", event.seq)))?;
        row.into_active_model().reset_all().insert(target).await?;
        projection::apply(target, &event, &change).await?;
        count += 1;
    }
    Ok(count)
}
