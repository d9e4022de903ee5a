//! Reading allocations and complaints: a site's users see their site's.
//! Nothing here reads a beneficiary's personal data: an allocation names its
//! beneficiary by reference.

use chrono::NaiveDate;
use entities::{allocation, beneficiary, complaint, device};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    Acceptance, Allocation, AllocationState, Complaint, Conditions, ReturnDetails,
    working_days_after,
};
use crate::error::AppError;
use crate::ids::{AllocationId, BeneficiaryId, ComplaintId, DeviceId, SiteId};
use crate::pagination::{self, Page, PageParams};
use crate::principal::{Permission, Principal};

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
pub async fn open_for_device(
    conn: &impl ConnectionTrait,
    device: DeviceId,
) -> Result<Option<allocation::Model>, AppError> {
    Ok(allocation::Entity::find()
        .filter(allocation::Column::DeviceId.eq(device.0))
        .filter(allocation::Column::State.is_in(super::rules::OPEN.map(AllocationState::as_str)))
        .one(conn)
        .await?)
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

pub fn complaint_from_row(row: complaint::Model) -> Complaint {
    Complaint {
        id: ComplaintId(row.id),
        site_id: SiteId(row.site_id),
        allocation_id: AllocationId(row.allocation_id),
        received_on: row.received_on,
        description: row.description,
        answered_on: row.answered_on,
        answer: row.answer,
        answer_due_on: working_days_after(row.received_on, 8),
        version: row.version,
    }
}

/// The complaints about an allocation, oldest first: what a beneficiary
/// said and what the workshop answered, for the workshop only (a funder
/// reads their counts in the non-conformity figures).
pub async fn complaints(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: AllocationId,
) -> Result<Vec<Complaint>, AppError> {
    principal.require(Permission::ReadNotes)?;
    get(db, principal, id).await?;
    Ok(complaint::Entity::find()
        .filter(complaint::Column::AllocationId.eq(id.0))
        .order_by_asc(complaint::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(complaint_from_row)
        .collect())
}

/// The non-conformity rate of a period: devices returned with a fault under
/// warranty, over devices delivered, both counted in the period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NonConformity {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub deliveries: u64,
    pub returns_under_warranty: u64,
    /// `null` when nothing was delivered.
    pub rate: Option<f64>,
    /// Complaints received in the period, and how many were answered within
    /// 8 working days.
    pub complaints: u64,
    pub complaints_answered_in_time: u64,
}

/// The bounds of a period of whole days, `to` included.
pub async fn non_conformity(
    db: &impl ConnectionTrait,
    principal: &Principal,
    from: NaiveDate,
    to: NaiveDate,
    site: Option<crate::ids::SiteId>,
) -> Result<NonConformity, AppError> {
    principal.require(Permission::ReadInventory)?;
    if to < from {
        return Err(AppError::field("to", "must not be before `from`"));
    }
    let scope = principal.read_scope(site)?;
    let (start, end) = crate::reports::Period { from, to }.bounds();
    let mut delivered = allocation::Entity::find()
        .filter(allocation::Column::DeliveredAt.gte(start))
        .filter(allocation::Column::DeliveredAt.lt(end));
    let mut returned = allocation::Entity::find()
        .filter(allocation::Column::State.eq(AllocationState::Returned.as_str()))
        .filter(allocation::Column::ClosedAt.gte(start))
        .filter(allocation::Column::ClosedAt.lt(end));
    let mut received = complaint::Entity::find()
        .filter(complaint::Column::ReceivedOn.gte(from))
        .filter(complaint::Column::ReceivedOn.lte(to));
    if let Some(site) = scope {
        delivered = delivered.filter(allocation::Column::SiteId.eq(site));
        returned = returned.filter(allocation::Column::SiteId.eq(site));
        received = received.filter(complaint::Column::SiteId.eq(site));
    }
    let deliveries = delivered.count(db).await?;
    let returns_under_warranty = returned
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| row.return_details)
        .filter_map(|details| serde_json::from_value::<ReturnDetails>(details).ok())
        .filter(|d| d.reason == super::ReturnReason::WarrantyFault && d.under_warranty)
        .count() as u64;
    let complaints = received.all(db).await?;
    let in_time = complaints
        .iter()
        .filter(|c| {
            c.answered_on
                .is_some_and(|answered| answered <= working_days_after(c.received_on, 8))
        })
        .count() as u64;
    Ok(NonConformity {
        from,
        to,
        deliveries,
        returns_under_warranty,
        rate: (deliveries > 0).then(|| returns_under_warranty as f64 / deliveries as f64),
        complaints: complaints.len() as u64,
        complaints_answered_in_time: in_time,
    })
}

