//! A donor's asset list against its lot: checked on the read pool (a dry run
//! writes nothing and never waits for the writer), then registered in one
//! ledger job — every device or none.

use std::collections::HashMap;

use entities::device;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;

use super::refusals::AssetListInvalid;
use super::{Finding, Issue, Parsed, Reading, Row, Severity, parse};
use crate::devices::{Device, NewDevice, service};
use crate::error::AppError;
use crate::ids::{DeviceId, LotId};
use crate::principal::{Permission, Principal};
use crate::state::AppState;

/// The answer to an import or a dry run.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssetListReport {
    pub dry_run: bool,
    pub lot_id: LotId,
    pub reading: Reading,
    /// The rows read (in a dry run: what would be created).
    pub rows: Vec<Row>,
    /// Every problem, by line; errors stop the import.
    pub issues: Vec<Issue>,
    /// The devices registered, with their asset tags (empty in a dry run).
    pub created: Vec<Device>,
}

impl AssetListReport {
    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(|i| i.severity == Severity::Error)
    }
}

/// Reads the file and checks its rows against the lot (serials already in
/// it): what an import would do, and every problem by line. Writes nothing.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, lot = %lot_id))]
pub async fn check(
    db: &impl ConnectionTrait,
    principal: &Principal,
    lot_id: LotId,
    bytes: &[u8],
) -> Result<AssetListReport, AppError> {
    principal.require(Permission::RegisterDevices)?;
    let lot = crate::lots::queries::get(db, principal, lot_id).await?;
    let mut parsed: Parsed = parse(bytes);
    let serials: Vec<String> = parsed
        .rows
        .iter()
        .filter_map(|r| r.serial_number.clone())
        .collect();
    let mut known: HashMap<String, String> = HashMap::new();
    for chunk in serials.chunks(500) {
        let rows: Vec<(Option<String>, String)> = device::Entity::find()
            .select_only()
            .column(device::Column::SerialNumber)
            .column(device::Column::AssetTag)
            .filter(device::Column::LotId.eq(lot.id.0))
            .filter(device::Column::SerialNumber.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        known.extend(rows.into_iter().filter_map(|(s, t)| s.map(|s| (s, t))));
    }
    for row in &parsed.rows {
        if let Some(tag) = row.serial_number.as_ref().and_then(|s| known.get(s)) {
            parsed.issues.push(Issue::new(
                row.line,
                "serial_number",
                Finding::AlreadyInLot {
                    asset_tag: tag.clone(),
                },
            ));
        }
    }
    parsed.issues.sort_by_key(|i| i.line);
    Ok(AssetListReport {
        dry_run: true,
        lot_id,
        reading: parsed.reading,
        rows: parsed.rows,
        issues: parsed.issues,
        created: Vec::new(),
    })
}

/// Checks the file, then registers every device of it in one ledger job.
/// Any error, in the file or in the job: nothing is written.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, lot = %lot_id))]
pub async fn import(
    state: &AppState,
    principal: &Principal,
    lot_id: LotId,
    bytes: &[u8],
) -> Result<AssetListReport, AppError> {
    let mut report = check(&state.db, principal, lot_id, bytes).await?;
    if report.has_errors() {
        return Err(AssetListInvalid {
            issues: report.issues,
        }
        .into());
    }
    let rows = report.rows.clone();
    let ids: Vec<DeviceId> = state
        .write_now(principal, move |tx, registrar| {
            Box::pin(async move {
                let mut created = Vec::new();
                for row in rows {
                    let Some(kind) = row.kind else { continue };
                    let new = NewDevice {
                        lot_id: Some(lot_id),
                        site_id: None,
                        kind,
                        manufacturer: row.manufacturer,
                        model: row.model,
                        serial_number: row.serial_number,
                        donor_asset_number: row.donor_asset_number,
                        specs: Default::default(),
                        weight_kg: None,
                        grade: None,
                    };
                    // Registering checks the serial against the lot again, as it is now.
                    created.push(service::register(tx, registrar, new).await?.id);
                }
                Ok(created)
            })
        })
        .await?;
    report.created = crate::devices::queries::many(&state.db, &ids).await?;
    report.dry_run = false;
    Ok(report)
}
