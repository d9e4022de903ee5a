//! Rows of the tables read straight from SQLite with rusqlite (`reader`),
//! as sqlx wrote them: the hottest reads (a scan, a device by id) skip the
//! round trip to sqlx's worker thread. The statements and the readers of
//! their rows live together here, so that a column list and its reader
//! cannot drift apart.

use chrono::{DateTime, Utc};
use entities::{device, medium};
use rusqlite::{OptionalExtension, Row};
use uuid::Uuid;

use super::reader::SqliteReader;
use crate::error::AppError;

/// A device and its media, by the device's tag: [`device`] from 0, then
/// [`medium`] from [`DEVICE_WIDTH`] (null when the device has none).
pub const DEVICE_WITH_MEDIA_BY_TAG: &str = "SELECT d.id, d.site_id, d.lot_id, d.asset_tag, d.kind, d.manufacturer, d.model, d.serial_number, d.donor_asset_number, d.specs, d.weight_kg, d.grade, d.os, d.state, d.version, d.created_at, d.updated_at, m.id, m.site_id, m.device_id, m.source_device_id, m.asset_tag, m.kind, m.manufacturer, m.model, m.serial_number, m.capacity_bytes, m.interface, m.state, m.version, m.created_at, m.updated_at FROM devices d LEFT JOIN media m ON m.device_id = d.id WHERE d.asset_tag = ?1";
/// How many columns [`device`] reads: where the medium's start.
pub const DEVICE_WIDTH: usize = 17;
/// A medium by its tag, for [`medium`].
pub const MEDIUM_BY_TAG: &str = "SELECT id, site_id, device_id, source_device_id, asset_tag, kind, manufacturer, model, serial_number, capacity_bytes, interface, state, version, created_at, updated_at FROM media WHERE asset_tag = ?1";
/// A device by its id, for [`device`].
pub const DEVICE_BY_ID: &str = "SELECT id, site_id, lot_id, asset_tag, kind, manufacturer, model, serial_number, donor_asset_number, specs, weight_kg, grade, os, state, version, created_at, updated_at FROM devices WHERE id = ?1";

/// The device with this id, if any.
pub fn device_by_id(reader: &SqliteReader, id: Uuid) -> Result<Option<device::Model>, AppError> {
    reader.with(|conn| {
        conn.prepare_cached(DEVICE_BY_ID)?
            .query_row([id.as_bytes().as_slice()], |row| device(row, 0))
            .optional()
    })
}

fn conversion(
    index: usize,
    err: impl std::error::Error + Send + Sync + 'static,
) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(err))
}

/// sqlx stores a UUID as its 16 bytes; read in place, not copied out first.
fn uuid(row: &Row<'_>, index: usize) -> rusqlite::Result<Uuid> {
    uuid_opt(row, index)?.ok_or_else(|| {
        rusqlite::Error::InvalidColumnType(index, "uuid".into(), rusqlite::types::Type::Null)
    })
}

fn uuid_opt(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<Uuid>> {
    row.get_ref(index)?
        .as_blob_or_null()?
        .map(|bytes| Uuid::from_slice(bytes).map_err(|e| conversion(index, e)))
        .transpose()
}

/// sqlx stores a time as RFC 3339 text.
fn time(row: &Row<'_>, index: usize) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(row.get_ref(index)?.as_str()?)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| conversion(index, e))
}

/// A device from `row`, its columns from `at` (as [`DEVICE_BY_ID`] lists them).
pub fn device(row: &Row<'_>, at: usize) -> rusqlite::Result<device::Model> {
    let specs = row.get_ref(at + 9)?.as_str()?;
    Ok(device::Model {
        id: uuid(row, at)?,
        site_id: uuid(row, at + 1)?,
        lot_id: uuid_opt(row, at + 2)?,
        asset_tag: row.get(at + 3)?,
        kind: row.get(at + 4)?,
        manufacturer: row.get(at + 5)?,
        model: row.get(at + 6)?,
        serial_number: row.get(at + 7)?,
        donor_asset_number: row.get(at + 8)?,
        specs: serde_json::from_str(specs).map_err(|e| conversion(at + 9, e))?,
        weight_kg: row.get(at + 10)?,
        grade: row.get(at + 11)?,
        os: row.get(at + 12)?,
        state: row.get(at + 13)?,
        version: row.get(at + 14)?,
        created_at: time(row, at + 15)?,
        updated_at: time(row, at + 16)?,
    })
}

/// A medium from `row`, its columns from `at` (as [`MEDIUM_BY_TAG`] lists them).
pub fn medium(row: &Row<'_>, at: usize) -> rusqlite::Result<medium::Model> {
    Ok(medium::Model {
        id: uuid(row, at)?,
        site_id: uuid(row, at + 1)?,
        device_id: uuid_opt(row, at + 2)?,
        source_device_id: uuid_opt(row, at + 3)?,
        asset_tag: row.get(at + 4)?,
        kind: row.get(at + 5)?,
        manufacturer: row.get(at + 6)?,
        model: row.get(at + 7)?,
        serial_number: row.get(at + 8)?,
        capacity_bytes: row.get(at + 9)?,
        interface: row.get(at + 10)?,
        state: row.get(at + 11)?,
        version: row.get(at + 12)?,
        created_at: time(row, at + 13)?,
        updated_at: time(row, at + 14)?,
    })
}
