//! Erasure write jobs: recording one erasure by hand, and importing an nwipe
//! log, whose drives are matched to media by serial number, then by model and
//! size. A drive that matches nothing is reported, never dropped.

use entities::{erasure_record, medium, user};
use sea_orm::EntityTrait;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::events::{self, SUBJECT};
use super::{NewErasure, Source, StoredErasure, rules};
use crate::error::AppError;
use crate::ids::{DeviceId, MediumId, SiteId, UserId};
use crate::ledger::{Event, Subject, projection};
use crate::media::refusals::MediumRefused;
use crate::media::{Medium, MediumKind, MediumState};
use crate::patch::clean;
use crate::principal::{Permission, Principal};
use crate::state::Tx;

mod drive;
mod import;

pub use import::{ImportOptions, ImportReport, UnmatchedDrive, import, log_digest};

/// The answer to a recorded erasure: the record, the medium after it, and
/// the events it caused (its medium's change, its device's move to `sanitized`).
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordedErasure {
    pub erasure: StoredErasure,
    pub medium: Medium,
    pub related_events: Vec<Event>,
}

/// Where a record comes from, besides its fields.
#[derive(Debug, Clone)]
pub(super) struct Origin {
    source: Source,
    reference: Option<String>,
    raw_serial_hex: Option<String>,
}

#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id))]
pub async fn record(
    tx: &mut Tx,
    principal: &Principal,
    new: NewErasure,
) -> Result<RecordedErasure, AppError> {
    principal.require(Permission::WorkshopActions)?;
    let row = medium::Entity::find_by_id(new.medium_id.0)
        .one(tx.conn())
        .await?;
    let row = row
        .filter(|m| principal.can_see_site(m.site_id))
        .ok_or_else(|| AppError::field("medium_id", "no such medium"))?;
    write(
        tx,
        principal,
        row,
        new,
        Origin {
            source: Source::Manual,
            reference: None,
            raw_serial_hex: None,
        },
    )
    .await
}

/// A user's account, as the record names its operator and validator by it.
pub(super) async fn account(tx: &Tx, id: UserId) -> Result<Option<user::Model>, AppError> {
    Ok(user::Entity::find_by_id(id.0).one(tx.conn()).await?)
}

/// Records `new` for the medium `row` and moves the medium accordingly.
pub(super) async fn write(
    tx: &mut Tx,
    principal: &Principal,
    row: medium::Model,
    new: NewErasure,
    origin: Origin,
) -> Result<RecordedErasure, AppError> {
    let verification_result = rules::check(&new).map_err(AppError::Validation)?;
    if MediumState::parse(&row.state) == Some(MediumState::Destroyed) {
        return Err(MediumRefused::Destroyed {
            asset_tag: row.asset_tag,
        }
        .into());
    }
    // The operator is an account: the record names them by it.
    account(tx, principal.user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let validator = match new.validator_id {
        None => None,
        Some(id) if id == principal.user_id => {
            return Err(AppError::field(
                "validator_id",
                "the validator is a second person, not the operator",
            ));
        }
        Some(id) => Some(
            account(tx, id)
                .await?
                .filter(|v| v.site_id.is_none_or(|s| s == row.site_id))
                .ok_or_else(|| AppError::field("validator_id", "no such user in this site"))?,
        ),
    };
    let record = events::Recorded {
        site_id: SiteId(row.site_id),
        medium_id: MediumId(row.id),
        device_id: row.device_id.or(row.source_device_id).map(DeviceId),
        medium_kind: serde_json::from_value(row.kind.clone().into()).unwrap_or(MediumKind::Other),
        medium_manufacturer: row.manufacturer.clone(),
        medium_model: row.model.clone(),
        medium_serial: row.serial_number.clone(),
        category: new.category,
        technique: new.technique,
        method: clean(new.method),
        pattern: clean(new.pattern),
        passes: new.passes,
        rounds: new.rounds,
        blanking: new.blanking,
        tool: clean(new.tool),
        tool_version: clean(new.tool_version),
        verification: new.verification,
        verification_result,
        started_at: new.started_at.map(crate::ledger::chain::truncate_to_micros),
        ended_at: new.ended_at.map(crate::ledger::chain::truncate_to_micros),
        bytes_erased: new.bytes_erased,
        error_count: new.error_count,
        errors: clean(new.error_details),
        destination: new.destination,
        operator_id: Some(principal.user_id),
        validator_id: validator.as_ref().map(|v| UserId(v.id)),
        outcome: new.outcome,
        source: origin.source,
        source_reference: origin.reference,
        raw_serial_hex: origin.raw_serial_hex,
        witness: clean(new.witness),
        photo_reference: clean(new.photo_reference),
        notes: clean(new.notes),
    };
    let id = Uuid::now_v7();
    // The medium moves as a consequence (a policy): erased, failed or destroyed.
    let recorded = tx
        .record(Some(record.site_id), Subject::new(SUBJECT, id), record)
        .await?;
    let stored = projection::row::<erasure_record::Entity>(tx.conn(), id)
        .await?
        .try_into()?;
    let stored = super::queries::named(tx.conn(), vec![stored])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok(RecordedErasure {
        erasure: stored,
        medium: crate::media::queries::load(tx.conn(), MediumId(row.id)).await?,
        related_events: recorded.consequences,
    })
}
