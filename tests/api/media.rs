//! Media pulled out at a wiping station, reinstalled, and held by the gate.

use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn a_removed_drive_is_tracked_alone_and_goes_back_only_once_sanitized() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let admin = app.admin.clone();
    let laptop = app
        .device(&admin, json!({"site_id": site, "kind": "laptop"}))
        .await;
    let laptop_id = laptop["id"].as_str().unwrap().to_owned();
    let drive = app.add_medium(&admin, &laptop_id, "WD-123").await;
    let laptop = app.step(&admin, &laptop, "audit", json!({})).await;

    let removed = app.medium_step(&admin, &drive, "remove", json!({})).await;
    assert_eq!(removed["medium"]["state"], "removed");
    assert_eq!(removed["medium"]["device_id"], json!(null));
    assert_eq!(removed["medium"]["source_device_id"], json!(laptop_id));
    let loose = app.get("/api/v1/media?loose=true", &admin).await;
    assert_eq!(loose.body["items"].as_array().unwrap().len(), 1);

    // The laptop has no drive in it now: it may skip erasure.
    let laptop = app
        .step(&admin, &laptop, "sanitize_not_applicable", json!({}))
        .await;
    assert_eq!(laptop["state"], "sanitized");

    let refused = app
        .post(
            &format!("/api/v1/media/{}/events", drive["id"].as_str().unwrap()),
            &admin,
            json!({"action": "reinstall", "expected_version": 2, "device_id": laptop_id}),
        )
        .await;
    assert_eq!(
        refused.problem(StatusCode::CONFLICT)["type"],
        "/problems/media-not-sanitized"
    );

    let wiped = app
        .medium_step(
            &admin,
            &removed["medium"],
            "record_erasure",
            json!({"outcome": "passed", "method": "nwipe zero"}),
        )
        .await;
    assert_eq!(wiped["medium"]["state"], "sanitized");
    let back = app
        .medium_step(
            &admin,
            &wiped["medium"],
            "reinstall",
            json!({"device_id": laptop_id}),
        )
        .await;
    assert_eq!(back["medium"]["device_id"], json!(laptop_id));
    assert_eq!(back["medium"]["state"], "sanitized");
    let media = app
        .get(&format!("/api/v1/devices/{laptop_id}/media"), &admin)
        .await;
    assert_eq!(media.body["items"].as_array().unwrap().len(), 1);

    let history = app
        .get(
            &format!("/api/v1/media/{}/events", drive["id"].as_str().unwrap()),
            &admin,
        )
        .await;
    let actions: Vec<&str> = history.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .skip(1)
        .map(|e| e["payload"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["remove", "record_erasure", "reinstall"]);
}

#[tokio::test]
async fn a_destroyed_drive_takes_no_more_actions_and_returns_are_the_servers_business() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let admin = app.admin.clone();
    let laptop = app
        .device(&admin, json!({"site_id": site, "kind": "laptop"}))
        .await;
    let drive = app
        .add_medium(&admin, laptop["id"].as_str().unwrap(), "ST-1")
        .await;
    let by_hand = app
        .post(
            &format!("/api/v1/media/{}/events", drive["id"].as_str().unwrap()),
            &admin,
            json!({"action": "device_returned", "expected_version": 1}),
        )
        .await;
    assert_eq!(
        by_hand.problem(StatusCode::UNPROCESSABLE_ENTITY)["errors"][0]["field"],
        "action"
    );
    let no_outcome = app
        .post(
            &format!("/api/v1/media/{}/events", drive["id"].as_str().unwrap()),
            &admin,
            json!({"action": "record_erasure", "expected_version": 1}),
        )
        .await;
    assert_eq!(
        no_outcome.problem(StatusCode::UNPROCESSABLE_ENTITY)["errors"][0]["field"],
        "outcome"
    );
    let destroyed = app
        .medium_step(
            &admin,
            &drive,
            "destroy",
            json!({"method": "drill", "witness": "A. Durand"}),
        )
        .await;
    let again = app
        .post(&format!("/api/v1/media/{}/events", drive["id"].as_str().unwrap()), &admin, json!({"action": "record_erasure", "outcome": "passed", "expected_version": destroyed["medium"]["version"]}))
        .await;
    assert_eq!(
        again.problem(StatusCode::CONFLICT)["type"],
        "/problems/transition-not-allowed"
    );
}

#[tokio::test]
async fn media_are_listed_searched_and_edited() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let admin = app.admin.clone();
    let laptop = app
        .device(&admin, json!({"site_id": site, "kind": "laptop"}))
        .await;
    let drive = app
        .add_medium(&admin, laptop["id"].as_str().unwrap(), "s3z9nb0k123456")
        .await;
    assert_eq!(drive["serial_number"], "S3Z9NB0K123456");
    let found = app.get("/api/v1/media?q=nb0k", &admin).await;
    assert_eq!(found.body["items"][0]["id"], drive["id"]);
    let none = app.get("/api/v1/media?state=sanitized", &admin).await;
    assert_eq!(none.body["items"], json!([]));
    let path = format!("/api/v1/media/{}", drive["id"].as_str().unwrap());
    let edited = app.patch(&path, &admin, json!({"expected_version": 1, "model": "Samsung 860 EVO", "capacity_bytes": 500107862016i64})).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);
    assert_eq!(edited.body["capacity_bytes"], 500107862016i64);
    let twin = app
        .post(
            &format!("/api/v1/devices/{}/media", laptop["id"].as_str().unwrap()),
            &admin,
            json!({"kind": "ssd", "serial_number": "S3Z9NB0K123456"}),
        )
        .await;
    twin.problem(StatusCode::CONFLICT);
}
