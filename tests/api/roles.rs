//! Who may do what, asked of every documented operation and every role, and
//! the answers of the newer endpoints held to their documented schemas.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use retrace::principal::Role;
use serde_json::{Value, json};

use crate::allocations::{allocate, beneficiary, ready_device};
use crate::helpers::TestApp;
use crate::openapi::{check, document};

/// Every operation × (no token, viewer, technician, coordinator, admin),
/// with an empty body and made-up ids: never a 5xx, and without a token a
/// 401 wherever the document asks for one. (Such requests are mostly
/// refused before any permission is asked; who may do what is proved with
/// real resources and valid bodies in `matrix.rs`.)
#[tokio::test]
async fn every_operation_answers_an_empty_body_from_every_role_without_a_server_error() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let doc = document(&app).await;
    let viewer = app.token(Role::Viewer, None).await;
    let technician = app.token(Role::Technician, Some(site)).await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let roles: [(&str, Option<&str>); 5] = [
        ("nobody", None),
        ("viewer", Some(&viewer)),
        ("technician", Some(&technician)),
        ("coordinator", Some(&coordinator)),
        ("admin", Some(&app.admin)),
    ];
    let mut operations = 0;
    for (who, token) in roles {
        let before = app.ledger_seq().await;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let concrete = path
                    .replace("{id}", &uuid::Uuid::now_v7().to_string())
                    .replace("{number}", "CERT-2026-000999")
                    .replace("{code}", "BRE-000999-X");
                let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                let response = app
                    .call(
                        method.clone(),
                        &concrete,
                        token,
                        Body::from("{}"),
                        &[("content-type", "application/json")],
                    )
                    .await;
                assert!(
                    !response.status.is_server_error(),
                    "{who}: {method} {path}: {}",
                    response.text
                );
                let secured = operation["security"].is_array();
                if token.is_none() && secured && path != "/api/v1/logout" {
                    assert_eq!(
                        response.status,
                        StatusCode::UNAUTHORIZED,
                        "{who}: {method} {path}"
                    );
                }
                if who == "viewer" && method != Method::GET && path != "/api/v1/logout" {
                    assert!(
                        !response.status.is_success(),
                        "a viewer got {} for {method} {path}",
                        response.status
                    );
                }
                operations += 1;
            }
        }
        if token.is_none() || who == "viewer" {
            assert_eq!(app.ledger_seq().await, before, "{who} wrote something");
        }
    }
    assert!(operations > 200, "{operations}");
}

