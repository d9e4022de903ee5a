//! Medium write jobs, run inside the ledger writer. A medium's change can
//! move its device (the last drive sanitized makes the device `sanitized`),
//! so every job ends by settling the devices it touched.

use entities::{device, medium};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::lifecycle::{self, Location, MediumAction, MediumRefusal, MediumState};
use super::{
    Added, ErasureOutcome, Medium, MediumChanges, MediumTransitionRequest, MediumTransitioned,
    NewMedium,
};
use crate::auth::{Permission, Principal};
use crate::devices::{DeviceState, normalize_serial, service as devices};
use crate::error::{AppError, FieldError};
use crate::ids::{DeviceId, MediumId, SiteId};
use crate::ledger::update;
use crate::ledger::{Change, Event, Subject, SubjectType, Tx, check_version, projection};

pub async fn load(conn: &impl sea_orm::ConnectionTrait, id: MediumId) -> Result<Medium, AppError> {
    projection::row::<medium::Entity>(conn, id.0)
        .await?
        .try_into()
}

/// The device a medium may be put in: visible, and not dismantled, recycled or lost.
async fn open_device(
    tx: &Tx,
    principal: &Principal,
    id: DeviceId,
    field: &str,
) -> Result<device::Model, AppError> {
    let row = device::Entity::find_by_id(id.0).one(tx.conn()).await?;
    let row = row
        .filter(|d| principal.can_see_site(d.site_id))
        .ok_or_else(|| AppError::field(field, "no such device"))?;
    if DeviceState::parse(&row.state).is_none_or(DeviceState::is_terminal) {
        return Err(AppError::Conflict(format!(
            "device {} is {} and takes no new media",
            row.asset_tag, row.state
        )));
    }
    Ok(row)
}

pub async fn add(
    tx: &mut Tx,
    principal: &Principal,
    device_id: DeviceId,
    new: NewMedium,
) -> Result<Medium, AppError> {
    let device = device::Entity::find_by_id(device_id.0)
        .one(tx.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    principal.check_site(device.site_id)?;
    let device = open_device(tx, principal, device_id, "device_id").await?;
    let site = SiteId(device.site_id);
    let serial_number = normalize_serial(new.serial_number);
    if let Some(serial) = &serial_number {
        let twin = medium::Entity::find()
            .filter(medium::Column::DeviceId.eq(device_id.0))
            .filter(medium::Column::SerialNumber.eq(serial.as_str()))
            .one(tx.conn())
            .await?;
        if let Some(twin) = twin {
            return Err(AppError::Conflict(format!(
                "medium {} in this device already has serial number {serial}",
                twin.asset_tag
            )));
        }
    }
    let tag = devices::next_tag(tx.conn(), site).await?;
    let id = MediumId::generate();
    let added = Added {
        site_id: site,
        device_id: Some(device_id),
        asset_tag: tag.to_string(),
        kind: new.kind,
        manufacturer: crate::patch::clean(new.manufacturer),
        model: crate::patch::clean(new.model),
        serial_number,
        capacity_bytes: new.capacity_bytes,
        interface: crate::patch::clean(new.interface),
        state: MediumState::Present,
    };
    tx.record(
        Some(site),
        Subject::new(SubjectType::Medium, id),
        Change::MediumAdded(added),
    )
    .await?;
    load(tx.conn(), id).await
}

pub async fn update(
    tx: &mut Tx,
    principal: &Principal,
    id: MediumId,
    expected: i64,
    mut changes: MediumChanges,
) -> Result<Medium, AppError> {
    changes.serial_number = changes.serial_number.map(normalize_serial);
    let subject = Subject::new(SubjectType::Medium, id);
    let scope = |row: &medium::Model| {
        principal
            .check_site(row.site_id)
            .map(|()| Some(SiteId(row.site_id)))
    };
    update::record::<medium::Entity, _>(
        tx,
        subject,
        expected,
        changes,
        Change::MediumUpdated,
        scope,
    )
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
        method: crate::patch::clean(request.method),
        witness: crate::patch::clean(request.witness),
        note: crate::patch::clean(request.note),
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

/// Applies `action` to a medium whose access was checked, records it, and
/// settles the devices it leaves or enters.
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
    let transitioned = MediumTransitioned {
        action,
        from: state,
        to: next,
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
    let subject = Subject::new(SubjectType::Medium, id);
    let event = tx
        .record(
            Some(SiteId(row.site_id)),
            subject,
            Change::MediumTransitioned(transitioned),
        )
        .await?;
    let mut related_events = Vec::new();
    let touched: Vec<DeviceId> = row
        .device_id
        .map(DeviceId)
        .into_iter()
        .chain(device_after)
        .collect();
    for device in dedup(touched) {
        related_events.extend(devices::settle(tx, device).await?);
    }
    Ok(MediumTransitionOutcome {
        event,
        medium: load(tx.conn(), id).await?,
        related_events,
    })
}

fn dedup(mut ids: Vec<DeviceId>) -> Vec<DeviceId> {
    ids.sort();
    ids.dedup();
    ids
}

/// On a device's return: its medium holds the beneficiary's data now.
pub async fn reset_on_return(tx: &mut Tx, id: uuid::Uuid) -> Result<Event, AppError> {
    let row = projection::row::<medium::Entity>(tx.conn(), id).await?;
    let state = MediumState::parse(&row.state)
        .ok_or_else(|| AppError::internal("unreadable medium state"))?;
    let (next, _) = lifecycle::transition(
        state,
        Location::InDevice,
        MediumAction::DeviceReturned,
        None,
    )
    .map_err(|r| refusal(r, state, MediumAction::DeviceReturned))?;
    let transitioned = MediumTransitioned {
        action: MediumAction::DeviceReturned,
        from: state,
        to: next,
        device_id: row.device_id.map(DeviceId),
        version: row.version + 1,
        outcome: None,
        method: None,
        witness: None,
        note: None,
        erasure_id: None,
    };
    let subject = Subject::new(SubjectType::Medium, id);
    tx.record(
        Some(SiteId(row.site_id)),
        subject,
        Change::MediumTransitioned(transitioned),
    )
    .await
}

fn refusal(refusal: MediumRefusal, state: MediumState, action: MediumAction) -> AppError {
    let conflict = |slug, title: &str, detail: String| AppError::Refused {
        status: axum::http::StatusCode::CONFLICT,
        slug,
        title: title.into(),
        detail,
        extra: [
            ("state".to_owned(), json!(state)),
            ("action".to_owned(), json!(action)),
        ]
        .into_iter()
        .collect(),
    };
    match refusal {
        MediumRefusal::NotAllowed { from, action } => conflict(
            "transition-not-allowed",
            "Transition not allowed",
            format!("A medium in state `{}` cannot `{action:?}`.", from.as_str()),
        ),
        MediumRefusal::NotInDevice => conflict(
            "medium-not-in-device",
            "Medium not in a device",
            "This medium is not in a device.".into(),
        ),
        MediumRefusal::AlreadyInDevice => conflict(
            "medium-in-device",
            "Medium already in a device",
            "Remove the medium before putting it in another device.".into(),
        ),
        MediumRefusal::NotSanitized { state } => conflict(
            "media-not-sanitized",
            "Storage medium not sanitized",
            format!(
                "A medium goes back into a device only once sanitized; this one is `{}`.",
                state.as_str()
            ),
        ),
        MediumRefusal::Missing { field } => {
            AppError::Validation(vec![FieldError::new(field, "is required for this action")])
        }
    }
}
