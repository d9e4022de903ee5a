//! Allocation commands, run inside the ledger writer. Each asks the device's
//! own lifecycle (and its sanitization gate) through the devices service;
//! what an allocation records when its device moves is [`follow_device`],
//! which the policies run after every device transition.

use entities::{allocation, beneficiary, device};
use sea_orm::EntityTrait;
use validator::Validate;

use super::events::{self, SUBJECT};
use super::queries::{load, open_for_device};
use super::refusals::AllocationRefused;
use super::rules::{self, Step};
use super::{Allocation, AllocationState, NewAllocation};
use crate::devices::{Action, TransitionRequest};
use crate::error::AppError;
use crate::ids::{AllocationId, DeviceId, SiteId};
use crate::ledger::Subject;
use crate::principal::{Permission, Principal};
use crate::state::Tx;

mod acceptance;
mod complaints;
mod follow;

mod steps;

pub use acceptance::accept;
pub use complaints::{answer_complaint, log_complaint};
pub use follow::follow_device;
pub use steps::{deliver, release, return_device};

/// An allocation the principal may work on.
pub(super) async fn visible(
    tx: &Tx,
    principal: &Principal,
    id: AllocationId,
) -> Result<allocation::Model, AppError> {
    let row = allocation::Entity::find_by_id(id.0)
        .one(tx.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    principal.check_site(row.site_id)?;
    Ok(row)
}

pub(super) fn state_of(row: &allocation::Model) -> Result<AllocationState, AppError> {
    AllocationState::parse(&row.state)
        .ok_or_else(|| AppError::internal("unreadable allocation state"))
}

/// Refuses a step the allocation is not in a state for (`rules::check`) —
/// or, when its device is now held under another allocation, says so.
pub(super) async fn require_state(
    tx: &Tx,
    row: &allocation::Model,
    step: Step,
) -> Result<(), AppError> {
    let Err(refused) = rules::check(state_of(row)?, step) else {
        return Ok(());
    };
    if let Some(other) = open_for_device(tx.conn(), DeviceId(row.device_id)).await?
        && other.id != row.id
    {
        return Err(reserved_for_another(tx, &other).await?);
    }
    Err(refused.into())
}

pub(super) async fn reserved_for_another(
    tx: &Tx,
    other: &allocation::Model,
) -> Result<AppError, AppError> {
    let reference = beneficiary::Entity::find_by_id(other.beneficiary_id)
        .one(tx.conn())
        .await?
        .map(|b| b.reference)
        .unwrap_or_default();
    Ok(AllocationRefused::ReservedForAnother {
        allocation_id: other.id,
        beneficiary_reference: reference,
    }
    .into())
}

/// Moves the allocation's device, at its current version (the allocation's
/// own version is what the client vouched for).
pub(super) async fn move_device(
    tx: &mut Tx,
    principal: &Principal,
    device: DeviceId,
    request: TransitionRequest,
) -> Result<(), AppError> {
    let version = device::Entity::find_by_id(device.0)
        .one(tx.conn())
        .await?
        .ok_or(AppError::NotFound)?
        .version;
    crate::devices::service::transition(tx, principal, device, version, request).await?;
    Ok(())
}

/// Reserves a ready device for a beneficiary of the same site.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id))]
pub async fn reserve(
    tx: &mut Tx,
    principal: &Principal,
    new: NewAllocation,
) -> Result<Allocation, AppError> {
    principal.require(Permission::ManageBeneficiaries)?;
    new.validate()?;
    let device = device::Entity::find_by_id(new.device_id.0)
        .one(tx.conn())
        .await?
        .filter(|d| principal.can_see_site(d.site_id))
        .ok_or_else(|| AppError::field("device_id", "no such device"))?;
    let beneficiary = beneficiary::Entity::find_by_id(new.beneficiary_id.0)
        .one(tx.conn())
        .await?
        .filter(|b| principal.can_see_site(b.site_id))
        .ok_or_else(|| AppError::field("beneficiary_id", "no such beneficiary"))?;
    if beneficiary.site_id != device.site_id {
        return Err(AppError::field(
            "beneficiary_id",
            "belongs to another site than the device",
        ));
    }
    if let super::Conditions::Loan { until } = new.conditions
        && until <= chrono::Utc::now().date_naive()
    {
        return Err(AppError::field("conditions.until", "must be a future date"));
    }
    if let Some(other) = open_for_device(tx.conn(), DeviceId(device.id)).await? {
        return Err(reserved_for_another(tx, &other).await?);
    }
    let expected = new.device_version.unwrap_or(device.version);
    crate::devices::service::transition(
        tx,
        principal,
        DeviceId(device.id),
        expected,
        TransitionRequest::action(Action::Reserve),
    )
    .await?;
    let id = AllocationId::generate();
    let site = SiteId(device.site_id);
    tx.record(
        Some(site),
        Subject::new(SUBJECT, id),
        events::Reserved {
            site_id: site,
            device_id: DeviceId(device.id),
            beneficiary_id: new.beneficiary_id,
            beneficiary_reference: beneficiary.reference,
            terms: new.conditions.into(),
            warranty_months: new.warranty_months,
        },
    )
    .await?;
    load(tx.conn(), id).await
}
