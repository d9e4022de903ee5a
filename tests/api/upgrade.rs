//! The upgrade promise: a ledger written by an earlier release opens,
//! verifies, replays to the same projections, serves its devices and
//! certificates, and takes new events — with this build's code and
//! migrations. The fixtures under `tests/fixtures/ledgers/` were written once
//! by the release they are named after (`scripts/fixture-ledger.py`) and are
//! never written again: if this test fails, the change broke the promise.
//!
//! On PostgreSQL the fixture's events are replayed into a new database (the
//! way an instance moves from SQLite to PostgreSQL), then served from there.

use std::path::{Path, PathBuf};

use axum::http::StatusCode;
use entities::{document, event};
use retrace::ledger::keys::InstanceKey;
use retrace::ledger::{replay, verify};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, QueryOrder};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{TestApp, assert_same_projections, empty_database, fresh_database};

fn fixture(release: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ledgers")
        .join(release)
}

/// The fixture's data directory copied aside (a test must never write into
/// it), served on SQLite as is, or replayed into a new PostgreSQL database.
async fn open_fixture(release: &str) -> TestApp {
    let source = fixture(release);
    let dir = tempfile::tempdir().unwrap();
    for file in ["retrace.db", "instance-ed25519.key"] {
        std::fs::copy(source.join(file), dir.path().join(file)).unwrap();
    }
    let Some(database) = fresh_database().await else {
        return TestApp::open(dir, None).await;
    };
    let sqlite = retrace::db::connect(&retrace::config::Settings::for_data_dir(
        dir.path().to_path_buf(),
        None,
    ))
    .await
    .unwrap();
    retrace::db::migrate(&sqlite).await.unwrap();
    let target = sea_orm::Database::connect(&database.url).await.unwrap();
    retrace::db::migrate(&target).await.unwrap();
    replay::replay_into(&sqlite, &target, retrace::catalogue::catalogue())
        .await
        .unwrap();
    // Certificate files are kept beside the ledger, by the SHA-256 it holds.
    for file in document::Entity::find().all(&sqlite).await.unwrap() {
        file.into_active_model()
            .reset_all()
            .insert(&target)
            .await
            .unwrap();
    }
    sqlite.close().await.unwrap();
    target.close().await.unwrap();
    std::fs::remove_file(dir.path().join("retrace.db")).unwrap();
    TestApp::open(dir, Some(database)).await
}

/// Whether `actual` holds everything `expected` says: fields may have been
/// added since (the API grows), none may have changed or gone.
fn holds(actual: &Value, expected: &Value, path: &str) -> Result<(), String> {
    match (actual, expected) {
        (Value::Object(actual), Value::Object(expected)) => {
            expected
                .iter()
                .try_for_each(|(key, value)| match actual.get(key) {
                    Some(found) => holds(found, value, &format!("{path}.{key}")),
                    None => Err(format!("{path}.{key} is gone")),
                })
        }
        (Value::Array(actual), Value::Array(expected)) if actual.len() == expected.len() => actual
            .iter()
            .zip(expected)
            .enumerate()
            .try_for_each(|(i, (a, e))| holds(a, e, &format!("{path}[{i}]"))),
        (a, e) if a == e => Ok(()),
        (a, e) => Err(format!("{path}: {a} instead of {e}")),
    }
}

/// Every item of a list the API answers now, by id.
async fn listed(app: &TestApp, path: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    let join = if path.contains('?') { '&' } else { '?' };
    loop {
        let page = match &cursor {
            Some(c) => format!("{path}{join}limit=100&cursor={c}"),
            None => format!("{path}{join}limit=100"),
        };
        let answer = app.get(&page, &app.admin).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.text);
        items.extend(answer.body["items"].as_array().unwrap().iter().cloned());
        match answer.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return items,
        }
    }
}

