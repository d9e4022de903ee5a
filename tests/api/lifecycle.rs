//! The whole lifecycle through HTTP, with its gates and every refusal.

use axum::http::StatusCode;
use retrace::principal::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;

const QC_PASSED: &str = r#"{"boot": true, "keyboard": true, "screen": true, "battery": true, "network": true, "os": true}"#;

fn qc() -> Value {
    json!({ "checklist": serde_json::from_str::<Value>(QC_PASSED).unwrap() })
}

#[tokio::test]
async fn a_laptop_goes_from_received_to_delivered_once_its_drives_are_sanitized() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let technician = app.token(Role::Technician, Some(site)).await;
    let lot = app.lot(&coordinator, site).await;
    let device = app
        .device(&technician, json!({"lot_id": lot, "kind": "laptop", "manufacturer": "Lenovo", "model": "ThinkPad T480", "serial_number": " pf1abc2 "}))
        .await;
    assert_eq!(device["state"], "received");
    assert_eq!(device["serial_number"], "PF1ABC2");
    assert!(
        device["asset_tag"]
            .as_str()
            .unwrap()
            .starts_with("BRE-0000")
    );
    let id = device["id"].as_str().unwrap().to_owned();
    let ssd = app.add_medium(&technician, &id, "S3Z9NB0K123456").await;
    let hdd = app.add_medium(&technician, &id, "WD-WCC4E1234567").await;
    assert_eq!(ssd["state"], "present");
    assert_ne!(ssd["asset_tag"], device["asset_tag"]);

    let device = app.step(&technician, &device, "audit", json!({})).await;
    assert_eq!(device["state"], "inventoried");
    let device = app
        .step(&technician, &device, "start_erasure", json!({}))
        .await;
    assert_eq!(device["state"], "erasing");

    let first = app
        .medium_step(
            &technician,
            &ssd,
            "record_erasure",
            json!({"outcome": "passed", "method": "nwipe PRNG 1 pass, verified"}),
        )
        .await;
    assert_eq!(first["medium"]["state"], "sanitized");
    assert!(
        first["related_events"].as_array().unwrap().is_empty(),
        "one drive is still unsanitized"
    );
    assert_eq!(app.fetch_device(&technician, &id).await["state"], "erasing");

    let last = app
        .medium_step(
            &technician,
            &hdd,
            "destroy",
            json!({"method": "shredder", "witness": "C. Martin"}),
        )
        .await;
    assert_eq!(last["medium"]["state"], "destroyed");
    let automatic = &last["related_events"][0];
    assert_eq!(automatic["kind"], "device.transitioned");
    assert_eq!(automatic["payload"]["to"], "sanitized");
    assert_eq!(automatic["payload"]["automatic"], true);
    let device = app.fetch_device(&technician, &id).await;
    assert_eq!(device["state"], "sanitized");

    let device = app
        .step(&technician, &device, "start_refurbish", json!({}))
        .await;
    let device = app
        .step(
            &technician,
            &device,
            "install_os",
            json!({"os": "Linux Mint 22.1"}),
        )
        .await;
    assert_eq!(device["os"], "Linux Mint 22.1");
    let device = app.step(&technician, &device, "pass_qc", qc()).await;
    assert_eq!(device["state"], "ready");
    let device = app.step(&coordinator, &device, "reserve", json!({})).await;
    let device = app.step(&coordinator, &device, "release", json!({})).await;
    let device = app.step(&coordinator, &device, "reserve", json!({})).await;
    let device = app.step(&coordinator, &device, "deliver", json!({})).await;
    assert_eq!(device["state"], "delivered");

    let history = app
        .get(&format!("/api/v1/devices/{id}/events"), &technician)
        .await;
    let kinds: Vec<&str> = history.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == "device.transitioned")
            .count(),
        10
    );
    assert_eq!(kinds[0], "device.registered");
    assert!(kinds.contains(&"medium.added") && kinds.contains(&"medium.transitioned"));
}

