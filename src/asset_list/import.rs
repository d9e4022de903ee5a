//! Registers a parsed asset list as devices of a lot, in one ledger job:
//! every device or none.

use std::collections::HashMap;

use entities::{device, lot};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::{Finding, Issue, Parsed, Reading, Row, Severity};
use crate::auth::{Permission, Principal};
use crate::devices::{Device, NewDevice, service};
use crate::error::AppError;
use crate::ids::LotId;
use crate::state::Tx;

/// The answer to an import or a dry run.
#[derive(Debug, Serialize, ToSchema)]
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

/// Checks the rows against the lot (serials already in it) and, unless
/// `dry_run`, registers every device. Any error: nothing is written.
pub async fn run(
    tx: &mut Tx,
    principal: &Principal,
    lot_id: LotId,
    mut parsed: Parsed,
    dry_run: bool,
) -> Result<AssetListReport, AppError> {
    principal.require(Permission::RegisterDevices)?;
    let lot = lot::Entity::find_by_id(lot_id.0)
        .one(tx.conn())
        .await?
        .filter(|l| principal.can_see_site(l.site_id))
        .ok_or(AppError::NotFound)?;
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
            .filter(device::Column::LotId.eq(lot.id))
            .filter(device::Column::SerialNumber.is_in(chunk.to_vec()))
            .into_tuple()
            .all(tx.conn())
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
    let mut report = AssetListReport {
        dry_run,
        lot_id,
        reading: parsed.reading,
        rows: Vec::new(),
        issues: parsed.issues,
        created: Vec::new(),
    };
    let failed = report.issues.iter().any(|i| i.severity == Severity::Error);
    if failed && !dry_run {
        let count = report
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .count();
        return Err(AppError::Refused {
            status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            slug: "asset-list-invalid",
            title: "The asset list has errors".into(),
            detail: format!(
                "{count} problem(s) to fix first; nothing was imported. See `issues` (by line)."
            ),
            extra: [("issues".to_owned(), json!(report.issues))]
                .into_iter()
                .collect(),
        });
    }
    if !dry_run {
        for row in &parsed.rows {
            let Some(kind) = row.kind else { continue };
            let new = NewDevice {
                lot_id: Some(lot_id),
                site_id: None,
                kind,
                manufacturer: row.manufacturer.clone(),
                model: row.model.clone(),
                serial_number: row.serial_number.clone(),
                donor_asset_number: row.donor_asset_number.clone(),
                specs: Default::default(),
                weight_kg: None,
                grade: None,
            };
            report
                .created
                .push(service::register(tx, principal, new).await?);
        }
    }
    report.rows = parsed.rows;
    Ok(report)
}
