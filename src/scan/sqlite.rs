//! Scan lookups on embedded SQLite, read on the calling thread through a
//! synchronous connection (rusqlite, over the same SQLite library as sqlx).
//!
//! Why a second way in: through sqlx's SQLite driver every statement is a
//! round trip to the connection's worker thread — 40 to 80 µs on a small
//! machine, many times SQLite's own work for an indexed read. A scan is the
//! workshop's most frequent request and costs two such reads; here they cost
//! a few microseconds each. Only the lookup by asset tag takes this path; the
//! answer is assembled by the same code as any other scan, and PostgreSQL
//! (or anything unusual: a typo, a serial) goes the ordinary way.

use std::path::PathBuf;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use entities::{device, medium};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row};
use uuid::Uuid;

use super::{Found, Related};
use crate::error::AppError;

/// Connections kept between scans; more are opened when busier, then dropped.
const KEEP: usize = 8;

pub struct SqliteReader {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl std::fmt::Debug for SqliteReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteReader")
            .field("path", &self.path)
            .finish()
    }
}

/// A device and its media in one statement: a scan's usual question. The
/// media are put in tag order by the caller: an `ORDER BY` here would make
/// SQLite build a sorter for each scan, for a handful of rows.
const DEVICE_WITH_MEDIA: &str = "SELECT d.id, d.site_id, d.lot_id, d.asset_tag, d.kind, d.manufacturer, d.model, d.serial_number, d.donor_asset_number, d.specs, d.weight_kg, d.grade, d.os, d.state, d.version, d.created_at, d.updated_at, m.id, m.site_id, m.device_id, m.source_device_id, m.asset_tag, m.kind, m.manufacturer, m.model, m.serial_number, m.capacity_bytes, m.interface, m.state, m.version, m.created_at, m.updated_at FROM devices d LEFT JOIN media m ON m.device_id = d.id WHERE d.asset_tag = ?1";
const MEDIUM_BY_TAG: &str = "SELECT id, site_id, device_id, source_device_id, asset_tag, kind, manufacturer, model, serial_number, capacity_bytes, interface, state, version, created_at, updated_at FROM media WHERE asset_tag = ?1";
const DEVICE_BY_ID: &str = "SELECT id, site_id, lot_id, asset_tag, kind, manufacturer, model, serial_number, donor_asset_number, specs, weight_kg, grade, os, state, version, created_at, updated_at FROM devices WHERE id = ?1";
/// Where the medium's columns start in a [`DEVICE_WITH_MEDIA`] row.
const MEDIUM_OFFSET: usize = 17;

impl SqliteReader {
    /// A reader for the database at `url`, if it is an SQLite file.
    pub fn for_url(url: &str) -> Option<Self> {
        let path = crate::db::sqlite_path(url)?;
        Some(Self {
            path: PathBuf::from(path),
            idle: Mutex::new(Vec::new()),
        })
    }

    fn with<T>(
        &self,
        read: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, AppError> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let conn = match idle {
            Some(conn) => conn,
            None => self.open().map_err(AppError::internal)?,
        };
        let result = read(&conn).map_err(AppError::internal);
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < KEEP
        {
            idle.push(conn);
        }
        result
    }

    fn open(&self) -> rusqlite::Result<Connection> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // Pages read through a memory map cost no system call: with a million
        // devices, each lookup walks a few index pages.
        conn.pragma_update(None, "mmap_size", 1_i64 << 30)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        Ok(conn)
    }

    /// The device or medium with this tag, with its media or the device it is in.
    pub fn by_tag(&self, tag: &str) -> Result<Option<(Found, Related)>, AppError> {
        self.with(|conn| {
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
