//! Scan resolution: tags, label URLs and serials lead to the item with its
//! state and next actions; a mistyped tag gets a helpful answer.

use axum::http::StatusCode;
use retrace::principal::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;

async fn laptop(app: &TestApp, token: &str) -> (Value, Value) {
    let site = app.site("BRE").await;
    let lot = app.lot(token, site).await;
    let device = app
        .device(token, json!({"lot_id": lot, "kind": "laptop", "model": "ThinkPad T480", "serial_number": "pf1abc9"}))
        .await;
    let medium = app
        .add_medium(token, device["id"].as_str().unwrap(), "S3Z9NB0K1")
        .await;
    (device, medium)
}

fn encode(text: &str) -> String {
    text.replace(':', "%3A").replace('/', "%2F")
}

#[tokio::test]
async fn a_tag_a_label_url_and_a_serial_all_lead_to_the_device_and_its_next_actions() {
    let app = TestApp::spawn().await;
    let token = app.admin.clone();
    let (device, medium) = laptop(&app, &token).await;
    let tag = device["asset_tag"].as_str().unwrap();
    let url = format!("http://retrace.test/d/{tag}");
    for (code, matched_by) in [
        (tag.to_owned(), "asset_tag"),
        (tag.to_lowercase().replace('-', ""), "asset_tag"),
        (encode(&url), "url"),
        ("PF1ABC9".to_owned(), "serial_number"),
        ("pf1abc9".to_owned(), "serial_number"),
    ] {
        let answer = app.get(&format!("/api/v1/scan/{code}"), &token).await;
        assert_eq!(answer.status, StatusCode::OK, "{code}: {}", answer.text);
        assert_eq!(answer.body["matched_by"], matched_by, "{code}");
        assert_eq!(answer.body["item_type"], "device");
        assert_eq!(answer.body["asset_tag"], tag);
        assert_eq!(answer.body["state"], "received");
        assert_eq!(answer.body["device"]["id"], device["id"]);
        assert_eq!(answer.body["media"][0]["asset_tag"], medium["asset_tag"]);
        let actions: Vec<&str> = answer.body["allowed_actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert!(actions.contains(&"audit"), "{actions:?}");
        assert!(!actions.contains(&"deliver"), "{actions:?}");
    }

    // The actions offered are the ones that work: record the first, the state moves on.
    let scanned = app.get(&format!("/api/v1/scan/{tag}"), &token).await;
    let events_url = scanned.body["events_url"].as_str().unwrap();
    let done = app
        .post(
            events_url,
            &token,
            json!({"action": "audit", "expected_version": device["version"]}),
        )
        .await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.text);
    let again = app.get(&format!("/api/v1/scan/{tag}"), &token).await;
    assert_eq!(again.body["state"], "inventoried");
    assert!(
        again.body["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("start_erasure"))
    );
}

#[tokio::test]
async fn a_medium_resolves_by_its_tag_or_serial_with_the_device_it_is_in() {
    let app = TestApp::spawn().await;
    let token = app.admin.clone();
    let (device, medium) = laptop(&app, &token).await;
    for code in [medium["asset_tag"].as_str().unwrap(), "s3z9nb0k1"] {
        let answer = app.get(&format!("/api/v1/scan/{code}"), &token).await;
        assert_eq!(answer.status, StatusCode::OK, "{code}: {}", answer.text);
        assert_eq!(answer.body["item_type"], "medium");
        assert_eq!(answer.body["medium"]["id"], medium["id"]);
        assert_eq!(answer.body["device"]["id"], device["id"]);
        assert_eq!(answer.body["state"], "present");
        assert_eq!(
            answer.body["events_url"],
            format!("/api/v1/media/{}/events", medium["id"].as_str().unwrap())
        );
        assert!(
            answer.body["allowed_actions"]
                .as_array()
                .unwrap()
                .contains(&json!("record_erasure"))
        );
    }
}

#[tokio::test]
async fn a_mistyped_tag_is_answered_with_the_tag_it_probably_was() {
    let app = TestApp::spawn().await;
    let token = app.admin.clone();
    let (device, _) = laptop(&app, &token).await;
    let tag = device["asset_tag"].as_str().unwrap();
    // Swap two neighbouring digits of the sequence: the check character catches it.
    let mut chars: Vec<char> = tag.chars().collect();
    let at = (4..10).find(|&i| chars[i] != chars[i + 1]).unwrap();
    chars.swap(at, at + 1);
    let typo: String = chars.into_iter().collect();
    let answer = app.get(&format!("/api/v1/scan/{typo}"), &token).await;
    let problem = answer.problem(StatusCode::NOT_FOUND);
    assert_eq!(problem["type"], "/problems/mistyped-tag");
    assert!(
        problem["detail"].as_str().unwrap().contains(tag),
        "{problem}"
    );
    assert_eq!(problem["suggestions"][0]["asset_tag"], tag);

    let unknown = app.get("/api/v1/scan/NOTHING-LIKE-THIS", &token).await;
    assert_eq!(
        unknown.problem(StatusCode::NOT_FOUND)["type"],
        "/problems/unknown-code"
    );
}

#[tokio::test]
async fn other_sites_items_do_not_resolve_and_viewers_get_no_actions() {
    let app = TestApp::spawn().await;
    let token = app.admin.clone();
    let (device, _) = laptop(&app, &token).await;
    let tag = device["asset_tag"].as_str().unwrap();
    let other = app.site("NAN").await;
    let stranger = app.token(Role::Technician, Some(other)).await;
    let hidden = app.get(&format!("/api/v1/scan/{tag}"), &stranger).await;
    hidden.problem(StatusCode::NOT_FOUND);
    let by_serial = app.get("/api/v1/scan/PF1ABC9", &stranger).await;
    by_serial.problem(StatusCode::NOT_FOUND);

    let viewer = app.token(Role::Viewer, None).await;
    let seen = app.get(&format!("/api/v1/scan/{tag}"), &viewer).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert_eq!(seen.body["allowed_actions"], json!([]));
    let anonymous = app
        .call(
            axum::http::Method::GET,
            &format!("/api/v1/scan/{tag}"),
            None,
            axum::body::Body::empty(),
            &[],
        )
        .await;
    anonymous.problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_fast_sqlite_lookup_answers_exactly_as_the_ordinary_one() {
    let app = TestApp::spawn().await;
    let token = app.admin.clone();
    let (device, medium) = laptop(&app, &token).await;
    let principal = retrace::principal::Principal::instance();
    for code in [
        device["asset_tag"].as_str().unwrap().to_owned(),
        medium["asset_tag"].as_str().unwrap().to_owned(),
        encode(&format!(
            "http://retrace.test/d/{}",
            device["asset_tag"].as_str().unwrap()
        )),
    ] {
        let over_http = app.get(&format!("/api/v1/scan/{code}"), &token).await;
        assert_eq!(over_http.status, StatusCode::OK, "{}", over_http.text);
        let decoded = code.replace("%3A", ":").replace("%2F", "/");
        let ordinary = retrace::scan::resolve(&app.state.db, &principal, &decoded)
            .await
            .unwrap();
        let fast = retrace::scan::resolve_with(
            &app.state.db,
            app.state.scan_reader.as_deref(),
            &principal,
            &decoded,
        )
        .await
        .unwrap();
        assert_eq!(
            serde_json::to_value(&fast).unwrap(),
            serde_json::to_value(&ordinary).unwrap(),
            "{code}"
        );
        assert_eq!(
            over_http.body,
            serde_json::to_value(&ordinary).unwrap(),
            "{code}"
        );
    }
    if app.state.settings.is_sqlite() {
        let reader = app
            .state
            .scan_reader
            .as_ref()
            .expect("SQLite scans take the fast path");
        for tag in [&device["asset_tag"], &medium["asset_tag"]] {
            assert!(
                retrace::scan::sqlite::by_tag(reader, tag.as_str().unwrap())
                    .unwrap()
                    .is_some(),
                "{tag} read directly"
            );
        }
        assert!(
            retrace::scan::sqlite::by_tag(reader, "BRE-999999-Z")
                .unwrap()
                .is_none()
        );
    }
}
