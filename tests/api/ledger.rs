//! The ledger: verification finds any modified byte, checkpoints are signed,
//! and the CLI says so.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use entities::event;
use retrace::ledger::verify::{Failure, verify};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, QueryOrder};
use serde_json::json;

use crate::helpers::TestApp;

/// A small but varied history: sites, donor, lot, devices, media, transitions.
async fn history(app: &TestApp) {
    let site = app.site("BRE").await;
    let lot = app.lot(&app.admin, site).await;
    let device = app.device(&app.admin, json!({"lot_id": lot, "kind": "laptop", "manufacturer": "Dell", "model": "Latitude 5490 — reconditionné"})).await;
    let medium = app
        .add_medium(&app.admin, device["id"].as_str().unwrap(), "S3Z9NB0K")
        .await;
    app.step(&app.admin, &device, "audit", json!({})).await;
    app.medium_step(
        &app.admin,
        &medium,
        "record_erasure",
        json!({"outcome": "passed", "method": "nwipe — PRNG"}),
    )
    .await;
}

fn verifying_key(app: &TestApp) -> ed25519_dalek::VerifyingKey {
    app.state.key.verifying_key()
}

#[tokio::test]
async fn a_single_modified_byte_in_any_event_is_found_and_named() {
    let app = TestApp::spawn().await;
    history(&app).await;
    let key = verifying_key(&app);
    let report = verify(&app.state.db, Some(&key))
        .await
        .expect("an untouched ledger verifies");
    let rows = event::Entity::find()
        .order_by_asc(event::Column::Seq)
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(report.events, rows.len() as i64);
    assert!(report.events >= 10);

    for original in &rows {
        // One byte of the payload, then one of the hash, then one of the kind.
        let bytes = original.payload.as_bytes();
        let at = (0..bytes.len())
            .rev()
            .find(|&i| bytes[i].is_ascii_alphanumeric())
            .unwrap();
        let mut payload = original.payload.clone().into_bytes();
        payload[at] = if payload[at] == b'0' { b'1' } else { b'0' };
        let mut hash = original.hash.clone().into_bytes();
        hash[10] = if hash[10] == b'a' { b'b' } else { b'a' };
        let tampered_rows = [
            event::Model {
                payload: String::from_utf8(payload).unwrap(),
                ..original.clone()
            },
            event::Model {
                hash: String::from_utf8(hash).unwrap(),
                ..original.clone()
            },
            event::Model {
                kind: format!("{}x", original.kind),
                ..original.clone()
            },
            event::Model {
                at: original.at + chrono::Duration::microseconds(1),
                ..original.clone()
            },
        ];
        for tampered in tampered_rows {
            tampered
                .clone()
                .into_active_model()
                .reset_all()
                .update(&app.state.db)
                .await
                .unwrap();
            let failure = verify(&app.state.db, Some(&key))
                .await
                .expect_err("tampering must be found");
            // A changed hash also breaks the next event's link; the first bad seq is this one.
            assert_eq!(failure.seq(), Some(original.seq), "{failure}");
            original
                .clone()
                .into_active_model()
                .reset_all()
                .update(&app.state.db)
                .await
                .unwrap();
        }
    }
    verify(&app.state.db, Some(&key)).await.expect("restored");
}

#[tokio::test]
async fn removed_events_are_found_in_the_middle_and_at_the_end() {
    let app = TestApp::spawn().await;
    history(&app).await;
    let last = event::Entity::find()
        .order_by_desc(event::Column::Seq)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    app.sql(&format!("DELETE FROM events WHERE seq = {}", last.seq))
        .await;
    let failure = verify(&app.state.db, None).await.unwrap_err();
    assert_eq!(
        failure,
        Failure::HeadMismatch {
            ledger_seq: last.seq - 1,
            head_seq: last.seq
        }
    );
    app.sql("DELETE FROM events WHERE seq = 3").await;
    assert_eq!(
        verify(&app.state.db, None).await.unwrap_err().seq(),
        Some(3)
    );
}

