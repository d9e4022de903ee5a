//! Registering, reading, searching, paging and editing devices.

use axum::http::StatusCode;
use retrace::principal::Role;
use retrace::tags::AssetTag;
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn a_registered_device_gets_the_next_checked_tag_of_its_lots_site() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let lot = app.lot(&coordinator, site).await;
    let first = app
        .device(
            &coordinator,
            json!({"lot_id": lot, "kind": "laptop", "specs": {"cpu": "i5-8350U", "ram_mib": 8192}}),
        )
        .await;
    let second = app
        .device(
            &coordinator,
            json!({"lot_id": lot, "kind": "desktop", "grade": "B", "weight_kg": 7.5}),
        )
        .await;
    let first_tag = AssetTag::parse(first["asset_tag"].as_str().unwrap()).unwrap();
    let second_tag = AssetTag::parse(second["asset_tag"].as_str().unwrap()).unwrap();
    assert_eq!(first_tag.site_code(), "BRE");
    assert!(second_tag.sequence() > first_tag.sequence());
    assert_eq!(first["site_id"], json!(site));
    assert_eq!(first["lot_id"], lot);
    assert_eq!(first["version"], 1);
    assert_eq!(first["specs"], json!({"cpu": "i5-8350U", "ram_mib": 8192}));
    assert_eq!(second["grade"], "B");
    assert_eq!(second["weight_kg"], 7.5);
}

#[tokio::test]
async fn two_devices_of_a_lot_cannot_share_a_serial_number() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let lot = app.lot(&coordinator, site).await;
    app.device(
        &coordinator,
        json!({"lot_id": lot, "kind": "laptop", "serial_number": "ABC123"}),
    )
    .await;
    let twin = app
        .post(
            "/api/v1/devices",
            &coordinator,
            json!({"lot_id": lot, "kind": "laptop", "serial_number": "abc123"}),
        )
        .await;
    assert!(
        twin.problem(StatusCode::CONFLICT)["detail"]
            .as_str()
            .unwrap()
            .contains("ABC123")
    );
}

