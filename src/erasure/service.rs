//! Erasure write jobs: recording one erasure by hand, and importing an nwipe
//! log, whose drives are matched to media by serial number, then by model and
//! size. A drive that matches nothing is reported, never dropped.

use chrono::{DateTime, NaiveDateTime, Utc};
use entities::{erasure_record, medium, user};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::events::{self, SUBJECT};
use super::methods::{self, Method};
use super::nwipe::{Drive, DriveStatus, NwipeLog, VerifyMode};
use super::refusals::ErasureRefused;
use super::{
    Category, Destination, NewErasure, Outcome, Source, StoredErasure, Technique, Verification,
    VerificationResult, rules,
};
use crate::devices::normalize_serial;
use crate::error::AppError;
use crate::ids::{DeviceId, MediumId, SiteId, UserId};
use crate::ledger::{Event, Subject, projection};
use crate::media::refusals::MediumRefused;
use crate::media::{Medium, MediumKind, MediumState};
use crate::patch::clean;
use crate::principal::{Permission, Principal};
use crate::state::Tx;

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
struct Origin {
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
async fn account(tx: &Tx, id: UserId) -> Result<Option<user::Model>, AppError> {
    Ok(user::Entity::find_by_id(id.0).one(tx.conn()).await?)
}

/// Records `new` for the medium `row` and moves the medium accordingly.
async fn write(
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

/// `POST /api/v1/erasures/nwipe` options.
#[derive(Debug, Clone, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportOptions {
    /// Where the erased drives go next (default `reuse_internal`).
    pub destination: Option<Destination>,
    /// Match only the media of this device.
    pub device_id: Option<DeviceId>,
}

/// A drive of the log that no medium matched, with what to record for it by hand.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnmatchedDrive {
    pub device: String,
    pub model: Option<String>,
    /// The serial as readable text (undecodable bytes shown as `�`).
    pub serial: Option<String>,
    pub serial_hex: Option<String>,
    pub size_bytes: Option<u64>,
    /// `erased`, `failed`, `aborted`, `insanity`, `unfinished`, or nwipe's own word.
    pub status: String,
    pub reason: String,
    /// The record to `POST /api/v1/erasures` once a `medium_id` is added.
    #[schema(value_type = Object)]
    pub proposed: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    pub log_sha256: String,
    pub method: Option<String>,
    pub tool_version: Option<String>,
    /// Whether the log has nwipe's summary; without it no drive counts as erased.
    pub complete: bool,
    pub records: Vec<RecordedErasure>,
    pub unmatched: Vec<UnmatchedDrive>,
}

