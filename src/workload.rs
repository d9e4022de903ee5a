//! Today's work, counted for the dashboards: what waits at the bench
//! (devices to inventory, drives to erase, erasures that failed, devices
//! waiting for their quality check) and at the desk (devices reserved and
//! not yet handed over, complaints near or past the day their answer is
//! due, lots with devices still to label and inventory, dismantled devices
//! waiting for a recycling shipment). Counted among what the reader may see:
//! their own site's, or the whole network's.

use chrono::NaiveDate;
use entities::{complaint, device, lot, medium, waste_shipment_item};
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::allocations::working_days_after;
use crate::devices::DeviceState;
use crate::error::AppError;
use crate::ids::AllocationId;
use crate::lots::Lot;
use crate::media::MediumState;
use crate::principal::{Permission, Principal};

/// The working days before its due date from which a complaint's answer
/// counts as near (the answer is due 8 working days after it arrived).
pub const NEAR_DAYS: u32 = 2;

/// What waits at the bench.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Bench {
    pub to_inventory: u64,
    /// Drives not yet erased in devices inventoried or being erased.
    pub to_erase: u64,
    /// Drives whose last erasure failed: to erase again or destroy, by tag.
    pub failed: Vec<String>,
    pub to_check: u64,
}

/// A complaint whose answer is due soon or was due already.
#[derive(Debug, PartialEq, Eq)]
pub struct DueComplaint {
    pub allocation_id: AllocationId,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    pub late: bool,
}

/// What waits at the desk.
#[derive(Debug, Default)]
pub struct Desk {
    pub reserved: u64,
    pub complaints: Vec<DueComplaint>,
    /// Lots with devices still `received`, newest first, and how many.
    pub lots_to_label: Vec<(Lot, u64)>,
    pub to_ship: u64,
}

fn devices_in(principal: &Principal, states: &[DeviceState]) -> sea_orm::Select<device::Entity> {
    let mut select = device::Entity::find()
        .filter(device::Column::State.is_in(states.iter().map(|s| s.as_str())));
    if let Some(site) = principal.site_scope() {
        select = select.filter(device::Column::SiteId.eq(site));
    }
    select
}

pub async fn bench(db: &impl ConnectionTrait, principal: &Principal) -> Result<Bench, AppError> {
    principal.require(Permission::ReadInventory)?;
    let to_inventory = devices_in(principal, &[DeviceState::Received])
        .count(db)
        .await?;
    let to_check = devices_in(principal, &[DeviceState::SoftwareInstalled])
        .count(db)
        .await?;
    let erasing = Query::select()
        .column(device::Column::Id)
        .from(device::Entity)
        .and_where(device::Column::State.is_in([
            DeviceState::Inventoried.as_str(),
            DeviceState::Erasing.as_str(),
        ]))
        .to_owned();
    let mut open = medium::Entity::find()
        .filter(medium::Column::DeviceId.in_subquery(erasing))
        .filter(
            medium::Column::State
                .is_in([MediumState::Present.as_str(), MediumState::Removed.as_str()]),
        );
    let mut failed = medium::Entity::find()
        .filter(medium::Column::State.eq(MediumState::SanitizationFailed.as_str()))
        .order_by_asc(medium::Column::AssetTag);
    if let Some(site) = principal.site_scope() {
        open = open.filter(medium::Column::SiteId.eq(site));
        failed = failed.filter(medium::Column::SiteId.eq(site));
    }
    Ok(Bench {
        to_inventory,
        to_erase: open.count(db).await?,
        failed: failed
            .select_only()
            .column(medium::Column::AssetTag)
            .limit(50)
            .into_tuple()
            .all(db)
            .await?,
        to_check,
    })
}