/// A device its beneficiary brought back at its end of life, which the
/// take-back commitment sends on to recycling.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TakenBack {
    pub device_id: DeviceId,
    pub asset_tag: String,
    pub state: crate::devices::DeviceState,
    /// Whether its drives are all sanitized or destroyed, so that it may leave.
    pub may_leave: bool,
}

/// The devices taken back at their end of life and not yet gone: what the
/// next waste shipment should carry.
pub async fn taken_back_for_recycling(
    db: &impl ConnectionTrait,
    principal: &Principal,
) -> Result<Vec<TakenBack>, AppError> {
    principal.require(Permission::ReadInventory)?;
    let mut select = allocation::Entity::find()
        .filter(allocation::Column::State.eq(AllocationState::Returned.as_str()));
    if let Some(own) = principal.site_scope() {
        select = select.filter(allocation::Column::SiteId.eq(own));
    }
    let devices: Vec<uuid::Uuid> = select
        .all(db)
        .await?
        .into_iter()
        .filter(|row| {
            row.return_details
                .clone()
                .and_then(|d| serde_json::from_value::<ReturnDetails>(d).ok())
                .is_some_and(|d| d.reason == super::ReturnReason::EndOfLife)
        })
        .map(|row| row.device_id)
        .collect();
    let rows = device::Entity::find()
        .filter(device::Column::Id.is_in(devices))
        .order_by_asc(device::Column::AssetTag)
        .all(db)
        .await?;
    let mut found = Vec::new();
    for row in rows {
        let Some(state) = crate::devices::DeviceState::parse(&row.state) else {
            continue;
        };
        // Back on the road to someone else, or gone already: not waiting.
        if state.is_terminal()
            || !matches!(
                state,
                crate::devices::DeviceState::Received
                    | crate::devices::DeviceState::Inventoried
                    | crate::devices::DeviceState::Erasing
                    | crate::devices::DeviceState::Sanitized
            )
        {
            continue;
        }
        let media = crate::devices::queries::media_facts(db, DeviceId(row.id)).await?;
        found.push(TakenBack {
            device_id: DeviceId(row.id),
            asset_tag: row.asset_tag,
            state,
            may_leave: media.iter().all(|m| m.state.is_safe()),
        });
    }
    Ok(found)
}

/// The device's own events while each allocation ran (from its reservation
/// to its last step): a return's fault is said first to the device, as the
/// note of its `return`, and goes with the beneficiary who said it.
pub async fn device_events_during(
    conn: &impl ConnectionTrait,
    allocations: &[uuid::Uuid],
) -> Result<Vec<crate::ledger::Event>, AppError> {
    use entities::event;
    use sea_orm::{QueryOrder, QuerySelect};
    let mut during = Vec::new();
    for id in allocations {
        let Some(row) = allocation::Entity::find_by_id(*id).one(conn).await? else {
            continue;
        };
        let seqs: Vec<i64> = event::Entity::find()
            .select_only()
            .column(event::Column::Seq)
            .filter(event::Column::SubjectId.eq(*id))
            .order_by_asc(event::Column::Seq)
            .into_tuple()
            .all(conn)
            .await?;
        let (Some(first), Some(last)) = (seqs.first(), seqs.last()) else {
            continue;
        };
        let rows = event::Entity::find()
            .filter(event::Column::SubjectId.eq(row.device_id))
            .filter(event::Column::Seq.between(*first - 1, *last))
            .all(conn)
            .await?;
        during.extend(rows.into_iter().filter_map(crate::ledger::Event::from_row));
    }
    Ok(during)
}
