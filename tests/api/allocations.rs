//! From the shelf to someone's desk and back: beneficiaries, allocations,
//! the handover form, returns and complaints, through HTTP.

use axum::http::StatusCode;
use retrace::ids::SiteId;
use retrace::principal::Role;
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, assert_in_database_files, assert_not_in_database_files, pdftotext, qr_codes_by_page,
};

/// A laptop with one drive, erased, refurbished and through QC: `ready`.
pub async fn ready_device(app: &TestApp, token: &str, site: SiteId) -> Value {
    ready(app, token, json!({"site_id": site})).await
}

/// A laptop registered with `body`'s fields (a site, a lot, a weight…),
/// erased, refurbished and passed QC: ready to give.
pub async fn ready(app: &TestApp, token: &str, body: Value) -> Value {
    let mut fields = json!({"kind": "laptop", "manufacturer": "Dell", "model": "Latitude 7490",
                   "serial_number": format!("SN{}", uuid::Uuid::now_v7().simple()),
                   "specs": {"cpu": "i5-8350U", "ram_mib": 8192, "storage": "256 GB SSD"}});
    for (key, value) in body.as_object().expect("an object") {
        fields[key] = value.clone();
    }
    let device = app.device(token, fields).await;
    let id = device["id"].as_str().unwrap().to_owned();
    let ssd = app
        .add_medium(token, &id, &format!("S{}", uuid::Uuid::now_v7().simple()))
        .await;
    app.step(token, &device, "audit", json!({})).await;
    app.medium_step(
        token,
        &ssd,
        "record_erasure",
        json!({"outcome": "passed", "method": "nwipe PRNG 1 pass, verified"}),
    )
    .await;
    let device = app.fetch_device(token, &id).await;
    assert_eq!(device["state"], "sanitized");
    let device = app.step(token, &device, "start_refurbish", json!({})).await;
    let device = app
        .step(
            token,
            &device,
            "install_os",
            json!({"os": "Linux Mint 22.1"}),
        )
        .await;
    let checklist = json!({"checklist": {"boot": true, "keyboard": true, "screen": true, "battery": true, "network": true, "os": true}});
    let device = app.step(token, &device, "pass_qc", checklist).await;
    assert_eq!(device["state"], "ready");
    device
}

pub async fn beneficiary(app: &TestApp, token: &str, body: Value) -> Value {
    let response = app.post("/api/v1/beneficiaries", token, body).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    response.body
}

