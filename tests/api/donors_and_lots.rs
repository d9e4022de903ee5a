//! Donors (with their SIRET) and the lots they give.

use axum::http::StatusCode;
use retrace::principal::Role;
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn a_mistyped_siret_is_refused_on_its_field() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let wrong = app
        .post(
            "/api/v1/donors",
            &coordinator,
            json!({"name": "ACME", "kind": "company", "siret": "73282932000075"}),
        )
        .await;
    wrong.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.error_fields(), vec!["siret"]);
    assert!(
        wrong.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("mistyped")
    );
    let spaced = app.post("/api/v1/donors", &coordinator, json!({"name": "ACME", "kind": "company", "siret": "732 829 320 00074", "contact_email": "it@acme.example"})).await;
    assert_eq!(spaced.status, StatusCode::CREATED, "{}", spaced.text);
    assert_eq!(spaced.body["siret"], "73282932000074");
    let found = app.get("/api/v1/donors?q=acm", &coordinator).await;
    assert_eq!(found.body["items"][0]["id"], spaced.body["id"]);
    let by_siret = app
        .get("/api/v1/donors?q=732%20829%20320%2000074", &coordinator)
        .await;
    assert_eq!(by_siret.body["items"][0]["id"], spaced.body["id"]);
    let bad_email = app
        .post(
            "/api/v1/donors",
            &coordinator,
            json!({"name": "B", "kind": "company", "contact_email": "nope"}),
        )
        .await;
    assert_eq!(bad_email.error_fields(), vec!["contact_email"]);
}

