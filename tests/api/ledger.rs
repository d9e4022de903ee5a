//! The ledger: verification finds any modified byte, checkpoints are signed,
//! and the CLI says so.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use entities::event;
use retrace::ledger::chain;
use retrace::ledger::checkpoint::{Checkpoint, signed_message};
use retrace::ledger::keys::InstanceKey;
use retrace::ledger::verify::{Failure, hash_of, verify};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, QueryOrder};
use serde_json::{Value, json};

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
async fn checkpoints_sign_the_head_with_the_published_key() {
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
}

/// Someone with write access to the database file: rewrites rows, then
/// recomputes every hash after them and the head row, as Retrace would have.
/// Only a checkpoint signed with the instance key stands in their way.
struct Forger {
    rows: Vec<event::Model>,
}

impl Forger {
    async fn read(app: &TestApp) -> Self {
        let rows = event::Entity::find()
            .order_by_asc(event::Column::Seq)
            .all(&app.state.db)
            .await
            .unwrap();
        Self { rows }
    }

    fn row(&mut self, seq: i64) -> &mut event::Model {
        self.rows.iter_mut().find(|r| r.seq == seq).unwrap()
    }

    fn seq_of(&self, kind: &str) -> i64 {
        self.rows.iter().find(|r| r.kind == kind).unwrap().seq
    }

    /// Sets a row's payload, stored in canonical form as Retrace stores it.
    fn set_payload(&mut self, seq: i64, payload: &Value) {
        self.row(seq).payload = chain::canonical_text(payload).unwrap();
    }

    /// Recomputes `prev_hash` and `hash` from `from` to the end of the chain.
    fn rechain(&mut self, from: i64) {
        for i in 0..self.rows.len() {
            if self.rows[i].seq < from {
                continue;
            }
            if i > 0 {
                self.rows[i].prev_hash = self.rows[i - 1].hash.clone();
            }
            let row = &self.rows[i];
            // The stored text is canonical (`set_payload`), as Retrace's is.
            self.rows[i].hash = hash_of(row, &row.payload).unwrap();
        }
    }

    /// Writes every row and the head row back, in place of the ledger.
    async fn write(&self, app: &TestApp) {
        app.sql("DELETE FROM events").await;
        for row in &self.rows {
            row.clone()
                .into_active_model()
                .reset_all()
                .insert(&app.state.db)
                .await
                .unwrap();
        }
        let last = self.rows.last().unwrap();
        app.sql(&format!(
            "UPDATE ledger_head SET seq = {}, hash = '{}'",
            last.seq, last.hash
        ))
        .await;
    }
}

/// A history with a checkpoint in its middle: returns the checkpoint's seq.
async fn history_with_a_checkpoint(app: &TestApp) -> i64 {
    history(app).await;
    let checkpoint = app
        .post("/api/v1/ledger/checkpoints", &app.admin, json!({}))
        .await;
    assert_eq!(
        checkpoint.status,
        StatusCode::CREATED,
        "{}",
        checkpoint.text
    );
    // Events after it, so that it is not the head.
    app.site("NTE").await;
    checkpoint.body["seq"].as_i64().unwrap()
}

/// The first bad seq `verify` reports with the instance key.
async fn first_bad_seq(app: &TestApp) -> Option<i64> {
    verify(&app.state.db, Some(&verifying_key(app)))
        .await
        .expect_err("the forgery must be found")
        .seq()
}

#[tokio::test]
async fn a_checkpoint_re_signed_with_another_key_is_refused_at_its_seq() {
    let app = TestApp::spawn().await;
    let at = history_with_a_checkpoint(&app).await;
    let other_dir = tempfile::tempdir().unwrap();
    let other = InstanceKey::load_or_create(other_dir.path()).unwrap();
    let original = Forger::read(&app).await;

    // Signed by the attacker's key, under their key id or under the instance's.
    for keep_key_id in [false, true] {
        let mut forger = Forger::read(&app).await;
        let mut checkpoint: Checkpoint = serde_json::from_str(&forger.row(at).payload).unwrap();
        checkpoint.signature = other.sign(&signed_message(
            checkpoint.seq,
            &checkpoint.head_hash,
            &checkpoint.signed_at,
        ));
        if !keep_key_id {
            checkpoint.key_id = other.key_id();
        }
        forger.set_payload(at, &serde_json::to_value(&checkpoint).unwrap());
        forger.rechain(at);
        forger.write(&app).await;
        verify(&app.state.db, None)
            .await
            .expect("the chain is consistent in itself: only the key tells");
        assert_eq!(
            first_bad_seq(&app).await,
            Some(at),
            "key id kept: {keep_key_id}"
        );
        original.write(&app).await;
    }

    // A checkpoint of the attacker's own appended at the head.
    let mut forger = Forger::read(&app).await;
    let head = forger.rows.last().unwrap().clone();
    let signed_at = chain::format_time(chrono::Utc::now());
    let forged = Checkpoint {
        seq: head.seq,
        head_hash: head.hash.clone(),
        signature: other.sign(&signed_message(head.seq, &head.hash, &signed_at)),
        signed_at,
        key_id: app.state.key.key_id(),
    };
    forger.rows.push(event::Model {
        seq: head.seq + 1,
        id: uuid::Uuid::now_v7(),
        kind: "ledger.checkpoint".into(),
        subject_type: "ledger".into(),
        subject_id: uuid::Uuid::nil(),
        actor_id: None,
        site_id: None,
        payload: chain::canonical_text(&serde_json::to_value(&forged).unwrap()).unwrap(),
        ..head
    });
    forger.rechain(head.seq + 1);
    forger.write(&app).await;
    assert_eq!(first_bad_seq(&app).await, Some(head.seq + 1));
    let (ok, out, _) = app.cli(&["ledger", "verify"], None);
    assert!(!ok);
    assert!(
        out.starts_with(&format!("bad seq {}:", head.seq + 1)),
        "{out}"
    );
}

