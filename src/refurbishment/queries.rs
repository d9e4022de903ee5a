//! Reading refurbishment work and harvested parts.

use entities::{device, device_work, part};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{Part, WorkRecord};
use crate::error::AppError;
use crate::ids::{DeviceId, PartId, SiteId};
use crate::principal::{Permission, Principal};

/// The work recorded on a device, oldest first.
pub async fn work_of(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: DeviceId,
) -> Result<Vec<WorkRecord>, AppError> {
    crate::devices::queries::visible(db, principal, id).await?;
    Ok(device_work::Entity::find()
        .filter(device_work::Column::DeviceId.eq(id.0))
        .order_by_asc(device_work::Column::RecordedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|row| WorkRecord {
            id: row.id,
            device_id: DeviceId(row.device_id),
            work: row.details,
            recorded_at: row.recorded_at,
            recorded_by: row.actor_id,
        })
        .collect())
}

async fn shape(conn: &impl ConnectionTrait, rows: Vec<part::Model>) -> Result<Vec<Part>, AppError> {
    let origins: Vec<uuid::Uuid> = rows.iter().map(|p| p.origin_device_id).collect();
    let tags: std::collections::HashMap<uuid::Uuid, String> = device::Entity::find()
        .select_only()
        .column(device::Column::Id)
        .column(device::Column::AssetTag)
        .filter(device::Column::Id.is_in(origins))
        .into_tuple()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|p| Part {
            id: PartId(p.id),
            site_id: SiteId(p.site_id),
            description: p.description,
            origin_device_id: DeviceId(p.origin_device_id),
            origin_asset_tag: tags.get(&p.origin_device_id).cloned().unwrap_or_default(),
            fitted_in_device_id: p.fitted_in_device_id.map(DeviceId),
            created_at: p.created_at,
        })
        .collect())
}

pub async fn load_part(conn: &impl ConnectionTrait, id: PartId) -> Result<Part, AppError> {
    let row = part::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    shape(conn, vec![row])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PartFilter {
    /// Only parts not fitted in a device yet.
    pub available: Option<bool>,
}

/// Harvested parts the principal may see, newest first (at most 500).
pub async fn parts(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: &PartFilter,
) -> Result<Vec<Part>, AppError> {
    principal.require(Permission::ReadInventory)?;
    let mut select = part::Entity::find();
    if let Some(own) = principal.site_scope() {
        select = select.filter(part::Column::SiteId.eq(own));
    }
    if filter.available == Some(true) {
        select = select.filter(part::Column::FittedInDeviceId.is_null());
    }
    let rows = select
        .order_by_desc(part::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    shape(db, rows).await
}