#[tokio::test]
async fn delivering_a_device_with_an_unsanitized_drive_is_refused_with_the_blocking_drive() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let admin = app.admin.clone();
    let device = app
        .device(&admin, json!({"site_id": site, "kind": "desktop"}))
        .await;
    let id = device["id"].as_str().unwrap();
    let medium = app.add_medium(&admin, id, "SERIAL-1").await;
    // An admin's correction puts the device on the shelf; the gate still holds.
    let corrected = app
        .act(
            &admin,
            &device,
            "correct",
            json!({"target_state": "ready", "note": "inventory recount"}),
        )
        .await;
    assert_eq!(corrected.status, StatusCode::CREATED, "{}", corrected.text);
    let device = corrected.body["device"].clone();
    let before = app.ledger_seq().await;

    let refused = app.act(&admin, &device, "reserve", json!({})).await;
    let problem = refused.problem(StatusCode::CONFLICT);
    assert_eq!(problem["type"], "/problems/media-not-sanitized");
    assert_eq!(problem["blocking_media"][0]["id"], medium["id"]);
    assert_eq!(problem["blocking_media"][0]["serial_number"], "SERIAL-1");
    assert_eq!(problem["blocking_media"][0]["state"], "present");
    assert_eq!(app.ledger_seq().await, before, "a refusal writes nothing");

    for action in ["recycle", "dismantle"] {
        app.act(&admin, &device, action, json!({}))
            .await
            .problem(StatusCode::CONFLICT);
    }
    let failed = app
        .medium_step(
            &admin,
            &medium,
            "record_erasure",
            json!({"outcome": "failed"}),
        )
        .await;
    assert_eq!(failed["medium"]["state"], "sanitization_failed");
    let refused = app.act(&admin, &device, "reserve", json!({})).await;
    assert_eq!(
        refused.problem(StatusCode::CONFLICT)["blocking_media"][0]["state"],
        "sanitization_failed"
    );

    app.medium_step(
        &admin,
        &failed["medium"],
        "record_erasure",
        json!({"outcome": "passed"}),
    )
    .await;
    let device = app.step(&admin, &device, "reserve", json!({})).await;
    assert_eq!(device["state"], "reserved");
}

#[tokio::test]
async fn a_returned_device_must_be_erased_again() {
    let app = TestApp::spawn().await;
    let site = app.site("LYO").await;
    let admin = app.admin.clone();
    let device = app
        .device(&admin, json!({"site_id": site, "kind": "laptop"}))
        .await;
    let id = device["id"].as_str().unwrap().to_owned();
    let medium = app.add_medium(&admin, &id, "NVME-1").await;
    app.step(&admin, &device, "audit", json!({})).await;
    app.medium_step(
        &admin,
        &medium,
        "record_erasure",
        json!({"outcome": "passed"}),
    )
    .await;
    let mut device = app.fetch_device(&admin, &id).await;
    assert_eq!(
        device["state"], "sanitized",
        "auto-sanitized from inventoried"
    );
    for (action, extra) in [
        ("start_refurbish", json!({})),
        ("install_os", json!({"os": "Debian 13"})),
        ("pass_qc", qc()),
        ("reserve", json!({})),
        ("deliver", json!({})),
    ] {
        device = app.step(&admin, &device, action, extra).await;
    }
    let returned = app
        .act(
            &admin,
            &device,
            "return",
            json!({"reason": "keyboard fault under warranty"}),
        )
        .await;
    assert_eq!(returned.status, StatusCode::CREATED, "{}", returned.text);
    assert_eq!(returned.body["device"]["state"], "received");
    assert_eq!(
        returned.body["related_events"][0]["payload"]["to"],
        "present"
    );
    let media = app
        .get(&format!("/api/v1/devices/{id}/media"), &admin)
        .await;
    assert_eq!(media.body["items"][0]["state"], "present");
}

#[tokio::test]
async fn every_illegal_transition_is_refused_with_the_allowed_actions() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let admin = app.admin.clone();
    let device = app
        .device(&admin, json!({"site_id": site, "kind": "monitor"}))
        .await;
    let before = app.ledger_seq().await;
    for action in [
        "start_erasure",
        "sanitize_not_applicable",
        "start_refurbish",
        "install_os",
        "pass_qc",
        "reserve",
        "release",
        "deliver",
        "return",
    ] {
        let refused = app
            .act(
                &admin,
                &device,
                action,
                json!({"os": "x", "checklist": serde_json::from_str::<Value>(QC_PASSED).unwrap()}),
            )
            .await;
        let problem = refused.problem(StatusCode::CONFLICT);
        assert_eq!(
            problem["type"], "/problems/transition-not-allowed",
            "{action}"
        );
        assert_eq!(problem["state"], "received");
        assert_eq!(
            problem["allowed_actions"],
            json!(["audit", "dismantle", "recycle", "declare_lost"])
        );
    }
    let unknown = app.act(&admin, &device, "teleport", json!({})).await;
    assert_eq!(
        unknown.problem(StatusCode::UNPROCESSABLE_ENTITY)["errors"][0]["field"],
        "action"
    );
    assert_eq!(app.ledger_seq().await, before);
}

