//! Reading allocations and complaints: a site's users see their site's.
//! Nothing here reads a beneficiary's personal data: an allocation names its
//! beneficiary by reference.

use entities::{allocation, beneficiary, device};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{Acceptance, Allocation, AllocationState, Conditions, ReturnDetails};
use crate::error::AppError;
use crate::ids::{AllocationId, BeneficiaryId, DeviceId, SiteId};
use crate::pagination::{self, Page, PageParams};
use crate::principal::{Permission, Principal};
use crate::state::Tx;

mod complaints;
mod quality;

pub use complaints::{complaint_from_row, complaints};
pub use quality::{
    NonConformity, TakenBack, device_events_during, non_conformity, taken_back_for_recycling,
};

/// Rows as the API shows them, with their devices' tags and beneficiaries'
/// references read in two queries.
pub async fn shape(
    conn: &impl ConnectionTrait,
    rows: Vec<allocation::Model>,
) -> Result<Vec<Allocation>, AppError> {
    let devices: Vec<uuid::Uuid> = rows.iter().map(|r| r.device_id).collect();
    let beneficiaries: Vec<uuid::Uuid> = rows.iter().map(|r| r.beneficiary_id).collect();
    let tags: std::collections::HashMap<uuid::Uuid, String> = device::Entity::find()
        .select_only()
        .column(device::Column::Id)
        .column(device::Column::AssetTag)
        .filter(device::Column::Id.is_in(devices))
        .into_tuple()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let references: std::collections::HashMap<uuid::Uuid, String> = beneficiary::Entity::find()
        .select_only()
        .column(beneficiary::Column::Id)
        .column(beneficiary::Column::Reference)
        .filter(beneficiary::Column::Id.is_in(beneficiaries))
        .into_tuple()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    rows.into_iter()
        .map(|row| {
            let conditions: Conditions = serde_json::from_value(row.conditions.clone())
                .map_err(|_| AppError::internal("unreadable allocation conditions"))?;
            let return_details: Option<ReturnDetails> = row
                .return_details
                .clone()
                .map(serde_json::from_value)
                .transpose()
                .map_err(|_| AppError::internal("unreadable return details"))?;
            let warranty_months = u8::try_from(row.warranty_months).unwrap_or(0);
            Ok(Allocation {
                id: AllocationId(row.id),
                site_id: SiteId(row.site_id),
                device_id: DeviceId(row.device_id),
                asset_tag: tags.get(&row.device_id).cloned().unwrap_or_default(),
                beneficiary_id: BeneficiaryId(row.beneficiary_id),
                beneficiary_reference: references
                    .get(&row.beneficiary_id)
                    .cloned()
                    .unwrap_or_default(),
                state: AllocationState::parse(&row.state)
                    .ok_or_else(|| AppError::internal("unreadable allocation state"))?,
                conditions,
                warranty_months,
                delivered_at: row.delivered_at,
                warranty_until: row
                    .delivered_at
                    .map(|at| super::warranty_until(at.date_naive(), warranty_months)),
                closed_at: row.closed_at,
                return_details,
                acceptance: Acceptance::parse(&row.acceptance)
                    .ok_or_else(|| AppError::internal("unreadable acceptance"))?,
                accepted_at: row.accepted_at,
                version: row.version,
                created_at: row.created_at,
                updated_at: row.updated_at,
            })
        })
        .collect()
}

/// An allocation as `principal` may read it: what the beneficiary said of
/// a fault is the workshop's, not a funder's.
pub fn shown(principal: &Principal, mut allocation: Allocation) -> Allocation {
    if !principal.role.allows(Permission::ReadNotes)
        && let Some(details) = allocation.return_details.as_mut()
    {
        details.fault_description = None;
    }
    allocation
}

/// An allocation, unchecked (inside a write, or before a site check).
pub async fn load(conn: &impl ConnectionTrait, id: AllocationId) -> Result<Allocation, AppError> {
    let row = allocation::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    shape(conn, vec![row])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: AllocationId,
) -> Result<Allocation, AppError> {
    principal.require(Permission::ReadInventory)?;
    let allocation = load(db, id).await?;
    principal.check_site(allocation.site_id)?;
    Ok(shown(principal, allocation))
}

/// The allocation a device is reserved or delivered under, if any.
///
/// Read in the writer, after every transition that may move an allocation:
/// a device's allocations are few, and are read as the writer's hot reads are
/// (`db::conn::Conn::find_by`).
pub async fn open_for_device(
    tx: &Tx,
    device: DeviceId,
) -> Result<Option<allocation::Model>, AppError> {
    let open = super::rules::OPEN.map(AllocationState::as_str);
    Ok(tx
        .conn()
        .find_by::<allocation::Entity>(allocation::Column::DeviceId, device.0)
        .await?
        .into_iter()
        .find(|row| open.contains(&row.state.as_str())))
}

/// What a list of allocations may be narrowed to.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Filter {
    pub state: Option<AllocationState>,
    pub device_id: Option<DeviceId>,
    pub beneficiary_id: Option<BeneficiaryId>,
}

pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: &Filter,
    page: &PageParams,
) -> Result<Page<Allocation>, AppError> {
    principal.require(Permission::ReadInventory)?;
    let mut select = allocation::Entity::find();
    if let Some(own) = principal.site_scope() {
        select = select.filter(allocation::Column::SiteId.eq(own));
    }
    if let Some(state) = filter.state {
        select = select.filter(allocation::Column::State.eq(state.as_str()));
    }
    if let Some(device) = filter.device_id {
        select = select.filter(allocation::Column::DeviceId.eq(device.0));
    }
    if let Some(beneficiary) = filter.beneficiary_id {
        select = select.filter(allocation::Column::BeneficiaryId.eq(beneficiary.0));
    }
    let page = pagination::fetch(db, select, allocation::Column::Id, page, |m| m.id).await?;
    Ok(Page {
        items: shape(db, page.items)
            .await?
            .into_iter()
            .map(|a| shown(principal, a))
            .collect(),
        next_cursor: page.next_cursor,
    })
}

/// The latest allocations `principal` may see, newest first (the allocations page).
pub async fn latest(
    db: &impl ConnectionTrait,
    principal: &Principal,
    state: Option<AllocationState>,
    count: u64,
) -> Result<Vec<Allocation>, AppError> {
    principal.require(Permission::ReadInventory)?;
    let mut select = allocation::Entity::find();
    if let Some(own) = principal.site_scope() {
        select = select.filter(allocation::Column::SiteId.eq(own));
    }
    if let Some(state) = state {
        select = select.filter(allocation::Column::State.eq(state.as_str()));
    }
    let rows = select
        .order_by_desc(allocation::Column::Id)
        .limit(count)
        .all(db)
        .await?;
    Ok(shape(db, rows)
        .await?
        .into_iter()
        .map(|a| shown(principal, a))
        .collect())
}
