//! Storage limitation (GDPR art. 5): a beneficiary's name and contact are
//! erased on their own, `[privacy] beneficiary_retention_months` after their
//! last allocation closed — by the hourly chores, as a ledger event like any
//! erasure — and not while a device is still with them.

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use retrace::principal::Role;
use serde_json::{Value, json};

use crate::allocations::{allocate, beneficiary, ready_device};
use crate::helpers::{TestApp, assert_in_database_files, assert_not_in_database_files};

fn at(day: &str) -> DateTime<Utc> {
    format!("{day}T10:00:00Z").parse().unwrap()
}

async fn step(app: &TestApp, token: &str, allocation: &Value, step: &str, extra: Value) -> Value {
    let current = app
        .get(
            &format!("/api/v1/allocations/{}", allocation["id"].as_str().unwrap()),
            token,
        )
        .await
        .body;
    let mut body = json!({"expected_version": current["version"]});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let answer = app
        .post(
            &format!(
                "/api/v1/allocations/{}/{step}",
                allocation["id"].as_str().unwrap()
            ),
            token,
            body,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{step}: {}", answer.text);
    answer.body
}

#[tokio::test]
async fn a_beneficiary_s_personal_data_is_erased_on_its_own_after_the_retention_and_not_before() {
    let app = TestApp::spawn_with(|settings| {
        settings.clock = retrace::ledger::clock::Clock::manual(at("2026-01-10"));
        settings.privacy.beneficiary_retention_months = 36;
    })
    .await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let person =
        |name: &str, email: &str| json!({"category": "student", "name": name, "email": email});

    // Given a laptop in January 2026, brought back the same month.
    let returned = beneficiary(
        &app,
        &coordinator,
        person("Gaëlle Returnée", "gaelle.returnee@example.org"),
    )
    .await;
    let device = ready_device(&app, &coordinator, site).await;
    let allocation = allocate(&app, &coordinator, &device, &returned).await;
    step(&app, &coordinator, &allocation, "deliver", json!({})).await;
    step(
        &app,
        &coordinator,
        &allocation,
        "return",
        json!({"reason": "no_longer_needed"}),
    )
    .await;
    // Registered, never given anything.
    let never = beneficiary(
        &app,
        &coordinator,
        person("Iwan Jamaisservi", "iwan.jamaisservi@example.org"),
    )
    .await;
    // Still has a laptop.
    let holding = beneficiary(
        &app,
        &coordinator,
        person("Soizic Toujourslà", "soizic.toujours@example.org"),
    )
    .await;
    let device = ready_device(&app, &coordinator, site).await;
    let kept = allocate(&app, &coordinator, &device, &holding).await;
    step(&app, &coordinator, &kept, "deliver", json!({})).await;
    // Given one in 2028, brought back in 2028.
    assert!(app.clock().set(at("2028-06-02")));
    let recent = beneficiary(
        &app,
        &coordinator,
        person("Mael Récent", "mael.recent@example.org"),
    )
    .await;
    let device = ready_device(&app, &coordinator, site).await;
    let late = allocate(&app, &coordinator, &device, &recent).await;
    step(&app, &coordinator, &late, "deliver", json!({})).await;
    step(
        &app,
        &coordinator,
        &late,
        "return",
        json!({"reason": "no_longer_needed"}),
    )
    .await;

    // Before the 36 months are up, nothing goes.
    assert!(app.clock().set(at("2029-01-09")));
    assert_eq!(
        retrace::beneficiaries::service::erase_past_retention(&app.state)
            .await
            .unwrap(),
        0
    );
    let gone = ["Returnée", "gaelle.returnee@example.org", "Jamaisservi"];
    let stays = ["Toujourslà", "Récent"];
    assert_in_database_files(&app, &gone).await;

    // A month later, the two whose last allocation closed (or who never had
    // one) three years ago are erased; the others stay.
    assert!(app.clock().set(at("2029-02-11")));
    let before = app.ledger_seq().await;
    assert_eq!(
        retrace::beneficiaries::service::erase_past_retention(&app.state)
            .await
            .unwrap(),
        2
    );
    let events = app
        .get(
            &format!("/api/v1/ledger/events?after_seq={before}"),
            &app.admin,
        )
        .await;
    let erasures: Vec<&Value> = events.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "beneficiary.personal_data_erased")
        .collect();
    assert_eq!(erasures.len(), 2, "{}", events.text);
    assert!(
        erasures.iter().all(|e| e["actor_id"].is_null()),
        "by the instance itself"
    );
    for (who, has) in [
        (&returned, false),
        (&never, false),
        (&holding, true),
        (&recent, true),
    ] {
        let read = app
            .get(
                &format!("/api/v1/beneficiaries/{}", who["id"].as_str().unwrap()),
                &coordinator,
            )
            .await;
        assert_eq!(read.body["has_personal_data"], has, "{}", read.text);
    }
    assert_not_in_database_files(&app, &gone).await;
    assert_in_database_files(&app, &stays).await;
    // Done once: the next run finds nothing.
    assert_eq!(
        retrace::beneficiaries::service::erase_past_retention(&app.state)
            .await
            .unwrap(),
        0
    );
    let (ok, out, _) = app.cli(&["ledger", "verify"], None);
    assert!(ok && out.starts_with("ok "), "{out}");
}