#[tokio::test]
async fn the_ledger_of_release_0_1_0_opens_verifies_replays_serves_and_grows() {
    let release = "0.1.0";
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture(release).join("expected.json")).unwrap(),
    )
    .unwrap();
    let app = open_fixture(release).await;
    let key = InstanceKey::load(app.dir.path()).unwrap().unwrap();
    assert_eq!(
        app.state.key.key_id(),
        key.key_id(),
        "the instance keeps its key"
    );

    // The chain verifies, with its checkpoints, up to the head it had,
    // plus the events of the admin this test signed in with.
    let report = verify::verify(&app.state.db, Some(&key.verifying_key()))
        .await
        .expect("the fixture's chain verifies");
    let head = expected["head"]["seq"].as_i64().unwrap();
    let first = event::Entity::find()
        .order_by_asc(event::Column::Seq)
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        first[usize::try_from(head).unwrap() - 1].hash,
        expected["head"]["hash"].as_str().unwrap()
    );
    assert!(report.checkpoints >= 1);

    // Every resource as the API answered it then, by id.
    for resource in [
        "sites",
        "donors",
        "lots",
        "devices",
        "media",
        "erasures",
        "certificates",
        "users",
        "audits",
    ] {
        let now = listed(&app, &format!("/api/v1/{resource}")).await;
        for then in expected[resource].as_array().unwrap() {
            let found = now
                .iter()
                .find(|item| item["id"] == then["id"])
                .unwrap_or_else(|| panic!("{resource} {} is gone", then["id"]));
            if let Err(difference) = holds(found, then, resource) {
                panic!("{difference}");
            }
        }
    }
    let fixture_admin = expected["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "admin@fixture.example")
        .unwrap();
    let tokens = listed(
        &app,
        &format!(
            "/api/v1/tokens?user_id={}",
            fixture_admin["id"].as_str().unwrap()
        ),
    )
    .await;
    holds(&json!(tokens), &expected["tokens"], "tokens").unwrap();

    // Its certificates: each file as issued, and still valid on /verify.
    for certificate in expected["certificates"].as_array().unwrap() {
        let number = certificate["number"].as_str().unwrap();
        let file = app
            .get(&format!("/api/v1/certificates/{number}/pdf"), &app.admin)
            .await;
        assert_eq!(file.status, StatusCode::OK, "{number}");
        assert_eq!(
            hex::encode(Sha256::digest(&file.bytes)),
            certificate["file_sha256"].as_str().unwrap()
        );
        retrace::certificates::seal::verify(&file.bytes, &key.verifying_key())
            .expect("the file's seal holds offline");
        let page = app
            .call(
                axum::http::Method::GET,
                &format!("/verify/{number}"),
                None,
                axum::body::Body::empty(),
                &[("accept", "application/json")],
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert_eq!(page.body["signature_valid"], true, "{number}");
        assert_eq!(page.body["sha256"], certificate["file_sha256"]);
    }

    // A replay of the whole ledger into empty tables gives the same tables.
    let target = empty_database().await;
    replay::replay_into(&app.state.db, &target.conn, retrace::catalogue::catalogue())
        .await
        .unwrap();
    assert_same_projections(&app.state.db, &target.conn).await;

    // New events on old devices.
    let devices = listed(&app, "/api/v1/devices").await;
    let by_state = |state: &str| {
        devices
            .iter()
            .find(|d| d["state"] == state)
            .unwrap_or_else(|| panic!("no {state} device in the fixture"))
            .clone()
    };
    let monitor = by_state("sanitized");
    let refurbished = app
        .step(&app.admin, &monitor, "start_refurbish", json!({}))
        .await;
    assert_eq!(refurbished["state"], "refurbishing");
    let tablet = by_state("received");
    let audited = app.step(&app.admin, &tablet, "audit", json!({})).await;
    let medium = app
        .add_medium(&app.admin, audited["id"].as_str().unwrap(), "EMMC-0042")
        .await;
    assert!(medium["asset_tag"].as_str().unwrap().starts_with("BRE-"));
    let before = app.ledger_seq().await;
    app.medium_step(
        &app.admin,
        &medium,
        "record_erasure",
        json!({"outcome": "passed", "method": "blkdiscard"}),
    )
    .await;
    assert_eq!(
        app.fetch_device(&app.admin, audited["id"].as_str().unwrap())
            .await["state"],
        "sanitized",
        "its last medium erased, the old device settles"
    );
    assert_eq!(app.ledger_seq().await, before + 2);
    let report = verify::verify(&app.state.db, Some(&key.verifying_key()))
        .await
        .expect("old and new events verify as one chain");
    assert_eq!(report.events, app.ledger_seq().await);
}