#[tokio::test]
async fn a_chain_rewritten_with_every_hash_recomputed_is_refused_at_the_checkpoint_after_it() {
    let app = TestApp::spawn().await;
    let at = history_with_a_checkpoint(&app).await;
    let original = Forger::read(&app).await;
    let rewritten = original.seq_of("device.registered");
    assert!(rewritten < at);

    // A device's model changed, every later hash and the head recomputed.
    let mut forger = Forger::read(&app).await;
    let mut payload: Value = serde_json::from_str(&forger.row(rewritten).payload).unwrap();
    payload["model"] = json!("Latitude 7490");
    forger.set_payload(rewritten, &payload);
    forger.rechain(rewritten);
    forger.write(&app).await;
    let failure = verify(&app.state.db, None).await.unwrap_err();
    assert_eq!(failure.seq(), Some(at), "{failure}");

    // The checkpoint's head hash rewritten too: the chain holds together,
    // and only its signature gives the forgery away.
    let mut checkpoint: Checkpoint = serde_json::from_str(&forger.row(at).payload).unwrap();
    checkpoint.head_hash = forger.row(at - 1).hash.clone();
    forger.set_payload(at, &serde_json::to_value(&checkpoint).unwrap());
    forger.rechain(at);
    forger.write(&app).await;
    verify(&app.state.db, None)
        .await
        .expect("without the key, a rewritten chain is consistent in itself");
    assert_eq!(first_bad_seq(&app).await, Some(at));
    let (ok, out, _) = app.cli(&["ledger", "verify"], None);
    assert!(!ok);
    assert!(out.starts_with(&format!("bad seq {at}:")), "{out}");

    original.write(&app).await;
    verify(&app.state.db, Some(&verifying_key(&app)))
        .await
        .expect("restored");
}

#[tokio::test]
async fn an_event_moved_to_another_site_actor_or_subject_or_swapped_is_refused_at_its_seq() {
    let app = TestApp::spawn().await;
    let at = history_with_a_checkpoint(&app).await;
    let other_site = app.site("LYO").await;
    let (other_user, _) = app
        .user_with_token("autre@retrace.test", retrace::principal::Role::Admin, None)
        .await;
    let other_user = other_user.0;
    let original = Forger::read(&app).await;
    let moved = original.seq_of("device.transitioned");
    assert!(moved < at);
    let someone_else = uuid::Uuid::now_v7();
    type Move = fn(&mut event::Model, uuid::Uuid, uuid::Uuid, uuid::Uuid);
    let moves: [(&str, Move); 6] = [
        ("site_id", |r, site, _, _| r.site_id = Some(site)),
        ("site_id removed", |r, _, _, _| r.site_id = None),
        ("actor_id", |r, _, user, _| r.actor_id = Some(user)),
        ("actor_id removed", |r, _, _, _| r.actor_id = None),
        ("subject_id", |r, _, _, other| r.subject_id = other),
        ("id", |r, _, _, other| r.id = other),
    ];
    for (what, apply) in moves {
        // The row alone, then the row with every hash after it recomputed.
        for rechained in [false, true] {
            let mut forger = Forger::read(&app).await;
            let row = forger.row(moved);
            let before = row.clone();
            apply(row, other_site.0, other_user, someone_else);
            assert_ne!(*row, before, "{what} changed nothing");
            if rechained {
                forger.rechain(moved);
            }
            forger.write(&app).await;
            let expected = if rechained { at } else { moved };
            assert_eq!(
                first_bad_seq(&app).await,
                Some(expected),
                "{what}, rechained: {rechained}"
            );
            original.write(&app).await;
        }
    }

    // Its link to the previous event pointed elsewhere.
    let mut forger = Forger::read(&app).await;
    forger.row(moved).prev_hash = forger.rows[0].hash.clone();
    forger.write(&app).await;
    assert_eq!(first_bad_seq(&app).await, Some(moved));
    original.write(&app).await;

    // Two events swapped, each keeping its place's seq.
    for rechained in [false, true] {
        let mut forger = Forger::read(&app).await;
        let (a, b) = (moved, moved + 1);
        let (first, second) = (forger.row(a).clone(), forger.row(b).clone());
        *forger.row(a) = event::Model { seq: a, ..second };
        *forger.row(b) = event::Model { seq: b, ..first };
        if rechained {
            forger.rechain(a);
        }
        forger.write(&app).await;
        let expected = if rechained { at } else { a };
        assert_eq!(
            first_bad_seq(&app).await,
            Some(expected),
            "rechained: {rechained}"
        );
        original.write(&app).await;
    }
    verify(&app.state.db, Some(&verifying_key(&app)))
        .await
        .expect("restored");
}

#[tokio::test]
async fn only_admins_read_the_whole_ledger() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app
        .token(retrace::principal::Role::Coordinator, Some(site))
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
    // Out of the page's documented bounds: refused, naming the bound.
    for (query, field) in [("after_seq=-1", "after_seq"), ("limit=501", "limit")] {
        let refused = app
            .get(&format!("/api/v1/ledger/events?{query}"), &app.admin)
            .await;
        let problem = refused.problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem["errors"][0]["field"], field, "{query}");
        assert_eq!(problem["errors"][0]["code"], "range", "{query}");
    }
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
