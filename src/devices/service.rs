//! Device commands, run inside the ledger writer: each reads the current
//! projection, asks the pure lifecycle for a decision, and records events.
//! What follows in other domains (a returned device's media reset) is the
//! policies' business, not this module's.

use entities::{device, lot, medium};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;
use validator::Validate;

use super::events::{self, SUBJECT};
use super::lifecycle::{self, Action, DeviceState, Facts, MediumFact, Refusal};
use super::queries::{facts_of, load};
use super::refusals::DeviceRefused;
use super::{Device, DeviceChanges, NewDevice, TransitionRequest, normalize_serial};
use crate::error::{AppError, FieldError, check_version};
use crate::ids::{DeviceId, SiteId};
use crate::ledger::{Event, Subject};
use crate::patch::{clean, record_changes};
use crate::principal::{Permission, Principal};
use crate::state::Tx;

/// The answer to a transition: the event, the device after it, and any
/// events the server recorded as a consequence (media reset on return,
/// automatic move to `sanitized`).
#[derive(Debug, Serialize, ToSchema)]
pub struct TransitionOutcome {
    pub event: Event,
    pub device: Device,
    pub related_events: Vec<Event>,
}

#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id))]
pub async fn register(
    tx: &mut Tx,
    principal: &Principal,
    new: NewDevice,
) -> Result<Device, AppError> {
    principal.require(Permission::RegisterDevices)?;
    new.validate()?;
    let site = match new.lot_id {
        Some(lot_id) => {
            let lot = tx
                .conn()
                .find_by::<lot::Entity>(lot::Column::Id, lot_id.0)
                .await?;
            let lot = lot
                .into_iter()
                .next()
                .filter(|l| principal.can_see_site(l.site_id))
                .ok_or_else(|| AppError::field("lot_id", "no such lot"))?;
            if new.site_id.is_some_and(|s| s.0 != lot.site_id) {
                return Err(AppError::field("site_id", "differs from the lot's site"));
            }
            SiteId(lot.site_id)
        }
        None => principal.target_site(new.site_id)?,
    };
    let serial_number = normalize_serial(new.serial_number);
    if let (Some(lot_id), Some(serial)) = (new.lot_id, &serial_number) {
        let twin = device::Entity::find()
            .filter(device::Column::LotId.eq(lot_id.0))
            .filter(device::Column::SerialNumber.eq(serial.as_str()))
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
    let id = DeviceId::generate();
    let registered = events::Registered {
        site_id: site,
        lot_id: new.lot_id,
        asset_tag: tag.to_string(),
        kind: new.kind,
        manufacturer: clean(new.manufacturer),
        model: clean(new.model),
        serial_number,
        donor_asset_number: clean(new.donor_asset_number),
        specs: new.specs.into(),
        weight_kg: new.weight_kg,
        grade: new.grade,
        state: DeviceState::Received,
    };
    let recorded = tx
        .record(Some(site), Subject::new(SUBJECT, id), registered.clone())
        .await?;
    // The row is known: read back only when a consequence changed it.
    if recorded.consequences.is_empty() {
        Device::try_from(registered.row(&recorded.event)?)
    } else {
        load(tx.conn(), id).await
    }
}

#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, device = %id))]
pub async fn update(
    tx: &mut Tx,
    principal: &Principal,
    id: DeviceId,
    expected: i64,
    changes: DeviceChanges,
) -> Result<Device, AppError> {
    principal.require(Permission::RegisterDevices)?;
    changes.validate()?;
    let changes = events::Changes {
        kind: changes.kind,
        manufacturer: changes.manufacturer.map_sent(clean),
        model: changes.model.map_sent(clean),
        serial_number: changes.serial_number.map_sent(normalize_serial),
        donor_asset_number: changes.donor_asset_number.map_sent(clean),
        specs: changes.specs.map(Into::into),
        weight_kg: changes.weight_kg,
        grade: changes.grade,
    };
    record_changes(tx, Subject::new(SUBJECT, id), expected, changes, |row| {
        principal
            .check_site(row.site_id)
            .map(|()| Some(SiteId(row.site_id)))
    })
    .await?
    .try_into()
}

/// The permission an action needs. A return is workshop work: whoever is at
/// the bench when a beneficiary brings a device back records it.
pub fn permission_for(action: Action) -> Permission {
    match action {
        Action::Correct => Permission::CorrectRecords,
        Action::Reserve
        | Action::Release
        | Action::Deliver
        | Action::Recycle
        | Action::DeclareLost => Permission::DispatchActions,
        _ => Permission::WorkshopActions,
    }
}

#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, device = %id))]
pub async fn transition(
    tx: &mut Tx,
    principal: &Principal,
    id: DeviceId,
    expected: i64,
    request: TransitionRequest,
) -> Result<TransitionOutcome, AppError> {
    let (row, state, media) = current(tx, id).await?;
    principal.check_site(row.site_id)?;
    principal.require(permission_for(request.action))?;
    check_version(row.version, expected)?;
    let site = SiteId(row.site_id);
    let facts = Facts {
        media: &media,
        note: request.note.as_deref(),
        os: request.os.as_deref(),
        checklist: request.checklist.as_ref(),
        target: request.target_state,
    };
    let next = lifecycle::transition(state, request.action, &facts)
        .map_err(|r| refusal(r, state, request.action, &facts))?;
    let transitioned = events::Transitioned {
        action: Some(request.action),
        from: state,
        to: next,
        version: row.version + 1,
        automatic: false,
        note: clean(request.note),
        os: request
            .os
            .map(|os| os.trim().to_owned())
            .filter(|_| request.action == Action::InstallOs),
        checklist: request
            .checklist
            .filter(|_| request.action == Action::PassQc)
            .map(Into::into),
        reason: clean(request.reason),
    };
    let recorded = tx
        .record(Some(site), Subject::new(SUBJECT, id), transitioned.clone())
        .await?;
    // The row is known: read back only when a consequence moved it again.
    // Transitions are the writer's hot path, and a read is a round trip.
    let device = if recorded.consequences.is_empty() {
        Device::try_from(transitioned.applied_to(row, &recorded.event))?
    } else {
        load(tx.conn(), id).await?
    };
    Ok(TransitionOutcome {
        event: recorded.event,
        device,
        related_events: recorded.consequences,
    })
}

/// Moves a device to `sanitized` if its last medium just became safe: a
/// consequence the policies ask for after a device or medium event.
#[tracing::instrument(level = "debug", skip_all, fields(device = %id))]
pub async fn settle(tx: &mut Tx, id: DeviceId) -> Result<Option<Event>, AppError> {
    let (row, state, media) = current(tx, id).await?;
    if !lifecycle::reaches_sanitized(state, &media) {
        return Ok(None);
    }
    let transitioned = events::Transitioned {
        action: None,
        from: state,
        to: DeviceState::Sanitized,
        version: row.version + 1,
        automatic: true,
        note: Some("every storage medium is sanitized or destroyed".into()),
        os: None,
        checklist: None,
        reason: None,
    };
    let recorded = tx
        .record(
            Some(SiteId(row.site_id)),
            Subject::new(SUBJECT, id),
            transitioned,
        )
        .await?;
    Ok(Some(recorded.event))
}

/// A device as the lifecycle rules see it: its row, its state, its media.
/// Read as the writer's hot reads are (`db::conn::Conn::find_by`): every transition
/// starts here.
async fn current(
    tx: &Tx,
    id: DeviceId,
) -> Result<(device::Model, DeviceState, Vec<MediumFact>), AppError> {
    let row = tx
        .conn()
        .find_by::<device::Entity>(device::Column::Id, id.0)
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let state = DeviceState::parse(&row.state)
        .ok_or_else(|| AppError::internal("unreadable device state"))?;
    let media = tx
        .conn()
        .find_by::<medium::Entity>(medium::Column::DeviceId, id.0)
        .await?;
    Ok((row, state, facts_of(media)?))
}

/// The error a refused transition is answered with: a missing or failing
/// field is a validation problem; anything else the lifecycle's refusal, with
/// what the device allows now.
pub fn refusal(why: Refusal, state: DeviceState, action: Action, facts: &Facts<'_>) -> AppError {
    match why {
        Refusal::Missing { field } => AppError::Validation(vec![FieldError::new(
            field,
            format!("is required to `{}`", action.as_str()),
        )]),
        Refusal::QcFailed { failing } => AppError::Validation(
            failing
                .into_iter()
                .map(|item| {
                    FieldError::new(
                        format!("checklist.{item}"),
                        "must pass before the device is ready",
                    )
                })
                .collect(),
        ),
        why => DeviceRefused::Transition {
            why,
            state,
            action,
            allowed: lifecycle::allowed_actions(state, facts),
        }
        .into(),
    }
}
