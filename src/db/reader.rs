//! Reads straight from the SQLite file on the calling thread, through a
//! synchronous connection (rusqlite, over the same SQLite library as sqlx).
//!
//! Why a second way in: through sqlx's SQLite driver every statement is a
//! round trip to the connection's worker thread — 40 to 80 µs on a small
//! machine, many times SQLite's own work for an indexed read. The hottest
//! reads (a scan) use this pool; everything else goes through sea-orm.

use std::path::PathBuf;
use std::sync::Mutex;

use rusqlite::{Connection, OpenFlags};

use crate::error::AppError;

/// Connections kept between reads; more are opened when busier, then dropped.
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

impl SqliteReader {
    /// A reader for the database at `url`, if it is an SQLite file.
    pub fn for_url(url: &str) -> Option<Self> {
        let path = super::sqlite_path(url)?;
        Some(Self {
            path: PathBuf::from(path),
            idle: Mutex::new(Vec::new()),
        })
    }

    /// Runs `read` on an idle read-only connection (or a new one).
    pub fn with<T>(
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
}
