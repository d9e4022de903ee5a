//! Applying an event to the tables the API reads. This is the only code that
//! writes projections, both when an event is first recorded and when the
//! ledger is replayed into an empty database — so the two cannot disagree.

use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PrimaryKeyTrait,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::Event;
use super::change::{Change, Updated};
use crate::{
    auth, certificates, devices, donors, erasure, lots, media, sites, stock_audits, users,
};
use entities::{device, donor, lot, medium, site, user};

pub async fn apply(
    conn: &impl ConnectionTrait,
    event: &Event,
    change: &Change,
) -> Result<(), DbErr> {
    match change {
        Change::SiteCreated(new) => sites::apply_created(conn, event, new).await,
        Change::SiteUpdated(update) => apply_changes::<site::Entity, _>(conn, event, update).await,
        Change::DonorCreated(new) => donors::apply_created(conn, event, new).await,
        Change::DonorUpdated(update) => {
            apply_changes::<donor::Entity, _>(conn, event, update).await
        }
        Change::LotCreated(new) => lots::apply_created(conn, event, new).await,
        Change::LotUpdated(update) => apply_changes::<lot::Entity, _>(conn, event, update).await,
        Change::DeviceRegistered(new) => devices::apply_registered(conn, event, new).await,
        Change::DeviceUpdated(update) => {
            apply_changes::<device::Entity, _>(conn, event, update).await
        }
        Change::DeviceTransitioned(t) => devices::apply_transitioned(conn, event, t).await,
        Change::MediumAdded(new) => media::apply_added(conn, event, new).await,
        Change::MediumUpdated(update) => {
            apply_changes::<medium::Entity, _>(conn, event, update).await
        }
        Change::MediumTransitioned(t) => media::apply_transitioned(conn, event, t).await,
        Change::ErasureRecorded(record) => erasure::apply_recorded(conn, event, record).await,
        Change::CertificateIssued(issued) => certificates::apply_issued(conn, event, issued).await,
        Change::UserCreated(new) => users::apply_created(conn, event, new).await,
        Change::UserUpdated(update) => apply_changes::<user::Entity, _>(conn, event, update).await,
        Change::TokenCreated(new) => auth::routes::apply_token_created(conn, event, new).await,
        Change::TokenRevoked(_) => auth::routes::apply_token_revoked(conn, event).await,
        Change::StockAuditStarted(new) => stock_audits::apply_started(conn, event, new).await,
        Change::StockAuditScanned(scan) => stock_audits::apply_scanned(conn, event, scan).await,
        Change::StockAuditClosed(closed) => stock_audits::apply_closed(conn, event, closed).await,
        // Facts about the ledger or about credentials: no projection to change.
        Change::UserPasswordSet(_) | Change::Checkpoint(_) => Ok(()),
    }
}

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

/// Merges the changed fields into the row, with the event's version and time.
/// The fields of every `…Changes` type are named and encoded as the columns.
async fn apply_changes<E, C>(
    conn: &impl ConnectionTrait,
    event: &Event,
    update: &Updated<C>,
) -> Result<(), DbErr>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
    E::Model: Serialize + DeserializeOwned + IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    C: Serialize,
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
    merged.into_active_model().reset_all().update(conn).await?;
    Ok(())
}