/// The outbound endpoints with real bodies: who may, who may not.
#[tokio::test]
async fn beneficiaries_allocations_and_shipments_are_for_coordinators_returns_for_the_bench_too() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    app.patch(
        &format!("/api/v1/sites/{site}"),
        &app.admin,
        json!({"expected_version": 1, "siret": "73282932000074"}),
    )
    .await;
    let viewer = app.token(Role::Viewer, None).await;
    let technician = app.token(Role::Technician, Some(site)).await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let stranger = app
        .token(Role::Coordinator, Some(app.site("LYO").await))
        .await;

    let new_beneficiary = json!({"category": "student", "site_id": site});
    for (token, status) in [
        (&viewer, StatusCode::FORBIDDEN),
        (&technician, StatusCode::FORBIDDEN),
        (&stranger, StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let answer = app
            .post("/api/v1/beneficiaries", token, new_beneficiary.clone())
            .await;
        assert_eq!(answer.status, status, "{}", answer.text);
    }
    let person = beneficiary(&app, &coordinator, json!({"category": "student"})).await;
    let device = ready_device(&app, &coordinator, site).await;
    let reserve = json!({"device_id": device["id"], "beneficiary_id": person["id"], "conditions": {"kind": "free"}, "warranty_months": 6});
    for (token, status) in [
        (&viewer, StatusCode::FORBIDDEN),
        (&technician, StatusCode::FORBIDDEN),
        (&stranger, StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let answer = app
            .post("/api/v1/allocations", token, reserve.clone())
            .await;
        assert_eq!(answer.status, status, "{}", answer.text);
    }
    let allocation = allocate(&app, &coordinator, &device, &person).await;
    let a = allocation["id"].as_str().unwrap();
    for (token, status) in [
        (&viewer, StatusCode::FORBIDDEN),
        (&technician, StatusCode::FORBIDDEN),
        (&stranger, StatusCode::NOT_FOUND),
    ] {
        let answer = app
            .post(
                &format!("/api/v1/allocations/{a}/deliver"),
                token,
                json!({"expected_version": 1}),
            )
            .await;
        assert_eq!(answer.status, status, "{}", answer.text);
        let erase = app
            .call(
                Method::DELETE,
                &format!(
                    "/api/v1/beneficiaries/{}/personal-data",
                    person["id"].as_str().unwrap()
                ),
                Some(token),
                Body::empty(),
                &[],
            )
            .await;
        assert!(
            matches!(erase.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{}",
            erase.text
        );
    }
    let delivered = app
        .post(
            &format!("/api/v1/allocations/{a}/deliver"),
            &coordinator,
            json!({"expected_version": 1}),
        )
        .await;
    assert_eq!(delivered.status, StatusCode::OK);
    // A viewer may not record a return; the technician at the bench may.
    let back = json!({"expected_version": delivered.body["version"], "reason": "no_longer_needed"});
    let refused = app
        .post(
            &format!("/api/v1/allocations/{a}/return"),
            &viewer,
            back.clone(),
        )
        .await;
    refused.problem(StatusCode::FORBIDDEN);
    let returned = app
        .post(
            &format!("/api/v1/allocations/{a}/return"),
            &technician,
            back,
        )
        .await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.text);

    // Shipments: coordinators only; everyone reads the register of their sites.
    let monitor = app.device(&coordinator, json!({"kind": "monitor"})).await;
    let ship = json!({"dispatched_on": "2026-11-30", "recycler": {"name": "R", "siret": "73282932000074"},
                      "waste_code": "16 02 14", "treatment_code": "R 4", "items": [{"device_id": monitor["id"]}]});
    for token in [&viewer, &technician] {
        app.post("/api/v1/waste-shipments", token, ship.clone())
            .await
            .problem(StatusCode::FORBIDDEN);
    }
    let shipped = app
        .post("/api/v1/waste-shipments", &coordinator, ship)
        .await;
    assert_eq!(shipped.status, StatusCode::CREATED, "{}", shipped.text);
    let theirs = app
        .get(
            "/api/v1/registers/outgoing-waste?from=2026-11-01&to=2026-11-30",
            &stranger,
        )
        .await;
    assert!(
        !String::from_utf8_lossy(&theirs.bytes).contains("BRE-DS"),
        "another site's register is not theirs"
    );
    app.get(
        &format!(
            "/api/v1/waste-shipments/{}",
            shipped.body["id"].as_str().unwrap()
        ),
        &stranger,
    )
    .await
    .problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_outbound_answers_match_their_documented_schemas() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let site = app.site("BRE").await;
    let admin = app.admin.clone();
    let siret = app
        .patch(
            &format!("/api/v1/sites/{site}"),
            &admin,
            json!({"expected_version": 1, "siret": "73282932000074", "city": "Brest"}),
        )
        .await;
    check(&doc, "patch", "/api/v1/sites/{id}", &siret);
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let person = app
        .post(
            "/api/v1/beneficiaries",
            &coordinator,
            json!({"category": "school", "name": "École Jean Moulin"}),
        )
        .await;
    check(&doc, "post", "/api/v1/beneficiaries", &person);
    let b = person.body["id"].as_str().unwrap().to_owned();
    check(
        &doc,
        "get",
        "/api/v1/beneficiaries",
        &app.get("/api/v1/beneficiaries", &coordinator).await,
    );
    check(
        &doc,
        "get",
        "/api/v1/beneficiaries/{id}",
        &app.get(&format!("/api/v1/beneficiaries/{b}"), &coordinator)
            .await,
    );
    let device = ready_device(&app, &coordinator, site).await;
    check(
        &doc,
        "get",
        "/api/v1/stock",
        &app.get("/api/v1/stock?kind=laptop", &coordinator).await,
    );
    let allocation = app
        .post(
            "/api/v1/allocations",
            &coordinator,
            json!({"device_id": device["id"], "beneficiary_id": b, "conditions": {"kind": "loan", "until": "2099-06-30"}, "warranty_months": 12}),
        )
        .await;
    check(&doc, "post", "/api/v1/allocations", &allocation);
    let a = allocation.body["id"].as_str().unwrap().to_owned();
    let taken = app
        .post(
            "/api/v1/allocations",
            &coordinator,
            json!({"device_id": device["id"], "beneficiary_id": b, "conditions": {"kind": "free"}, "warranty_months": 12}),
        )
        .await;
    check(&doc, "post", "/api/v1/allocations", &taken);
    let accepted = app
        .post(
            &format!("/api/v1/allocations/{a}/acceptance"),
            &coordinator,
            json!({"expected_version": 1, "method": "signed_on_paper"}),
        )
        .await;
    check(
        &doc,
        "post",
        "/api/v1/allocations/{id}/acceptance",
        &accepted,
    );
    let delivered = app
        .post(
            &format!("/api/v1/allocations/{a}/deliver"),
            &coordinator,
            json!({"expected_version": 2}),
        )
        .await;
    check(&doc, "post", "/api/v1/allocations/{id}/deliver", &delivered);
    let complaint = app
        .post(
            &format!("/api/v1/allocations/{a}/complaints"),
            &coordinator,
            json!({"received_on": "2026-11-30", "description": "Bruit"}),
        )
        .await;
    check(
        &doc,
        "post",
        "/api/v1/allocations/{id}/complaints",
        &complaint,
    );
    check(
        &doc,
        "get",
        "/api/v1/allocations/{id}/complaints",
        &app.get(&format!("/api/v1/allocations/{a}/complaints"), &coordinator)
            .await,
    );
    let answered = app
        .post(
            &format!("/api/v1/complaints/{}/answer", complaint.body["id"].as_str().unwrap()),
            &coordinator,
            json!({"expected_version": 1, "answered_on": "2026-12-01", "answer": "Ventilateur nettoyé"}),
        )
        .await;
    check(&doc, "post", "/api/v1/complaints/{id}/answer", &answered);
    let returned = app
        .post(
            &format!("/api/v1/allocations/{a}/return"),
            &coordinator,
            json!({"expected_version": 3, "reason": "end_of_life"}),
        )
        .await;
    check(&doc, "post", "/api/v1/allocations/{id}/return", &returned);
    check(
        &doc,
        "get",
        "/api/v1/allocations",
        &app.get("/api/v1/allocations", &coordinator).await,
    );
    check(
        &doc,
        "get",
        "/api/v1/allocations/{id}",
        &app.get(&format!("/api/v1/allocations/{a}"), &coordinator)
            .await,
    );
    let today = chrono::Utc::now().date_naive();
    check(
        &doc,
        "get",
        "/api/v1/reports/non-conformity",
        &app.get(
            &format!("/api/v1/reports/non-conformity?from={today}&to={today}"),
            &coordinator,
        )
        .await,
    );
    let id = device["id"].as_str().unwrap();
    let current = app.fetch_device(&coordinator, id).await;
    let work = app
        .post(&format!("/api/v1/devices/{id}/work"), &coordinator, json!({"expected_version": current["version"], "work": {"type": "grade", "grade": "A"}}))
        .await;
    check(&doc, "post", "/api/v1/devices/{id}/work", &work);
    check(
        &doc,
        "get",
        "/api/v1/devices/{id}/work",
        &app.get(&format!("/api/v1/devices/{id}/work"), &coordinator)
            .await,
    );
    let erased_device = app
        .get(&format!("/api/v1/devices/{id}/media"), &coordinator)
        .await;
    let drive: Value = erased_device.body["items"][0].clone();
    app.medium_step(
        &coordinator,
        &drive,
        "destroy",
        json!({"method": "shredder"}),
    )
    .await;
    let current = app.fetch_device(&coordinator, id).await;
    let dismantled = app
        .post(
            &format!("/api/v1/devices/{id}/dismantle"),
            &coordinator,
            json!({"expected_version": current["version"], "parts": ["RAM"]}),
        )
        .await;
    check(&doc, "post", "/api/v1/devices/{id}/dismantle", &dismantled);
    check(
        &doc,
        "get",
        "/api/v1/parts",
        &app.get("/api/v1/parts", &coordinator).await,
    );
    let shipped = app
        .post(
            "/api/v1/waste-shipments",
            &coordinator,
            json!({"dispatched_on": "2026-11-30", "recycler": {"name": "R", "siret": "73282932000074"},
                   "waste_code": "16 02 16", "treatment_code": "R 12", "items": [{"device_id": id}]}),
        )
        .await;
    check(&doc, "post", "/api/v1/waste-shipments", &shipped);
    check(
        &doc,
        "get",
        "/api/v1/waste-shipments",
        &app.get("/api/v1/waste-shipments", &coordinator).await,
    );
    let erased = app
        .call(
            Method::DELETE,
            &format!("/api/v1/beneficiaries/{b}/personal-data"),
            Some(&coordinator),
            Body::empty(),
            &[],
        )
        .await;
    check(
        &doc,
        "delete",
        "/api/v1/beneficiaries/{id}/personal-data",
        &erased,
    );
}
