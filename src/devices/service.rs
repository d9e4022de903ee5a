//! Device write jobs, run inside the ledger writer: each reads the current
//! projection, asks the pure lifecycle for a decision, and records events.

use entities::{device, lot, medium};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use serde_json::{Map, json};
use utoipa::ToSchema;

use super::lifecycle::{self, Action, DeviceState, Facts, MediumFact, Refusal};
use super::{
    Device, DeviceChanges, NewDevice, Registered, TransitionRequest, Transitioned, normalize_serial,
};
use crate::auth::{Permission, Principal};
use crate::error::{AppError, FieldError};
use crate::ids::{DeviceId, SiteId};
use crate::ledger::update;
use crate::ledger::{Change, Event, Subject, SubjectType, Tx, check_version, projection};
use crate::media::{self, MediumState};
use crate::tags::AssetTag;

/// The answer to a transition: the event, the device after it, and any
/// events the server recorded as a consequence (media reset on return,
/// automatic move to `sanitized`).
#[derive(Debug, Serialize, ToSchema)]
pub struct TransitionOutcome {
    pub event: Event,
    pub device: Device,
    pub related_events: Vec<Event>,
}

/// The next asset tag of a site, as the writer sees it.
pub async fn next_tag(conn: &impl ConnectionTrait, site: SiteId) -> Result<AssetTag, AppError> {
    let site = crate::sites::find(conn, site)
        .await?
        .ok_or_else(|| AppError::field("site_id", "no such site"))?;
    let sequence = u64::try_from(site.last_tag_sequence + 1).map_err(AppError::internal)?;
    AssetTag::first_from(&site.code, sequence)
        .ok_or_else(|| AppError::internal("no asset tag left"))
}

pub async fn load(conn: &impl ConnectionTrait, id: DeviceId) -> Result<Device, AppError> {
    projection::row::<device::Entity>(conn, id.0)
        .await?
        .try_into()
}

/// The media in a device now, as the gates see them.
pub async fn media_facts(
    conn: &impl ConnectionTrait,
    id: DeviceId,
) -> Result<Vec<MediumFact>, AppError> {
    let rows = medium::Entity::find()
        .filter(medium::Column::DeviceId.eq(id.0))
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|m| {
            let state = MediumState::parse(&m.state)
                .ok_or_else(|| AppError::internal(format!("medium {} state", m.id)))?;
            Ok(MediumFact {
                id: m.id,
                asset_tag: m.asset_tag,
                serial_number: m.serial_number,
                state,
            })
        })
        .collect()
}

pub async fn register(
    tx: &mut Tx,
    principal: &Principal,
    new: NewDevice,
) -> Result<Device, AppError> {
    let site = match new.lot_id {
        Some(lot_id) => {
            let lot = lot::Entity::find_by_id(lot_id.0).one(tx.conn()).await?;
            let lot = lot
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
            return Err(AppError::Conflict(format!(
                "device {} of this lot already has serial number {serial}",
                twin.asset_tag
            )));
        }
    }
    let tag = next_tag(tx.conn(), site).await?;
    let id = DeviceId::generate();
    let registered = Registered {
        site_id: site,
        lot_id: new.lot_id,
        asset_tag: tag.to_string(),
        kind: new.kind,
        manufacturer: crate::patch::clean(new.manufacturer),
        model: crate::patch::clean(new.model),
        serial_number,
        donor_asset_number: crate::patch::clean(new.donor_asset_number),
        specs: new.specs,
        weight_kg: new.weight_kg,
        grade: new.grade,
        state: DeviceState::Received,
    };
    tx.record(
        Some(site),
        Subject::new(SubjectType::Device, id),
        Change::DeviceRegistered(registered),
    )
    .await?;
    load(tx.conn(), id).await
}

pub async fn update(
    tx: &mut Tx,
    principal: &Principal,
    id: DeviceId,
    expected: i64,
    mut changes: DeviceChanges,
) -> Result<Device, AppError> {
    changes.serial_number = changes.serial_number.map(normalize_serial);
    let subject = Subject::new(SubjectType::Device, id);
    let scope = |row: &device::Model| {
        principal
            .check_site(row.site_id)
            .map(|()| Some(SiteId(row.site_id)))
    };
    update::record::<device::Entity, _>(
        tx,
        subject,
        expected,
        changes,
        Change::DeviceUpdated,
        scope,
    )
    .await?
    .try_into()
}

/// The permission an action needs.
pub fn permission_for(action: Action) -> Permission {
    match action {
        Action::Correct => Permission::CorrectRecords,
        Action::Reserve
        | Action::Release
        | Action::Deliver
        | Action::Return
        | Action::Recycle
        | Action::DeclareLost => Permission::DispatchActions,
        _ => Permission::WorkshopActions,
    }
}

