//! The files Retrace creates are its own: the data directory 0700, the
//! database and the signing key 0600, whatever the umask of whoever
//! started it — and an instance created before is brought back to that;
//! and the SQLite log a running instance writes stays where other processes
//! find it.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use serde_json::json;

use crate::helpers::TestApp;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Runs `retrace` with a permissive umask on `data`.
fn retrace(data: &Path, args: &str) {
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("umask 000 && exec \"$RETRACE\" {args}"))
        .env("RETRACE", env!("CARGO_BIN_EXE_retrace"))
        .env("RETRACE_DATA_DIR", data)
        .env_remove("RETRACE_DATABASE_URL")
        .env("RETRACE_CONFIG", data.with_extension("absent.toml"))
        .status()
        .unwrap();
    assert!(status.success(), "retrace {args}");
}

#[test]
fn the_data_directory_the_database_and_the_key_are_the_owner_s_alone() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    retrace(&data, "site create --code BRE --name Brest");
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("retrace.db")), 0o600);
    assert_eq!(mode(&data.join("instance-ed25519.key")), 0o600);
    for side in ["retrace.db-wal", "retrace.db-shm"] {
        if data.join(side).exists() {
            assert_eq!(mode(&data.join(side)), 0o600, "{side}");
        }
    }

    // An instance whose files were opened up is closed again on its next start.
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(
        data.join("retrace.db"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    retrace(&data, "ledger verify");
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("retrace.db")), 0o600);
}

/// How many devices another process reads in the SQLite file at `path`,
/// opening and closing it as a script or the `sqlite3` shell does.
fn devices_read_outside(path: &Path) -> i64 {
    let output = std::process::Command::new("python3")
        .args([
            "-c",
            "import sqlite3, sys\n\
             c = sqlite3.connect(sys.argv[1])\n\
             print(c.execute('SELECT count(*) FROM devices').fetchone()[0])\n\
             c.close()",
        ])
        .arg(path)
        .output()
        .expect("python3 (apt-get install python3)");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// SQLite keeps its write-ahead log while any process has the database open,
/// and the last to close it folds the log back and deletes it. When the
/// running instance held no lock on the file, a reader that came and went
/// deleted the log under it: the instance's next writes went to a file no
/// one else could see, and a power cut would have taken them back.
#[tokio::test]
async fn a_reader_from_another_process_leaves_the_log_the_instance_writes() {
    let app = TestApp::spawn().await;
    let Some(path) = retrace::db::sqlite_file(&app.state.settings) else {
        return; // PostgreSQL: no file of the instance's own to read.
    };
    let (path, log) = (Path::new(&path), format!("{path}-wal"));
    let site = app.site("BRE").await;
    app.device(&app.admin, json!({"site_id": site, "kind": "laptop"}))
        .await;
    let before = devices_read_outside(path);
    assert_eq!(before, 1);
    assert!(Path::new(&log).exists(), "the log outlives the reader");

    app.device(&app.admin, json!({"site_id": site, "kind": "laptop"}))
        .await;
    assert_eq!(
        devices_read_outside(path),
        before + 1,
        "the next reader sees the write acknowledged after the first one left"
    );
}
