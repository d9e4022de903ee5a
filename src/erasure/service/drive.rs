//! What a drive of an nwipe log stands for: the record to write, and the
//! medium it was taken from.

use chrono::{DateTime, NaiveDateTime, Utc};
use entities::medium;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::ImportOptions;
use crate::devices::normalize_serial;
use crate::erasure::methods::{self, Method};
use crate::erasure::nwipe::{Drive, DriveStatus, NwipeLog, VerifyMode};
use crate::erasure::refusals::ErasureRefused;
use crate::erasure::{
    Category, Destination, NewErasure, Outcome, Technique, Verification, VerificationResult,
};
use crate::error::AppError;
use crate::ids::MediumId;
use crate::principal::Principal;
use crate::state::Tx;

pub(super) fn utc(at: Option<NaiveDateTime>) -> Option<DateTime<Utc>> {
    at.map(|t| t.and_utc())
}

/// The record a drive of the log stands for (without its medium).
pub(super) fn proposed(
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
pub(super) async fn find_medium(
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
