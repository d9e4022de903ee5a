//! The upgrade promise: a ledger written by an earlier release opens,
//! verifies, replays to the same projections, serves its devices and
//! certificates, and takes new events — with this build's code and
//! migrations. The fixtures under `tests/fixtures/ledgers/` were written once
//! by the release they are named after (`scripts/fixture-ledger.py`) and are
//! never written again: if this test fails, the change broke the promise.
//!
//! On PostgreSQL the fixture's events are replayed into a new database (the
//! way an instance moves from SQLite to PostgreSQL), then served from there.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use axum::http::StatusCode;
use entities::{
    allocation_signature, beneficiary_personal_data, document, event, worker_personal_data,
};
use retrace::ledger::keys::InstanceKey;
use retrace::ledger::payload::version_of;
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
    retrace::migrate(&sqlite).await.unwrap();
    let target = sea_orm::Database::connect(&database.url).await.unwrap();
    retrace::migrate(&target).await.unwrap();
    replay::replay_into(&sqlite, &target, retrace::catalogue::catalogue())
        .await
        .unwrap();
    // Certificate files are kept beside the ledger, by the SHA-256 it holds,
    // and so are people's names and signatures, which no event carries: a
    // move to PostgreSQL copies them as they are.
    copy::<document::Entity>(&sqlite, &target).await;
    copy::<beneficiary_personal_data::Entity>(&sqlite, &target).await;
    copy::<worker_personal_data::Entity>(&sqlite, &target).await;
    copy::<allocation_signature::Entity>(&sqlite, &target).await;
    sqlite.close().await.unwrap();
    target.close().await.unwrap();
    std::fs::remove_file(dir.path().join("retrace.db")).unwrap();
    TestApp::open(dir, Some(database)).await
}

/// Every row of a table, copied as it is from one database to another.
async fn copy<E>(from: &sea_orm::DatabaseConnection, to: &sea_orm::DatabaseConnection)
where
    E: EntityTrait,
    E::Model: IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    for row in E::find().all(from).await.unwrap() {
        row.into_active_model()
            .reset_all()
            .insert(to)
            .await
            .unwrap();
    }
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

