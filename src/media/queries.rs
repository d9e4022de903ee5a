//! Reading storage media: site scope and visibility, in one place.

use entities::medium;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{Medium, MediumState};
use crate::error::AppError;
use crate::ids::{DeviceId, MediumId, SiteId};
use crate::pagination::{self, Page, PageParams};
use crate::principal::{Permission, Principal};
use crate::search::contains_ci;

#[derive(Debug, Default)]
pub struct Filter {
    pub state: Option<MediumState>,
    pub device_id: Option<DeviceId>,
    pub site_id: Option<SiteId>,
    /// Only media out of any device.
    pub loose: bool,
    /// Part of a serial number or asset tag.
    pub q: Option<String>,
}

pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: &Filter,
    page: &PageParams,
) -> Result<Page<Medium>, AppError> {
    principal.require(Permission::ReadInventory)?;
    let mut select = medium::Entity::find();
    if let Some(own) = principal.site_scope() {
        select = select.filter(medium::Column::SiteId.eq(own));
    }
    if let Some(site) = filter.site_id {
        select = select.filter(medium::Column::SiteId.eq(site.0));
    }
    if let Some(state) = filter.state {
        select = select.filter(medium::Column::State.eq(state.as_str()));
    }
    if let Some(device) = filter.device_id {
        select = select.filter(medium::Column::DeviceId.eq(device.0));
    }
    if filter.loose {
        select = select.filter(medium::Column::DeviceId.is_null());
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        select = select.filter(
            Condition::any()
                .add(contains_ci(medium::Column::SerialNumber, q))
                .add(contains_ci(medium::Column::AssetTag, q)),
        );
    }
    let page = pagination::fetch(db, select, medium::Column::Id, page, |m| m.id).await?;
    Ok(Page {
        items: page
            .items
            .into_iter()
            .map(Medium::try_from)
            .collect::<Result<_, _>>()?,
        next_cursor: page.next_cursor,
    })
}

/// The media in a device now, and those taken out of it (the caller checked
/// that the principal sees the device).
pub async fn of_device(
    db: &impl ConnectionTrait,
    device: DeviceId,
) -> Result<Vec<Medium>, AppError> {
    medium::Entity::find()
        .filter(
            Condition::any()
                .add(medium::Column::DeviceId.eq(device.0))
                .add(medium::Column::SourceDeviceId.eq(device.0)),
        )
        .order_by_asc(medium::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Medium::try_from)
        .collect()
}

/// A medium the principal may see.
pub async fn visible(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: MediumId,
) -> Result<medium::Model, AppError> {
    principal.require(Permission::ReadInventory)?;
    let row = medium::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    principal.check_site(row.site_id)?;
    Ok(row)
}

pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: MediumId,
) -> Result<Medium, AppError> {
    visible(db, principal, id).await?.try_into()
}

/// A medium, read inside a write (no access check: the caller made it).
pub async fn load(db: &impl ConnectionTrait, id: MediumId) -> Result<Medium, AppError> {
    crate::ledger::projection::row::<medium::Entity>(db, id.0)
        .await?
        .try_into()
}

/// The rows of the media in these devices now, by asset tag (the caller
/// checked that the principal sees the devices).
pub async fn rows_in_devices(
    db: &impl ConnectionTrait,
    devices: &[uuid::Uuid],
) -> Result<Vec<medium::Model>, AppError> {
    Ok(medium::Entity::find()
        .filter(medium::Column::DeviceId.is_in(devices.to_vec()))
        .order_by_asc(medium::Column::AssetTag)
        .all(db)
        .await?)
}

/// Of these media, the rows `principal` may see, by id.
pub async fn visible_rows(
    db: &impl ConnectionTrait,
    principal: &Principal,
    ids: &[uuid::Uuid],
) -> Result<std::collections::HashMap<uuid::Uuid, medium::Model>, AppError> {
    principal.require(Permission::ReadInventory)?;
    Ok(medium::Entity::find()
        .filter(medium::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .filter(|m| principal.can_see_site(m.site_id))
        .map(|m| (m.id, m))
        .collect())
}