pub async fn allocate(app: &TestApp, token: &str, device: &Value, beneficiary: &Value) -> Value {
    let response = app
        .post(
            "/api/v1/allocations",
            token,
            json!({"device_id": device["id"], "beneficiary_id": beneficiary["id"],
                   "conditions": {"kind": "solidarity_price", "price_cents": 5000}, "warranty_months": 12}),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    response.body
}

async fn allocation_step(
    app: &TestApp,
    token: &str,
    allocation: &Value,
    step: &str,
    extra: Value,
) -> crate::helpers::TestResponse {
    let mut body = json!({"expected_version": allocation["version"]});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    app.post(
        &format!(
            "/api/v1/allocations/{}/{step}",
            allocation["id"].as_str().unwrap()
        ),
        token,
        body,
    )
    .await
}

#[tokio::test]
async fn a_ready_device_is_reserved_handed_over_signed_and_its_form_printed() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let device = ready_device(&app, &coordinator, site).await;
    let person = beneficiary(
        &app,
        &coordinator,
        json!({"category": "job_seeker", "postcode": "29200", "referring_partner": "CCAS de Brest",
               "name": "Camille Durand", "email": "camille.durand@example.org"}),
    )
    .await;
    assert!(person["reference"].as_str().unwrap().starts_with("BRE-B-"));
    assert_eq!(person["personal_data"]["name"], "Camille Durand");

    let allocation = allocate(&app, &coordinator, &device, &person).await;
    assert_eq!(allocation["state"], "reserved");
    assert_eq!(allocation["beneficiary_reference"], person["reference"]);
    assert_eq!(allocation["asset_tag"], device["asset_tag"]);
    let id = device["id"].as_str().unwrap();
    assert_eq!(
        app.fetch_device(&coordinator, id).await["state"],
        "reserved"
    );

    // Signed with a finger on the phone, before the handover.
    let strokes = json!([
        [[0.1, 0.6], [0.2, 0.3], [0.35, 0.7], [0.5, 0.2]],
        [[0.6, 0.5], [0.9, 0.5]]
    ]);
    let signed = allocation_step(
        &app,
        &coordinator,
        &allocation,
        "acceptance",
        json!({"method": "signed_on_device", "strokes": strokes}),
    )
    .await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.text);
    assert_eq!(signed.body["acceptance"], "signed_on_device");
    let again = allocation_step(
        &app,
        &coordinator,
        &signed.body,
        "acceptance",
        json!({"method": "signed_on_paper"}),
    )
    .await;
    again.problem(StatusCode::CONFLICT);

    let delivered = allocation_step(&app, &coordinator, &signed.body, "deliver", json!({})).await;
    assert_eq!(delivered.status, StatusCode::OK, "{}", delivered.text);
    assert_eq!(delivered.body["state"], "delivered");
    assert!(delivered.body["warranty_until"].is_string());
    assert_eq!(
        app.fetch_device(&coordinator, id).await["state"],
        "delivered"
    );

    // The ledger names the beneficiary by reference, never by name.
    let history = app.get("/api/v1/ledger/events?limit=500", &app.admin).await;
    let kinds: Vec<&str> = history.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["subject_id"] == allocation["id"])
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "allocation.reserved",
            "allocation.accepted",
            "allocation.delivered"
        ]
    );
    assert!(!history.text.contains("Camille"), "{}", history.text);

    // The handover form, read back as a user's tools would.
    let form = app
        .get(
            &format!(
                "/api/v1/allocations/{}/handover.pdf",
                allocation["id"].as_str().unwrap()
            ),
            &coordinator,
        )
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.content_type(), "application/pdf");
    let path = app.dir.path().join("handover.pdf");
    std::fs::write(&path, &form.bytes).unwrap();
    // Signed on paper and kept: archival, and light (its fonts are subsets).
    assert!(form.bytes.len() < 60_000, "{} bytes", form.bytes.len());
    crate::helpers::assert_archival(&form.bytes);
    let text = pdftotext(&path);
    for expected in [
        "Fiche de remise",
        device["asset_tag"].as_str().unwrap(),
        "Latitude 7490",
        "Linux Mint 22.1",
        "prix solidaire de 50,00 €",
        "12 mois",
        "Engagement de reprise",
        "Camille Durand",
        person["reference"].as_str().unwrap(),
        "1 support(s) de stockage sur 1",
    ] {
        assert!(text.contains(expected), "{expected} not in:\n{text}");
    }
    let codes = qr_codes_by_page(&form.bytes, 150);
    assert_eq!(
        codes[0],
        [format!(
            "{}/d/{}",
            app.state.settings.public_url.trim_end_matches('/'),
            device["asset_tag"].as_str().unwrap()
        )]
    );
    // A technician's copy carries the reference, not the name.
    let technician = app.token(Role::Technician, Some(site)).await;
    let form = app
        .get(
            &format!(
                "/api/v1/allocations/{}/handover.pdf?lang=en",
                allocation["id"].as_str().unwrap()
            ),
            &technician,
        )
        .await;
    std::fs::write(&path, &form.bytes).unwrap();
    let text = pdftotext(&path);
    assert!(text.contains("Equipment handover form"), "{text}");
    assert!(!text.contains("Camille"), "{text}");
}

