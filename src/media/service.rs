//! Medium write jobs, run inside the ledger writer. A medium's change can
//! move its device (the last drive sanitized makes the device `sanitized`):
//! that is a policy's business, run by the writer after each event.

use entities::{device, medium};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use validator::Validate;

use super::events::{self, SUBJECT};
use super::lifecycle::{self, Location, MediumAction, MediumRefusal, MediumState};
use super::queries::load;
use super::refusals::MediumRefused;
use super::{ErasureOutcome, Medium, MediumChanges, MediumTransitionRequest, NewMedium};
use crate::devices::refusals::DeviceRefused;
use crate::devices::{DeviceState, normalize_serial};
use crate::error::{AppError, FieldError, check_version};
use crate::ids::{DeviceId, MediumId, SiteId};
use crate::ledger::{Event, Subject, projection};
use crate::patch::{clean, record_changes};
use crate::principal::{Permission, Principal};
use crate::state::Tx;

/// The device a medium may be put in: visible, and not dismantled, recycled or lost.
async fn open_device(
    tx: &Tx,
    principal: &Principal,
    id: DeviceId,
    field: &str,
) -> Result<device::Model, AppError> {
    let row = crate::devices::queries::visible(tx.conn(), principal, id)
        .await
        .map_err(|_| AppError::field(field, "no such device"))?;
    still_open(row)
}

/// A device that takes media: not dismantled, recycled or lost.
fn still_open(row: device::Model) -> Result<device::Model, AppError> {
    match DeviceState::parse(&row.state) {
        Some(state) if !state.is_terminal() => Ok(row),
        state => Err(DeviceRefused::Closed {
            state: state.unwrap_or(DeviceState::Lost),
            asset_tag: row.asset_tag,
        }
        .into()),
    }
}

#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, device = %device_id))]
pub async fn add(
    tx: &mut Tx,
    principal: &Principal,
    device_id: DeviceId,
    new: NewMedium,
) -> Result<Medium, AppError> {
    principal.require(Permission::RegisterDevices)?;
    new.validate()?;
    // A device out of sight is 404, as in the path; one out of the workshop, 409.
    let device =
        still_open(crate::devices::queries::visible(tx.conn(), principal, device_id).await?)?;
    let site = SiteId(device.site_id);
    let serial_number = normalize_serial(new.serial_number);
    if let Some(serial) = &serial_number {
        let twin = medium::Entity::find()
            .filter(medium::Column::DeviceId.eq(device_id.0))
            .filter(medium::Column::SerialNumber.eq(serial.as_str()))
            .one(tx.conn())
            .await?;
        if let Some(twin) = twin {
            return Err(DeviceRefused::SerialTaken {
                serial: serial.clone(),
                asset_tag: twin.asset_tag,
            }
            .into());
        }
    }
    let tag = crate::sites::service::next_tag(tx, site).await?;
    let id = MediumId::generate();
    let added = events::Added {
        site_id: site,
        device_id: Some(device_id),
        asset_tag: tag.to_string(),
        kind: new.kind,
        manufacturer: clean(new.manufacturer),
        model: clean(new.model),
        serial_number,
        capacity_bytes: new.capacity_bytes,
        interface: clean(new.interface),
        state: MediumState::Present,
    };
    tx.record(Some(site), Subject::new(SUBJECT, id), added)
        .await?;
    load(tx.conn(), id).await
}

#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, medium = %id))]
pub async fn update(
    tx: &mut Tx,
    principal: &Principal,
    id: MediumId,
    expected: i64,
    changes: MediumChanges,
) -> Result<Medium, AppError> {
    principal.require(Permission::RegisterDevices)?;
    changes.validate()?;
    let changes = events::Changes {
        kind: changes.kind,
        manufacturer: changes.manufacturer.map_sent(clean),
        model: changes.model.map_sent(clean),
        serial_number: changes.serial_number.map_sent(normalize_serial),
        capacity_bytes: changes.capacity_bytes,
        interface: changes.interface.map_sent(clean),
    };
    record_changes(tx, Subject::new(SUBJECT, id), expected, changes, |row| {
        principal
            .check_site(row.site_id)
            .map(|()| Some(SiteId(row.site_id)))
    })
    .await?
    .try_into()
}

/// The answer to a medium transition: its event, the medium after it, and
/// the device events it caused.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MediumTransitionOutcome {
    pub event: Event,
    pub medium: Medium,
    pub related_events: Vec<Event>,
}

