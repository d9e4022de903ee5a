//! What funders read of the quality of the devices given: the
//! non-conformity rate, and the devices taken back for recycling.

use chrono::NaiveDate;
use entities::{allocation, complaint, device};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;

use crate::allocations::{AllocationState, ReturnDetails, working_days_after};
use crate::error::AppError;
use crate::ids::DeviceId;
use crate::principal::{Permission, Principal};

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
        .filter(|d| d.reason == crate::allocations::ReturnReason::WarrantyFault && d.under_warranty)
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
                .is_some_and(|d| d.reason == crate::allocations::ReturnReason::EndOfLife)
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