pub async fn transition(
    tx: &mut Tx,
    principal: &Principal,
    id: DeviceId,
    expected: i64,
    request: TransitionRequest,
) -> Result<TransitionOutcome, AppError> {
    let row = device::Entity::find_by_id(id.0)
        .one(tx.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    principal.check_site(row.site_id)?;
    principal.require(permission_for(request.action))?;
    check_version(row.version, expected)?;
    let site = SiteId(row.site_id);
    let state = DeviceState::parse(&row.state)
        .ok_or_else(|| AppError::internal("unreadable device state"))?;
    let media = media_facts(tx.conn(), id).await?;
    let facts = Facts {
        media: &media,
        note: request.note.as_deref(),
        os: request.os.as_deref(),
        checklist: request.checklist.as_ref(),
        target: request.target_state,
    };
    let next = lifecycle::transition(state, request.action, &facts)
        .map_err(|r| refusal(r, state, request.action, &facts))?;
    let transitioned = Transitioned {
        action: Some(request.action),
        from: state,
        to: next,
        version: row.version + 1,
        automatic: false,
        note: crate::patch::clean(request.note),
        os: request
            .os
            .map(|os| os.trim().to_owned())
            .filter(|_| request.action == Action::InstallOs),
        checklist: request
            .checklist
            .filter(|_| request.action == Action::PassQc),
        reason: crate::patch::clean(request.reason),
    };
    let event = tx
        .record(
            Some(site),
            Subject::new(SubjectType::Device, id),
            Change::DeviceTransitioned(transitioned),
        )
        .await?;
    let mut related_events = Vec::new();
    if request.action == Action::Return {
        // The device comes back from a beneficiary: its drives hold their data now.
        for fact in &media {
            related_events.push(media::service::reset_on_return(tx, fact.id).await?);
        }
    }
    if matches!(next, DeviceState::Inventoried | DeviceState::Erasing) {
        related_events.extend(settle(tx, id).await?);
    }
    Ok(TransitionOutcome {
        event,
        device: load(tx.conn(), id).await?,
        related_events,
    })
}

/// Moves a device to `sanitized` if its last medium just became safe.
pub async fn settle(tx: &mut Tx, id: DeviceId) -> Result<Option<Event>, AppError> {
    let row = device::Entity::find_by_id(id.0)
        .one(tx.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    let state = DeviceState::parse(&row.state)
        .ok_or_else(|| AppError::internal("unreadable device state"))?;
    let media = media_facts(tx.conn(), id).await?;
    if !lifecycle::reaches_sanitized(state, &media) {
        return Ok(None);
    }
    let transitioned = Transitioned {
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
    let subject = Subject::new(SubjectType::Device, id);
    Ok(Some(
        tx.record(
            Some(SiteId(row.site_id)),
            subject,
            Change::DeviceTransitioned(transitioned),
        )
        .await?,
    ))
}

/// The problem a refused transition is answered with.
pub fn refusal(
    refusal: Refusal,
    state: DeviceState,
    action: Action,
    facts: &Facts<'_>,
) -> AppError {
    let conflict = axum::http::StatusCode::CONFLICT;
    let allowed: Vec<&str> = lifecycle::allowed_actions(state, facts)
        .into_iter()
        .map(Action::as_str)
        .collect();
    match refusal {
        Refusal::NotAllowed { from, action } => AppError::Refused {
            status: conflict,
            slug: "transition-not-allowed",
            title: "Transition not allowed".into(),
            detail: format!("A device in state `{}` cannot `{}`.", from.as_str(), action.as_str()),
            extra: extra([("state", json!(from)), ("action", json!(action)), ("allowed_actions", json!(allowed))]),
        },
        Refusal::Terminal { state } => AppError::Refused {
            status: conflict,
            slug: "terminal-state",
            title: "Device is in a terminal state".into(),
            detail: format!("A device in state `{}` takes no more events except an admin's correction.", state.as_str()),
            extra: extra([("state", json!(state)), ("action", json!(action))]),
        },
        Refusal::MediaNotSanitized { blocking } => AppError::Refused {
            status: conflict,
            slug: "media-not-sanitized",
            title: "Storage media not sanitized".into(),
            detail: format!(
                "{} storage medium(s) in this device must be sanitized or destroyed first: {}.",
                blocking.len(),
                blocking.iter().map(|m| m.asset_tag.as_str()).collect::<Vec<_>>().join(", ")
            ),
            extra: extra([(
                "blocking_media",
                json!(blocking
                    .iter()
                    .map(|m| json!({"id": m.id, "asset_tag": m.asset_tag, "serial_number": m.serial_number, "state": m.state}))
                    .collect::<Vec<_>>()),
            )]),
        },
        Refusal::HasMedia { count } => AppError::Refused {
            status: conflict,
            slug: "device-has-media",
            title: "Device has storage media".into(),
            detail: format!("This device has {count} storage medium(s) on record: they must be sanitized, not skipped."),
            extra: extra([("media_count", json!(count))]),
        },
        Refusal::Missing { field } => {
            AppError::Validation(vec![FieldError::new(field, format!("is required to `{}`", action.as_str()))])
        }
        Refusal::QcFailed { failing } => AppError::Validation(
            failing.into_iter().map(|item| FieldError::new(format!("checklist.{item}"), "must pass before the device is ready")).collect(),
        ),
    }
}

fn extra<const N: usize>(pairs: [(&str, serde_json::Value); N]) -> Map<String, serde_json::Value> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}
