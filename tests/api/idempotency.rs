//! Idempotency keys: a retry replays the first answer; no credential is ever
//! kept for it; keys expire and are pruned.

use axum::http::{Method, StatusCode};
use entities::idempotency_key;
use retrace::principal::Role;
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

/// A retried creation of a person answers the same record without the
/// personal data the first answer showed: the stored replay keeps none of it.
#[tokio::test]
async fn a_retried_creation_of_a_beneficiary_or_a_worker_withholds_the_name() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let people = [
        (
            "/api/v1/beneficiaries",
            json!({"category": "job_seeker", "name": "Annaïg Le Bihan", "email": "annaig.lebihan@example.org", "phone": "0611223344"}),
            [
                "Annaïg Le Bihan",
                "annaig.lebihan@example.org",
                "0611223344",
            ],
        ),
        (
            "/api/v1/workers",
            json!({"display_name": "Youenn Kerhoas", "contract_kind": "insertion", "started_on": "2026-09-01", "weekly_hours": 26}),
            ["Youenn Kerhoas", "Kerhoas", "Youenn"],
        ),
    ];
    for (path, body, secrets) in people {
        let key = [("idempotency-key", path)];
        let first = app
            .send(Method::POST, path, &coordinator, body.clone(), &key)
            .await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
        assert!(
            first.text.contains(secrets[0]),
            "the first answer shows it: {}",
            first.text
        );
        let retry = app.send(Method::POST, path, &coordinator, body, &key).await;
        assert_eq!(retry.status, StatusCode::CREATED, "{}", retry.text);
        assert_eq!(retry.headers.get("idempotent-replayed").unwrap(), "true");
        assert_eq!(retry.body["id"], first.body["id"], "the same record");
        for secret in secrets {
            assert!(!retry.text.contains(secret), "{path} replayed {secret}");
        }
    }
    for row in idempotency_key::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
    {
        for secret in ["Annaïg", "annaig.lebihan", "0611223344", "Kerhoas"] {
            assert!(
                !row.body.contains(secret),
                "kept for a replay: {}",
                row.body
            );
        }
    }
}

#[tokio::test]
async fn the_same_key_from_another_user_is_another_request() {
    let app = TestApp::spawn().await;
    let other = app.token(Role::Admin, None).await;
    let key = [("idempotency-key", "donor-1")];
    let body = json!({"name": "Lycée Kerichen", "kind": "public_body"});
    let mine = app
        .send(
            Method::POST,
            "/api/v1/donors",
            &app.admin,
            body.clone(),
            &key,
        )
        .await;
    let theirs = app
        .send(Method::POST, "/api/v1/donors", &other, body, &key)
        .await;
    assert_eq!(mine.status, StatusCode::CREATED, "{}", mine.text);
    assert_eq!(theirs.status, StatusCode::CREATED, "{}", theirs.text);
    assert!(theirs.headers.get("idempotent-replayed").is_none());
    assert_ne!(mine.body["id"], theirs.body["id"], "keys are per user");
}

#[tokio::test]
async fn two_concurrent_requests_with_one_key_write_once() {
    let app = TestApp::spawn().await;
    let before = app.ledger_seq().await;
    let key = [("idempotency-key", "donor-twice")];
    let body = json!({"name": "Lycée Kerichen", "kind": "public_body"});
    let answers = futures::future::join_all((0..8).map(|_| {
        app.send(
            Method::POST,
            "/api/v1/donors",
            &app.admin,
            body.clone(),
            &key,
        )
    }))
    .await;
    for answer in &answers {
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
        assert_eq!(answer.body["id"], answers[0].body["id"], "one donor");
    }
    let replayed = answers
        .iter()
        .filter(|a| a.headers.get("idempotent-replayed").is_some())
        .count();
    assert_eq!(replayed, 7, "one written, seven replayed");
    assert_eq!(app.ledger_seq().await, before + 1, "one event");
}

/// Only a success is kept: a refused request, retried with its key once
/// what refused it has changed, is tried again, not answered the refusal.
#[tokio::test]
async fn a_refused_first_answer_is_not_replayed_to_its_retry() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let person =
        crate::allocations::beneficiary(&app, &coordinator, json!({"category": "student"})).await;
    let device = app
        .device(
            &coordinator,
            json!({"kind": "monitor", "serial_number": "MON-IDEM-1"}),
        )
        .await;
    let key = [("idempotency-key", "reserve-the-monitor")];
    let body = json!({"device_id": device["id"], "beneficiary_id": person["id"], "conditions": {"kind": "free"}, "warranty_months": 6});
    let refused = app
        .send(
            Method::POST,
            "/api/v1/allocations",
            &coordinator,
            body.clone(),
            &key,
        )
        .await;
    assert!(refused.status.is_client_error(), "{}", refused.text);
    let refusal = refused.body["type"].clone();

    // The monitor is made ready; the same request, with the same key, now holds.
    let mut current = device;
    for (action, extra) in [
        ("audit", json!({})),
        ("sanitize_not_applicable", json!({})),
        ("start_refurbish", json!({})),
        ("install_os", json!({"os": "none"})),
        (
            "pass_qc",
            json!({"checklist": {"boot": true, "keyboard": true, "screen": true, "battery": true, "network": true, "os": true}}),
        ),
    ] {
        current = app.step(&coordinator, &current, action, extra).await;
    }
    let retried = app
        .send(
            Method::POST,
            "/api/v1/allocations",
            &coordinator,
            body.clone(),
            &key,
        )
        .await;
    assert_eq!(
        retried.status,
        StatusCode::CREATED,
        "{} (first refused as {refusal})",
        retried.text
    );
    assert!(retried.headers.get("idempotent-replayed").is_none());
    // From now on, the success is what the key answers.
    let again = app
        .send(
            Method::POST,
            "/api/v1/allocations",
            &coordinator,
            body,
            &key,
        )
        .await;
    assert_eq!(again.headers.get("idempotent-replayed").unwrap(), "true");
    assert_eq!(again.body["id"], retried.body["id"]);
}
