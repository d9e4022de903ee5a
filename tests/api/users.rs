//! Users: admins manage everyone, coordinators their site's technicians and viewers.

use axum::http::StatusCode;
use retrace::auth::Role;
use sea_orm::EntityTrait;
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn an_admin_creates_users_whose_role_and_site_go_together() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let created = app
        .post("/api/v1/users", &app.admin, json!({"email": "Camille@Atelier.example", "role": "coordinator", "site_id": site, "password": "a long enough password"}))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["email"], "camille@atelier.example");
    assert!(!created.text.contains("password") && !created.text.contains("argon2"));
    let again = app
        .post(
            "/api/v1/users",
            &app.admin,
            json!({"email": "camille@atelier.example", "role": "viewer"}),
        )
        .await;
    again.problem(StatusCode::CONFLICT);
    let no_site = app
        .post(
            "/api/v1/users",
            &app.admin,
            json!({"email": "t@x.example", "role": "technician"}),
        )
        .await;
    assert_eq!(no_site.error_fields(), vec!["site_id"]);
    let admin_with_site = app
        .post(
            "/api/v1/users",
            &app.admin,
            json!({"email": "a@x.example", "role": "admin", "site_id": site}),
        )
        .await;
    assert_eq!(admin_with_site.error_fields(), vec!["site_id"]);
    let short = app
        .post(
            "/api/v1/users",
            &app.admin,
            json!({"email": "s@x.example", "role": "viewer", "password": "short"}),
        )
        .await;
    assert_eq!(short.error_fields(), vec!["password"]);
    let bad_role = app
        .post(
            "/api/v1/users",
            &app.admin,
            json!({"email": "r@x.example", "role": "root"}),
        )
        .await;
    assert_eq!(bad_role.error_fields(), vec!["role"]);

    // The password hash is stored, Argon2id, and never in the ledger.
    let id = uuid::Uuid::parse_str(created.body["id"].as_str().unwrap()).unwrap();
    let row = entities::user::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(row.password_hash.unwrap().starts_with("$argon2id$"));
    let events = app.get("/api/v1/ledger/events?limit=500", &app.admin).await;
    assert!(!events.text.contains("argon2"));
    assert!(events.text.contains("user.password_set"));
}

#[tokio::test]
async fn a_coordinator_manages_only_technicians_and_viewers_of_their_site() {
    let app = TestApp::spawn().await;
    let brest = app.site("BRE").await;
    let lyon = app.site("LYO").await;
    let coordinator = app.token(Role::Coordinator, Some(brest)).await;
    let tech = app
        .post(
            "/api/v1/users",
            &coordinator,
            json!({"email": "tech@bre.example", "role": "technician", "site_id": brest}),
        )
        .await;
    assert_eq!(tech.status, StatusCode::CREATED, "{}", tech.text);
    for body in [
        json!({"email": "boss@x.example", "role": "admin"}),
        json!({"email": "co@x.example", "role": "coordinator", "site_id": brest}),
        json!({"email": "t2@x.example", "role": "technician", "site_id": lyon}),
    ] {
        app.post("/api/v1/users", &coordinator, body)
            .await
            .problem(StatusCode::FORBIDDEN);
    }
    // Lyon has users of its own, and admins have none: the list shows Brest's only.
    let (lyon_technician, _) = app
        .user_with_token("tech@lyo.example", Role::Technician, Some(lyon))
        .await;
    let listed = app.get("/api/v1/users", &coordinator).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text);
    let items = listed.body["items"].as_array().unwrap();
    assert!(
        items.iter().all(|u| u["site_id"] == json!(brest)),
        "{}",
        listed.text
    );
    assert!(items.iter().any(|u| u["id"] == tech.body["id"]));
    let everyone = app.get("/api/v1/users?limit=100", &app.admin).await;
    assert!(
        everyone.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["id"] == json!(lyon_technician.0))
    );
    app.get(
        &format!("/api/v1/users/{}", lyon_technician.0),
        &coordinator,
    )
    .await
    .problem(StatusCode::NOT_FOUND);
    let technician = app.token(Role::Technician, Some(brest)).await;
    app.get("/api/v1/users", &technician)
        .await
        .problem(StatusCode::FORBIDDEN);
    let me = app.get("/api/v1/users/me", &technician).await;
    assert_eq!(me.body["role"], "technician");

    let id = tech.body["id"].as_str().unwrap();
    let promoted = app
        .patch(
            &format!("/api/v1/users/{id}"),
            &coordinator,
            json!({"expected_version": 1, "role": "coordinator"}),
        )
        .await;
    promoted.problem(StatusCode::FORBIDDEN);
    let disabled = app
        .patch(
            &format!("/api/v1/users/{id}"),
            &coordinator,
            json!({"expected_version": 1, "disabled": true}),
        )
        .await;
    assert_eq!(disabled.status, StatusCode::OK, "{}", disabled.text);
    assert_eq!(disabled.body["disabled"], true);
}