#[tokio::test]
async fn a_monitor_without_media_skips_erasure_but_a_laptop_with_a_drive_cannot() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let admin = app.admin.clone();
    let monitor = app
        .device(&admin, json!({"site_id": site, "kind": "monitor"}))
        .await;
    let monitor = app.step(&admin, &monitor, "audit", json!({})).await;
    let monitor = app
        .step(&admin, &monitor, "sanitize_not_applicable", json!({}))
        .await;
    assert_eq!(monitor["state"], "sanitized");

    let laptop = app
        .device(&admin, json!({"site_id": site, "kind": "laptop"}))
        .await;
    app.add_medium(&admin, laptop["id"].as_str().unwrap(), "HDD-9")
        .await;
    let laptop = app.step(&admin, &laptop, "audit", json!({})).await;
    let refused = app
        .act(&admin, &laptop, "sanitize_not_applicable", json!({}))
        .await;
    assert_eq!(
        refused.problem(StatusCode::CONFLICT)["type"],
        "/problems/device-has-media"
    );
}

#[tokio::test]
async fn qc_lost_and_install_refusals_name_their_fields() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let admin = app.admin.clone();
    let device = app
        .device(&admin, json!({"site_id": site, "kind": "monitor"}))
        .await;
    let mut device = app.step(&admin, &device, "audit", json!({})).await;
    for action in ["sanitize_not_applicable", "start_refurbish"] {
        device = app.step(&admin, &device, action, json!({})).await;
    }
    let no_os = app.act(&admin, &device, "install_os", json!({})).await;
    assert_eq!(
        no_os.problem(StatusCode::UNPROCESSABLE_ENTITY)["errors"][0]["field"],
        "os"
    );
    let device = app
        .step(
            &admin,
            &device,
            "install_os",
            json!({"os": "none (monitor)"}),
        )
        .await;
    let failing = app
        .act(&admin, &device, "pass_qc", json!({"checklist": {"boot": true, "keyboard": true, "screen": false, "battery": false, "network": true, "os": true}}))
        .await;
    failing.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        failing.error_fields(),
        vec!["checklist.screen", "checklist.battery"]
    );
    let no_note = app.act(&admin, &device, "declare_lost", json!({})).await;
    assert_eq!(
        no_note.problem(StatusCode::UNPROCESSABLE_ENTITY)["errors"][0]["field"],
        "note"
    );
    let lost = app
        .step(
            &admin,
            &device,
            "declare_lost",
            json!({"note": "not found at stock audit"}),
        )
        .await;
    assert_eq!(lost["state"], "lost");
    let terminal = app.act(&admin, &lost, "audit", json!({})).await;
    assert_eq!(
        terminal.problem(StatusCode::CONFLICT)["type"],
        "/problems/terminal-state"
    );
}

#[tokio::test]
async fn a_stale_version_is_refused_with_the_current_one() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let admin = app.admin.clone();
    let device = app
        .device(&admin, json!({"site_id": site, "kind": "laptop"}))
        .await;
    app.step(&admin, &device, "audit", json!({})).await;
    let before = app.ledger_seq().await;
    // `device` still says version 1.
    let stale = app.act(&admin, &device, "dismantle", json!({})).await;
    let problem = stale.problem(StatusCode::CONFLICT);
    assert_eq!(problem["type"], "/problems/stale-version");
    assert_eq!(problem["current_version"], 2);
    assert_eq!(app.ledger_seq().await, before);

    let id = device["id"].as_str().unwrap();
    let missing = app
        .post(
            &format!("/api/v1/devices/{id}/events"),
            &admin,
            json!({"action": "dismantle"}),
        )
        .await;
    assert_eq!(
        missing.problem(StatusCode::PRECONDITION_REQUIRED)["type"],
        "/problems/version-required"
    );
    let with_if_match = app
        .send(
            axum::http::Method::POST,
            &format!("/api/v1/devices/{id}/events"),
            &admin,
            json!({"action": "dismantle"}),
            &[("if-match", "\"2\"")],
        )
        .await;
    assert_eq!(
        with_if_match.status,
        StatusCode::CREATED,
        "{}",
        with_if_match.text
    );
}

