//! The one way a record's fields change, as an `….updated` event.

use sea_orm::{EntityTrait, PrimaryKeyTrait};

use crate::error::{AppError, check_version};
use crate::ids::SiteId;
use crate::ledger::projection::{self, Changes};
use crate::ledger::{Subject, Updated};
use crate::state::Tx;
use entities::{device, donor, lot, medium, site, timesheet_entry, user, worker};

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
    user::Model,
    worker::Model,
    timesheet_entry::Model
);

/// The one way a record's fields change: `changes` to the row `subject`, if
/// it is at version `expected`, as an `….updated` event; answered with the
/// row as the event left it. `scope` sees the current row first: it refuses
/// what the caller may not change and names the site the event belongs to.
pub async fn record_changes<C: Changes>(
    tx: &mut Tx,
    subject: Subject,
    expected: i64,
    changes: C,
    scope: impl FnOnce(&<C::Entity as EntityTrait>::Model) -> Result<Option<SiteId>, AppError>,
) -> Result<<C::Entity as EntityTrait>::Model, AppError>
where
    <C::Entity as EntityTrait>::Model: Versioned,
    <<C::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<uuid::Uuid>,
{
    let row = C::Entity::find_by_id(subject.id)
        .one(tx.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    let site = scope(&row)?;
    check_version(row.version(), expected)?;
    let update = Updated {
        version: row.version() + 1,
        changes,
    };
    tx.record(site, subject, update).await?;
    Ok(projection::row::<C::Entity>(tx.conn(), subject.id).await?)
}
