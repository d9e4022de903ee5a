//! Importing an nwipe log: each drive matched to its medium and recorded,
//! or reported as unmatched with the record to write by hand.

use entities::erasure_record;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::drive::{find_medium, proposed};
use super::{Origin, RecordedErasure, write};
use crate::erasure::nwipe::NwipeLog;
use crate::erasure::refusals::ErasureRefused;
use crate::erasure::{Destination, NewErasure, Source};
use crate::error::AppError;
use crate::ids::{DeviceId, MediumId};
use crate::media::MediumState;
use crate::principal::{Permission, Principal};
use crate::state::Tx;

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