#[tokio::test]
async fn roles_and_sites_limit_who_may_record_what() {
    let app = TestApp::spawn().await;
    let brest = app.site("BRE").await;
    let lyon = app.site("LYO").await;
    let technician = app.token(Role::Technician, Some(brest)).await;
    let viewer = app.token(Role::Viewer, None).await;
    let lyon_coordinator = app.token(Role::Coordinator, Some(lyon)).await;
    let device = app.device(&technician, json!({"kind": "laptop"})).await;
    let id = device["id"].as_str().unwrap();
    let before = app.ledger_seq().await;

    let forbidden = app
        .act(&technician, &device, "declare_lost", json!({"note": "?"}))
        .await;
    forbidden.problem(StatusCode::FORBIDDEN);
    let not_admin = app
        .act(
            &technician,
            &device,
            "correct",
            json!({"target_state": "ready", "note": "x"}),
        )
        .await;
    not_admin.problem(StatusCode::FORBIDDEN);
    app.act(&viewer, &device, "audit", json!({}))
        .await
        .problem(StatusCode::FORBIDDEN);
    // Another site's coordinator does not learn that the device exists.
    app.act(&lyon_coordinator, &device, "audit", json!({}))
        .await
        .problem(StatusCode::NOT_FOUND);
    app.get(&format!("/api/v1/devices/{id}"), &lyon_coordinator)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.get(&format!("/api/v1/devices/{id}/events"), &lyon_coordinator)
        .await
        .problem(StatusCode::NOT_FOUND);
    let listed = app.get("/api/v1/devices", &lyon_coordinator).await;
    assert_eq!(listed.body["items"], json!([]));
    // Without a token, nothing at all.
    let anonymous = app
        .call(
            axum::http::Method::GET,
            &format!("/api/v1/devices/{id}"),
            None,
            axum::body::Body::empty(),
            &[],
        )
        .await;
    anonymous.problem(StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.headers.get("www-authenticate").unwrap(), "Bearer");
    let bogus = app
        .get(&format!("/api/v1/devices/{id}"), "rt_not-a-real-token")
        .await;
    bogus.problem(StatusCode::UNAUTHORIZED);
    assert_eq!(app.ledger_seq().await, before);

    // The viewer (network-wide) reads; the technician records.
    assert_eq!(
        app.get(&format!("/api/v1/devices/{id}"), &viewer)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.act(&technician, &device, "audit", json!({}))
            .await
            .status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn a_retried_request_with_the_same_idempotency_key_replays_the_answer_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let admin = app.admin.clone();
    let device = app
        .device(&admin, json!({"site_id": site, "kind": "laptop"}))
        .await;
    let path = format!("/api/v1/devices/{}/events", device["id"].as_str().unwrap());
    let body = json!({"action": "audit", "expected_version": 1});
    let key = [("idempotency-key", "scan-7f3a")];

    let first = app
        .send(axum::http::Method::POST, &path, &admin, body.clone(), &key)
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let after_first = app.ledger_seq().await;
    let retry = app
        .send(axum::http::Method::POST, &path, &admin, body.clone(), &key)
        .await;
    assert_eq!(retry.status, StatusCode::CREATED);
    assert_eq!(retry.body, first.body, "the first answer, byte for byte");
    assert_eq!(retry.headers.get("idempotent-replayed").unwrap(), "true");
    assert_eq!(
        app.ledger_seq().await,
        after_first,
        "the retry wrote nothing"
    );

    let other = app
        .send(
            axum::http::Method::POST,
            &path,
            &admin,
            json!({"action": "dismantle", "expected_version": 2}),
            &key,
        )
        .await;
    assert_eq!(
        other.problem(StatusCode::UNPROCESSABLE_ENTITY)["type"],
        "/problems/idempotency-key-reused"
    );
    // Without the key, the same body is a new request, and now a stale one.
    let again = app.post(&path, &admin, body).await;
    assert_eq!(again.problem(StatusCode::CONFLICT)["current_version"], 2);
}

#[tokio::test]
async fn concurrent_transitions_on_one_device_have_exactly_one_winner_per_version() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let admin = app.admin.clone();
    let device = app
        .device(&admin, json!({"site_id": site, "kind": "laptop"}))
        .await;
    let attempts = (0..16).map(|_| app.act(&admin, &device, "audit", json!({})));
    let answers = futures::future::join_all(attempts).await;
    let won = answers
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    let stale = answers
        .iter()
        .filter(|r| r.status == StatusCode::CONFLICT && r.body["current_version"] == 2)
        .count();
    assert_eq!((won, stale), (1, 15));
    let history = app
        .get(
            &format!("/api/v1/devices/{}/events", device["id"].as_str().unwrap()),
            &admin,
        )
        .await;
    assert_eq!(
        history.body["items"].as_array().unwrap().len(),
        2,
        "registered + one audit"
    );
}