#[tokio::test]
async fn a_device_needs_a_site_its_user_may_work_in() {
    let app = TestApp::spawn().await;
    let brest = app.site("BRE").await;
    let lyon = app.site("LYO").await;
    let technician = app.token(Role::Technician, Some(brest)).await;
    let elsewhere = app
        .post(
            "/api/v1/devices",
            &technician,
            json!({"kind": "laptop", "site_id": lyon}),
        )
        .await;
    assert_eq!(
        elsewhere.problem(StatusCode::UNPROCESSABLE_ENTITY)["errors"][0]["field"],
        "site_id"
    );
    let lyon_lot = app.lot(&app.admin, lyon).await;
    let foreign_lot = app
        .post(
            "/api/v1/devices",
            &technician,
            json!({"kind": "laptop", "lot_id": lyon_lot}),
        )
        .await;
    let problem = foreign_lot.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "lot_id");
    // A rule about another record, not a bound of the request: no check code.
    assert!(problem["errors"][0].get("code").is_none(), "{problem}");
    let admin_without_site = app
        .post("/api/v1/devices", &app.admin, json!({"kind": "laptop"}))
        .await;
    assert_eq!(
        admin_without_site.problem(StatusCode::UNPROCESSABLE_ENTITY)["errors"][0]["field"],
        "site_id"
    );
    let viewer = app.token(Role::Viewer, Some(brest)).await;
    app.post("/api/v1/devices", &viewer, json!({"kind": "laptop"}))
        .await
        .problem(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn lists_page_with_a_cursor_and_filter_by_state_kind_lot_and_text() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let admin = app.admin.clone();
    let lot = app.lot(&admin, site).await;
    let mut tags = Vec::new();
    for (i, kind) in [
        "laptop", "laptop", "desktop", "monitor", "laptop", "tablet", "laptop",
    ]
    .iter()
    .enumerate()
    {
        let device = app
            .device(&admin, json!({"lot_id": if i < 4 { Some(&lot) } else { None }, "site_id": site, "kind": kind, "model": format!("Model {i}"), "serial_number": format!("SN-{i}XYZ")}))
            .await;
        tags.push(device["asset_tag"].as_str().unwrap().to_owned());
        if i == 0 {
            app.step(&admin, &device, "audit", json!({})).await;
        }
    }

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/devices?limit=3&cursor={c}"),
            None => "/api/v1/devices?limit=3".to_owned(),
        };
        let page = app.get(&path, &admin).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        let items = page.body["items"].as_array().unwrap();
        assert!(items.len() <= 3);
        seen.extend(
            items
                .iter()
                .map(|d| d["asset_tag"].as_str().unwrap().to_owned()),
        );
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, tags, "every device once, in creation order");

    let count = |path: &str| {
        let path = path.to_owned();
        let app = &app;
        let admin = admin.clone();
        async move {
            app.get(&path, &admin).await.body["items"]
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(count("/api/v1/devices?kind=laptop").await, 4);
    assert_eq!(count("/api/v1/devices?state=inventoried").await, 1);
    assert_eq!(count(&format!("/api/v1/devices?lot_id={lot}")).await, 4);
    assert_eq!(
        count(&format!("/api/v1/devices?lot_id={lot}&kind=laptop")).await,
        2
    );
    assert_eq!(
        count("/api/v1/devices?q=sn-3x").await,
        1,
        "serials match whatever the case"
    );
    assert_eq!(count("/api/v1/devices?q=model%205").await, 1);
    assert_eq!(count(&format!("/api/v1/devices?q={}", &tags[6])).await, 1);
    assert_eq!(
        count("/api/v1/devices?q=%25").await,
        0,
        "a % is a literal percent sign"
    );

    let bad_limit = app.get("/api/v1/devices?limit=0", &admin).await;
    let problem = bad_limit.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "limit");
    assert_eq!(problem["errors"][0]["code"], "range");
    let bad_cursor = app.get("/api/v1/devices?cursor=nope", &admin).await;
    assert_eq!(
        bad_cursor.problem(StatusCode::UNPROCESSABLE_ENTITY)["errors"][0]["field"],
        "cursor"
    );
    app.get("/api/v1/devices?state=exploded", &admin)
        .await
        .problem(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn editing_a_device_is_an_event_with_its_version() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let admin = app.admin.clone();
    let device = app
        .device(
            &admin,
            json!({"site_id": site, "kind": "laptop", "model": "T480", "grade": "A"}),
        )
        .await;
    let path = format!("/api/v1/devices/{}", device["id"].as_str().unwrap());
    let edited = app.patch(&path, &admin, json!({"expected_version": 1, "model": "ThinkPad T480s", "grade": null, "serial_number": "pf-1"})).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);
    assert_eq!(edited.body["model"], "ThinkPad T480s");
    assert_eq!(edited.body["grade"], json!(null));
    assert_eq!(edited.body["serial_number"], "PF-1");
    assert_eq!(edited.body["kind"], "laptop", "untouched fields stay");
    assert_eq!(edited.body["version"], 2);
    let history = app.get(&format!("{path}/events"), &admin).await;
    let update = &history.body["items"][1];
    assert_eq!(update["kind"], "device.updated");
    assert_eq!(
        update["payload"],
        json!({"version": 2, "changes": {"model": "ThinkPad T480s", "grade": null, "serial_number": "PF-1"}})
    );

    let stale = app
        .patch(&path, &admin, json!({"expected_version": 1, "model": "x"}))
        .await;
    assert_eq!(stale.problem(StatusCode::CONFLICT)["current_version"], 2);
    let unknown = app
        .patch(
            &path,
            &admin,
            json!({"expected_version": 2, "state": "ready"}),
        )
        .await;
    unknown.problem(StatusCode::UNPROCESSABLE_ENTITY);
}

/// A weight corrected by an edit keeps to the bounds of a weight registered:
/// a negative or absurd one would be carried into every tonnage report.
#[tokio::test]
async fn an_edited_weight_keeps_to_the_bounds_of_a_registered_one() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let admin = app.admin.clone();
    let device = app
        .device(
            &admin,
            json!({"site_id": site, "kind": "laptop", "weight_kg": 2.1}),
        )
        .await;
    let path = format!("/api/v1/devices/{}", device["id"].as_str().unwrap());
    for weight in [json!(-0.5), json!(2000.5), json!(1e300)] {
        let refused = app
            .patch(
                &path,
                &admin,
                json!({"expected_version": 1, "weight_kg": weight}),
            )
            .await;
        let problem = refused.problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem["errors"][0]["field"], "weight_kg", "{problem}");
        assert_eq!(problem["errors"][0]["code"], "range", "{problem}");
    }
    assert_eq!(
        app.get(&path, &admin).await.body["version"],
        1,
        "nothing written"
    );
    let corrected = app
        .patch(
            &path,
            &admin,
            json!({"expected_version": 1, "weight_kg": 2000.0}),
        )
        .await;
    assert_eq!(corrected.status, StatusCode::OK, "{}", corrected.text);
    assert_eq!(corrected.body["weight_kg"], 2000.0);
}
