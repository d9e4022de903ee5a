//! The asset reconciliation file: one line per device a donor gave, for
//! their IT to write each asset off its register with the proof an auditor
//! asks for — what became of it and when, how its drives were erased, and
//! the certificate that says so with the address that verifies it.

use std::collections::HashMap;

use chrono::NaiveDate;
use entities::{certificate, device, device_departure, lot};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::queries::{drives_of, is_erased};
use crate::devices::DeviceState;
use crate::error::AppError;

/// The columns, in order, as the file's first line names them.
pub const HEADERS: [&str; 13] = [
    "donor_asset_number",
    "serial_number",
    "manufacturer",
    "model",
    "kind",
    "asset_tag",
    "outcome",
    "outcome_date",
    "erasure_standard",
    "erasure_result",
    "certificate_number",
    "certificate_verify_url",
    "lot_received_on",
];

/// One device of the lot.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub donor_asset_number: String,
    pub serial_number: String,
    pub manufacturer: String,
    pub model: String,
    pub kind: String,
    pub asset_tag: String,
    /// `reused`, `recycled`, `dismantled`, `lost` or `in_progress`.
    pub outcome: &'static str,
    pub outcome_date: Option<NaiveDate>,
    /// e.g. `NIST SP 800-88 Rev. 1 purge (crypto_erase)`, one per drive.
    pub erasure_standard: String,
    /// `passed`, `failed`, `destroyed`, `no_storage` or `pending`, one per drive.
    pub erasure_result: String,
    pub certificate_number: String,
    pub certificate_verify_url: String,
    pub lot_received_on: NaiveDate,
}

fn outcome(state: Option<DeviceState>) -> &'static str {
    match state {
        Some(DeviceState::Delivered) => "reused",
        Some(DeviceState::Recycled) => "recycled",
        Some(DeviceState::Dismantled) => "dismantled",
        Some(DeviceState::Lost) => "lost",
        _ => "in_progress",
    }
}

/// The lines of `lot`, by asset tag.
pub async fn lines(
    db: &impl ConnectionTrait,
    lot: Uuid,
    public_url: &str,
    key: &crate::ledger::keys::InstanceKey,
) -> Result<Vec<Line>, AppError> {
    let lot = lot::Entity::find_by_id(lot)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let devices = device::Entity::find()
        .filter(device::Column::LotId.eq(lot.id))
        .order_by_asc(device::Column::AssetTag)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = devices.iter().map(|d| d.id).collect();
    let (drives, records) = drives_of(db, &ids).await?;
    // When each device left, if it is still gone.
    let left: HashMap<Uuid, NaiveDate> = device_departure::Entity::find()
        .filter(device_departure::Column::DeviceId.is_in(ids.clone()))
        .filter(device_departure::Column::ReturnedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.device_id, d.at.date_naive()))
        .collect();
    // The latest certificate naming each device or drive; else the lot's.
    let mut subjects = ids.clone();
    subjects.extend(drives.values().flatten().map(|m| m.id));
    subjects.push(lot.id);
    let mut latest: HashMap<Uuid, String> = HashMap::new();
    for c in certificate::Entity::find()
        .filter(certificate::Column::SubjectId.is_in(subjects))
        .order_by_asc(certificate::Column::IssuedAt)
        .all(db)
        .await?
    {
        latest.insert(c.subject_id, c.number);
    }
    Ok(devices
        .into_iter()
        .map(|d| {
            let own = drives.get(&d.id).map(Vec::as_slice).unwrap_or_default();
            let (standard, result) = if own.is_empty() {
                let result = if is_erased(own, &d.state) {
                    "no_storage"
                } else {
                    "pending"
                };
                (String::new(), result.to_owned())
            } else {
                let standards: Vec<String> = own
                    .iter()
                    .map(|m| {
                        records.get(&m.id).map_or_else(String::new, |r| {
                            format!("NIST SP 800-88 Rev. 1 {} ({})", r.category, r.technique)
                        })
                    })
                    .collect();
                let results: Vec<&str> = own
                    .iter()
                    .map(|m| match (m.state.as_str(), records.get(&m.id)) {
                        ("destroyed", _) => "destroyed",
                        (_, Some(r)) => r.outcome.as_str(),
                        (_, None) => "pending",
                    })
                    .collect();
                (standards.join(" + "), results.join(" + "))
            };
            let number = std::iter::once(d.id)
                .chain(own.iter().map(|m| m.id))
                .filter_map(|subject| latest.get(&subject))
                .max()
                .or_else(|| latest.get(&lot.id))
                .cloned()
                .unwrap_or_default();
            Line {
                donor_asset_number: d.donor_asset_number.unwrap_or_default(),
                serial_number: d.serial_number.unwrap_or_default(),
                manufacturer: d.manufacturer.unwrap_or_default(),
                model: d.model.unwrap_or_default(),
                kind: d.kind,
                asset_tag: d.asset_tag,
                outcome: outcome(DeviceState::parse(&d.state)),
                outcome_date: left.get(&d.id).copied(),
                erasure_standard: standard,
                erasure_result: result,
                certificate_verify_url: if number.is_empty() {
                    String::new()
                } else {
                    crate::certificates::verification::url(public_url, key, &number)
                },
                certificate_number: number,
                lot_received_on: lot.received_on,
            }
        })
        .collect())
}

/// The file, as every CSV of Retrace is written (`spreadsheet`): the
/// donor's IT opens it in a spreadsheet, and a donor's asset number or an
/// lshw string that reads as a formula stays text.
pub fn write(lines: &[Line]) -> Result<Vec<u8>, AppError> {
    let mut sheet = crate::spreadsheet::Sheet::new();
    sheet.row(HEADERS.iter().copied())?;
    for l in lines {
        let date = l.outcome_date.map(|d| d.to_string()).unwrap_or_default();
        let received = l.lot_received_on.to_string();
        sheet.row([
            l.donor_asset_number.as_str(),
            &l.serial_number,
            &l.manufacturer,
            &l.model,
            &l.kind,
            &l.asset_tag,
            l.outcome,
            &date,
            &l.erasure_standard,
            &l.erasure_result,
            &l.certificate_number,
            &l.certificate_verify_url,
            &received,
        ])?;
    }
    sheet.finish()
}

/// The file name a download gets.
pub fn file_name(received_on: NaiveDate) -> String {
    format!("retrace-rapprochement-actifs_{received_on}.csv")
}
