//! Allocation commands, run inside the ledger writer. Each asks the device's
//! own lifecycle (and its sanitization gate) through the devices service;
//! what an allocation records when its device moves is [`follow_device`],
//! which the policies run after every device transition.

use entities::{allocation, beneficiary, device};
use sea_orm::EntityTrait;

use super::AllocationState;
use super::queries::open_for_device;
use super::refusals::AllocationRefused;
use super::rules::{self, Step};
use crate::devices::TransitionRequest;
use crate::error::AppError;
use crate::ids::{AllocationId, DeviceId};
use crate::principal::Principal;
use crate::state::Tx;

mod acceptance;
mod complaints;
mod follow;

mod reserve;
mod steps;

pub use acceptance::accept;
pub use complaints::{answer_complaint, log_complaint};
pub use follow::follow_device;
pub use reserve::reserve;
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
    if let Some(other) = open_for_device(tx, DeviceId(row.device_id)).await?
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