pub fn log_digest(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn utc(at: Option<NaiveDateTime>) -> Option<DateTime<Utc>> {
    at.map(|t| t.and_utc())
}

/// The record a drive of the log stands for (without its medium).
fn proposed(
    log: &NwipeLog,
    drive: &Drive,
    destination: Destination,
) -> Result<NewErasure, AppError> {
    let name = drive.method.as_deref().or(log.method.as_deref());
    let overwrite = match name.map(methods::nwipe) {
        Some(Method::Erasure(o)) => o,
        Some(Method::VerificationOnly) => {
            return Err(ErasureRefused::VerificationOnly {
                method: name.unwrap_or_default().to_owned(),
            }
            .into());
        }
        None => methods::Overwrite {
            category: Category::Clear,
            technique: Technique::Overwrite,
            pattern: "unknown",
            passes: None,
        },
    };
    let verification = match log.verify {
        Some(VerifyMode::LastPass | VerifyMode::AllPasses) => Verification::Full,
        Some(VerifyMode::None) | None => Verification::None,
    };
    let succeeded = drive.succeeded();
    let verification_result = match verification {
        Verification::None => None,
        _ if drive.verify_errors.unwrap_or(0) > 0 || !succeeded => Some(VerificationResult::Failed),
        _ => Some(VerificationResult::Passed),
    };
    // Counts from a file: they add up without wrapping (u64::MAX pass
    // errors and one more are not zero errors).
    let error_count = [drive.pass_errors, drive.verify_errors, drive.sync_errors]
        .iter()
        .flatten()
        .fold(0u64, |total, n| total.saturating_add(*n));
    let mut problems = Vec::new();
    if drive.status != DriveStatus::Erased {
        problems.push(match &drive.status {
            DriveStatus::Unfinished => {
                "the log ends before nwipe's summary: the run did not finish".to_owned()
            }
            DriveStatus::Aborted => "aborted by the user".to_owned(),
            DriveStatus::Insanity => "nwipe's consistency check failed".to_owned(),
            DriveStatus::Failed => "nwipe reports the drive as failed".to_owned(),
            DriveStatus::Other(word) => format!("nwipe status `{word}`"),
            DriveStatus::Erased => String::new(),
        });
    }
    for (count, what) in [
        (drive.pass_errors, "pass"),
        (drive.verify_errors, "verification"),
        (drive.sync_errors, "sync"),
    ] {
        if let Some(n) = count.filter(|n| *n > 0) {
            problems.push(format!("{n} {what} error(s)"));
        }
    }
    let verification_mode = match log.verify {
        Some(VerifyMode::AllPasses) => "verified after every pass",
        Some(VerifyMode::LastPass) => "verified after the last pass",
        _ => "not verified",
    };
    Ok(NewErasure {
        medium_id: MediumId(Uuid::nil()),
        category: overwrite.category,
        technique: overwrite.technique,
        method: name.map(str::to_owned),
        pattern: Some(overwrite.pattern.to_owned()),
        passes: overwrite.passes,
        rounds: log.rounds.and_then(|r| i32::try_from(r).ok()),
        blanking: log.blanking,
        tool: Some("nwipe".into()),
        tool_version: log
            .banner
            .as_deref()
            .map(|b| b.strip_prefix("nwipe ").unwrap_or(b).to_owned()),
        verification,
        verification_result,
        started_at: utc(drive.started_at),
        ended_at: utc(drive.ended_at.or(drive.started_at)),
        bytes_erased: drive
            .bytes_erased
            .or(drive.size_bytes.filter(|_| succeeded))
            .and_then(|b| i64::try_from(b).ok()),
        error_count: i32::try_from(error_count).unwrap_or(i32::MAX),
        error_details: (!problems.is_empty()).then(|| problems.join("; ")),
        destination,
        validator_id: None,
        outcome: if succeeded {
            Outcome::Passed
        } else {
            Outcome::Failed
        },
        witness: None,
        photo_reference: None,
        notes: Some(format!(
            "{verification_mode}; times as logged by the wiping machine{}",
            drive
                .throughput
                .as_deref()
                .map(|t| format!("; throughput {t}"))
                .unwrap_or_default()
        )),
    })
}

/// The medium a drive stands for: by serial number, else by model and exact size.
async fn find_medium(
    tx: &Tx,
    principal: &Principal,
    options: &ImportOptions,
    drive: &Drive,
    taken: &[Uuid],
) -> Result<Result<medium::Model, String>, AppError> {
    let scoped = || {
        // A medium matched by an earlier drive of the same log is not matched twice.
        let mut select = medium::Entity::find()
            .filter(medium::Column::Id.is_not_in(taken.to_vec()))
            .limit(2);
        if let Some(site) = principal.site_scope() {
            select = select.filter(medium::Column::SiteId.eq(site));
        }
        if let Some(device) = options.device_id {
            select = select.filter(
                medium::Column::DeviceId
                    .eq(device.0)
                    .or(medium::Column::SourceDeviceId.eq(device.0)),
            );
        }
        select
    };
    if let Some(serial) = drive
        .serial
        .as_ref()
        .filter(|s| s.is_usable())
        .and_then(|s| normalize_serial(Some(s.text.clone())))
    {
        let found = scoped()
            .filter(medium::Column::SerialNumber.eq(serial.as_str()))
            .all(tx.conn())
            .await?;
        match found.len() {
            1 => return Ok(Ok(found.into_iter().next().ok_or(AppError::NotFound)?)),
            0 => {}
            _ => return Ok(Err(format!("several media have serial number {serial}"))),
        }
    }
    if let (Some(model), Some(size)) = (
        drive.model.as_deref(),
        drive.size_bytes.and_then(|s| i64::try_from(s).ok()),
    ) {
        let found = scoped()
            .filter(
                Expr::expr(Func::lower(Expr::col(medium::Column::Model))).eq(model.to_lowercase()),
            )
            .filter(medium::Column::CapacityBytes.eq(size))
            .all(tx.conn())
            .await?;
        match found.len() {
            1 => return Ok(Ok(found.into_iter().next().ok_or(AppError::NotFound)?)),
            0 => {}
            _ => return Ok(Err(format!("several media are a {model} of {size} bytes"))),
        }
    }
    Ok(Err(
        "no medium has this serial number, nor this model and size".into(),
    ))
}

/// Imports a parsed log, all of it or nothing.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id))]
pub async fn import(
    tx: &mut Tx,
    principal: &Principal,
    log: NwipeLog,
    digest: String,
    options: ImportOptions,
) -> Result<ImportReport, AppError> {
    principal.require(Permission::WorkshopActions)?;
    // A device out of the user's sight is a 404, as everywhere, not an empty match.
    if let Some(device) = options.device_id {
        crate::devices::queries::visible(tx.conn(), principal, device).await?;
    }
    let seen = erasure_record::Entity::find()
        .filter(erasure_record::Column::SourceReference.eq(digest.as_str()))
        .one(tx.conn())
        .await?;
    if seen.is_some() {
        return Err(ErasureRefused::LogAlreadyImported.into());
    }
    let destination = options.destination.unwrap_or(Destination::ReuseInternal);
    let mut records = Vec::new();
    let mut unmatched = Vec::new();
    for drive in &log.drives {
        let new = proposed(&log, drive, destination)?;
        let origin = Origin {
            source: Source::Nwipe,
            reference: Some(digest.clone()),
            raw_serial_hex: drive.serial.as_ref().map(|s| s.raw_hex.clone()),
        };
        let taken: Vec<Uuid> = records
            .iter()
            .map(|r: &RecordedErasure| r.medium.id.0)
            .collect();
        let reason = match find_medium(tx, principal, &options, drive, &taken).await? {
            Ok(row) if MediumState::parse(&row.state) == Some(MediumState::Destroyed) => {
                format!("medium {} is already destroyed", row.asset_tag)
            }
            Ok(row) => {
                let new = NewErasure {
                    medium_id: MediumId(row.id),
                    ..new
                };
                records.push(write(tx, principal, row, new, origin).await?);
                continue;
            }
            Err(reason) => reason,
        };
        unmatched.push(UnmatchedDrive {
            device: drive.device.clone(),
            model: drive.model.clone(),
            serial: drive.serial.as_ref().map(|s| s.text.clone()),
            serial_hex: drive.serial.as_ref().map(|s| s.raw_hex.clone()),
            size_bytes: drive.size_bytes,
            status: drive.status.as_text().to_owned(),
            reason,
            proposed: serde_json::to_value(&new).map_err(AppError::internal)?,
        });
    }
    Ok(ImportReport {
        log_sha256: digest,
        method: log.method.clone(),
        tool_version: log.banner.clone(),
        complete: log.complete,
        records,
        unmatched,
    })
}
