//! API tokens: shown once, stored hashed, expiring, revocable.

use axum::http::StatusCode;
use retrace::auth::Role;
use sea_orm::EntityTrait;
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn a_token_is_shown_once_stored_as_its_hash_and_revocable() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let technician = app.token(Role::Technician, Some(site)).await;
    let created = app
        .post(
            "/api/v1/tokens",
            &technician,
            json!({"name": "wiping station 2", "expires_in_days": 30}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let secret = created.body["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("rt_") && secret.len() > 40);

    let rows = entities::api_token::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(
        rows.iter()
            .all(|r| r.token_sha256 != secret && r.token_sha256.len() == 64)
    );
    let events = app.get("/api/v1/ledger/events?limit=500", &app.admin).await;
    assert!(
        !events.text.contains(&secret),
        "the secret is never recorded"
    );

    assert_eq!(
        app.get("/api/v1/users/me", &secret).await.status,
        StatusCode::OK
    );
    let listed = app.get("/api/v1/tokens", &technician).await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 2);
    assert!(!listed.text.contains(&secret));

    let id = created.body["id"].as_str().unwrap();
    let revoked = app
        .call(
            axum::http::Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            Some(&technician),
            axum::body::Body::empty(),
            &[],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT, "{}", revoked.text);
    app.get("/api/v1/users/me", &secret)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get("/api/v1/users/me", &technician).await.status,
        StatusCode::OK,
        "other tokens still work"
    );
}

#[tokio::test]
async fn expired_tokens_and_disabled_users_are_turned_away() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let (_, token) = app
        .user_with_token("old@retrace.test", Role::Technician, Some(site))
        .await;
    app.sql("UPDATE api_tokens SET expires_at = '2020-01-01 00:00:00+00:00'")
        .await;
    // An edit behind Retrace's back is seen once cached tokens age out (TokenCache::TTL).
    app.state.tokens.clear();
    app.get("/api/v1/users/me", &token)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    app.get("/api/v1/users/me", &app.admin)
        .await
        .problem(StatusCode::UNAUTHORIZED);

    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let (user_id, token) = app
        .user_with_token("leaver@retrace.test", Role::Technician, Some(site))
        .await;
    let disabled = app
        .patch(
            &format!("/api/v1/users/{user_id}"),
            &app.admin,
            json!({"expected_version": 1, "disabled": true}),
        )
        .await;
    assert_eq!(disabled.status, StatusCode::OK, "{}", disabled.text);
    app.get("/api/v1/users/me", &token)
        .await
        .problem(StatusCode::UNAUTHORIZED);
}
