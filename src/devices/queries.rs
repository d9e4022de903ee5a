//! Reading devices: site scope and visibility, the one place a device read
//! is filtered for the API, the pages and the writer's checks alike.

use entities::{device, medium};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::lifecycle::MediumFact;
use super::{Device, DeviceKind, DeviceState};
use crate::error::AppError;
use crate::ids::{DeviceId, LotId, SiteId};
use crate::media::MediumState;
use crate::pagination::{self, Page, PageParams};
use crate::principal::{Permission, Principal};
use crate::search::contains_ci;

#[derive(Debug, Default)]
pub struct Filter {
    pub state: Option<DeviceState>,
    pub kind: Option<DeviceKind>,
    pub lot_id: Option<LotId>,
    pub site_id: Option<SiteId>,
    /// Part of a serial number, asset tag or model.
    pub q: Option<String>,
}

pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: &Filter,
    page: &PageParams,
) -> Result<Page<Device>, AppError> {
    principal.require(Permission::ReadInventory)?;
    let mut select = device::Entity::find();
    if let Some(own) = principal.site_scope() {
        select = select.filter(device::Column::SiteId.eq(own));
    }
    if let Some(site) = filter.site_id {
        select = select.filter(device::Column::SiteId.eq(site.0));
    }
    if let Some(state) = filter.state {
        select = select.filter(device::Column::State.eq(state.as_str()));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(device::Column::Kind.eq(kind.as_str()));
    }
    if let Some(lot) = filter.lot_id {
        select = select.filter(device::Column::LotId.eq(lot.0));
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        select = select.filter(
            Condition::any()
                .add(contains_ci(device::Column::SerialNumber, q))
                .add(contains_ci(device::Column::AssetTag, q))
                .add(contains_ci(device::Column::Model, q)),
        );
    }
    let page = pagination::fetch(db, select, device::Column::Id, page, |m| m.id).await?;
    Ok(Page {
        items: page
            .items
            .into_iter()
            .map(Device::try_from)
            .collect::<Result<_, _>>()?,
        next_cursor: page.next_cursor,
    })
}

/// A device the principal may see; another site's is `404`, as if it did not exist.
pub async fn visible(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: DeviceId,
) -> Result<device::Model, AppError> {
    admitted(principal, device::Entity::find_by_id(id.0).one(db).await?)
}

/// The device `row` found, if `principal` may read it: one's own site's, or
/// any for network-wide users; `404` for another site's, as if it did not exist.
fn admitted(principal: &Principal, row: Option<device::Model>) -> Result<device::Model, AppError> {
    principal.require(Permission::ReadInventory)?;
    let row = row.ok_or(AppError::NotFound)?;
    principal.check_site(row.site_id)?;
    Ok(row)
}

pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: DeviceId,
) -> Result<Device, AppError> {
    visible(db, principal, id).await?.try_into()
}

/// [`get`], read straight from the SQLite file when there is one (`reader`):
/// a device's page and a script's lookups are, after scans, the commonest reads.
pub async fn get_from(
    db: &impl ConnectionTrait,
    reader: Option<&crate::db::reader::SqliteReader>,
    principal: &Principal,
    id: DeviceId,
) -> Result<Device, AppError> {
    let Some(reader) = reader else {
        return get(db, principal, id).await;
    };
    admitted(principal, crate::db::rows::device_by_id(reader, id.0)?)?.try_into()
}

/// A device, read inside a write (no access check: the caller made it).
pub async fn load(db: &impl ConnectionTrait, id: DeviceId) -> Result<Device, AppError> {
    crate::ledger::projection::row::<device::Entity>(db, id.0)
        .await?
        .try_into()
}

/// These devices, in this order (the caller checked that they may be seen).
pub async fn many(db: &impl ConnectionTrait, ids: &[DeviceId]) -> Result<Vec<Device>, AppError> {
    let mut found = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        for row in device::Entity::find()
            .filter(device::Column::Id.is_in(chunk.iter().map(|d| d.0)))
            .all(db)
            .await?
        {
            found.insert(row.id, row);
        }
    }
    ids.iter()
        .map(|id| found.remove(&id.0).ok_or(AppError::NotFound)?.try_into())
        .collect()
}

/// The devices of a lot, by asset tag (the lot page).
pub async fn of_lot(
    db: &impl ConnectionTrait,
    principal: &Principal,
    lot: LotId,
) -> Result<Vec<Device>, AppError> {
    rows_of_lot(db, principal, lot)
        .await?
        .into_iter()
        .map(Device::try_from)
        .collect()
}

