//! The pages of beneficiaries, allocations, stock and waste through HTTP:
//! what a coordinator does in the browser, what a technician records at the
//! bench, and what viewers and technicians never read.

use axum::http::StatusCode;
use retrace::principal::Role;
use serde_json::json;

use crate::allocations::{allocate, beneficiary, ready_device};
use crate::helpers::{TestApp, pdftotext};
use crate::web::{Browser, field, user};

fn location(response: &crate::helpers::TestResponse) -> String {
    response
        .headers
        .get("location")
        .unwrap_or_else(|| panic!("no redirect: {} {}", response.status, response.text))
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_coordinator_records_a_beneficiary_allocates_from_the_stock_and_hands_over_and_a_technician_records_the_return()
 {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let device = ready_device(&app, &app.admin, site).await;
    let tag = device["asset_tag"].as_str().unwrap().to_owned();
    let coordinator = user(&app, Role::Coordinator, Some(site)).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&coordinator).await;

    // The stock lists the ready laptop with its specs and a way to allocate it.
    let stock = browser.get("/stock?kind=laptop&min_ram_gb=8").await;
    assert_eq!(stock.status, StatusCode::OK);
    assert!(stock.text.contains(&tag), "{}", stock.text);
    assert!(stock.text.contains("i5-8350U"));
    let none = browser.get("/stock?min_ram_gb=32").await;
    assert!(!none.text.contains(&tag));

    // A beneficiary, with a name only coordinators will read.
    let list = browser.get("/beneficiaries").await;
    let csrf = field(&list.text, "csrf");
    let created = browser
        .post(
            "/beneficiaries",
            &[
                ("csrf", &csrf),
                ("category", "student"),
                ("postcode", "29200"),
                ("referring_partner", "Mission locale"),
                ("name", "Léa Kerbrat"),
                ("email", "lea.kerbrat@example.org"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text);
    let page = browser.get(&location(&created)).await;
    assert!(page.text.contains("Léa Kerbrat"), "{}", page.text);
    assert!(page.text.contains("BRE-B-"));

    // Allocate from the stock.
    let form = browser
        .get(&format!(
            "/allocations/new?device_id={}",
            device["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text);
    let beneficiary_id = form
        .text
        .split("name=\"beneficiary_id\"")
        .nth(1)
        .and_then(|rest| rest.split("<option value=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let reserved = browser
        .post(
            "/allocations",
            &[
                ("csrf", &csrf),
                ("device_id", device["id"].as_str().unwrap()),
                ("device_version", &device["version"].to_string()),
                ("beneficiary_id", &beneficiary_id),
                ("conditions", "solidarity_price"),
                ("price_euros", "35,50"),
                ("warranty_months", "12"),
            ],
        )
        .await;
    assert_eq!(reserved.status, StatusCode::SEE_OTHER, "{}", reserved.text);
    let allocation_path = location(&reserved);
    let page = browser.get(&allocation_path).await;
    assert!(
        page.text.contains("data-state=\"reserved\""),
        "{}",
        page.text
    );
    assert!(page.text.contains("35,50\u{a0}€"), "{}", page.text);

    // The handover form prints from the page, with the name for the coordinator.
    let pdf = browser
        .get(&format!("{allocation_path}/handover.pdf"))
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    let path = app.dir.path().join("form.pdf");
    std::fs::write(&path, &pdf.bytes).unwrap();
    let text = pdftotext(&path);
    assert!(
        text.contains("Léa Kerbrat") && text.contains("35,50"),
        "{text}"
    );

    // The pad needs its script: hidden until it runs, and said so without it.
    assert!(
        page.text.contains("id=\"sign-form\" hidden"),
        "{}",
        page.text
    );
    assert!(
        page.text
            .contains("<noscript><p class=\"notice\" id=\"pad-needs-script\">")
    );

    // Not signed yet: the page warns, and delivering asks to be meant.
    assert!(
        page.text.contains("id=\"unsigned-warning\""),
        "{}",
        page.text
    );
    let version = field(&page.text, "expected_version");
    let before = app.ledger_seq().await;
    let refused = browser
        .post(
            &format!("{allocation_path}/deliver"),
            &[("csrf", &csrf), ("expected_version", &version)],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text
    );
    assert!(
        refused.text.contains("Remettre sans signature"),
        "{}",
        refused.text
    );
    assert_eq!(app.ledger_seq().await, before);

    // Signed with a finger, then handed over.
    let signed = browser
        .post(
            &format!("{allocation_path}/sign"),
            &[
                ("csrf", &csrf),
                ("expected_version", &version),
                ("strokes", "[[[0.1,0.5],[0.3,0.2],[0.6,0.8],[0.9,0.4]]]"),
            ],
        )
        .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.text);
    let page = browser.get(&allocation_path).await;
    assert!(page.text.contains("data-acceptance=\"signed_on_device\""));
    assert!(!page.text.contains("id=\"unsigned-warning\""));
    let version = field(&page.text, "expected_version");
    let delivered = browser
        .post(
            &format!("{allocation_path}/deliver"),
            &[("csrf", &csrf), ("expected_version", &version)],
        )
        .await;
    assert_eq!(
        delivered.status,
        StatusCode::SEE_OTHER,
        "{}",
        delivered.text
    );
    let page = browser.get(&allocation_path).await;
    assert!(page.text.contains("data-state=\"delivered\""));

    // At the bench, a technician scans the device back in.
    let technician = user(&app, Role::Technician, Some(site)).await;
    let mut bench = Browser::new(&app);
    bench.sign_in(&technician).await;
    let device_page = bench.get(&format!("/d/{tag}")).await;
    assert!(
        device_page.text.contains("name=\"reason\""),
        "{}",
        device_page.text
    );
    let csrf = field(&device_page.text, "csrf");
    let version = field(&device_page.text, "expected_version");
    let returned = bench
        .post(
            &format!("/d/{tag}"),
            &[
                ("csrf", &csrf),
                ("action", "return"),
                ("expected_version", &version),
                ("reason", "warranty_fault"),
                ("note", "no wifi"),
            ],
        )
        .await;
    assert_eq!(returned.status, StatusCode::SEE_OTHER, "{}", returned.text);
    let page = browser.get(&allocation_path).await;
    assert!(
        page.text.contains("data-state=\"returned\""),
        "{}",
        page.text
    );
    assert!(page.text.contains("no wifi"));
    let device_page = bench.get(&format!("/d/{tag}")).await;
    assert!(device_page.text.contains("data-state=\"received\""));
    // The year's quality figure counts it: one return under warranty, one delivery.
    let list = browser.get("/allocations").await;
    assert!(
        list.text.contains("<strong>100,0\u{a0}%</strong> (1 / 1)"),
        "{}",
        list.text
    );
}

#[tokio::test]
async fn viewers_and_technicians_read_no_name_or_contact_on_any_page_or_form() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let device = ready_device(&app, &coordinator, site).await;
    let person = beneficiary(
        &app,
        &coordinator,
        json!({"category": "senior", "name": "Yvonne Le Gall", "email": "yvonne.legall@example.org", "phone": "02 98 00 11 22"}),
    )
    .await;
    let allocation = allocate(&app, &coordinator, &device, &person).await;
    let tag = device["asset_tag"].as_str().unwrap();
    let a = allocation["id"].as_str().unwrap();
    let b = person["id"].as_str().unwrap();
    let pages = [
        "/beneficiaries".to_owned(),
        format!("/beneficiaries/{b}"),
        "/allocations".to_owned(),
        format!("/allocations/{a}"),
        "/stock".to_owned(),
        format!("/d/{tag}"),
    ];
    for role in [Role::Viewer, Role::Technician] {
        let email = user(&app, role, (role == Role::Technician).then_some(site)).await;
        let mut browser = Browser::new(&app);
        browser.sign_in(&email).await;
        for path in &pages {
            let page = browser.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "{role:?} {path}");
            for secret in ["Yvonne", "Le Gall", "yvonne.legall", "98 00 11"] {
                assert!(
                    !page.text.contains(secret),
                    "{role:?} reads {secret} on {path}"
                );
            }
        }
        let pdf = browser.get(&format!("/allocations/{a}/handover.pdf")).await;
        if role == Role::Viewer {
            // The form a beneficiary signs is the workshop's, not a funder's.
            assert_eq!(pdf.status, StatusCode::FORBIDDEN);
            continue;
        }
        assert_eq!(pdf.status, StatusCode::OK);
        let path = app.dir.path().join("redacted.pdf");
        std::fs::write(&path, &pdf.bytes).unwrap();
        let text = pdftotext(&path);
        assert!(
            text.contains(person["reference"].as_str().unwrap()),
            "{text}"
        );
        assert!(
            !text.contains("Yvonne"),
            "{role:?} reads the name on the form"
        );
    }
}

#[tokio::test]
async fn work_is_recorded_from_the_device_page_and_waste_leaves_from_the_shipments_page() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    app.patch(
        &format!("/api/v1/sites/{site}"),
        &app.admin,
        json!({"expected_version": 1, "siret": "73282932000074", "postcode": "29200", "city": "Brest"}),
    )
    .await;
    let coordinator = user(&app, Role::Coordinator, Some(site)).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&coordinator).await;
    let monitor = app
        .device(
            &app.admin,
            json!({"site_id": site, "kind": "monitor", "weight_kg": 4.0}),
        )
        .await;
    let tag = monitor["asset_tag"].as_str().unwrap();
    let page = browser.get(&format!("/d/{tag}")).await;
    assert!(page.text.contains("id=\"work\""), "{}", page.text);
    let csrf = field(&page.text, "csrf");
    let graded = browser
        .post(
            &format!("/d/{tag}/work"),
            &[
                ("csrf", &csrf),
                ("expected_version", "1"),
                ("work_type", "grade"),
                ("grade", "C"),
            ],
        )
        .await;
    assert_eq!(graded.status, StatusCode::SEE_OTHER, "{}", graded.text);
    let page = browser.get(&format!("/d/{tag}")).await;
    assert!(
        page.text.contains("<dd id=\"grade\">C</dd>"),
        "{}",
        page.text
    );
    assert!(
        page.text.contains("État esthétique : C"),
        "the history says what was done"
    );
    let graded = app
        .fetch_device(&app.admin, monitor["id"].as_str().unwrap())
        .await;
    app.step(&app.admin, &graded, "audit", json!({})).await;
    let page = browser.get(&format!("/d/{tag}")).await;
    assert!(
        page.text.contains("Inventorier → Inventorié"),
        "the history says which step led where: {}",
        page.text
    );

    let shipments = browser.get("/shipments").await;
    let dispatched = browser
        .post(
            "/shipments",
            &[
                ("csrf", &csrf),
                ("dispatched_on", "2026-11-20"),
                ("recycler_name", "Envie 2E"),
                ("recycler_siret", "732 829 320 00074"),
                ("waste_code", "20 01 36"),
                ("treatment_code", "R 4"),
                ("weight_kg", "4,2"),
                ("tags", &format!("{tag}\n")),
            ],
        )
        .await;
    assert_eq!(
        dispatched.status,
        StatusCode::SEE_OTHER,
        "{} {}",
        dispatched.text,
        shipments.status
    );
    let shipments = browser.get("/shipments").await;
    assert!(
        shipments.text.contains("BRE-DS-2026-0001"),
        "{}",
        shipments.text
    );
    let register = browser
        .get("/shipments/register?from=2026-11-01&to=2026-11-30")
        .await;
    assert_eq!(register.status, StatusCode::OK);
    let text = String::from_utf8(register.bytes.clone()).unwrap();
    assert!(
        text.contains("BRE-DS-2026-0001;73282932000074;73282932000074"),
        "{text}"
    );
    assert!(
        text.contains(";20 01 36;;Non;Non;2026-11-20;0.004;REEL;"),
        "{text}"
    );
}

#[tokio::test]
async fn a_take_back_waits_on_the_shipments_page_and_a_name_is_found_only_by_those_who_may_read_it()
{
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator_token = app.token(Role::Coordinator, Some(site)).await;
    let device = ready_device(&app, &coordinator_token, site).await;
    let person = beneficiary(
        &app,
        &coordinator_token,
        json!({"category": "senior", "name": "Anne Kervella"}),
    )
    .await;
    let allocation = allocate(&app, &coordinator_token, &device, &person).await;
    let a = allocation["id"].as_str().unwrap();
    let delivered = app
        .post(
            &format!("/api/v1/allocations/{a}/deliver"),
            &coordinator_token,
            json!({"expected_version": 1}),
        )
        .await;
    let returned = app
        .post(
            &format!("/api/v1/allocations/{a}/return"),
            &coordinator_token,
            json!({"expected_version": delivered.body["version"], "reason": "end_of_life"}),
        )
        .await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.text);

    let coordinator = user(&app, Role::Coordinator, Some(site)).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&coordinator).await;
    let tag = device["asset_tag"].as_str().unwrap();
    let page = browser.get("/shipments").await;
    let waiting = page
        .text
        .split("id=\"waiting\"")
        .nth(1)
        .expect("a waiting list");
    assert!(waiting.contains(tag), "{}", page.text);
    assert!(
        waiting.contains("effacez ou détruisez"),
        "its drive holds data again"
    );
    // Once its drive is destroyed, the tag is ready in the shipment's list.
    let media = app
        .get(
            &format!("/api/v1/devices/{}/media", device["id"].as_str().unwrap()),
            &coordinator_token,
        )
        .await;
    app.medium_step(
        &coordinator_token,
        &media.body["items"][0],
        "destroy",
        json!({"method": "drill"}),
    )
    .await;
    let page = browser.get("/shipments").await;
    assert!(
        page.text.contains(&format!(">{tag}</textarea>")),
        "{}",
        page.text
    );

    // Search: the coordinator finds the name; a technician's search does not reach it.
    let found = browser.search_beneficiaries("kervella").await;
    assert!(found.text.contains(person["reference"].as_str().unwrap()));
    let technician = user(&app, Role::Technician, Some(site)).await;
    let mut bench = Browser::new(&app);
    bench.sign_in(&technician).await;
    let hidden = bench.search_beneficiaries("kervella").await;
    assert_eq!(hidden.status, StatusCode::OK, "{}", hidden.text);
    assert!(hidden.text.contains("name=\"q\""), "the search page itself");
    assert!(!hidden.text.contains(person["reference"].as_str().unwrap()));
    let by_reference = bench
        .search_beneficiaries(person["reference"].as_str().unwrap())
        .await;
    assert_eq!(by_reference.status, StatusCode::OK);
    assert!(
        by_reference
            .text
            .contains(person["reference"].as_str().unwrap())
    );
}

