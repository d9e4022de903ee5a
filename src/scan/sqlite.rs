//! Scan lookups on embedded SQLite, through the synchronous reader
//! (`db::reader`). A scan is the workshop's most frequent request and costs
//! two reads; through sqlx each is a round trip to a worker thread, here a
//! few microseconds. Only the lookup by asset tag takes this path; the
//! answer is assembled by the same code as any other scan, and PostgreSQL
//! (or anything unusual: a typo, a serial) goes the ordinary way.

use chrono::{DateTime, Utc};
use entities::{device, medium};
use rusqlite::{OptionalExtension, Row};
use uuid::Uuid;

use super::{Found, Related};
use crate::db::reader::SqliteReader;
use crate::error::AppError;

/// A device and its media in one statement: a scan's usual question. The
/// media are put in tag order by the caller: an `ORDER BY` here would make
/// SQLite build a sorter for each scan, for a handful of rows.
const DEVICE_WITH_MEDIA: &str = "SELECT d.id, d.site_id, d.lot_id, d.asset_tag, d.kind, d.manufacturer, d.model, d.serial_number, d.donor_asset_number, d.specs, d.weight_kg, d.grade, d.os, d.state, d.version, d.created_at, d.updated_at, m.id, m.site_id, m.device_id, m.source_device_id, m.asset_tag, m.kind, m.manufacturer, m.model, m.serial_number, m.capacity_bytes, m.interface, m.state, m.version, m.created_at, m.updated_at FROM devices d LEFT JOIN media m ON m.device_id = d.id WHERE d.asset_tag = ?1";
const MEDIUM_BY_TAG: &str = "SELECT id, site_id, device_id, source_device_id, asset_tag, kind, manufacturer, model, serial_number, capacity_bytes, interface, state, version, created_at, updated_at FROM media WHERE asset_tag = ?1";
const DEVICE_BY_ID: &str = "SELECT id, site_id, lot_id, asset_tag, kind, manufacturer, model, serial_number, donor_asset_number, specs, weight_kg, grade, os, state, version, created_at, updated_at FROM devices WHERE id = ?1";
/// Where the medium's columns start in a [`DEVICE_WITH_MEDIA`] row.
const MEDIUM_OFFSET: usize = 17;

/// The device or medium with this tag, with its media or the device it is in.
pub fn by_tag(reader: &SqliteReader, tag: &str) -> Result<Option<(Found, Related)>, AppError> {
    reader.with(|conn| {
        let mut statement = conn.prepare_cached(DEVICE_WITH_MEDIA)?;
        let mut rows = statement.query([tag])?;
        let mut device = None;
        let mut media = Vec::new();
        while let Some(row) = rows.next()? {
            if device.is_none() {
                device = Some(device_row(row)?);
            }
            if row.get_ref(MEDIUM_OFFSET)?.as_bytes_or_null()?.is_some() {
                media.push(medium_row(row, MEDIUM_OFFSET)?);
            }
        }
        if let Some(device) = device {
            media.sort_unstable_by(|a: &medium::Model, b| a.asset_tag.cmp(&b.asset_tag));
            return Ok(Some((Found::Device(device), Related::Media(media))));
        }
        let medium = conn
            .prepare_cached(MEDIUM_BY_TAG)?
            .query_row([tag], |row| medium_row(row, 0))
            .optional()?;
        let Some(medium) = medium else {
            return Ok(None);
        };
        let holder = match medium.device_id {
            Some(id) => conn
                .prepare_cached(DEVICE_BY_ID)?
                .query_row([id.as_bytes().as_slice()], device_row)
                .optional()?
                .map(Box::new),
            None => None,
        };
        Ok(Some((Found::Medium(medium), Related::Holder(holder))))
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

fn device_row(row: &Row<'_>) -> rusqlite::Result<device::Model> {
    let specs = row.get_ref(9)?.as_str()?;
    Ok(device::Model {
        id: uuid(row, 0)?,
        site_id: uuid(row, 1)?,
        lot_id: uuid_opt(row, 2)?,
        asset_tag: row.get(3)?,
        kind: row.get(4)?,
        manufacturer: row.get(5)?,
        model: row.get(6)?,
        serial_number: row.get(7)?,
        donor_asset_number: row.get(8)?,
        specs: serde_json::from_str(specs).map_err(|e| conversion(9, e))?,
        weight_kg: row.get(10)?,
        grade: row.get(11)?,
        os: row.get(12)?,
        state: row.get(13)?,
        version: row.get(14)?,
        created_at: time(row, 15)?,
        updated_at: time(row, 16)?,
    })
}

fn medium_row(row: &Row<'_>, at: usize) -> rusqlite::Result<medium::Model> {
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