/// The media in a device now, as the gates see them.
pub async fn media_facts(
    db: &impl ConnectionTrait,
    id: DeviceId,
) -> Result<Vec<MediumFact>, AppError> {
    let rows = medium::Entity::find()
        .filter(medium::Column::DeviceId.eq(id.0))
        .all(db)
        .await?;
    facts_of(rows)
}

/// What the lifecycle rules need of media rows.
pub fn facts_of(rows: Vec<medium::Model>) -> Result<Vec<MediumFact>, AppError> {
    rows.into_iter()
        .map(|m| {
            let state = MediumState::parse(&m.state)
                .ok_or_else(|| AppError::internal(format!("medium {} state", m.id)))?;
            Ok(MediumFact {
                id: m.id,
                asset_tag: m.asset_tag,
                serial_number: m.serial_number,
                state,
            })
        })
        .collect()
}

/// A device and the media in it or taken from it: the subjects of its history.
pub async fn history_subjects(
    db: &impl ConnectionTrait,
    id: DeviceId,
) -> Result<Vec<Uuid>, AppError> {
    let media: Vec<Uuid> = medium::Entity::find()
        .select_only()
        .column(medium::Column::Id)
        .filter(
            Condition::any()
                .add(medium::Column::DeviceId.eq(id.0))
                .add(medium::Column::SourceDeviceId.eq(id.0)),
        )
        .into_tuple()
        .all(db)
        .await?;
    // Its allocations: reserved, handed over, returned — by reference only.
    let allocations: Vec<Uuid> = entities::allocation::Entity::find()
        .select_only()
        .column(entities::allocation::Column::Id)
        .filter(entities::allocation::Column::DeviceId.eq(id.0))
        .into_tuple()
        .all(db)
        .await?;
    Ok(std::iter::once(id.0)
        .chain(media)
        .chain(allocations)
        .collect())
}

/// What anyone holding a label may read of the item: what it is, its system
/// and its workshop — no history, no donor, no beneficiary, nothing personal.
#[derive(Debug, Clone)]
pub struct PublicItem {
    pub asset_tag: String,
    pub kind: String,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub capacity_bytes: Option<i64>,
    pub os: Option<String>,
    pub is_medium: bool,
    pub site_id: SiteId,
}

/// The public card of a device or medium by its asset tag, for anyone.
pub async fn public_item(db: &impl ConnectionTrait, tag: &str) -> Result<PublicItem, AppError> {
    let tag = crate::tags::AssetTag::parse(tag)
        .map_err(|_| AppError::NotFound)?
        .to_string();
    if let Some(d) = device::Entity::find()
        .filter(device::Column::AssetTag.eq(&tag))
        .one(db)
        .await?
    {
        return Ok(PublicItem {
            asset_tag: tag,
            kind: d.kind,
            manufacturer: d.manufacturer,
            model: d.model,
            capacity_bytes: None,
            os: d.os,
            is_medium: false,
            site_id: SiteId(d.site_id),
        });
    }
    let m = medium::Entity::find()
        .filter(medium::Column::AssetTag.eq(&tag))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(PublicItem {
        asset_tag: tag,
        kind: m.kind,
        manufacturer: None,
        model: m.model,
        capacity_bytes: m.capacity_bytes,
        os: None,
        is_medium: true,
        site_id: SiteId(m.site_id),
    })
}

/// The rows of a lot's devices `principal` may see, by asset tag (labels).
pub async fn rows_of_lot(
    db: &impl ConnectionTrait,
    principal: &Principal,
    lot: LotId,
) -> Result<Vec<device::Model>, AppError> {
    use sea_orm::QueryOrder;
    principal.require(Permission::ReadInventory)?;
    let mut select = device::Entity::find().filter(device::Column::LotId.eq(lot.0));
    if let Some(own) = principal.site_scope() {
        select = select.filter(device::Column::SiteId.eq(own));
    }
    Ok(select
        .order_by_asc(device::Column::AssetTag)
        .all(db)
        .await?)
}

/// Of these devices, the rows `principal` may see, by id.
pub async fn visible_rows(
    db: &impl ConnectionTrait,
    principal: &Principal,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, device::Model>, AppError> {
    principal.require(Permission::ReadInventory)?;
    Ok(device::Entity::find()
        .filter(device::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .filter(|d| principal.can_see_site(d.site_id))
        .map(|d| (d.id, d))
        .collect())
}