#[tokio::test]
async fn viewers_see_donors_without_their_contact_people() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let viewer = app.token(Role::Viewer, None).await;
    let donor = app
        .post("/api/v1/donors", &coordinator, json!({"name": "Jeanne Dupont", "kind": "individual", "contact_email": "jeanne@example.org", "contact_phone": "0600000000"}))
        .await;
    let id = donor.body["id"].as_str().unwrap();
    let seen = app.get(&format!("/api/v1/donors/{id}"), &viewer).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(
        !seen.text.contains("jeanne")
            && !seen.text.contains("Jeanne")
            && !seen.text.contains("0600000000"),
        "{}",
        seen.text
    );
    let full = app.get(&format!("/api/v1/donors/{id}"), &coordinator).await;
    assert_eq!(full.body["contact_email"], "jeanne@example.org");
    app.post(
        "/api/v1/donors",
        &viewer,
        json!({"name": "X", "kind": "company"}),
    )
    .await
    .problem(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_lot_belongs_to_its_coordinators_site_and_is_hidden_from_others() {
    let app = TestApp::spawn().await;
    let brest = app.site("BRE").await;
    let lyon = app.site("LYO").await;
    let coordinator = app.token(Role::Coordinator, Some(brest)).await;
    let other = app.token(Role::Coordinator, Some(lyon)).await;
    let donor = app.donor(&coordinator).await;
    let lot = app.post("/api/v1/lots", &coordinator, json!({"donor_id": donor, "received_on": "2026-11-20", "weight_kg": 182.5, "donor_reference": "PO-4471"})).await;
    assert_eq!(lot.status, StatusCode::CREATED, "{}", lot.text);
    assert_eq!(lot.body["site_id"], json!(brest));
    let id = lot.body["id"].as_str().unwrap();
    app.get(&format!("/api/v1/lots/{id}"), &other)
        .await
        .problem(StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/api/v1/lots", &other).await.body["items"],
        json!([])
    );
    assert_eq!(
        app.get(&format!("/api/v1/lots?donor_id={donor}"), &coordinator)
            .await
            .body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let missing_donor = app
        .post(
            "/api/v1/lots",
            &coordinator,
            json!({"donor_id": uuid::Uuid::now_v7(), "received_on": "2026-11-20"}),
        )
        .await;
    assert_eq!(missing_donor.error_fields(), vec!["donor_id"]);
    let bad_date = app
        .post(
            "/api/v1/lots",
            &coordinator,
            json!({"donor_id": donor, "received_on": "20/11/2026"}),
        )
        .await;
    assert_eq!(bad_date.error_fields(), vec!["received_on"]);
    let negative = app
        .post(
            "/api/v1/lots",
            &coordinator,
            json!({"donor_id": donor, "received_on": "2026-11-20", "weight_kg": -3}),
        )
        .await;
    assert_eq!(negative.error_fields(), vec!["weight_kg"]);

    let edited = app
        .patch(
            &format!("/api/v1/lots/{id}"),
            &coordinator,
            json!({"expected_version": 1, "declared_count": 40, "notes": "two pallets"}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);
    assert_eq!(edited.body["declared_count"], 40);
    assert_eq!(edited.body["weight_kg"], 182.5);
}

/// A search reaches only what the reader may read: a viewer who sees "—" for
/// an individual donor cannot spell the name out with `?q=`, nor find a
/// beneficiary by name, on the API or on the pages; a coordinator can.
#[tokio::test]
async fn a_search_never_finds_a_name_its_reader_may_not_read() {
    use crate::web::{Browser, user};
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let viewer = app.token(Role::Viewer, None).await;
    let technician = app.token(Role::Technician, Some(site)).await;
    let person = app
        .post(
            "/api/v1/donors",
            &coordinator,
            json!({"name": "Gwendoline Kerjean", "kind": "individual"}),
        )
        .await;
    assert_eq!(person.status, StatusCode::CREATED, "{}", person.text);
    let company = app
        .post(
            "/api/v1/donors",
            &coordinator,
            json!({"name": "Kerjean Informatique", "kind": "company"}),
        )
        .await;
    let found = |answer: &crate::helpers::TestResponse| -> Vec<String> {
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        answer.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_owned())
            .collect()
    };
    for q in ["Gwendoline", "gwen", "g", "Kerjean", "kerj"] {
        let path = format!("/api/v1/donors?q={q}");
        let theirs = found(&app.get(&path, &viewer).await);
        assert!(
            !theirs.contains(&person.body["id"].as_str().unwrap().to_owned()),
            "a viewer's ?q={q} found the individual donor"
        );
        assert!(
            found(&app.get(&path, &coordinator).await)
                .contains(&person.body["id"].as_str().unwrap().to_owned()),
            "a coordinator's ?q={q} finds them"
        );
    }
    // The company's name is no one's personal data: a viewer finds it.
    assert!(
        found(&app.get("/api/v1/donors?q=kerjean", &viewer).await)
            .contains(&company.body["id"].as_str().unwrap().to_owned())
    );

    // Beneficiaries: by name for coordinators only, on the API and the page.
    let beneficiary = crate::allocations::beneficiary(
        &app,
        &coordinator,
        json!({"category": "senior", "name": "Ronan Le Bras", "email": "ronan.lebras@example.org"}),
    )
    .await;
    let reference = beneficiary["reference"].as_str().unwrap();
    for q in ["ronan", "le%20bras", "lebras@example"] {
        let path = format!("/api/v1/beneficiaries?q={q}");
        for (token, sees) in [(&coordinator, true), (&technician, false), (&viewer, false)] {
            let answer = app.get(&path, token).await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
            assert_eq!(
                answer.text.contains(reference),
                sees,
                "?q={q}: {}",
                answer.text
            );
        }
    }
    for (role, sees) in [
        (Role::Coordinator, true),
        (Role::Technician, false),
        (Role::Viewer, false),
    ] {
        let email = user(&app, role, (role != Role::Viewer).then_some(site)).await;
        let mut browser = Browser::new(&app);
        browser.sign_in(&email).await;
        let page = browser.search_beneficiaries("ronan").await;
        assert_eq!(page.status, StatusCode::OK, "{role:?}: {}", page.text);
        assert_eq!(page.text.contains(reference), sees, "{role:?}");
        assert!(!page.text.contains("Le Bras") || sees, "{role:?}");
    }
}
