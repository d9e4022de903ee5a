//! `retrace ledger replay --into URL`: the instance rebuilt from its ledger
//! alone, in another database — to move a workshop from the embedded file to
//! a network's PostgreSQL, or to recover tables that no longer match their
//! events.
//!
//! Every event is copied, in order, and applied to the empty target's
//! projections with the payload type of its kind and version; the target's
//! chain is then verified. Password hashes are the one thing copied beside
//! the ledger: a credential never enters it (only the fact that a password
//! was set), and the people who sign in should not lose theirs by a move.

use std::time::Instant;

use anyhow::{Context, bail};
use entities::{event, user};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter,
};

use crate::config::{Secret, Settings};
use crate::db::inline::InlineSqlite;
use crate::ledger::{replay, verify};

/// The target's settings: `into` is a database URL, or an SQLite file's path.
fn target_settings(settings: &Settings, into: &str) -> anyhow::Result<Settings> {
    let url = if into.contains("://") {
        into.to_owned()
    } else {
        let path = std::path::Path::new(into);
        if path.metadata().is_ok_and(|m| m.len() > 0) {
            bail!("{into} exists already: a replay fills a new database only");
        }
        format!("sqlite://{}?mode=rwc", path.display())
    };
    if url == settings.database_url.expose() {
        bail!("--into names this instance's own database");
    }
    let mut target = settings.clone();
    target.database_url = Secret::new(url);
    Ok(target)
}

/// Copies the password hashes of the source's users to the same users of
/// the target.
async fn copy_passwords(
    source: &DatabaseConnection,
    target: &DatabaseConnection,
) -> anyhow::Result<()> {
    let users = user::Entity::find()
        .filter(user::Column::PasswordHash.is_not_null())
        .all(source)
        .await?;
    for found in users {
        user::ActiveModel {
            id: Set(found.id),
            password_hash: Set(found.password_hash),
            ..Default::default()
        }
        .update(target)
        .await
        .with_context(|| format!("user {} is not in the replayed ledger", found.id))?;
    }
    Ok(())
}

pub async fn replay(settings: Settings, into: &str) -> anyhow::Result<()> {
    let target = target_settings(&settings, into)?;
    // A replay is millions of statements. Into a file they run on this
    // thread; the source's reads are each a hand-off to the connection's
    // thread, so the replay's thread shares one CPU with its connections'
    // threads (`db::share_one_cpu`).
    let one_cpu = target.is_sqlite();
    std::thread::Builder::new()
        .name("ledger-replay".into())
        .spawn(move || {
            if one_cpu {
                crate::db::share_one_cpu();
            }
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?
                .block_on(replay_on_this_thread(settings, target))
        })?
        .join()
        .map_err(|_| anyhow::anyhow!("the replay stopped on a panic"))?
}

async fn replay_on_this_thread(
    settings: Settings,
    target_settings: Settings,
) -> anyhow::Result<()> {
    let source = crate::db::connect(&settings).await?;
    let target = crate::db::connect(&target_settings).await?;
    crate::migrate(&target).await?;
    let already = event::Entity::find().count(&target).await?;
    if already > 0 {
        bail!("the target holds {already} events already: a replay fills an empty database only");
    }
    // Into a file, the events are written on this thread (`db::inline`).
    let inline = crate::db::sqlite_file(&target_settings)
        .map(|path| InlineSqlite::open(std::path::Path::new(&path)))
        .transpose()?;
    let writing = inline.as_ref().map_or(&target, |(_, db)| db);
    let started = Instant::now();
    let count = replay::replay_into(&source, writing, crate::catalogue::catalogue())
        .await
        .context("replay")?;
    let took = started.elapsed().as_secs_f64();
    copy_passwords(&source, writing).await?;
    if let Some((inline, _)) = &inline {
        inline.check().context("replay")?;
    }
    println!(
        "replayed {count} events in {took:.1} s ({:.0} events/s)",
        count as f64 / took.max(f64::EPSILON)
    );
    let key = super::instance_key(&settings)?;
    let report = verify::verify(&target, key.as_ref())
        .await
        .map_err(|failure| anyhow::anyhow!("the replayed ledger: {failure}"))?;
    println!("{report}");
    source.close().await?;
    target.close().await?;
    Ok(())
}
