//! Sites: created by admins, each user sees their own.

use axum::http::StatusCode;
use retrace::principal::Role;
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn an_admin_creates_a_site_whose_code_is_unique_and_well_formed() {
    let app = TestApp::spawn().await;
    let created = app.post("/api/v1/sites", &app.admin, json!({"name": "Atelier de Brest", "code": "BRE", "address": "12 rue de Siam, 29200 Brest"})).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["code"], "BRE");
    assert_eq!(created.body["version"], 1);
    let taken = app
        .post(
            "/api/v1/sites",
            &app.admin,
            json!({"name": "Autre", "code": "BRE"}),
        )
        .await;
    taken.problem(StatusCode::CONFLICT);
    let bad = app
        .post(
            "/api/v1/sites",
            &app.admin,
            json!({"name": "", "code": "brest1"}),
        )
        .await;
    bad.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.error_fields(), vec!["code", "name"]);
    assert!(
        bad.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("capital letters")
    );
    // Each names the check it failed, as a program reads it: the site code's
    // own format, the name's declared length.
    assert_eq!(bad.body["errors"][0]["code"], "site_code");
    assert_eq!(bad.body["errors"][1]["code"], "length");
}

#[tokio::test]
async fn only_admins_manage_sites_and_site_users_see_only_theirs() {
    let app = TestApp::spawn().await;
    let brest = app.site("BRE").await;
    let lyon = app.site("LYO").await;
    let coordinator = app.token(Role::Coordinator, Some(brest)).await;
    app.post(
        "/api/v1/sites",
        &coordinator,
        json!({"name": "X", "code": "XX"}),
    )
    .await
    .problem(StatusCode::FORBIDDEN);
    let listed = app.get("/api/v1/sites", &coordinator).await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(listed.body["items"][0]["id"], json!(brest));
    app.get(&format!("/api/v1/sites/{lyon}"), &coordinator)
        .await
        .problem(StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/api/v1/sites", &app.admin).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn a_site_is_renamed_with_its_version_but_its_code_never_changes() {
    let app = TestApp::spawn().await;
    let brest = app.site("BRE").await;
    let path = format!("/api/v1/sites/{brest}");
    let renamed = app
        .patch(
            &path,
            &app.admin,
            json!({"expected_version": 1, "name": "Atelier du Finistère"}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    assert_eq!(renamed.body["name"], "Atelier du Finistère");
    assert_eq!(renamed.body["version"], 2);
    let recode = app
        .patch(
            &path,
            &app.admin,
            json!({"expected_version": 2, "code": "FIN"}),
        )
        .await;
    recode.problem(StatusCode::UNPROCESSABLE_ENTITY);
    app.patch(&path, &app.admin, json!({"name": "x"}))
        .await
        .problem(StatusCode::PRECONDITION_REQUIRED);
}

#[tokio::test]
async fn the_command_line_creates_sites_by_the_same_rules_as_the_api() {
    let app = TestApp::spawn().await;
    let (ok, id, err) = app.cli(
        &[
            "site",
            "create",
            "--code",
            "LYO",
            "--name",
            "  Atelier de Lyon  ",
        ],
        None,
    );
    assert!(ok, "{err}");
    let site = app
        .get(&format!("/api/v1/sites/{}", id.trim()), &app.admin)
        .await;
    assert_eq!(site.status, StatusCode::OK, "{}", site.text);
    assert_eq!(
        site.body["name"], "Atelier de Lyon",
        "trimmed, as the API does"
    );
    let (ok, _, err) = app.cli(
        &["site", "create", "--code", "LYO", "--name", "Autre"],
        None,
    );
    assert!(!ok && err.contains("taken"), "{err}");
    let (ok, _, err) = app.cli(&["site", "create", "--code", "lyon2", "--name", "X"], None);
    assert!(!ok && err.contains("capital letters"), "{err}");
}
