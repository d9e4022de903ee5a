//! Opening the database: embedded SQLite by default (WAL, `synchronous=FULL`
//! so an acknowledged write is on disk), PostgreSQL when the URL says so.

pub mod conn;
pub mod inline;
pub mod reader;
pub mod rows;

use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use crate::config::Settings;

/// Connects the read pool to the configured database, creating the SQLite
/// file and its directory if needed.
pub async fn connect(settings: &Settings) -> Result<DatabaseConnection, DbErr> {
    connect_with(settings, if settings.is_sqlite() { 8 } else { 16 }).await
}

/// Connects with at most `pool_size` connections (the ledger writer uses one).
pub async fn connect_with(
    settings: &Settings,
    pool_size: u32,
) -> Result<DatabaseConnection, DbErr> {
    let url = settings.database_url.expose();
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(10));
    if settings.is_sqlite() {
        if let Some(path) = sqlite_path(url)
            && let Some(dir) = std::path::Path::new(&path).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", dir.display())))?;
            // The directory is restricted only when it is the data
            // directory: a database put elsewhere (`/tmp/…`) leaves its
            // directory to whoever owns it.
            let own = (dir == settings.data_dir.as_path()).then_some(dir);
            keep_private(own, std::path::Path::new(&path))
                .map_err(|e| DbErr::Custom(format!("cannot restrict {}: {e}", dir.display())))?;
        }
        // Readers never block the writer in WAL mode; more than a few connections
        // buys nothing on SQLite. A local file does not go stale: testing each
        // connection before use would cost a round trip on every query.
        options
            .max_connections(pool_size)
            .min_connections(1)
            .test_before_acquire(false)
            .map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
                    // Deleted rows are zeroed, not left in free pages: a
                    // beneficiary's erased name must be found nowhere.
                    .pragma("secure_delete", "ON")
                    // At a million devices the indexes outgrow SQLite's 2 MB
                    // default cache: every miss was a read() system call.
                    // Pages are mapped instead, and each connection keeps 32 MB.
                    .pragma("cache_size", "-32768")
                    .pragma("mmap_size", "1073741824")
            });
    } else {
        options.max_connections(pool_size).min_connections(1);
    }
    Database::connect(options).await
}

/// Applies every pending migration. The projections a migration adds are
/// derived by their domains afterwards (`retrace::migrate`).
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// The files SQLite keeps beside a database file (`retrace.db-wal`…), and
/// reads as that file's own when it opens it.
const BESIDE: [&str; 3] = ["-wal", "-shm", "-journal"];

/// The database file at `database` and the files SQLite keeps beside it.
pub fn with_beside(database: &std::path::Path) -> impl Iterator<Item = std::path::PathBuf> {
    std::iter::once("").chain(BESIDE).map(move |suffix| {
        let mut file = database.as_os_str().to_owned();
        file.push(suffix);
        file.into()
    })
}

/// The data directory (when given) readable by its owner only (0700), and the database
/// file, created if need be, 0600 — whatever the umask, and on every start,
/// so that an instance created before keeps to it too. SQLite gives the
/// files beside it the database file's mode.
pub fn keep_private(
    dir: Option<&std::path::Path>,
    database: &std::path::Path,
) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        if let Some(dir) = dir {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
        // A file that exists is never opened here. Closing a descriptor of a
        // file drops every POSIX lock this process holds on it, and so the
        // SQLite connections' locks too (this runs again for each pool, while
        // the others are open): an outside reader closing last (`sqlite3`, a
        // script) then deleted the WAL the server went on writing, and a power
        // cut took back every write acknowledged since.
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(database)
        {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(e),
            _ => {}
        }
        for file in with_beside(database) {
            match std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (dir, database);
    Ok(())
}

/// The SQLite file `settings` name, if they name one (not PostgreSQL, not
/// an in-memory database).
pub fn sqlite_file(settings: &Settings) -> Option<String> {
    settings
        .is_sqlite()
        .then(|| sqlite_path(settings.database_url.expose()))
        .flatten()
}

pub fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then(|| path.to_owned())
}

