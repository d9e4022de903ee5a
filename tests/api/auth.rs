//! API tokens: shown once, stored hashed, expiring, revocable.

use axum::http::StatusCode;
use retrace::principal::Role;
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

    let id: uuid::Uuid = created.body["id"].as_str().unwrap().parse().unwrap();
    let row = entities::api_token::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    use sha2::Digest;
    assert_eq!(
        row.token_sha256,
        hex::encode(sha2::Sha256::digest(secret.as_bytes())),
        "the row keeps the secret's SHA-256, and nothing else of it"
    );
    let stored = serde_json::to_string(&row).unwrap();
    assert!(!stored.contains(&secret[3..]), "{stored}");
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
    // An edit behind Retrace's back is seen once cached tokens age out (RecentPrincipals::TTL).
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

#[tokio::test]
async fn a_password_is_exchanged_for_a_token_and_guessing_is_slowed_down() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let created = app
        .post("/api/v1/users", &app.admin, json!({"email": "poste@bre.example", "role": "technician", "site_id": site, "password": "wiping station two"}))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let login = |password: &'static str| {
        let app = &app;
        async move {
            let body = json!({"email": " Poste@BRE.example ", "password": password, "token_name": "station 2"});
            app.call(
                axum::http::Method::POST,
                "/api/v1/login",
                None,
                axum::body::Body::from(body.to_string()),
                &[("content-type", "application/json")],
            )
            .await
        }
    };
    let signed_in = login("wiping station two").await;
    assert_eq!(signed_in.status, StatusCode::CREATED, "{}", signed_in.text);
    let token = signed_in.body["secret"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get("/api/v1/users/me", &token).await.body["email"],
        "poste@bre.example"
    );
    assert_eq!(signed_in.body["name"], "station 2");

    for _ in 0..3 {
        assert_eq!(
            login("guess").await.problem(StatusCode::UNAUTHORIZED)["type"],
            "/problems/wrong-credentials"
        );
    }
    // Now even the right password waits: the attempt is not even checked.
    let throttled = login("wiping station two").await;
    assert_eq!(
        throttled.problem(StatusCode::TOO_MANY_REQUESTS)["type"],
        "/problems/too-many-attempts"
    );
    assert_eq!(throttled.headers.get("retry-after").unwrap(), "1");

    let stranger = app
        .call(
            axum::http::Method::POST,
            "/api/v1/login",
            None,
            axum::body::Body::from(
                json!({"email": "nobody@bre.example", "password": "whatever it is"}).to_string(),
            ),
            &[("content-type", "application/json")],
        )
        .await;
    assert_eq!(
        stranger.problem(StatusCode::UNAUTHORIZED)["type"],
        "/problems/wrong-credentials",
        "unknown emails look the same"
    );
}

/// Sign-in as an attacker and as the person: a burst of guesses from one
/// machine is answered 429 with `Retry-After`, whatever e-mails it tries;
/// the person, on their own machine, still signs in; and a password buys a
/// token of 90 days at most.
#[tokio::test]
async fn guessing_from_one_machine_is_bounded_and_locks_no_one_else_out() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let created = app
        .post("/api/v1/users", &app.admin, json!({"email": "cible@bre.example", "role": "technician", "site_id": site, "password": "the person's own phrase"}))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let attacker: std::net::SocketAddr = "203.0.113.9:40000".parse().unwrap();
    let person: std::net::SocketAddr = "192.0.2.20:50000".parse().unwrap();
    let login = |peer, email: String, password: &'static str, days: Option<u32>| {
        let app = &app;
        async move {
            let mut body = json!({"email": email, "password": password});
            if let Some(days) = days {
                body["expires_in_days"] = json!(days);
            }
            app.call_from(
                Some(peer),
                axum::http::Method::POST,
                "/api/v1/login",
                None,
                axum::body::Body::from(body.to_string()),
                &[("content-type", "application/json")],
            )
            .await
        }
    };

    // The chosen person's e-mail, guessed again and again from elsewhere.
    for _ in 0..6 {
        let answer = login(attacker, "cible@bre.example".into(), "guess", None).await;
        assert!(
            [StatusCode::UNAUTHORIZED, StatusCode::TOO_MANY_REQUESTS].contains(&answer.status),
            "{}",
            answer.text
        );
    }
    let own = login(
        person,
        "cible@bre.example".into(),
        "the person's own phrase",
        None,
    )
    .await;
    assert_eq!(
        own.status,
        StatusCode::CREATED,
        "not locked out: {}",
        own.text
    );

    // Forty e-mails from one machine: the limit is the machine's.
    let mut refused = 0;
    for n in 0..40 {
        let answer = login(attacker, format!("n{n}@bre.example"), "guess", None).await;
        if answer.status == StatusCode::TOO_MANY_REQUESTS {
            refused += 1;
            let wait: u64 = answer.headers["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=60).contains(&wait), "{wait}");
        } else {
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.text);
        }
    }
    assert!(
        refused >= 40 - retrace::limits::sign_ins::PER_CLIENT,
        "{refused} refused"
    );

    let long = login(
        person,
        "cible@bre.example".into(),
        "the person's own phrase",
        Some(365),
    )
    .await;
    assert_eq!(long.error_fields(), ["expires_in_days"], "{}", long.text);
}
