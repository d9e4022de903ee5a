//! `retrace serve --demo`: an empty instance gets two workshops and 300
//! devices in every state, written through the API into a ledger that
//! verifies; an instance with data is left alone.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use entities::{device, erasure_record};
use retrace::devices::DeviceState;
use retrace::principal::Role;
use sea_orm::EntityTrait;

use crate::helpers::TestApp;
use crate::web::Browser;

#[tokio::test]
async fn the_demo_fills_an_empty_instance_once_through_the_ledger() {
    let app = TestApp::spawn().await;
    let seeded = retrace::demo::seed(&app.state)
        .await
        .expect("the demo is written")
        .expect("an instance without sites is filled");
    let logins = seeded.logins;
    // The printed portal link opens, with no account.
    let portal = seeded
        .portal
        .strip_prefix("http://retrace.test")
        .expect("a link on the instance");
    let opened = app
        .call(
            axum::http::Method::GET,
            portal,
            None,
            axum::body::Body::empty(),
            &[],
        )
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.text);
    assert!(opened.text.contains("Le devenir de votre don"));
    // …and offers the impact statement of what the donation became.
    assert!(
        opened.text.contains("l’attestation d’impact"),
        "{}",
        opened.text
    );
    assert!(
        logins
            .iter()
            .any(|l| l.role == Role::Technician && l.site == Some("BRE"))
    );

    let devices = device::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(devices.len(), retrace::demo::DEVICES);
    let mut by_state: BTreeMap<String, usize> = BTreeMap::new();
    for d in &devices {
        *by_state.entry(d.state.clone()).or_default() += 1;
    }
    for state in DeviceState::ALL {
        assert!(
            by_state.contains_key(state.as_str()),
            "no demo device is {state:?}: {by_state:?}"
        );
    }
    // Drives were erased on record before their devices went further.
    let erasures = erasure_record::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(erasures.len() > 100, "{} erasure records", erasures.len());

    // Beneficiaries, allocations in every state, a complaint, a shipment.
    let allocations = entities::allocation::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    for state in ["reserved", "delivered", "released", "returned"] {
        assert!(
            allocations.iter().any(|a| a.state == state),
            "no demo allocation is {state}"
        );
    }
    let beneficiaries = entities::beneficiary::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    let categories: std::collections::BTreeSet<&str> =
        beneficiaries.iter().map(|b| b.category.as_str()).collect();
    assert!(categories.len() >= 5, "{categories:?}");
    assert!(
        !entities::complaint::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap()
            .is_empty()
    );
    let register = app
        .get(
            "/api/v1/registers/outgoing-waste?from=2026-11-01&to=2026-11-30",
            &app.admin,
        )
        .await;
    assert_eq!(register.status, StatusCode::OK);
    assert!(
        String::from_utf8_lossy(&register.bytes).contains("-DS-2026-0001"),
        "the demo's shipments are in the register"
    );

    // A team of every contract kind, with hours and exits.
    let workers = entities::worker::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    for kind in retrace::workers::ContractKind::ALL {
        assert!(
            workers.iter().any(|w| w.contract_kind == kind.as_str()),
            "no demo worker on a {kind:?} contract"
        );
    }
    let exits: std::collections::BTreeSet<&str> = workers
        .iter()
        .filter_map(|w| w.exit_outcome.as_deref())
        .collect();
    assert!(exits.len() >= 3, "{exits:?}");
    let hours = entities::timesheet_entry::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(hours.len() > 1_000, "{} timesheet entries", hours.len());

    let key = app.state.key.verifying_key();
    let report = retrace::ledger::verify::verify(&app.state.db, Some(&key))
        .await
        .expect("the demo's ledger verifies");
    assert!(report.events > 1_000, "{} events", report.events);

    // The printed logins work on the sign-in page.
    for login in &logins {
        let mut browser = Browser::new(&app);
        let signed_in = browser
            .sign_in_with(login.email, retrace::demo::PASSWORD)
            .await;
        assert_eq!(signed_in.status, StatusCode::SEE_OTHER, "{}", login.email);
    }
    let mut technician = Browser::new(&app);
    technician
        .sign_in_with(logins[2].email, retrace::demo::PASSWORD)
        .await;
    let brest = devices
        .iter()
        .find(|d| d.asset_tag.starts_with("BRE-"))
        .unwrap();
    let page = technician.get(&format!("/d/{}", brest.asset_tag)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("id=\"history\""), "{}", page.text);

    // Once there is data, --demo adds nothing.
    let before = app.ledger_seq().await;
    assert!(retrace::demo::seed(&app.state).await.unwrap().is_none());
    assert_eq!(app.ledger_seq().await, before);
}
