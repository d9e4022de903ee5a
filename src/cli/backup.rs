//! `retrace backup` and `retrace restore`: a consistent copy of an embedded
//! (SQLite) instance taken while it serves, checked before it is trusted.
//!
//! The copy is SQLite's `VACUUM INTO`: one read transaction, so the file is
//! the database as it was at one instant, every write committed before it
//! and none after, whatever the writer does meanwhile. The copy's ledger is
//! then verified and its head printed, so a backup that would not verify is
//! known the day it is taken. The instance's signing key is not in the
//! database: it is a secret of its own (`instance-ed25519.key`), backed up
//! apart. A PostgreSQL instance is backed up with `pg_dump` (docs/DEPLOY.md).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sea_orm::ConnectionTrait;

use crate::config::Settings;
use crate::ledger::verify;

/// The URL of an SQLite database file, opened read-only.
fn read_only(path: &Path) -> String {
    format!("sqlite://{}?mode=ro", path.display())
}

/// Verifies the ledger of the database file at `path`; its report.
async fn verified(settings: &Settings, path: &Path) -> anyhow::Result<verify::Report> {
    let copy = sea_orm::Database::connect(read_only(path))
        .await
        .with_context(|| format!("opening {}", path.display()))?;
    let report = verify::verify(&copy, super::instance_key(settings)?.as_ref())
        .await
        .map_err(|failure| anyhow::anyhow!("{}: {failure}", path.display()))?;
    copy.close().await?;
    Ok(report)
}

/// Refuses a path where a database file, or what SQLite keeps beside one,
/// already is: a log left there from another database would be replayed
/// over the one put in its place.
fn unoccupied(path: &Path, why: &str) -> anyhow::Result<()> {
    for file in crate::db::with_beside(path) {
        if file.exists() {
            bail!("{} exists: {why}", file.display());
        }
    }
    Ok(())
}

/// A database file holds people's data: readable by its owner only.
fn private(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

fn embedded_only(settings: &Settings) -> anyhow::Result<()> {
    if !settings.is_sqlite() {
        bail!(
            "this instance runs on PostgreSQL: back it up with `pg_dump --format=custom` \
             and restore it with `pg_restore` (docs/DEPLOY.md)"
        );
    }
    Ok(())
}

/// Takes the copy while the instance serves, then verifies it.
pub async fn backup(settings: Settings, out: &Path) -> anyhow::Result<()> {
    embedded_only(&settings)?;
    unoccupied(out, "a backup never overwrites")?;
    let target = out
        .to_str()
        .context("the backup's path is not UTF-8")?
        .replace('\'', "''");
    let db = crate::db::connect_with(&settings, 1).await?;
    db.execute_unprepared(&format!("VACUUM INTO '{target}'"))
        .await
        .with_context(|| format!("copying into {}", out.display()))?;
    db.close().await?;
    private(out)?;
    let report = verified(&settings, out).await?;
    println!("backup {}: {report}", out.display());
    eprintln!(
        "note: the signing key ({}) is not in the backup: keep a copy of it apart",
        settings.data_dir.join("instance-ed25519.key").display()
    );
    Ok(())
}

/// Puts a verified backup in place of a database that is not there: the
/// server stopped, the damaged file moved away first.
pub async fn restore(settings: Settings, from: &Path) -> anyhow::Result<()> {
    embedded_only(&settings)?;
    let report = verified(&settings, from).await?;
    let target = PathBuf::from(crate::db::sqlite_file(&settings).context("not an SQLite file")?);
    unoccupied(
        &target,
        "stop the server and move the database and its -wal and -shm files away first \
         (SQLite would replay a log left there over the restored copy)",
    )?;
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::copy(from, &target)
        .with_context(|| format!("copying {} to {}", from.display(), target.display()))?;
    private(&target)?;
    // On disk before it is said restored: a copy left in the page cache
    // could be lost, or half written, by a power cut after the server
    // started on it. No SQLite connection has the file open here, so
    // closing this descriptor drops no one's lock.
    std::fs::File::open(&target)?.sync_all()?;
    let dir = target.parent().filter(|dir| !dir.as_os_str().is_empty());
    std::fs::File::open(dir.unwrap_or(Path::new(".")))?.sync_all()?;
    println!("restored {}: {report}", target.display());
    Ok(())
}
