//! The one way a record's fields change: at the version the client read,
//! as an `….updated` event, answered with the row as the event left it.

use sea_orm::{EntityTrait, PrimaryKeyTrait};

use super::change::Updated;
use super::{Change, Subject, Tx, check_version, projection};
use crate::error::AppError;
use crate::ids::SiteId;
use entities::{device, donor, lot, medium, site, user};

/// Rows that carry an optimistic-lock version.
pub trait Versioned {
    fn version(&self) -> i64;
}

macro_rules! versioned {
    ($($model:ty),*) => {
        $(impl Versioned for $model {
            fn version(&self) -> i64 {
                self.version
            }
        })*
    };
}

versioned!(
    site::Model,
    donor::Model,
    lot::Model,
    device::Model,
    medium::Model,
    user::Model
);

/// Records `changes` to the row `subject` if it is at version `expected`.
/// `scope` sees the current row first: it refuses what the caller may not
/// change and names the site the event belongs to.
pub async fn record<E, C>(
    tx: &mut Tx,
    subject: Subject,
    expected: i64,
    changes: C,
    wrap: fn(Updated<C>) -> Change,
    scope: impl FnOnce(&E::Model) -> Result<Option<SiteId>, AppError>,
) -> Result<E::Model, AppError>
where
    E: EntityTrait,
    E::Model: Versioned,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<uuid::Uuid>,
{
    let row = E::find_by_id(subject.id)
        .one(tx.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    let site = scope(&row)?;
    check_version(row.version(), expected)?;
    let update = Updated {
        version: row.version() + 1,
        changes,
    };
    tx.record(site, subject, wrap(update)).await?;
    Ok(projection::row::<E>(tx.conn(), subject.id).await?)
}
