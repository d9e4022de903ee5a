//! Erasing a person from their page, as a coordinator does when someone asks:
//! the button is there for those who may read the name, the form is
//! protected from forgery, and afterwards the name is in no byte of the
//! database while the ledger still verifies.

use axum::http::StatusCode;
use retrace::principal::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_in_database_files, assert_not_in_database_files};
use crate::web::{Browser, field, user};

/// The erase form of the person's `page`, posted by a technician (refused),
/// with a forged token (refused), then by a coordinator; `api` reads the
/// person back; `secrets` are what must be gone, the first shown on the page.
async fn erase_from_the_page(app: &TestApp, page: &str, secrets: &[&str], api: &str) {
    let erase = format!("{page}/erase");
    let sites = app.get("/api/v1/sites", &app.admin).await;
    let site = retrace::ids::SiteId(
        sites.body["items"][0]["id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap(),
    );

    // A technician sees no name and no button; posting the form anyway changes nothing.
    let technician = user(app, Role::Technician, Some(site)).await;
    let mut bench = Browser::new(app);
    bench.sign_in(&technician).await;
    let shown = bench.get(page).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.text);
    assert!(!shown.text.contains(&format!("action=\"{erase}\"")));
    for secret in secrets {
        assert!(!shown.text.contains(secret), "a technician reads {secret}");
    }
    let csrf = field(&shown.text, "csrf");
    let before = app.ledger_seq().await;
    let refused = bench.post(&erase, &[("csrf", &csrf)]).await;
    assert!(
        matches!(
            refused.status,
            StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
        ),
        "{}",
        refused.text
    );
    assert_eq!(app.ledger_seq().await, before);

    // The coordinator sees the name and the button.
    let coordinator = user(app, Role::Coordinator, Some(site)).await;
    let mut desk = Browser::new(app);
    desk.sign_in(&coordinator).await;
    let shown = desk.get(page).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.text.contains(secrets[0]), "{}", shown.text);
    assert!(
        shown.text.contains(&format!("action=\"{erase}\"")),
        "{}",
        shown.text
    );
    let csrf = field(&shown.text, "csrf");
    let before = app.ledger_seq().await;

    // A forged form (another session's token, or none) is refused.
    for forged in [forged_csrf(&csrf), String::new()] {
        let refused = desk.post(&erase, &[("csrf", &forged)]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
        assert_eq!(app.ledger_seq().await, before);
    }
    assert_in_database_files(app, secrets).await;

    let erased = desk.post(&erase, &[("csrf", &csrf)]).await;
    assert_eq!(erased.status, StatusCode::SEE_OTHER, "{}", erased.text);
    assert_eq!(erased.headers["location"], page);
    assert!(app.ledger_seq().await > before, "the erasure is an event");
    let after = desk.get(page).await;
    assert_eq!(after.status, StatusCode::OK);
    assert!(!after.text.contains(&format!("action=\"{erase}\"")));
    let read = app.get(api, &app.admin).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    if let Some(held) = read.body.get("has_personal_data") {
        assert_eq!(held, false, "{}", read.text);
    }
    for secret in secrets {
        assert!(
            !after.text.contains(secret),
            "the page still shows {secret}"
        );
        assert!(
            !read.text.contains(secret),
            "the API still answers {secret}"
        );
    }
    assert_not_in_database_files(app, secrets).await;
    let (ok, out, _) = app.cli(&["ledger", "verify"], None);
    assert!(ok && out.starts_with("ok "), "{out}");
}

/// A token of the right shape that is not this session's.
fn forged_csrf(csrf: &str) -> String {
    csrf.chars()
        .map(|c| if c == '0' { '1' } else { '0' })
        .collect()
}

#[tokio::test]
async fn a_coordinator_erases_a_beneficiary_from_their_page() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let person: Value = crate::allocations::beneficiary(
        &app,
        &coordinator,
        json!({"category": "senior", "name": "Maïwenn Guivarc'h", "email": "maiwenn.guivarch@example.org", "phone": "0698765432"}),
    )
    .await;
    let id = person["id"].as_str().unwrap();
    erase_from_the_page(
        &app,
        &format!("/beneficiaries/{id}"),
        &["Guivarc", "maiwenn.guivarch@example.org", "0698765432"],
        &format!("/api/v1/beneficiaries/{id}"),
    )
    .await;
}

#[tokio::test]
async fn a_coordinator_erases_a_worker_from_their_page() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let worker = crate::workforce::worker(
        &app,
        &coordinator,
        json!({"display_name": "Tifenn Quéméner", "contract_kind": "insertion", "started_on": "2026-09-01", "weekly_hours": 26}),
    )
    .await;
    let id = worker["id"].as_str().unwrap();
    erase_from_the_page(
        &app,
        &format!("/workers/{id}"),
        &["Quéméner", "Tifenn"],
        &format!("/api/v1/workers/{id}"),
    )
    .await;
}

#[tokio::test]
async fn a_coordinator_erases_an_individual_donor_from_their_page() {
    let app = TestApp::spawn().await;
    app.site("BRE").await;
    let donor = app
        .post(
            "/api/v1/donors",
            &app.admin,
            json!({"name": "Gwenola Le Bihan", "kind": "individual", "address": "12 rue de Siam, Brest", "contact_email": "gwenola.lebihan@example.org", "contact_phone": "0611223344"}),
        )
        .await;
    assert_eq!(donor.status, StatusCode::CREATED, "{}", donor.text);
    let id = donor.body["id"].as_str().unwrap();
    erase_from_the_page(
        &app,
        &format!("/donors/{id}"),
        &[
            "Le Bihan",
            "gwenola.lebihan@example.org",
            "0611223344",
            "rue de Siam",
        ],
        &format!("/api/v1/donors/{id}"),
    )
    .await;
}
