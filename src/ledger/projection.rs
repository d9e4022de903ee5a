//! Helpers for the projections that payloads write: finding the row an
//! event is about, and the one shape of every `….updated` event — the
//! fields that changed, merged into the row at the new version.

use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ConnectionTrait, DatabaseTransaction, DbErr,
    EntityTrait, IntoActiveModel, PrimaryKeyTrait,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Event, Payload};

use crate::db::conn::Conn;

/// The row with this id, which an event about it needs to exist.
pub async fn row<E>(conn: &impl ConnectionTrait, id: Uuid) -> Result<E::Model, DbErr>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    E::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("{} {id}", E::default().table_name())))
}

/// The fields of a record that an `….updated` event changes, named and
/// encoded as the record's columns; `null` clears one.
pub trait Changes: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// e.g. `site.updated`.
    const KIND: &'static str;
    /// The version of the payload: a new field is a new version.
    const VERSION: u32 = 1;
    /// The fields that name or describe people, as paths into the
    /// `….updated` payload (`changes.notes`): [`super::Payload::PERSONAL`].
    const PERSONAL: &'static [&'static str] = &[];
    /// The table the record lives in.
    type Entity: EntityTrait<
            Model: Serialize
                       + DeserializeOwned
                       + IntoActiveModel<<Self::Entity as EntityTrait>::ActiveModel>,
            ActiveModel: ActiveModelTrait<Entity = Self::Entity> + ActiveModelBehavior + Send,
            PrimaryKey: PrimaryKeyTrait<ValueType: From<Uuid>>,
        >;

    /// What else follows from the change once the row is merged, such as a
    /// summary projection keeping up (`devices::tallies`). Nothing by default.
    fn follow(
        conn: &Conn,
        before: &<Self::Entity as EntityTrait>::Model,
        after: &<Self::Entity as EntityTrait>::Model,
    ) -> impl Future<Output = Result<(), DbErr>> + Send {
        let _ = (conn, before, after);
        async { Ok(()) }
    }
}

/// A change to a record: its new version and the fields that changed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Updated<C> {
    pub version: i64,
    pub changes: C,
}

impl<C: Changes> Payload for Updated<C> {
    const KIND: &'static str = C::KIND;
    const VERSION: u32 = C::VERSION;
    const PERSONAL: &'static [&'static str] = C::PERSONAL;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        merge_changes::<C::Entity, C>(conn, event, self).await
    }
}

/// Merges the changed fields into the row, with the event's version and time.
async fn merge_changes<E, C>(conn: &Conn, event: &Event, update: &Updated<C>) -> Result<(), DbErr>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
    E::Model: Serialize + DeserializeOwned + IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    C: Changes<Entity = E>,
{
    let json_err = |e: serde_json::Error| DbErr::Json(e.to_string());
    let current = row::<E>(conn, event.subject_id).await?;
    let mut merged = serde_json::to_value(&current).map_err(json_err)?;
    let changes = serde_json::to_value(&update.changes).map_err(json_err)?;
    if let (Some(target), Some(changes)) = (merged.as_object_mut(), changes.as_object()) {
        for (field, value) in changes {
            target.insert(field.clone(), value.clone());
        }
        target.insert("version".into(), update.version.into());
        target.insert(
            "updated_at".into(),
            serde_json::to_value(event.at).map_err(json_err)?,
        );
    }
    let merged: E::Model = serde_json::from_value(merged).map_err(json_err)?;
    let after = merged.into_active_model().reset_all().update(conn).await?;
    C::follow(conn, &current, &after).await
}

/// Whether a migration asked for `projection` to be derived at start-up
/// (`pending_rebuilds`: a table new to an instance that already had data).
pub async fn rebuild_pending(
    db: &impl sea_orm::ConnectionTrait,
    projection: &str,
) -> Result<bool, DbErr> {
    Ok(entities::pending_rebuild::Entity::find_by_id(projection)
        .one(db)
        .await?
        .is_some())
}

/// Marks `projection` derived, in the transaction that derived it.
pub async fn rebuilt(txn: &DatabaseTransaction, projection: &str) -> Result<(), DbErr> {
    entities::pending_rebuild::Entity::delete_by_id(projection)
        .exec(txn)
        .await?;
    Ok(())
}
