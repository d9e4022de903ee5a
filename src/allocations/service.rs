//! Allocation commands, run inside the ledger writer. Each asks the device's
//! own lifecycle (and its sanitization gate) through the devices service;
//! what an allocation records when its device moves is [`follow_device`],
//! which the policies run after every device transition.

use entities::{allocation, allocation_signature, beneficiary, complaint, device};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use sha2::{Digest, Sha256};
use validator::Validate;

use super::events::{self, COMPLAINT, SUBJECT};
use super::queries::{complaint_from_row, load, open_for_device};
use super::refusals::AllocationRefused;
use super::rules::{self, Step};
use super::{
    Acceptance, Allocation, AllocationState, AllocationStep, Complaint, ComplaintAnswer,
    NewAcceptance, NewAllocation, NewComplaint, NewReturn, ReturnReason,
};
use crate::devices::{Action, TransitionRequest};
use crate::error::{AppError, check_version};
use crate::ids::{AllocationId, ComplaintId, DeviceId, SiteId};
use crate::ledger::{Event, Subject};
use crate::patch::clean;
use crate::principal::{Permission, Principal};
use crate::state::Tx;

/// An allocation the principal may work on.
async fn visible(
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

fn state_of(row: &allocation::Model) -> Result<AllocationState, AppError> {
    AllocationState::parse(&row.state)
        .ok_or_else(|| AppError::internal("unreadable allocation state"))
}

/// Refuses a step the allocation is not in a state for (`rules::check`) —
/// or, when its device is now held under another allocation, says so.
async fn require_state(tx: &Tx, row: &allocation::Model, step: Step) -> Result<(), AppError> {
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

async fn reserved_for_another(tx: &Tx, other: &allocation::Model) -> Result<AppError, AppError> {
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
async fn move_device(
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
    principal.require(Permission::DispatchActions)?;
    step.validate()?;
    let row = visible(tx, principal, id).await?;
    check_version(row.version, expected)?;
    require_state(tx, &row, Step::Deliver).await?;
    let mut request = TransitionRequest::action(Action::Deliver);
    request.note = step.note;
    move_device(tx, principal, DeviceId(row.device_id), request).await?;
    load(tx.conn(), id).await
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
    principal.require(Permission::DispatchActions)?;
    step.validate()?;
    let row = visible(tx, principal, id).await?;
    check_version(row.version, expected)?;
    require_state(tx, &row, Step::Release).await?;
    let mut request = TransitionRequest::action(Action::Release);
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

/// What an allocation records when its device moves: run by the policies
/// after every device transition, so a `deliver`, `release` or `return` sent
/// to the device itself moves its allocation too.
#[tracing::instrument(level = "debug", skip_all, fields(device = %device))]
pub async fn follow_device(
    tx: &mut Tx,
    device: DeviceId,
    moved: &crate::devices::events::Transitioned,
    event: &Event,
) -> Result<(), AppError> {
    let Some(step) = moved.action.and_then(Step::of_device_action) else {
        return Ok(());
    };
    let Some(row) = open_for_device(tx.conn(), device).await? else {
        return Ok(());
    };
    if rules::check(state_of(&row)?, step).is_err() {
        return Ok(());
    }
    let id = AllocationId(row.id);
    let subject = Subject::new(SUBJECT, id);
    let site = Some(SiteId(row.site_id));
    let version = row.version + 1;
    match step {
        Step::Deliver => {
            tx.record(site, subject, events::Delivered { version })
                .await?;
        }
        Step::Release => {
            let note = moved.note.clone();
            tx.record(site, subject, events::Released { version, note })
                .await?;
        }
        _ => {
            let delivered = row.delivered_at.unwrap_or(event.at);
            let days = (event.at - delivered).num_days().max(0);
            let months = u8::try_from(row.warranty_months).unwrap_or(0);
            let until = super::warranty_until(delivered.date_naive(), months);
            let reason = moved
                .reason
                .as_deref()
                .and_then(ReturnReason::parse)
                .unwrap_or(ReturnReason::Other);
            tx.record(
                site,
                subject,
                events::Returned {
                    version,
                    reason,
                    days_since_delivery: days,
                    under_warranty: event.at.date_naive() <= until,
                    fault_description: moved.note.clone(),
                },
            )
            .await?;
        }
    }
    Ok(())
}

/// The largest signature kept: a few hundred points a stroke is a signature;
/// more is something else.
const MAX_POINTS: usize = 5_000;

/// Records how the beneficiary accepted the device.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, allocation = %id))]
pub async fn accept(
    tx: &mut Tx,
    principal: &Principal,
    id: AllocationId,
    expected: i64,
    new: NewAcceptance,
) -> Result<Allocation, AppError> {
    principal.require(Permission::DispatchActions)?;
    let row = visible(tx, principal, id).await?;
    check_version(row.version, expected)?;
    rules::check(state_of(&row)?, Step::Accept)?;
    if row.acceptance != Acceptance::Pending.as_str() {
        return Err(AllocationRefused::AlreadyAccepted.into());
    }
    let signature_sha256 = match (new.method, new.strokes) {
        (Acceptance::SignedOnDevice, Some(strokes)) => {
            let points: usize = strokes.iter().map(Vec::len).sum();
            let in_pad = strokes
                .iter()
                .flatten()
                .all(|[x, y]| (0.0..=1.0).contains(x) && (0.0..=1.0).contains(y));
            if !(2..=MAX_POINTS).contains(&points) || !in_pad {
                return Err(AppError::field(
                    "strokes",
                    "must be a drawn signature: 2 to 5,000 points, each within 0..=1",
                ));
            }
            let strokes = serde_json::to_value(&strokes).map_err(AppError::internal)?;
            let digest = hex::encode(Sha256::digest(strokes.to_string().as_bytes()));
            allocation_signature::ActiveModel {
                allocation_id: Set(row.id),
                strokes: Set(strokes),
                signed_at: Set(chrono::Utc::now()),
            }
            .insert(tx.conn())
            .await?;
            Some(digest)
        }
        (Acceptance::SignedOnDevice, None) => {
            return Err(AppError::field(
                "strokes",
                "are required to sign on the device",
            ));
        }
        (Acceptance::SignedOnPaper, None) => None,
        (Acceptance::SignedOnPaper, Some(_)) => {
            return Err(AppError::field(
                "strokes",
                "are only for `signed_on_device`",
            ));
        }
        (Acceptance::Pending, _) => {
            return Err(AppError::field(
                "method",
                "must be `signed_on_device` or `signed_on_paper`",
            ));
        }
    };
    tx.record(
        Some(SiteId(row.site_id)),
        Subject::new(SUBJECT, id),
        events::Accepted {
            version: row.version + 1,
            method: new.method,
            signature_sha256,
        },
    )
    .await?;
    load(tx.conn(), id).await
}

/// Logs a complaint about a delivered (or returned) device.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, allocation = %id))]
pub async fn log_complaint(
    tx: &mut Tx,
    principal: &Principal,
    id: AllocationId,
    new: NewComplaint,
) -> Result<Complaint, AppError> {
    principal.require(Permission::DispatchActions)?;
    new.validate()?;
    let row = visible(tx, principal, id).await?;
    rules::check(state_of(&row)?, Step::Complain)?;
    let complaint = ComplaintId::generate();
    tx.record(
        Some(SiteId(row.site_id)),
        Subject::new(COMPLAINT, complaint),
        events::ComplaintLogged {
            site_id: SiteId(row.site_id),
            allocation_id: id,
            received_on: new.received_on,
            description: new.description.trim().to_owned(),
        },
    )
    .await?;
    load_complaint(tx, complaint).await
}

async fn load_complaint(tx: &Tx, id: ComplaintId) -> Result<Complaint, AppError> {
    complaint::Entity::find_by_id(id.0)
        .one(tx.conn())
        .await?
        .map(complaint_from_row)
        .ok_or(AppError::NotFound)
}

/// Records the written answer to a complaint.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, complaint = %id))]
pub async fn answer_complaint(
    tx: &mut Tx,
    principal: &Principal,
    id: ComplaintId,
    expected: i64,
    answer: ComplaintAnswer,
) -> Result<Complaint, AppError> {
    principal.require(Permission::DispatchActions)?;
    answer.validate()?;
    let row = complaint::Entity::find_by_id(id.0)
        .one(tx.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    principal.check_site(row.site_id)?;
    check_version(row.version, expected)?;
    if answer.answered_on < row.received_on {
        return Err(AppError::field(
            "answered_on",
            "must not be before the complaint was received",
        ));
    }
    tx.record(
        Some(SiteId(row.site_id)),
        Subject::new(COMPLAINT, id),
        events::ComplaintAnswered {
            version: row.version + 1,
            answered_on: answer.answered_on,
            answer: answer.answer.trim().to_owned(),
        },
    )
    .await?;
    load_complaint(tx, id).await
}
