//! The steps of a reservation that move its device: handing it over,
//! cancelling, taking it back.

use validator::Validate;

use super::{move_device, require_state, visible};
use crate::allocations::queries::load;
use crate::allocations::rules::Step;
use crate::allocations::{Allocation, AllocationStep, NewReturn};
use crate::devices::{Action, TransitionRequest};
use crate::error::{AppError, check_version};
use crate::ids::{AllocationId, DeviceId};
use crate::patch::clean;
use crate::principal::{Permission, Principal};
use crate::state::Tx;

/// Hands the device over: the device's `deliver` (its gate included); the
/// allocation follows.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, allocation = %id))]
pub async fn deliver(
    tx: &mut Tx,
    principal: &Principal,
    id: AllocationId,
    expected: i64,
    step: AllocationStep,
) -> Result<Allocation, AppError> {
    step_device(
        tx,
        principal,
        id,
        expected,
        step,
        (Step::Deliver, Action::Deliver),
    )
    .await
}

/// Cancels a reservation: the device goes back to `ready`.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, allocation = %id))]
pub async fn release(
    tx: &mut Tx,
    principal: &Principal,
    id: AllocationId,
    expected: i64,
    step: AllocationStep,
) -> Result<Allocation, AppError> {
    step_device(
        tx,
        principal,
        id,
        expected,
        step,
        (Step::Release, Action::Release),
    )
    .await
}

/// A step the device takes itself (`deliver`, `release`), with its note:
/// the allocation follows the device (`follow_device`).
async fn step_device(
    tx: &mut Tx,
    principal: &Principal,
    id: AllocationId,
    expected: i64,
    step: AllocationStep,
    (allocation_step, action): (Step, Action),
) -> Result<Allocation, AppError> {
    principal.require(Permission::DispatchActions)?;
    step.validate()?;
    let row = visible(tx, principal, id).await?;
    check_version(row.version, expected)?;
    require_state(tx, &row, allocation_step).await?;
    let mut request = TransitionRequest::action(action);
    request.note = step.note;
    move_device(tx, principal, DeviceId(row.device_id), request).await?;
    load(tx.conn(), id).await
}

/// Records a device brought back: it goes back to `received`, its media to
/// `present` (they hold the beneficiary's data now), to be erased again.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, allocation = %id))]
pub async fn return_device(
    tx: &mut Tx,
    principal: &Principal,
    id: AllocationId,
    expected: i64,
    new: NewReturn,
) -> Result<Allocation, AppError> {
    new.validate()?;
    let row = visible(tx, principal, id).await?;
    check_version(row.version, expected)?;
    require_state(tx, &row, Step::Return).await?;
    let mut request = TransitionRequest::action(Action::Return);
    request.reason = Some(new.reason.as_str().to_owned());
    request.note = clean(new.fault_description);
    move_device(tx, principal, DeviceId(row.device_id), request).await?;
    load(tx.conn(), id).await
}