/// Every promise of an upgrade, on the fixture of `release`.
async fn upgrade(release: &str) {
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

    // The events it holds, kind by kind and version by version, are the
    // ones the release said it wrote.
    let mut kinds: BTreeMap<String, u64> = BTreeMap::new();
    let mut versions: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for event in first.iter().filter(|e| e.seq <= head) {
        *kinds.entry(event.kind.clone()).or_default() += 1;
        let payload: Value = serde_json::from_str(&event.payload).unwrap();
        *versions
            .entry(event.kind.clone())
            .or_default()
            .entry(version_of(&payload).to_string())
            .or_default() += 1;
    }
    assert_eq!(
        serde_json::to_value(&kinds).unwrap(),
        expected["event_kinds"],
        "the kinds of events the fixture holds"
    );
    if let Some(written) = expected.get("event_versions") {
        assert_eq!(serde_json::to_value(&versions).unwrap(), *written);
    }

    // Every resource as the API answered it then, by id.
    let resources = expected
        .as_object()
        .unwrap()
        .iter()
        .filter(|(name, value)| value.is_array() && *name != "tokens");
    let mut read = 0;
    for (resource, then_items) in resources {
        read += 1;
        let now = app.listed(&format!("/api/v1/{resource}")).await;
        for then in then_items.as_array().unwrap() {
            let found = now
                .iter()
                .find(|item| item["id"] == then["id"])
                .unwrap_or_else(|| panic!("{resource} {} is gone", then["id"]));
            if let Err(difference) = holds(found, then, resource) {
                panic!("{difference}");
            }
        }
    }
    assert!(read >= 9, "{read} resources");
    let fixture_admin = expected["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "admin@fixture.example")
        .unwrap();
    let tokens = app
        .listed(&format!(
            "/api/v1/tokens?user_id={}",
            fixture_admin["id"].as_str().unwrap()
        ))
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
        let page = app.anonymous(&format!("/verify/{number}"), true).await;
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
    let devices = app.listed("/api/v1/devices").await;
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

#[tokio::test]
async fn the_ledger_of_release_0_1_0_opens_verifies_replays_serves_and_grows() {
    upgrade("0.1.0").await;
}

#[tokio::test]
async fn the_ledger_of_release_0_2_0_opens_verifies_replays_serves_and_grows() {
    upgrade("0.2.0").await;
}

#[tokio::test]
async fn the_ledger_of_release_0_2_1_opens_verifies_replays_serves_and_grows() {
    upgrade("0.2.1").await;
}

#[tokio::test]
async fn the_ledger_of_release_0_3_0_opens_verifies_replays_serves_and_grows() {
    upgrade("0.3.0").await;
}

/// Erasing the people of a ledger written when names were in the payloads:
/// the individual donor, and the accounts that recorded erasures (whose
/// names version 1 of `erasure.recorded` copied). Their events are
/// redacted, the chain still verifies and says where, and a replay rebuilds
/// the same tables.
#[tokio::test]
async fn erasing_the_people_of_the_0_1_0_ledger_redacts_their_events_and_it_still_verifies() {
    use axum::body::Body;
    use axum::http::Method;
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("0.1.0").join("expected.json")).unwrap(),
    )
    .unwrap();
    let app = open_fixture("0.1.0").await;
    let key = InstanceKey::load(app.dir.path()).unwrap().unwrap();
    let donor = expected["donors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "individual")
        .unwrap();
    let staff: Vec<&Value> = expected["users"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["role"] != "admin")
        .collect();
    // The donor's name, every e-mail, and the name of the technician who
    // recorded the erasures. (The coordinator's name is also the witness of
    // a destruction: a witness is free text, tied to no account, and goes
    // with the medium's records, not with the account.)
    let mut secrets = vec![donor["name"].as_str().unwrap().to_owned()];
    for user in &staff {
        secrets.push(user["email"].as_str().unwrap().to_owned());
        if user["role"] == "technician" {
            secrets.push(user["display_name"].as_str().unwrap().to_owned());
        }
    }
    let before = app.listed("/api/v1/ledger/events").await;
    let in_payloads = |events: &[Value], secret: &str| {
        events
            .iter()
            .any(|e| e["payload"].to_string().contains(secret))
    };
    for secret in &secrets {
        assert!(
            in_payloads(&before, secret),
            "{secret} is in the 0.1.0 payloads"
        );
    }

    let erase = |path: String| {
        let app = &app;
        async move {
            let answer = app
                .call(Method::DELETE, &path, Some(&app.admin), Body::empty(), &[])
                .await;
            assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.text);
        }
    };
    erase(format!(
        "/api/v1/donors/{}/personal-data",
        donor["id"].as_str().unwrap()
    ))
    .await;
    for user in &staff {
        erase(format!(
            "/api/v1/users/{}/personal-data",
            user["id"].as_str().unwrap()
        ))
        .await;
    }

    let after = app.listed("/api/v1/ledger/events").await;
    for secret in &secrets {
        assert!(
            !in_payloads(&after, secret),
            "{secret} is still in a payload"
        );
        assert!(
            !after
                .iter()
                .any(|e| e.to_string().contains(secret.as_str())),
            "{secret} is still in the ledger"
        );
    }
    for user in &staff {
        let created = after
            .iter()
            .find(|e| e["kind"] == "user.created" && e["subject_id"] == user["id"])
            .unwrap();
        assert_eq!(created["payload"].get("display_name"), None, "{created}");
    }
    let redactions: Vec<&Value> = after
        .iter()
        .filter(|e| e["kind"] == "ledger.redacted")
        .collect();
    assert!(!redactions.is_empty());
    let report = verify::verify(&app.state.db, Some(&key.verifying_key()))
        .await
        .expect("the redacted chain verifies");
    let named: BTreeSet<i64> = redactions
        .iter()
        .flat_map(|r| r["payload"]["events"].as_array().unwrap())
        .map(|e| e["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(
        report.redacted.iter().copied().collect::<BTreeSet<_>>(),
        named
    );
    // The donor's creation, each account's, and the erasures they recorded.
    assert!(named.len() > staff.len(), "{named:?}");
    let (ok, out, err) = app.cli(&["ledger", "verify"], None);
    assert!(ok, "{err}");
    assert!(
        out.contains(&format!("{} redacted (seq ", named.len())),
        "{out}"
    );

    let target = empty_database().await;
    replay::replay_into(&app.state.db, &target.conn, retrace::catalogue::catalogue())
        .await
        .unwrap();
    assert_same_projections(&app.state.db, &target.conn).await;
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    crate::helpers::assert_not_in_database_files(&app, &secrets).await;

    // A redacted event changed again is found, at its own seq.
    let seq = *named.iter().next().unwrap();
    let row = event::Entity::find_by_id(seq)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut payload: Value = serde_json::from_str(&row.payload).unwrap();
    payload["forged"] = json!(true);
    let mut forged = row.into_active_model();
    forged.payload =
        sea_orm::ActiveValue::Set(retrace::ledger::chain::canonical_text(&payload).unwrap());
    forged.update(&app.state.db).await.unwrap();
    let failure = verify::verify(&app.state.db, None).await.unwrap_err();
    assert_eq!(failure.seq(), Some(seq), "{failure}");
}

/// Every release's fixture, by name.
fn releases() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixture(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A version of a kind that the code no longer writes can only be replayed
/// from a ledger written when it was: some release's fixture must hold it.
#[tokio::test]
async fn the_fixtures_hold_every_version_of_every_kind_the_code_no_longer_writes() {
    let mut held: BTreeSet<(String, u32)> = BTreeSet::new();
    for release in releases() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(
            fixture(&release).join("retrace.db"),
            dir.path().join("retrace.db"),
        )
        .unwrap();
        let db = sea_orm::Database::connect(format!(
            "sqlite://{}?mode=ro",
            dir.path().join("retrace.db").display()
        ))
        .await
        .unwrap();
        for event in event::Entity::find().all(&db).await.unwrap() {
            let payload: Value = serde_json::from_str(&event.payload).unwrap();
            held.insert((event.kind, version_of(&payload)));
        }
        db.close().await.unwrap();
    }
    let catalogue = retrace::catalogue::catalogue();
    let mut latest: BTreeMap<&str, u32> = BTreeMap::new();
    for entry in catalogue.entries() {
        let top = latest.entry(entry.kind).or_default();
        *top = (*top).max(entry.version);
    }
    assert!(latest.len() > 40, "{latest:?}");
    for (kind, top) in &latest {
        for version in 1..*top {
            assert!(
                held.contains(&((*kind).to_owned(), version)),
                "no fixture holds {kind} v{version}: write one with the release that still writes it \
                 (scripts/fixture-ledger.py)"
            );
        }
    }
    // Every kind is held at some version, so that each has been replayed
    // from a stored ledger — but a redaction, which only a ledger from before
    // 0.3.0 gets (erasing its people writes and replays one, above).
    for kind in latest.keys().filter(|k| **k != "ledger.redacted") {
        assert!(
            held.iter().any(|(k, _)| k == kind),
            "no fixture holds any {kind}"
        );
    }
    // And every (kind, version) a fixture holds is one the code still reads.
    for (kind, version) in &held {
        assert!(
            catalogue.get(kind, *version).is_some(),
            "{kind} v{version} is in a fixture but no longer in the catalogue"
        );
    }
}