/// The open complaints whose answer is due within [`NEAR_DAYS`] working
/// days of `today`, or was due before it, soonest first.
pub fn due(
    open: impl IntoIterator<Item = (AllocationId, NaiveDate)>,
    today: NaiveDate,
) -> Vec<DueComplaint> {
    let horizon = working_days_after(today, NEAR_DAYS);
    let mut due: Vec<DueComplaint> = open
        .into_iter()
        .map(|(allocation_id, received_on)| {
            let due_on = working_days_after(received_on, 8);
            DueComplaint {
                allocation_id,
                received_on,
                due_on,
                late: due_on < today,
            }
        })
        .filter(|c| c.due_on <= horizon)
        .collect();
    due.sort_by_key(|c| c.due_on);
    due
}

pub async fn desk(
    db: &impl ConnectionTrait,
    principal: &Principal,
    today: NaiveDate,
) -> Result<Desk, AppError> {
    principal.require(Permission::ManageBeneficiaries)?;
    let reserved = devices_in(principal, &[DeviceState::Reserved])
        .count(db)
        .await?;
    let mut open = complaint::Entity::find().filter(complaint::Column::AnsweredOn.is_null());
    if let Some(site) = principal.site_scope() {
        open = open.filter(complaint::Column::SiteId.eq(site));
    }
    let complaints = due(
        open.all(db)
            .await?
            .into_iter()
            .map(|c| (AllocationId(c.allocation_id), c.received_on)),
        today,
    );
    let received: Vec<(uuid::Uuid, i64)> = devices_in(principal, &[DeviceState::Received])
        .select_only()
        .column(device::Column::LotId)
        .column_as(device::Column::Id.count(), "n")
        .filter(device::Column::LotId.is_not_null())
        .group_by(device::Column::LotId)
        .into_tuple()
        .all(db)
        .await?;
    let mut lots_to_label = Vec::new();
    if !received.is_empty() {
        let lots = lot::Entity::find()
            .filter(lot::Column::Id.is_in(received.iter().map(|(id, _)| *id)))
            .order_by_desc(lot::Column::ReceivedOn)
            .limit(20)
            .all(db)
            .await?;
        for row in lots {
            let n = received
                .iter()
                .find(|(id, _)| *id == row.id)
                .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0));
            lots_to_label.push((crate::lots::queries::shown(principal, Lot::from(row)), n));
        }
    }
    let shipped = Query::select()
        .column(waste_shipment_item::Column::ItemId)
        .from(waste_shipment_item::Entity)
        .to_owned();
    let to_ship = devices_in(principal, &[DeviceState::Dismantled])
        .filter(device::Column::Id.not_in_subquery(shipped))
        .count(db)
        .await?;
    Ok(Desk {
        reserved,
        complaints,
        lots_to_label,
        to_ship,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_complaint_is_near_two_working_days_before_its_due_date_and_late_after_it() {
        // Received on Monday 2026-11-02: due 8 working days later, Thursday 12th.
        let allocation = AllocationId(uuid::Uuid::nil());
        let received = day("2026-11-02");
        let listed = |today: &str| due([(allocation, received)], day(today));
        assert!(listed("2026-11-09").is_empty(), "Monday 9th: still far");
        let near = listed("2026-11-10");
        assert_eq!(near.len(), 1, "Tuesday 10th: two working days before");
        assert_eq!(near[0].due_on, day("2026-11-12"));
        assert!(!near[0].late);
        assert!(!listed("2026-11-12")[0].late, "due today is not late yet");
        assert!(listed("2026-11-13")[0].late, "the day after is");
    }

    #[test]
    fn the_soonest_due_comes_first() {
        let a = AllocationId(uuid::Uuid::from_u128(1));
        let b = AllocationId(uuid::Uuid::from_u128(2));
        let listed = due(
            [(a, day("2026-11-04")), (b, day("2026-11-02"))],
            day("2026-11-20"),
        );
        assert_eq!(
            listed.iter().map(|c| c.allocation_id).collect::<Vec<_>>(),
            [b, a]
        );
        assert!(listed.iter().all(|c| c.late));
    }
}