#[tokio::test]
async fn a_beneficiary_is_recorded_within_the_allocation_form_in_the_same_write() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let device = ready_device(&app, &app.admin, site).await;
    let id = device["id"].as_str().unwrap();
    let coordinator = user(&app, Role::Coordinator, Some(site)).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&coordinator).await;
    let page = browser
        .get(&format!("/allocations/new?device_id={id}"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let form = crate::html::forms(&page.text)
        .into_iter()
        .find(|f| f.action == "/allocations")
        .unwrap();
    // With no one recorded yet, the form starts with someone new.
    assert!(
        form.fields
            .iter()
            .any(|(k, v)| k == "beneficiary_id" && v == "new")
    );
    let fill = |extra: &[(&'static str, &'static str)]| {
        let mut fields: Vec<(String, String)> = form
            .fields
            .iter()
            .filter(|(k, _)| !extra.iter().any(|(e, _)| e == k))
            .cloned()
            .collect();
        fields.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        fields
    };
    // A refused reservation (a stale version) records no one either.
    let before = app.ledger_seq().await;
    let stale = fill(&[("device_version", "1"), ("new_name", "Yannick Le Goff")]);
    let refused = browser
        .post(
            "/allocations",
            &stale
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect::<Vec<_>>(),
        )
        .await;
    assert!(refused.status.is_client_error(), "{}", refused.text);
    assert_eq!(app.ledger_seq().await, before);
    assert_eq!(app.listed("/api/v1/beneficiaries").await.len(), 0);

    let fields = fill(&[("new_name", "Yannick Le Goff"), ("new_category", "senior")]);
    let done = browser
        .post(
            "/allocations",
            &fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let recorded = app.listed("/api/v1/beneficiaries").await;
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0]["category"], "senior");
    let page = browser.get(&location(&done)).await;
    assert!(page.text.contains("data-state=\"reserved\""));
    let reference = recorded[0]["reference"].as_str().unwrap();
    assert!(page.text.contains(reference), "{}", page.text);
}
