//! Idempotency keys: a retry replays the first answer; no credential is ever
//! kept for it; keys expire and are pruned.

use axum::http::{Method, StatusCode};
use entities::idempotency_key;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel};
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn a_retried_token_creation_answers_without_the_secret_which_is_stored_nowhere() {
    let app = TestApp::spawn().await;
    let key = [("idempotency-key", "new-token-1")];
    let body = json!({"name": "wiping station"});
    let first = app
        .send(
            Method::POST,
            "/api/v1/tokens",
            &app.admin,
            body.clone(),
            &key,
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let secret = first.body["secret"].as_str().unwrap().to_owned();

    let retry = app
        .send(Method::POST, "/api/v1/tokens", &app.admin, body, &key)
        .await;
    assert_eq!(retry.status, StatusCode::CREATED, "{}", retry.text);
    assert_eq!(retry.headers.get("idempotent-replayed").unwrap(), "true");
    assert_eq!(
        retry.body["id"], first.body["id"],
        "the same token, not a second one"
    );
    assert_eq!(retry.body["secret"], serde_json::Value::Null);
    assert!(!retry.text.contains(&secret));

    let stored = idempotency_key::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert!(
        stored.iter().all(|row| !row.body.contains(&secret)),
        "the idempotency table holds no token secret"
    );
    // The secret shown once still works.
    assert_eq!(
        app.get("/api/v1/users/me", &secret).await.status,
        StatusCode::OK
    );
}

/// Every stored key, `hours` older.
async fn age_keys(app: &TestApp, hours: i64) {
    for row in idempotency_key::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
    {
        let created_at = row.created_at - chrono::Duration::hours(hours);
        let mut row = row.into_active_model();
        row.created_at = Set(created_at);
        row.update(&app.state.db).await.unwrap();
    }
}

#[tokio::test]
async fn a_key_past_its_time_to_live_is_free_again_and_pruned() {
    let app = TestApp::spawn().await;
    let key = [("idempotency-key", "donor-42")];
    let body = json!({"name": "Lycée Kerichen", "kind": "public_body"});
    let first = app
        .send(
            Method::POST,
            "/api/v1/donors",
            &app.admin,
            body.clone(),
            &key,
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);

    // A day and a bit later (the default time to live is 24 h)…
    age_keys(&app, 25).await;
    let later = app
        .send(Method::POST, "/api/v1/donors", &app.admin, body, &key)
        .await;
    assert_eq!(later.status, StatusCode::CREATED, "{}", later.text);
    assert!(later.headers.get("idempotent-replayed").is_none());
    assert_ne!(
        later.body["id"], first.body["id"],
        "a new request, recorded anew"
    );

    age_keys(&app, 25).await;
    let pruned = app.state.ledger.prune_idempotency_keys().await.unwrap();
    assert_eq!(pruned, 1);
    assert!(
        idempotency_key::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap()
            .is_empty()
    );
}
