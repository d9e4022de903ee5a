//! Partial updates: a field absent from a PATCH body is left alone, a field
//! sent as `null` is cleared. `Option<Option<T>>` with [`double_option`] tells
//! the two apart, and serializes back the same way into the ledger payload.

use sea_orm::{EntityTrait, PrimaryKeyTrait};
use serde::{Deserialize, Deserializer};

use crate::error::{AppError, check_version};
use crate::ids::SiteId;
use crate::ledger::projection::{self, Changes};
use crate::ledger::{Subject, Updated};
use crate::state::Tx;
use entities::{device, donor, lot, medium, site, timesheet_entry, user, worker};

/// `Some(None)` for an explicit `null`, `Some(Some(v))` for a value; use with
/// `#[serde(default, skip_serializing_if = "Option::is_none")]`.
pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Trims a free-text field; an empty or blank value means "none".
pub fn clean(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    struct Patch {
        #[serde(
            default,
            deserialize_with = "double_option",
            skip_serializing_if = "Option::is_none"
        )]
        note: Option<Option<String>>,
    }

    #[test]
    fn absent_null_and_value_are_three_different_things() {
        let absent: Patch = serde_json::from_str("{}").unwrap();
        let null: Patch = serde_json::from_str(r#"{"note":null}"#).unwrap();
        let value: Patch = serde_json::from_str(r#"{"note":"x"}"#).unwrap();
        assert_eq!(absent.note, None);
        assert_eq!(null.note, Some(None));
        assert_eq!(value.note, Some(Some("x".into())));
        assert_eq!(serde_json::to_string(&absent).unwrap(), "{}");
        assert_eq!(serde_json::to_string(&null).unwrap(), r#"{"note":null}"#);
    }
}
