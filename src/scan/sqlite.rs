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

const DEVICE_COLUMNS: &str = "id, site_id, lot_id, asset_tag, kind, manufacturer, model, serial_number, donor_asset_number, specs, weight_kg, grade, os, state, version, created_at, updated_at";
const MEDIUM_COLUMNS: &str = "id, site_id, device_id, source_device_id, asset_tag, kind, manufacturer, model, serial_number, capacity_bytes, interface, state, version, created_at, updated_at";

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
            let device = conn
                .prepare_cached(&format!(
                    "SELECT {DEVICE_COLUMNS} FROM devices WHERE asset_tag = ?1"
                ))?
                .query_row([tag], device_row)
                .optional()?;
            if let Some(device) = device {
                let media = media_where(conn, "device_id = ?1 ORDER BY asset_tag", device.id)?;
                return Ok(Some((Found::Device(device), Related::Media(media))));
            }
            let medium = conn
                .prepare_cached(&format!(
                    "SELECT {MEDIUM_COLUMNS} FROM media WHERE asset_tag = ?1"
                ))?
                .query_row([tag], medium_row)
                .optional()?;
            let Some(medium) = medium else {
                return Ok(None);
            };
            let holder = match medium.device_id {
                Some(id) => conn
                    .prepare_cached(&format!(
                        "SELECT {DEVICE_COLUMNS} FROM devices WHERE id = ?1"
                    ))?
                    .query_row([id.as_bytes().as_slice()], device_row)
                    .optional()?
                    .map(Box::new),
                None => None,
            };
            Ok(Some((Found::Medium(medium), Related::Holder(holder))))
        })
    }
}

fn media_where(
    conn: &Connection,
    condition: &str,
    id: Uuid,
) -> rusqlite::Result<Vec<medium::Model>> {
    conn.prepare_cached(&format!(
        "SELECT {MEDIUM_COLUMNS} FROM media WHERE {condition}"
    ))?
    .query_map([id.as_bytes().as_slice()], medium_row)?
    .collect()
}

fn conversion(
    index: usize,
    err: impl std::error::Error + Send + Sync + 'static,
) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(err))
}

/// sqlx stores a UUID as its 16 bytes.
fn uuid(row: &Row<'_>, index: usize) -> rusqlite::Result<Uuid> {
    let bytes: Vec<u8> = row.get(index)?;
    Uuid::from_slice(&bytes).map_err(|e| conversion(index, e))
}

fn uuid_opt(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<Uuid>> {
    let bytes: Option<Vec<u8>> = row.get(index)?;
    bytes
        .map(|b| Uuid::from_slice(&b).map_err(|e| conversion(index, e)))
        .transpose()
}

/// sqlx stores a time as RFC 3339 text.
fn time(row: &Row<'_>, index: usize) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = row.get(index)?;
    DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| conversion(index, e))
}

fn device_row(row: &Row<'_>) -> rusqlite::Result<device::Model> {
    let specs: String = row.get(9)?;
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
        specs: serde_json::from_str(&specs).map_err(|e| conversion(9, e))?,
        weight_kg: row.get(10)?,
        grade: row.get(11)?,
        os: row.get(12)?,
        state: row.get(13)?,
        version: row.get(14)?,
        created_at: time(row, 15)?,
        updated_at: time(row, 16)?,
    })
}

fn medium_row(row: &Row<'_>) -> rusqlite::Result<medium::Model> {
    Ok(medium::Model {
        id: uuid(row, 0)?,
        site_id: uuid(row, 1)?,
        device_id: uuid_opt(row, 2)?,
        source_device_id: uuid_opt(row, 3)?,
        asset_tag: row.get(4)?,
        kind: row.get(5)?,
        manufacturer: row.get(6)?,
        model: row.get(7)?,
        serial_number: row.get(8)?,
        capacity_bytes: row.get(9)?,
        interface: row.get(10)?,
        state: row.get(11)?,
        version: row.get(12)?,
        created_at: time(row, 13)?,
        updated_at: time(row, 14)?,
    })
}