#[tokio::test]
async fn checkpoints_sign_the_head_and_a_forged_signature_is_refused() {
    let app = TestApp::spawn().await;
    history(&app).await;
    let head = app.get("/api/v1/ledger/head", &app.admin).await.body;
    let created = app
        .post("/api/v1/ledger/checkpoints", &app.admin, json!({}))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["kind"], "ledger.checkpoint");
    assert_eq!(created.body["payload"]["seq"], head["seq"]);
    assert_eq!(created.body["payload"]["head_hash"], head["hash"]);

    let published = app
        .call(
            Method::GET,
            "/.well-known/retrace-signing-key",
            None,
            Body::empty(),
            &[],
        )
        .await;
    assert_eq!(published.body["algorithm"], "Ed25519");
    assert_eq!(published.body["key_id"], created.body["payload"]["key_id"]);
    let key = verifying_key(&app);
    assert_eq!(
        verify(&app.state.db, Some(&key)).await.unwrap().checkpoints,
        1
    );

    // A checkpoint re-signed by another key (its hash recomputed to match) is refused.
    let other_dir = tempfile::tempdir().unwrap();
    let other = retrace::ledger::keys::InstanceKey::load_or_create(other_dir.path()).unwrap();
    assert!(
        verify(&app.state.db, Some(&other.verifying_key()))
            .await
            .is_err()
    );
}

#[tokio::test]
async fn only_admins_read_the_whole_ledger() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app
        .token(retrace::auth::Role::Coordinator, Some(site))
        .await;
    app.get("/api/v1/ledger/events", &coordinator)
        .await
        .problem(StatusCode::FORBIDDEN);
    app.post("/api/v1/ledger/checkpoints", &coordinator, json!({}))
        .await
        .problem(StatusCode::FORBIDDEN);
    let page = app.get("/api/v1/ledger/events?limit=2", &app.admin).await;
    assert_eq!(page.body["items"][0]["seq"], 1);
    assert_eq!(page.body["items"][0]["prev_hash"], "0".repeat(64));
    assert_eq!(
        page.body["items"][1]["prev_hash"],
        page.body["items"][0]["hash"]
    );
    let next = app
        .get(
            &format!(
                "/api/v1/ledger/events?limit=2&after_seq={}",
                page.body["next_cursor"].as_str().unwrap()
            ),
            &app.admin,
        )
        .await;
    assert_eq!(next.body["items"][0]["seq"], 3);
}

fn retrace(app: &TestApp, args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    app.cli(args, stdin)
}

#[tokio::test]
async fn the_cli_creates_users_and_tokens_and_verifies_the_ledger() {
    let app = TestApp::spawn().await;
    history(&app).await;
    let (ok, out, err) = retrace(
        &app,
        &[
            "user",
            "create",
            "--email",
            "Chef@Atelier.example",
            "--role",
            "coordinator",
            "--site",
            "bre",
        ],
        Some("correct horse battery\n"),
    );
    assert!(ok, "{err}");
    assert!(
        out.is_empty(),
        "user create prints nothing on stdout: {out}"
    );
    let (ok, out, err) = retrace(
        &app,
        &[
            "token",
            "create",
            "--email",
            "chef@atelier.example",
            "--name",
            "laptop",
        ],
        None,
    );
    assert!(ok, "{err}");
    assert_eq!(out.lines().count(), 1, "only the token: {out}");
    let token = out.trim();
    let me = app.get("/api/v1/users/me", token).await;
    assert_eq!(me.body["email"], "chef@atelier.example");
    assert_eq!(me.body["role"], "coordinator");

    let (ok, _, err) = retrace(
        &app,
        &[
            "user",
            "create",
            "--email",
            "x@y.example",
            "--role",
            "wizard",
        ],
        Some("\n"),
    );
    assert!(!ok && err.contains("unknown role"), "{err}");
    let (ok, _, err) = retrace(
        &app,
        &[
            "user",
            "create",
            "--email",
            "x@y.example",
            "--role",
            "technician",
        ],
        Some("\n"),
    );
    assert!(!ok && err.contains("site_id"), "{err}");

    let (ok, out, err) = retrace(&app, &["ledger", "checkpoint"], None);
    assert!(ok, "{err}");
    assert!(out.starts_with("checkpoint at seq"));
    let head = app.get("/api/v1/ledger/head", &app.admin).await.body;
    let (ok, out, err) = retrace(&app, &["ledger", "verify"], None);
    assert!(ok, "{err}");
    assert_eq!(
        out.trim(),
        format!(
            "ok {} events, head {}",
            head["seq"],
            head["hash"].as_str().unwrap()
        )
    );

    app.sql("UPDATE events SET subject_type = 'lots' WHERE seq = 5")
        .await;
    let (ok, out, _) = retrace(&app, &["ledger", "verify"], None);
    assert!(!ok);
    assert!(out.starts_with("bad seq 5:"), "{out}");
}