#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, medium = %id))]
pub async fn transition(
    tx: &mut Tx,
    principal: &Principal,
    id: MediumId,
    expected: i64,
    request: MediumTransitionRequest,
) -> Result<MediumTransitionOutcome, AppError> {
    let row = medium::Entity::find_by_id(id.0)
        .one(tx.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    principal.check_site(row.site_id)?;
    principal.require(Permission::WorkshopActions)?;
    if request.action == MediumAction::DeviceReturned {
        return Err(AppError::field(
            "action",
            "is recorded by the device's `return`, not by hand",
        ));
    }
    check_version(row.version, expected)?;
    let target = match (request.action, request.device_id) {
        (MediumAction::Reinstall, Some(device)) => {
            Some(open_device(tx, principal, device, "device_id").await?)
        }
        (MediumAction::Reinstall, None) => {
            return Err(AppError::field("device_id", "is required to `reinstall`"));
        }
        _ => None,
    };
    let details = Details {
        outcome: request.outcome,
        method: clean(request.method),
        witness: clean(request.witness),
        note: clean(request.note),
        erasure_id: None,
    };
    change_state(tx, row, request.action, target, details).await
}

/// What a medium's state change records besides the states.
#[derive(Debug, Clone, Default)]
pub struct Details {
    pub outcome: Option<ErasureOutcome>,
    pub method: Option<String>,
    pub witness: Option<String>,
    pub note: Option<String>,
    /// The erasure record that caused the change, if any.
    pub erasure_id: Option<uuid::Uuid>,
}

/// Applies `action` to a medium whose access was checked, and records it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn change_state(
    tx: &mut Tx,
    row: medium::Model,
    action: MediumAction,
    target: Option<device::Model>,
    details: Details,
) -> Result<MediumTransitionOutcome, AppError> {
    let id = MediumId(row.id);
    let state = MediumState::parse(&row.state)
        .ok_or_else(|| AppError::internal("unreadable medium state"))?;
    let location = if row.device_id.is_some() {
        Location::InDevice
    } else {
        Location::Loose
    };
    let passed = details.outcome.map(|o| o == ErasureOutcome::Passed);
    let (next, location) = lifecycle::transition(state, location, action, passed)
        .map_err(|r| refusal(r, state, action))?;
    let device_after = match location {
        Location::Loose => None,
        Location::InDevice => target
            .as_ref()
            .map(|d| DeviceId(d.id))
            .or(row.device_id.map(DeviceId)),
    };
    let transitioned = events::Transitioned {
        action,
        from: state,
        to: next,
        from_device_id: row.device_id.map(DeviceId),
        device_id: device_after,
        version: row.version + 1,
        outcome: details
            .outcome
            .filter(|_| action == MediumAction::RecordErasure),
        method: details.method,
        witness: details.witness,
        note: details.note,
        erasure_id: details.erasure_id,
    };
    let recorded = tx
        .record(
            Some(SiteId(row.site_id)),
            Subject::new(SUBJECT, id),
            transitioned,
        )
        .await?;
    Ok(MediumTransitionOutcome {
        event: recorded.event,
        medium: load(tx.conn(), id).await?,
        related_events: recorded.consequences,
    })
}

/// On a device's return: every medium in it holds the beneficiary's data now.
/// A consequence the policies ask for.
#[tracing::instrument(level = "debug", skip_all, fields(device = %device))]
pub async fn reset_in_device(tx: &mut Tx, device: DeviceId) -> Result<(), AppError> {
    let rows = medium::Entity::find()
        .filter(medium::Column::DeviceId.eq(device.0))
        .all(tx.conn())
        .await?;
    for row in rows {
        change_state(
            tx,
            row,
            MediumAction::DeviceReturned,
            None,
            Details::default(),
        )
        .await?;
    }
    Ok(())
}

/// An erasure record moves its medium: `sanitized`, `sanitization_failed`
/// or `destroyed`. A consequence the policies ask for after `erasure.recorded`.
#[tracing::instrument(level = "debug", skip_all, fields(medium = %medium))]
pub async fn erased(
    tx: &mut Tx,
    medium: MediumId,
    erasure: uuid::Uuid,
    passed: bool,
    destroyed: bool,
    method: Option<String>,
    witness: Option<String>,
) -> Result<(), AppError> {
    let row = projection::row::<medium::Entity>(tx.conn(), medium.0).await?;
    let details = Details {
        outcome: Some(if passed {
            ErasureOutcome::Passed
        } else {
            ErasureOutcome::Failed
        }),
        method,
        witness,
        note: None,
        erasure_id: Some(erasure),
    };
    let action = if destroyed {
        MediumAction::Destroy
    } else {
        MediumAction::RecordErasure
    };
    change_state(tx, row, action, None, details).await?;
    Ok(())
}

fn refusal(why: MediumRefusal, state: MediumState, action: MediumAction) -> AppError {
    match why {
        MediumRefusal::Missing { field } => {
            AppError::Validation(vec![FieldError::new(field, "is required for this action")])
        }
        why => MediumRefused::Transition { why, state, action }.into(),
    }
}
