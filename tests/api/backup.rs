//! `retrace backup` while the instance writes, and `retrace restore`: the
//! copy holds every event acknowledged before the backup began, its ledger
//! verifies, and a restored instance opens and verifies too.

use std::process::{Command, Stdio};

use entities::event;
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::json;

use crate::helpers::TestApp;

fn retrace(app: &TestApp) -> Command {
    let mut command = app.command();
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    command
}

/// Every event's seq and hash, in order.
async fn chain(db: &sea_orm::DatabaseConnection) -> Vec<(i64, String)> {
    event::Entity::find()
        .order_by_asc(event::Column::Seq)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.seq, e.hash))
        .collect()
}

#[tokio::test]
async fn a_backup_taken_while_writing_keeps_every_acknowledged_event_and_restores() {
    let app = TestApp::spawn().await;
    if !app.state.settings.is_sqlite() {
        // PostgreSQL is backed up with its own tools: the command says so.
        let (ok, _, err) = app.cli(&["backup", "--out", "/tmp/never.db"], None);
        assert!(!ok && err.contains("pg_dump"), "{err}");
        return;
    }
    let site = app.site("BRE").await;
    for _ in 0..20 {
        app.device(&app.admin, json!({"site_id": site, "kind": "laptop"}))
            .await;
    }
    let acknowledged = app.ledger_seq().await;
    let out = app.dir.path().join("backup.db");

    // The backup runs while devices keep being registered.
    let mut child = retrace(&app)
        .args(["backup", "--out", out.to_str().unwrap()])
        .spawn()
        .unwrap();
    let mut during = 0;
    while child.try_wait().unwrap().is_none() {
        app.device(&app.admin, json!({"site_id": site, "kind": "desktop"}))
            .await;
        during += 1;
    }
    let output = child.wait_with_output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert!(output.status.success(), "{stdout}{stderr}");
    assert!(during > 0, "no write happened during the backup");
    assert!(
        stdout.contains(": ok ") && stdout.contains("head "),
        "{stdout}"
    );
    assert!(stderr.contains("signing key"), "{stderr}");

    // The copy: every event acknowledged before, identical; none torn.
    let copy = sea_orm::Database::connect(format!("sqlite://{}?mode=ro", out.display()))
        .await
        .unwrap();
    let kept = chain(&copy).await;
    let live = chain(&app.state.db).await;
    assert!(
        kept.len() as i64 >= acknowledged,
        "{} < {acknowledged}",
        kept.len()
    );
    assert_eq!(
        kept[..],
        live[..kept.len()],
        "the copy is the live chain's prefix"
    );
    copy.close().await.unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "a backup is its owner's only: {mode:o}");
    }

    // Never over an existing file, nor beside a log left there.
    let again = retrace(&app)
        .args(["backup", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!again.status.success());
    let beside = app.dir.path().join("second.db");
    std::fs::write(app.dir.path().join("second.db-wal"), b"a log").unwrap();
    let refused = retrace(&app)
        .args(["backup", "--out", beside.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(!beside.exists(), "nothing copied");

    // Restored into an empty data directory, it opens and verifies.
    let retrace_in = |data: &std::path::Path, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_retrace"))
            .args(args)
            .env_remove("RETRACE_DATABASE_URL")
            .env("RETRACE_DATA_DIR", data)
            .env("RETRACE_CONFIG", app.dir.path().join("absent.toml"))
            .output()
            .unwrap()
    };

    // Where the database was moved away but its log was left, SQLite would
    // replay that log over the restored copy: refused, nothing written.
    let moved = tempfile::tempdir().unwrap();
    let log = moved.path().join("retrace.db-wal");
    std::fs::write(&log, b"the log of the database moved away").unwrap();
    let refused = retrace_in(moved.path(), &["restore", "--from", out.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "{said}");
    assert!(said.contains(&log.display().to_string()), "{said}");
    assert!(!moved.path().join("retrace.db").exists());

    let elsewhere = tempfile::tempdir().unwrap();
    let restore = |args: &[&str]| retrace_in(elsewhere.path(), args);
    let restored = restore(&["restore", "--from", out.to_str().unwrap()]);
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let verified = restore(&["ledger", "verify"]);
    let said = String::from_utf8_lossy(&verified.stdout);
    assert!(
        verified.status.success() && said.starts_with("ok "),
        "{said}"
    );
    assert!(
        said.contains(&format!("ok {} events", kept.len())),
        "{said}"
    );
    // A second restore would overwrite: refused.
    let twice = restore(&["restore", "--from", out.to_str().unwrap()]);
    assert!(!twice.status.success());
}