#[tokio::test]
async fn a_reservation_released_puts_the_device_back_and_a_device_held_for_someone_else_is_refused()
{
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let device = ready_device(&app, &coordinator, site).await;
    let first = beneficiary(&app, &coordinator, json!({"category": "school"})).await;
    let second = beneficiary(&app, &coordinator, json!({"category": "senior"})).await;

    let old = allocate(&app, &coordinator, &device, &first).await;
    let released = allocation_step(
        &app,
        &coordinator,
        &old,
        "release",
        json!({"note": "changed their mind"}),
    )
    .await;
    assert_eq!(released.status, StatusCode::OK, "{}", released.text);
    assert_eq!(released.body["state"], "released");
    let id = device["id"].as_str().unwrap();
    assert_eq!(app.fetch_device(&coordinator, id).await["state"], "ready");

    let current = allocate(&app, &coordinator, &device, &second).await;
    // Someone else cannot get it now…
    let refused = app
        .post(
            "/api/v1/allocations",
            &coordinator,
            json!({"device_id": device["id"], "beneficiary_id": first["id"], "conditions": {"kind": "free"}, "warranty_months": 6}),
        )
        .await;
    let problem = refused.problem(StatusCode::CONFLICT);
    assert!(
        problem["type"]
            .as_str()
            .unwrap()
            .ends_with("reserved-for-another")
    );
    assert_eq!(problem["beneficiary_reference"], second["reference"]);
    // …nor through the old, released allocation.
    let before = app.ledger_seq().await;
    let refused = allocation_step(&app, &coordinator, &released.body, "deliver", json!({})).await;
    let problem = refused.problem(StatusCode::CONFLICT);
    assert!(
        problem["type"]
            .as_str()
            .unwrap()
            .ends_with("reserved-for-another")
    );
    assert_eq!(app.ledger_seq().await, before, "nothing written");

    // A stale version is refused with the current one.
    let stale = allocation_step(
        &app,
        &coordinator,
        &json!({"id": current["id"], "version": 0}),
        "deliver",
        json!({}),
    )
    .await;
    stale.problem(StatusCode::CONFLICT);
    assert_eq!(app.ledger_seq().await, before, "nothing written");

    // Delivering through the device itself moves its allocation too.
    let device = app.fetch_device(&coordinator, id).await;
    app.step(&coordinator, &device, "deliver", json!({})).await;
    let after = app
        .get(
            &format!("/api/v1/allocations/{}", current["id"].as_str().unwrap()),
            &coordinator,
        )
        .await;
    assert_eq!(after.body["state"], "delivered");
}

#[tokio::test]
async fn a_return_under_warranty_sends_the_device_back_to_erasure_and_counts_as_a_non_conformity() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let technician = app.token(Role::Technician, Some(site)).await;
    let device = ready_device(&app, &coordinator, site).await;
    let person = beneficiary(&app, &coordinator, json!({"category": "student"})).await;
    let allocation = allocate(&app, &coordinator, &device, &person).await;
    let delivered = allocation_step(&app, &coordinator, &allocation, "deliver", json!({})).await;
    assert_eq!(delivered.status, StatusCode::OK);

    // A complaint first, answered in writing.
    let complaint = app
        .post(
            &format!(
                "/api/v1/allocations/{}/complaints",
                allocation["id"].as_str().unwrap()
            ),
            &coordinator,
            json!({"received_on": "2026-11-30", "description": "The screen flickers"}),
        )
        .await;
    assert_eq!(complaint.status, StatusCode::CREATED, "{}", complaint.text);
    assert_eq!(complaint.body["answer_due_on"], "2026-12-10");
    let answered = app
        .post(
            &format!(
                "/api/v1/complaints/{}/answer",
                complaint.body["id"].as_str().unwrap()
            ),
            &coordinator,
            json!({"expected_version": 1, "answered_on": "2026-12-02", "answer": "Bring it back: we replace it."}),
        )
        .await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.text);

    // The technician at the bench records the return.
    let returned = allocation_step(
        &app,
        &technician,
        &delivered.body,
        "return",
        json!({"reason": "warranty_fault", "fault_description": "screen flickers"}),
    )
    .await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.text);
    assert_eq!(returned.body["state"], "returned");
    assert_eq!(returned.body["return"]["reason"], "warranty_fault");
    assert_eq!(returned.body["return"]["days_since_delivery"], 0);
    assert_eq!(returned.body["return"]["under_warranty"], true);
    let id = device["id"].as_str().unwrap();
    assert_eq!(app.fetch_device(&technician, id).await["state"], "received");
    let media = app
        .get(&format!("/api/v1/devices/{id}/media"), &technician)
        .await;
    assert_eq!(media.body["items"][0]["state"], "present", "{}", media.text);

    let today = chrono::Utc::now().date_naive();
    let rate = app
        .get(
            &format!("/api/v1/reports/non-conformity?from={today}&to={today}"),
            &coordinator,
        )
        .await;
    assert_eq!(rate.status, StatusCode::OK, "{}", rate.text);
    assert_eq!(rate.body["deliveries"], 1);
    assert_eq!(rate.body["returns_under_warranty"], 1);
    assert_eq!(rate.body["rate"], 1.0);
}