/// After personal data was deleted and the deletion committed, removes what
/// the storage engine still keeps of it. SQLite (with `secure_delete` on)
/// has zeroed the rows in its pages, but older copies of those pages sit in
/// the WAL until a checkpoint truncates it; PostgreSQL keeps dead tuples
/// until `tables` are rewritten.
pub async fn scrub(db: &DatabaseConnection, tables: &[&str]) -> Result<(), crate::error::AppError> {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            // A reader holding an old snapshot makes the checkpoint stop short
            // (busy = 1); readers are brief, so a few tries get past them.
            for _ in 0..50 {
                let row = db
                    .query_one_raw(Statement::from_string(
                        DbBackend::Sqlite,
                        "PRAGMA wal_checkpoint(TRUNCATE)",
                    ))
                    .await?;
                let busy: i32 = row.map(|r| r.try_get_by_index(0)).transpose()?.unwrap_or(0);
                if busy == 0 {
                    return Ok(());
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(crate::error::AppError::internal(
                "the WAL could not be checkpointed",
            ))
        }
        DbBackend::Postgres => {
            // A deleted row stays in the table's file while any transaction
            // older than the deletion runs, in this database or any other
            // (a snapshot's horizon is the oldest transaction still running
            // on the server, VACUUM FULL's own included): VACUUM FULL would
            // copy it, "recently dead", into the new file. So wait (a bounded
            // while) until every transaction older than now has ended and no
            // snapshot of this database is older, then rewrite the tables.
            let marker: i64 = query_i64(db, "SELECT txid_current()").await?;
            let settled = format!(
                "SELECT CASE WHEN txid_snapshot_xmin(txid_current_snapshot()) > {marker} \
                   AND NOT EXISTS (SELECT 1 FROM pg_stat_activity \
                     WHERE pid <> pg_backend_pid() AND datname = current_database() \
                       AND backend_xmin IS NOT NULL \
                       AND age(backend_xmin) >= age('{}'::xid)) THEN 1 ELSE 0 END::bigint",
                marker % (1 << 32)
            );
            let mut waited = 0;
            while query_i64(db, &settled).await? == 0 {
                if waited == 250 {
                    tracing::warn!(
                        "a long transaction may keep deleted personal data in the tables' files \
                         until the next VACUUM FULL"
                    );
                    break;
                }
                waited += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            db.execute_unprepared(&format!("VACUUM FULL {}", tables.join(", ")))
                .await?;
            Ok(())
        }
        _ => Ok(()),
    }
}

/// One integer a PostgreSQL query answers.
async fn query_i64(db: &DatabaseConnection, sql: &str) -> Result<i64, crate::error::AppError> {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let row = db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await?;
    Ok(row.map(|r| r.try_get_by_index(0)).transpose()?.unwrap_or(0))
}

/// Keeps this thread, and the threads it starts, on one CPU of those the
/// process may use (the last).
///
/// Called by a thread that drives an SQLite connection of its own (the
/// ledger writer, a replay) before it connects. Why: through sqlx, each
/// statement is a hand-off between this thread and the SQLite connection's
/// worker thread, which sqlx starts from here and which so inherits this
/// mask. On one CPU a hand-off is a switch
/// between two threads; across two it is a wake-up of the other CPU, which
/// on a virtual machine is often halted and takes tens of microseconds to
/// come back — a batch is hundreds of hand-offs. The HTTP workers keep every
/// CPU. Without a mask to read or set, the thread runs where it is.
pub fn share_one_cpu() {
    use rustix::thread::{CpuSet, sched_getaffinity, sched_setaffinity};
    let Ok(allowed) = sched_getaffinity(None) else {
        return;
    };
    let Some(last) = (0..CpuSet::MAX_CPU).rev().find(|&cpu| allowed.is_set(cpu)) else {
        return;
    };
    let mut one = CpuSet::new();
    one.set(last);
    if let Err(err) = sched_setaffinity(None, &one) {
        tracing::debug!(error = %err, "this SQLite connection keeps every CPU");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sqlite_file_is_found_in_its_url() {
        assert_eq!(
            sqlite_path("sqlite://data/retrace.db?mode=rwc").as_deref(),
            Some("data/retrace.db")
        );
        assert_eq!(
            sqlite_path("sqlite:///tmp/x.db").as_deref(),
            Some("/tmp/x.db")
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
    }

    use rustix::thread::{CpuSet, sched_getaffinity};

    /// A connection's thread ends up on exactly one of the CPUs it was
    /// allowed, the last, and what it starts inherits that.
    #[test]
    fn a_connection_s_thread_shares_one_cpu_with_what_it_starts() {
        let allowed = sched_getaffinity(None).expect("affinity");
        let last = (0..CpuSet::MAX_CPU).rev().find(|&cpu| allowed.is_set(cpu));
        let (mine, started) = std::thread::spawn(|| {
            super::share_one_cpu();
            let started = std::thread::spawn(|| sched_getaffinity(None).expect("affinity"));
            (
                sched_getaffinity(None).expect("affinity"),
                started.join().expect("thread"),
            )
        })
        .join()
        .expect("thread");
        for set in [&mine, &started] {
            assert_eq!(set.count(), 1);
            assert!(set.is_set(last.expect("a CPU")));
        }
        // This thread keeps every CPU it had.
        assert_eq!(sched_getaffinity(None).expect("affinity"), allowed);
    }
}
