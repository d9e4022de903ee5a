//! Users: admins manage everyone, coordinators their site's technicians and viewers.

use axum::http::StatusCode;
use retrace::principal::Role;
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

/// A person changes their own password with the current one; whoever
/// manages an account sets one when it is forgotten. Either way the
/// account's web sessions end, the old password opens nothing, and no one
/// resets their own or a colleague's they do not manage.
#[tokio::test]
async fn a_password_is_changed_with_the_current_one_or_reset_by_a_manager_and_old_sessions_end() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let created = app
        .post(
            "/api/v1/users",
            &app.admin,
            json!({"email": "morgane@bre.example", "role": "technician", "site_id": site, "password": "first long phrase"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let user = created.body["id"].as_str().unwrap().to_owned();
    let login = |password: &'static str| {
        let app = &app;
        async move {
            app.post(
                "/api/v1/login",
                "",
                json!({"email": "morgane@bre.example", "password": password}),
            )
            .await
        }
    };
    let token = login("first long phrase").await.body["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let session = retrace::auth::sessions::open(
        &app.state.db,
        retrace::ids::UserId(user.parse().unwrap()),
        1,
    )
    .await
    .unwrap();
    let sessions = || async {
        crate::helpers::rows::<entities::web_session::Entity>(&app.state.db)
            .await
            .len()
    };
    assert_eq!(sessions().await, 1, "{session}");

    let wrong = app
        .post(
            "/api/v1/users/me/password",
            &token,
            json!({"current_password": "not the phrase", "new_password": "second long phrase"}),
        )
        .await;
    wrong.problem(StatusCode::UNAUTHORIZED);
    let short = app
        .post(
            "/api/v1/users/me/password",
            &token,
            json!({"current_password": "first long phrase", "new_password": "short"}),
        )
        .await;
    assert_eq!(short.error_fields(), ["new_password"], "{}", short.text);
    let changed = app
        .post(
            "/api/v1/users/me/password",
            &token,
            json!({"current_password": "first long phrase", "new_password": "second long phrase"}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    assert_eq!(sessions().await, 0, "the old sessions ended");
    login("first long phrase")
        .await
        .problem(StatusCode::UNAUTHORIZED);
    assert_eq!(
        login("second long phrase").await.status,
        StatusCode::CREATED
    );

    // Forgotten: a coordinator of the site sets one; a technician may not,
    // and no one resets their own.
    let colleague = app.token(Role::Technician, Some(site)).await;
    app.post(
        &format!("/api/v1/users/{user}/password"),
        &colleague,
        json!({"new_password": "third long phrase"}),
    )
    .await
    .problem(StatusCode::FORBIDDEN);
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let reset = app
        .post(
            &format!("/api/v1/users/{user}/password"),
            &coordinator,
            json!({"new_password": "third long phrase"}),
        )
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.text);
    assert_eq!(login("third long phrase").await.status, StatusCode::CREATED);
    let me = app.get("/api/v1/users/me", &app.admin).await;
    app.post(
        &format!("/api/v1/users/{}/password", me.body["id"].as_str().unwrap()),
        &app.admin,
        json!({"new_password": "an admin's own phrase"}),
    )
    .await
    .problem(StatusCode::FORBIDDEN);
}
