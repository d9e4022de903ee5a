//! Stock audits: start, scan, close; the report lists what is missing and
//! what should not be there, and the whole audit is in the ledger.

use axum::http::StatusCode;
use retrace::principal::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;

async fn laptop(app: &TestApp, token: &str, site: retrace::ids::SiteId, serial: &str) -> Value {
    app.device(token, json!({"site_id": site, "kind": "laptop", "model": "ThinkPad T480", "serial_number": serial})).await
}

#[tokio::test]
async fn an_audit_reports_missing_and_unexpected_items_and_is_in_the_ledger() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let other = app.site("NAN").await;
    let technician = app.token(Role::Technician, Some(site)).await;
    let on_shelf = laptop(&app, &app.admin, site, "A1").await;
    let missing = laptop(&app, &app.admin, site, "A2").await;
    let elsewhere = laptop(&app, &app.admin, other, "B1").await;
    // A device delivered last month is not expected on the shelf.
    let mut delivered = laptop(&app, &app.admin, site, "A3").await;
    for (action, extra) in [
        ("audit", json!({})),
        ("sanitize_not_applicable", json!({})),
        ("start_refurbish", json!({})),
        ("install_os", json!({"os": "Linux Mint 22.1"})),
        (
            "pass_qc",
            json!({"checklist": {"boot": true, "keyboard": true, "screen": true, "battery": true, "network": true, "os": true}}),
        ),
        ("reserve", json!({})),
        ("deliver", json!({})),
    ] {
        delivered = app.step(&app.admin, &delivered, action, extra).await;
    }

    let before = app.ledger_seq().await;
    let audit = app.post("/api/v1/audits", &technician, json!({})).await;
    assert_eq!(audit.status, StatusCode::CREATED, "{}", audit.text);
    assert_eq!(audit.body["state"], "open");
    let id = audit.body["id"].as_str().unwrap();
    let second = app.post("/api/v1/audits", &technician, json!({})).await;
    second.problem(StatusCode::CONFLICT);

    let scan = |code: String| {
        let (app, technician) = (&app, &technician);
        async move {
            app.post(
                &format!("/api/v1/audits/{id}/scans"),
                technician,
                json!({"code": code}),
            )
            .await
        }
    };
    let found = scan(on_shelf["asset_tag"].as_str().unwrap().to_lowercase()).await;
    assert_eq!(found.status, StatusCode::CREATED, "{}", found.text);
    assert_eq!(found.body["expected"], true);
    let twice = scan(format!(
        "http://retrace.test/d/{}",
        on_shelf["asset_tag"].as_str().unwrap()
    ))
    .await;
    assert_eq!(twice.body["expected"], true);
    let surprise = scan(delivered["asset_tag"].as_str().unwrap().to_owned()).await;
    assert_eq!(surprise.body["expected"], false);
    // The technician cannot see the other site's device: it is an unknown code to them.
    let foreign = scan(elsewhere["asset_tag"].as_str().unwrap().to_owned()).await;
    assert_eq!(foreign.body["item_type"], Value::Null);
    let unknown = scan("NOT-A-THING".into()).await;
    assert_eq!(unknown.status, StatusCode::CREATED);

    let closed = app
        .post(
            &format!("/api/v1/audits/{id}/close"),
            &technician,
            json!({"expected_version": 1}),
        )
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.text);
    let report = &closed.body["report"];
    assert_eq!(closed.body["state"], "closed");
    assert_eq!(closed.body["scan_count"], 5);
    assert_eq!(report["expected_count"], 2);
    assert_eq!(report["found_count"], 1);
    assert_eq!(report["missing"].as_array().unwrap().len(), 1);
    assert_eq!(report["missing"][0]["asset_tag"], missing["asset_tag"]);
    let reasons: Vec<&str> = report["unexpected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons.len(), 3, "{report}");
    assert_eq!(reasons.iter().filter(|r| **r == "unknown_code").count(), 2);
    assert!(reasons.contains(&"not_on_shelf"));

    // The list counts each audit's scans too (one query for the page).
    let list = app.get("/api/v1/audits", &technician).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    let listed = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == closed.body["id"])
        .expect("the audit is listed");
    assert_eq!(listed["scan_count"], 5);

    // Start, five scans and the close: seven events.
    assert_eq!(app.ledger_seq().await, before + 7);
    let history = app.get("/api/v1/ledger/events?limit=500", &app.admin).await;
    let kinds: Vec<&str> = history.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .filter(|k| k.starts_with("stock_audit."))
        .collect();
    assert_eq!(kinds.first(), Some(&"stock_audit.started"));
    assert_eq!(kinds.last(), Some(&"stock_audit.closed"));

    // Closed is closed; the report reads the same later.
    scan("late".into()).await.problem(StatusCode::CONFLICT);
    let again = app.get(&format!("/api/v1/audits/{id}"), &technician).await;
    assert_eq!(again.body["report"], *report);
}

#[tokio::test]
async fn audits_of_another_site_are_out_of_sight_and_viewers_cannot_start_one() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let other = app.site("NAN").await;
    let audit = app
        .post("/api/v1/audits", &app.admin, json!({"site_id": site}))
        .await;
    let id = audit.body["id"].as_str().unwrap();
    let stranger = app.token(Role::Technician, Some(other)).await;
    app.get(&format!("/api/v1/audits/{id}"), &stranger)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.post(
        &format!("/api/v1/audits/{id}/scans"),
        &stranger,
        json!({"code": "X"}),
    )
    .await
    .problem(StatusCode::NOT_FOUND);
    let viewer = app.token(Role::Viewer, None).await;
    app.post("/api/v1/audits", &viewer, json!({"site_id": site}))
        .await
        .problem(StatusCode::FORBIDDEN);
    let empty = app
        .post(
            &format!("/api/v1/audits/{id}/scans"),
            &app.admin,
            json!({"code": ""}),
        )
        .await;
    empty.problem(StatusCode::UNPROCESSABLE_ENTITY);
}