#[tokio::test]
async fn viewers_and_technicians_never_read_a_beneficiary_s_name_or_contact() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let other = app.site("LYO").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let device = ready_device(&app, &coordinator, site).await;
    let person = beneficiary(
        &app,
        &coordinator,
        json!({"category": "low_income", "postcode": "20090", "name": "Ange Santoni",
               "email": "ange.santoni@example.org", "phone": "+33 6 12 34 56 78"}),
    )
    .await;
    let allocation = allocate(&app, &coordinator, &device, &person).await;
    let b = person["id"].as_str().unwrap();
    let a = allocation["id"].as_str().unwrap();
    let paths = [
        "/api/v1/beneficiaries".to_owned(),
        format!("/api/v1/beneficiaries/{b}"),
        "/api/v1/allocations".to_owned(),
        format!("/api/v1/allocations/{a}"),
        format!("/api/v1/allocations?beneficiary_id={b}"),
        format!("/api/v1/allocations/{a}/complaints"),
    ];
    let viewer = app.token(Role::Viewer, None).await;
    let technician = app.token(Role::Technician, Some(site)).await;
    let other_coordinator = app.token(Role::Coordinator, Some(other)).await;
    for (who, token) in [("viewer", &viewer), ("technician", &technician)] {
        for path in &paths {
            let response = app.get(path, token).await;
            if who == "viewer" && path.ends_with("/complaints") {
                // What a beneficiary complained of is the workshop's, not a funder's.
                response.problem(StatusCode::FORBIDDEN);
                continue;
            }
            assert_eq!(response.status, StatusCode::OK, "{who} {path}");
            for secret in [
                "Ange",
                "Santoni",
                "ange.santoni",
                "12 34 56",
                "\"personal_data\"",
            ] {
                assert!(
                    !response.text.contains(secret),
                    "{who} reads {secret} at {path}: {}",
                    response.text
                );
            }
        }
    }
    // Another site's coordinator does not even see the record.
    let response = app
        .get(&format!("/api/v1/beneficiaries/{b}"), &other_coordinator)
        .await;
    response.problem(StatusCode::NOT_FOUND);
    // The site's coordinator and the admins do.
    for token in [&coordinator, &app.admin] {
        let response = app.get(&format!("/api/v1/beneficiaries/{b}"), token).await;
        assert_eq!(response.body["personal_data"]["name"], "Ange Santoni");
    }
    // Technicians and viewers may not record beneficiaries at all.
    for token in [&technician, &viewer] {
        let refused = app
            .post(
                "/api/v1/beneficiaries",
                token,
                json!({"category": "student"}),
            )
            .await;
        refused.problem(StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn erased_personal_data_is_found_nowhere_in_the_database_and_the_ledger_still_verifies() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let device = ready_device(&app, &coordinator, site).await;
    let name = "Zéphyrine Quillardet";
    let email = "zephyrine.quillardet@example.org";
    let person = beneficiary(
        &app,
        &coordinator,
        json!({"category": "senior", "postcode": "29200", "name": name, "email": email,
               "referring_partner": "Mme Lozachmeur, CCAS"}),
    )
    .await;
    let allocation = allocate(&app, &coordinator, &device, &person).await;
    let signed = allocation_step(
        &app,
        &coordinator,
        &allocation,
        "acceptance",
        json!({"method": "signed_on_device", "strokes": [[[0.1, 0.1], [0.9, 0.9]]]}),
    )
    .await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.text);
    // What the beneficiary said, and what they were answered, name them too.
    let delivered = allocation_step(&app, &coordinator, &signed.body, "deliver", json!({})).await;
    assert_eq!(delivered.status, StatusCode::OK, "{}", delivered.text);
    let a = allocation["id"].as_str().unwrap();
    let complaint = app
        .post(
            &format!("/api/v1/allocations/{a}/complaints"),
            &coordinator,
            json!({"received_on": "2026-11-30", "description": "Mme Vasseur-Quillardet trouve l'écran sombre"}),
        )
        .await;
    assert_eq!(complaint.status, StatusCode::CREATED, "{}", complaint.text);
    let answered = app
        .post(
            &format!("/api/v1/complaints/{}/answer", complaint.body["id"].as_str().unwrap()),
            &coordinator,
            json!({"expected_version": 1, "answered_on": "2026-12-02", "answer": "Rappelé Mme Vasseur : réglage fait"}),
        )
        .await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.text);
    let returned = allocation_step(
        &app,
        &coordinator,
        &delivered.body,
        "return",
        json!({"reason": "warranty_fault", "fault_description": "clavier renversé chez Mme Vasseur"}),
    )
    .await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.text);

    let secrets = [name, email, "Quillardet", "Vasseur", "Lozachmeur"];
    assert_in_database_files(&app, &secrets).await;
    let b = person["id"].as_str().unwrap();
    let erased = app
        .call(
            axum::http::Method::DELETE,
            &format!("/api/v1/beneficiaries/{b}/personal-data"),
            Some(&coordinator),
            axum::body::Body::empty(),
            &[],
        )
        .await;
    assert_eq!(erased.status, StatusCode::OK, "{}", erased.text);
    assert_eq!(erased.body["has_personal_data"], false);
    assert!(erased.body.get("personal_data").is_none());
    // The allocation and its signature status stay.
    let kept = app
        .get(
            &format!("/api/v1/allocations/{}", allocation["id"].as_str().unwrap()),
            &coordinator,
        )
        .await;
    assert_eq!(kept.body["acceptance"], "signed_on_device");
    assert_eq!(kept.body["beneficiary_reference"], person["reference"]);

    let (ok, stdout, _) = app.cli(&["ledger", "verify"], None);
    assert!(ok && stdout.starts_with("ok "), "{stdout}");

    assert_not_in_database_files(&app, &secrets).await;
    let target = crate::helpers::empty_database().await;
    retrace::ledger::replay::replay_into(
        &app.state.db,
        &target.conn,
        retrace::catalogue::catalogue(),
    )
    .await
    .unwrap();
    crate::helpers::assert_same_projections(&app.state.db, &target.conn).await;
}

#[tokio::test]
async fn a_beneficiary_s_postcode_is_french_and_their_e_mail_an_e_mail() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let before = app.ledger_seq().await;
    for (body, field) in [
        (
            json!({"category": "student", "postcode": "2A004"}),
            "postcode",
        ),
        (
            json!({"category": "student", "email": "not-an-email"}),
            "email",
        ),
        (json!({"category": "pensioner"}), "category"),
    ] {
        let refused = app.post("/api/v1/beneficiaries", &coordinator, body).await;
        refused.problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.error_fields(), [field], "{}", refused.text);
    }
    assert_eq!(app.ledger_seq().await, before, "nothing written");
    let corsican = beneficiary(
        &app,
        &coordinator,
        json!({"category": "student", "postcode": "20 090"}),
    )
    .await;
    assert_eq!(corsican["postcode"], "20090");
}
