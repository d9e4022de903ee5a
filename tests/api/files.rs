//! The files Retrace creates are its own: the data directory 0700, the
//! database and the signing key 0600, whatever the umask of whoever
//! started it — and an instance created before is brought back to that.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

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
