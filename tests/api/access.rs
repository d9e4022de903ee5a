//! Access requests (GDPR art. 15): a coordinator answers a person who asks
//! what the workshop holds about them with one JSON document — their
//! record and contact, what they were given, what they said and signed,
//! every ledger event about them — and no one else may ask for it.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use retrace::principal::Role;
use serde_json::{Value, json};

use crate::allocations::{allocate, beneficiary, ready_device};
use crate::helpers::TestApp;
use crate::openapi::{check, document};

fn kinds(access: &Value) -> Vec<String> {
    access["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_beneficiary_s_access_request_answers_everything_held_about_them_for_their_coordinator_only()
 {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let person = beneficiary(
        &app,
        &coordinator,
        json!({"category": "senior", "name": "Nolwenn Kerbrat", "email": "nolwenn.kerbrat@example.org", "postcode": "29200"}),
    )
    .await;
    let device = ready_device(&app, &coordinator, site).await;
    let allocation = allocate(&app, &coordinator, &device, &person).await;
    let a = allocation["id"].as_str().unwrap();
    let signed = app
        .post(
            &format!("/api/v1/allocations/{a}/acceptance"),
            &coordinator,
            json!({"expected_version": allocation["version"], "method": "signed_on_device", "strokes": [[[0.1, 0.2], [0.8, 0.9]]]}),
        )
        .await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.text);
    let delivered = app
        .post(
            &format!("/api/v1/allocations/{a}/deliver"),
            &coordinator,
            json!({"expected_version": signed.body["version"]}),
        )
        .await;
    assert_eq!(delivered.status, StatusCode::OK, "{}", delivered.text);
    let complaint = app
        .post(
            &format!("/api/v1/allocations/{a}/complaints"),
            &coordinator,
            json!({"received_on": "2026-11-30", "description": "Le clavier colle"}),
        )
        .await;
    assert_eq!(complaint.status, StatusCode::CREATED, "{}", complaint.text);

    let path = format!(
        "/api/v1/beneficiaries/{}/personal-data",
        person["id"].as_str().unwrap()
    );
    let access = app.get(&path, &coordinator).await;
    assert_eq!(access.status, StatusCode::OK, "{}", access.text);
    check(
        &doc,
        "get",
        "/api/v1/beneficiaries/{id}/personal-data",
        &access,
    );
    let body = &access.body;
    assert_eq!(
        body["beneficiary"]["personal_data"]["name"],
        "Nolwenn Kerbrat"
    );
    assert_eq!(body["beneficiary"]["postcode"], "29200");
    assert_eq!(body["allocations"][0]["id"], allocation["id"]);
    assert_eq!(body["complaints"][0]["description"], "Le clavier colle");
    assert_eq!(
        body["signatures"][0]["strokes"],
        json!([[[0.1, 0.2], [0.8, 0.9]]])
    );
    for kind in [
        "beneficiary.registered",
        "beneficiary.personal_data_recorded",
        "allocation.reserved",
        "allocation.accepted",
        "allocation.delivered",
        "complaint.logged",
    ] {
        assert!(
            kinds(body).contains(&kind.to_owned()),
            "no {kind}: {:?}",
            kinds(body)
        );
    }

    // No one else: the bench, a funder, another site's coordinator.
    for (token, status) in [
        (
            app.token(Role::Technician, Some(site)).await,
            StatusCode::FORBIDDEN,
        ),
        (app.token(Role::Viewer, None).await, StatusCode::FORBIDDEN),
        (
            app.token(Role::Coordinator, Some(app.site("LYO").await))
                .await,
            StatusCode::NOT_FOUND,
        ),
    ] {
        app.get(&path, &token).await.problem(status);
    }

    // After an erasure, the answer says so: no name, no signature, the events stay.
    let erased = app
        .call(
            Method::DELETE,
            &path,
            Some(&coordinator),
            Body::empty(),
            &[],
        )
        .await;
    assert_eq!(erased.status, StatusCode::OK, "{}", erased.text);
    let after = app.get(&path, &coordinator).await.body;
    assert!(after["beneficiary"]["personal_data"].is_null(), "{after}");
    assert_eq!(after["signatures"], json!([]));
    assert!(!after.to_string().contains("Kerbrat"));
    assert!(kinds(&after).contains(&"beneficiary.personal_data_erased".to_owned()));
}

#[tokio::test]
async fn a_worker_s_access_request_answers_their_record_account_hours_and_operations() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let (account, bench) = app
        .user_with_token("erwan.bench@atelier.test", Role::Technician, Some(site))
        .await;
    let worker = crate::workforce::worker(
        &app,
        &coordinator,
        json!({"display_name": "Erwan Le Bihan", "contract_kind": "insertion", "started_on": "2026-01-05",
               "weekly_hours": 26, "user_id": account}),
    )
    .await;
    // Their account audits a laptop; they worked a morning.
    let device = app.device(&bench, json!({"kind": "laptop"})).await;
    app.step(&bench, &device, "audit", json!({})).await;
    let entry = app
        .post(
            "/api/v1/timesheets",
            &coordinator,
            json!({"worker_id": worker["id"], "date": "2026-11-16", "hours": 3.5, "activity": "repair"}),
        )
        .await;
    assert_eq!(entry.status, StatusCode::CREATED, "{}", entry.text);

    let path = format!(
        "/api/v1/workers/{}/personal-data",
        worker["id"].as_str().unwrap()
    );
    let access = app.get(&path, &coordinator).await;
    assert_eq!(access.status, StatusCode::OK, "{}", access.text);
    check(&doc, "get", "/api/v1/workers/{id}/personal-data", &access);
    let body = &access.body;
    assert_eq!(body["worker"]["display_name"], "Erwan Le Bihan");
    assert_eq!(body["account"]["email"], "erwan.bench@atelier.test");
    assert_eq!(body["timesheets"][0]["hours"], 3.5);
    assert_eq!(
        body["operations"]["Hardware inventory and diagnosis of computers"], 1,
        "{body}"
    );
    for kind in [
        "worker.registered",
        "worker.personal_data_recorded",
        "timesheet.recorded",
    ] {
        assert!(
            kinds(body).contains(&kind.to_owned()),
            "no {kind}: {:?}",
            kinds(body)
        );
    }
    for (token, status) in [
        (bench.clone(), StatusCode::FORBIDDEN),
        (app.token(Role::Viewer, None).await, StatusCode::FORBIDDEN),
    ] {
        app.get(&path, &token).await.problem(status);
    }
}
