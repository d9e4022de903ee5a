//! Every kind of person Retrace records, erased on request to the byte: a
//! member of staff, a donor's contact person, an individual donor. Each is
//! created through the API with a name and an e-mail of their own, used,
//! erased, and then looked for in every byte of the database's files (the
//! beneficiaries' and workers' own tests are in `allocations`, `workforce`
//! and `retention`). The ledger still verifies, and says nothing of them.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use retrace::principal::Role;
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, TestResponse, assert_in_database_files, assert_not_in_database_files,
};

/// A replay of the ledger into an empty database rebuilds every table as it
/// is: the erased, erased.
async fn replays_as_it_is(app: &TestApp) {
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

async fn erase(app: &TestApp, path: &str, token: &str) -> TestResponse {
    app.call(Method::DELETE, path, Some(token), Body::empty(), &[])
        .await
}

/// The chain verifies, and what `retrace ledger verify` prints.
async fn verified(app: &TestApp) -> String {
    let report = retrace::ledger::verify::verify(&app.state.db, None)
        .await
        .expect("the ledger verifies after the erasure");
    report.to_string()
}

/// Every event of the ledger, as an admin reads it: payloads, and what is
/// held beside them.
async fn ledger_text(app: &TestApp) -> String {
    app.listed("/api/v1/ledger/events")
        .await
        .iter()
        .map(Value::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The payloads alone: the part of the ledger the hashes cover.
async fn payloads(app: &TestApp) -> String {
    app.listed("/api/v1/ledger/events")
        .await
        .iter()
        .map(|e| e["payload"].to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn a_member_of_staff_erased_on_request_is_in_no_byte_and_their_work_stays_under_a_reference()
{
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let name = "Gwenaëlle Kerbrat-Quéméner";
    let email = "gwenaelle.kerbrat@atelier-bre.example";
    let created = app
        .send(
            Method::POST,
            "/api/v1/users",
            &app.admin,
            json!({"email": email, "display_name": name, "role": "technician", "site_id": site, "password": "a long enough password"}),
            &[("idempotency-key", "create-gwenaelle")],
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let user = created.body["id"].as_str().unwrap().to_owned();
    let login = app
        .post(
            "/api/v1/login",
            "",
            json!({"email": email, "password": "a long enough password"}),
        )
        .await;
    assert_eq!(login.status, StatusCode::CREATED, "{}", login.text);
    let technician = login.body["secret"].as_str().unwrap().to_owned();
    let renamed = app
        .patch(
            &format!("/api/v1/users/{user}"),
            &technician,
            json!({"display_name": format!("{name} (atelier)"), "expected_version": created.body["version"]}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);

    // Their work: a drive erased and validated by them.
    let laptop = app.device(&technician, json!({"kind": "laptop"})).await;
    let medium = app
        .add_medium(
            &technician,
            laptop["id"].as_str().unwrap(),
            "S3Z9NB0K777777",
        )
        .await;
    app.step(&technician, &laptop, "audit", json!({})).await;
    let erasure = app
        .post(
            "/api/v1/erasures",
            &technician,
            json!({
                "medium_id": medium["id"], "category": "clear", "technique": "overwrite",
                "method": "PRNG Stream", "passes": 1, "tool": "nwipe", "verification": "full",
                "verification_result": "passed", "destination": "reuse_external", "outcome": "passed",
            }),
        )
        .await;
    assert_eq!(erasure.status, StatusCode::CREATED, "{}", erasure.text);
    let record = erasure.body["erasure"]["id"].as_str().unwrap().to_owned();

    // The name is beside the chain, never in what the hashes cover.
    assert!(ledger_text(&app).await.contains(name));
    assert!(!payloads(&app).await.contains("Kerbrat"));
    assert!(!payloads(&app).await.contains(email));
    assert_in_database_files(&app, &["Kerbrat-Qu", email]).await;

    // No one erases themselves; a technician erases no one.
    let other = app.token(Role::Technician, Some(site)).await;
    let seq = app.ledger_seq().await;
    erase(
        &app,
        &format!("/api/v1/users/{user}/personal-data"),
        &technician,
    )
    .await
    .problem(StatusCode::FORBIDDEN);
    erase(&app, &format!("/api/v1/users/{user}/personal-data"), &other)
        .await
        .problem(StatusCode::FORBIDDEN);
    assert_eq!(app.ledger_seq().await, seq);

    let erased = erase(
        &app,
        &format!("/api/v1/users/{user}/personal-data"),
        &app.admin,
    )
    .await;
    assert_eq!(erased.status, StatusCode::OK, "{}", erased.text);
    let reference = erased.body["display_name"].as_str().unwrap().to_owned();
    assert!(reference.starts_with("U-"), "{reference}");
    assert_eq!(erased.body["disabled"], true);
    assert!(
        erased.body["email"]
            .as_str()
            .unwrap()
            .ends_with("@erased.invalid")
    );

    assert_not_in_database_files(&app, &["Kerbrat", "Gwenaëlle", email, "gwenaelle"]).await;
    assert!(!ledger_text(&app).await.contains("Kerbrat"));
    verified(&app).await;

    // Their work stays, under the reference; they sign in no more.
    let kept = app
        .get(&format!("/api/v1/erasures/{record}"), &app.admin)
        .await;
    assert_eq!(kept.status, StatusCode::OK, "{}", kept.text);
    assert_eq!(kept.body["operator_name"], reference);
    app.get("/api/v1/users/me", &technician)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    let again = app
        .post(
            "/api/v1/login",
            "",
            json!({"email": email, "password": "a long enough password"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED, "{}", again.text);

    // Erasing again changes nothing; a replay rebuilds the account as erased.
    let seq = app.ledger_seq().await;
    let twice = erase(
        &app,
        &format!("/api/v1/users/{user}/personal-data"),
        &app.admin,
    )
    .await;
    assert_eq!(twice.status, StatusCode::OK, "{}", twice.text);
    assert_eq!(app.ledger_seq().await, seq);
    replays_as_it_is(&app).await;
}

async fn donor(app: &TestApp, token: &str, body: Value) -> String {
    let created = app.post("/api/v1/donors", token, body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    created.body["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_company_s_contact_people_are_erased_on_request_and_its_name_stays() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let id = donor(
        &app,
        &coordinator,
        json!({"name": "Conserverie Le Bihan SAS", "kind": "company",
               "contact_name": "Armelle Trégaro", "contact_email": "armelle.tregaro@lebihan.example",
               "contact_phone": "+33 2 98 00 11 22"}),
    )
    .await;
    let changed = app
        .patch(
            &format!("/api/v1/donors/{id}"),
            &coordinator,
            json!({"contact_name": "Armelle Trégaro-Nédélec", "expected_version": 1}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    let lot = app
        .post(
            "/api/v1/lots",
            &coordinator,
            json!({"donor_id": id, "site_id": site, "received_on": "2026-11-02"}),
        )
        .await;
    assert_eq!(lot.status, StatusCode::CREATED, "{}", lot.text);
    let link = app
        .post(
            &format!(
                "/api/v1/lots/{}/portal-links",
                lot.body["id"].as_str().unwrap()
            ),
            &coordinator,
            json!({"label": "pour Armelle Trégaro"}),
        )
        .await;
    assert_eq!(link.status, StatusCode::CREATED, "{}", link.text);
    let secrets = ["Trégaro", "armelle.tregaro@lebihan.example", "98 00 11 22"];
    assert!(!payloads(&app).await.contains("Trégaro"));
    assert_in_database_files(&app, &secrets).await;

    // A viewer may not; a technician may not.
    for role in [Role::Viewer, Role::Technician] {
        let token = app.token(role, Some(site)).await;
        erase(&app, &format!("/api/v1/donors/{id}/personal-data"), &token)
            .await
            .problem(StatusCode::FORBIDDEN);
    }
    let erased = erase(
        &app,
        &format!("/api/v1/donors/{id}/personal-data"),
        &coordinator,
    )
    .await;
    assert_eq!(erased.status, StatusCode::OK, "{}", erased.text);
    assert_eq!(erased.body["name"], "Conserverie Le Bihan SAS");
    assert_eq!(erased.body["contact_name"], Value::Null);
    assert_eq!(erased.body["contact_email"], Value::Null);

    assert_not_in_database_files(&app, &secrets).await;
    assert_in_database_files(&app, &["Conserverie Le Bihan"]).await;
    verified(&app).await;
    replays_as_it_is(&app).await;
}

#[tokio::test]
async fn an_individual_donor_is_erased_whole_and_no_search_finds_them_again() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let id = donor(
        &app,
        &coordinator,
        json!({"name": "Yannick Morvan-Pennec", "kind": "individual",
               "address": "7 hent Kerzu, 29200 Brest", "contact_email": "yannick.morvan@example.org"}),
    )
    .await;
    let secrets = ["Morvan-Pennec", "hent Kerzu", "yannick.morvan@example.org"];
    assert_in_database_files(&app, &secrets).await;
    let found = app.get("/api/v1/donors?q=Morvan", &coordinator).await;
    assert_eq!(
        found.body["items"].as_array().unwrap().len(),
        1,
        "{}",
        found.text
    );

    let erased = erase(
        &app,
        &format!("/api/v1/donors/{id}/personal-data"),
        &coordinator,
    )
    .await;
    assert_eq!(erased.status, StatusCode::OK, "{}", erased.text);
    assert!(
        erased.body["name"].as_str().unwrap().starts_with("D-"),
        "{}",
        erased.text
    );
    assert_eq!(erased.body["address"], Value::Null);

    assert_not_in_database_files(&app, &secrets).await;
    let found = app.get("/api/v1/donors?q=Morvan", &coordinator).await;
    assert_eq!(
        found.body["items"].as_array().unwrap().len(),
        0,
        "{}",
        found.text
    );
    verified(&app).await;
    replays_as_it_is(&app).await;
}

#[tokio::test]
async fn the_command_line_erases_a_member_of_staff_as_the_api_does() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let email = "ronan.le-scouarnec@atelier-bre.example";
    let (id, token) = app
        .user_with_token(email, Role::Technician, Some(site))
        .await;
    assert_in_database_files(&app, &[email]).await;

    let (ok, _, err) = app.cli(&["user", "erase", "--email", email], None);
    assert!(ok, "{err}");
    assert!(err.contains("U-"), "{err}");
    let (ok, _, err) = app.cli(&["user", "erase", "--email", "nobody@example.org"], None);
    assert!(!ok && err.contains("no user with email"), "{err}");

    assert_not_in_database_files(&app, &[email, "le-scouarnec"]).await;
    let user = app.get(&format!("/api/v1/users/{id}"), &app.admin).await;
    assert_eq!(user.body["disabled"], true, "{}", user.text);
    app.state.tokens.clear();
    app.get("/api/v1/users/me", &token)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    verified(&app).await;
}
