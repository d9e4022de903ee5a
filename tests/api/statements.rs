//! The donor impact statement: its figures are the impact report's for the
//! same donor (or lot) and period, read back from the PDF with pdftotext;
//! it is numbered, signed, verified offline by `retrace verify`, issued
//! once per donor and year, and downloaded from the donor's portal.

use std::process::Command;

use axum::http::StatusCode;
use retrace::principal::Role;
use serde_json::{Value, json};

use crate::allocations::{beneficiary, ready};
use crate::helpers::{TestApp, pdftotext};
use crate::reports::give;
use crate::workforce::worker;

fn at(day: &str) -> chrono::DateTime<chrono::Utc> {
    format!("{day}T10:00:00Z").parse().unwrap()
}

async fn created(app: &TestApp, path: &str, token: &str, body: Value) -> Value {
    let answer = app.post(path, token, body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    answer.body
}

/// What the world of these tests holds.
struct World {
    site: retrace::ids::SiteId,
    coordinator: String,
    donor: String,
    lot: String,
    other_lot: String,
}

/// 2025 at the BRE workshop: the Crédit Maritime gives four devices (two
/// reused, a monitor recycled, one still in stock), another donor one
/// (reused); an insertion worker works 70 h and a permanent one 35 h.
async fn world(app: &TestApp) -> World {
    let site = app.site("BRE").await;
    // The waste register names the shipping site by its SIRET.
    app.patch(
        &format!("/api/v1/sites/{site}"),
        &app.admin,
        json!({"expected_version": 1, "siret": "73282932000074"}),
    )
    .await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let donor = created(
        app,
        "/api/v1/donors",
        &coordinator,
        json!({"name": "Crédit Maritime", "kind": "company", "siret": "73282932000074"}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let lot = created(
        app,
        "/api/v1/lots",
        &coordinator,
        json!({"donor_id": donor, "site_id": site, "received_on": "2025-03-10", "donor_reference": "DSI-2025-7"}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = created(
        app,
        "/api/v1/donors",
        &coordinator,
        json!({"name": "Lycée de l’Iroise", "kind": "public_body"}),
    )
    .await;
    let other_lot = created(
        app,
        "/api/v1/lots",
        &coordinator,
        json!({"donor_id": other["id"], "site_id": site, "received_on": "2025-03-10"}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let first = ready(app, &coordinator, json!({"lot_id": lot, "weight_kg": 2.0})).await;
    let second = ready(app, &coordinator, json!({"lot_id": lot, "weight_kg": 2.5})).await;
    let screen = app
        .device(
            &coordinator,
            json!({"lot_id": lot, "kind": "monitor", "weight_kg": 4.0}),
        )
        .await;
    app.device(
        &coordinator,
        json!({"lot_id": lot, "kind": "laptop", "weight_kg": 2.2}),
    )
    .await;
    let theirs = ready(
        app,
        &coordinator,
        json!({"lot_id": other_lot, "weight_kg": 1.8}),
    )
    .await;
    let student = beneficiary(
        app,
        &coordinator,
        json!({"category": "student", "postcode": "29200", "name": "Awa Diallo"}),
    )
    .await;
    let association = beneficiary(
        app,
        &coordinator,
        json!({"category": "association", "postcode": "97100"}),
    )
    .await;
    let senior = beneficiary(
        app,
        &coordinator,
        json!({"category": "senior", "postcode": "75011"}),
    )
    .await;
    let insertion = worker(app, &coordinator, json!({"display_name": "Yann Le Gall", "contract_kind": "insertion", "started_on": "2025-01-06", "weekly_hours": 26})).await;
    let permanent = worker(app, &coordinator, json!({"display_name": "Morgane", "contract_kind": "permanent", "started_on": "2024-01-06", "weekly_hours": 35})).await;

    assert!(app.clock().set(at("2025-06-09")));
    give(app, &coordinator, &first, &student).await;
    give(app, &coordinator, &second, &association).await;
    give(app, &coordinator, &theirs, &senior).await;
    created(
        app,
        "/api/v1/waste-shipments",
        &coordinator,
        json!({"dispatched_on": "2025-06-09", "recycler": {"name": "R", "siret": "73282932000074"},
               "waste_code": "16 02 14", "treatment_code": "R 4", "items": [{"device_id": screen["id"]}]}),
    )
    .await;
    // Ten days of 7 h under the insertion contract, five under the other.
    let mut entries = Vec::new();
    for day in 9..19 {
        let date = format!("2025-06-{day:02}");
        entries.push(
            json!({"worker_id": insertion["id"], "date": date, "hours": 7.0, "activity": "repair"}),
        );
        if day < 14 {
            entries.push(json!({"worker_id": permanent["id"], "date": date, "hours": 7.0, "activity": "repair"}));
        }
    }
    created(
        app,
        "/api/v1/timesheets/batch",
        &coordinator,
        json!({"entries": entries}),
    )
    .await;
    assert!(app.clock().set(at("2026-01-15")));
    World {
        site,
        coordinator,
        donor,
        lot,
        other_lot,
    }
}

async fn download(
    app: &TestApp,
    token: &str,
    number: &str,
    dir: &std::path::Path,
) -> (Vec<u8>, String) {
    let bytes = crate::certificates::download(app, token, number).await;
    crate::helpers::assert_archival(&bytes);
    let path = dir.join(format!("{number}.pdf"));
    std::fs::write(&path, &bytes).unwrap();
    (bytes, pdftotext(&path))
}

/// `retrace verify` on a file, as a donor's auditor would run it.
fn verify(app: &TestApp, dir: &std::path::Path, bytes: &[u8]) -> String {
    let path = dir.join("to-verify.pdf");
    std::fs::write(&path, bytes).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_retrace"))
        .arg("verify")
        .arg(&path)
        .env("RETRACE_DATA_DIR", &app.state.settings.data_dir)
        .env("RETRACE_CONFIG", dir.join("absent.toml"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The text with pdftotext's layout spaces folded, so a figure and its
/// words read as one line.
fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn a_donor_s_year_statement_says_what_the_report_says_for_that_donor_signed_and_verifiable() {
    let app = TestApp::spawn_at(at("2025-03-10")).await;
    let w = world(&app).await;

    // The report for the donor and the year: the figures anyone can check.
    let report = app
        .get(
            &format!(
                "/api/v1/reports/impact?from=2025-01-01&to=2025-12-31&donor_id={}",
                w.donor
            ),
            &w.coordinator,
        )
        .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.text);
    let r = &report.body;
    assert_eq!(r["donor_id"], w.donor.as_str());
    assert_eq!(r["devices"]["collected"], 4);
    assert_eq!(r["devices"]["reused"], 2);
    assert_eq!(r["devices"]["recycled"], 1);
    assert_eq!(r["devices"]["in_stock"], 1);
    assert_eq!(r["weight_kg"]["collected"], 10.7);
    assert_eq!(r["weight_kg"]["reused"], 4.5);
    assert_eq!(r["weight_kg"]["recycled"], 4.0);
    assert_eq!(r["beneficiaries"]["individuals"], 1);
    assert_eq!(r["beneficiaries"]["organisations"], 1);
    assert_eq!(
        r["beneficiaries"]["by_departement"],
        json!({"29": 1, "971": 1})
    );
    // Three of the four devices the workshop sent on were this donor's:
    // three quarters of the 70 insertion hours.
    assert_eq!(
        r["supported"],
        json!({"devices_sent_on": 3, "all_devices_sent_on": 4, "insertion_hours": 70.0, "insertion_hours_supported": 52.5})
    );
    // The whole workshop's report names no donation and has no such part.
    let whole = app
        .get(
            "/api/v1/reports/impact?from=2025-01-01&to=2025-12-31",
            &w.coordinator,
        )
        .await;
    assert_eq!(whole.body["devices"]["reused"], 3);
    assert!(whole.body.get("supported").is_none() && whole.body.get("donor_id").is_none());

    let issued = created(
        &app,
        "/api/v1/certificates",
        &w.coordinator,
        json!({"kind": "impact_statement", "donor_id": w.donor, "year": 2025, "language": "en"}),
    )
    .await;
    assert_eq!(issued["kind"], "impact_statement");
    assert_eq!(issued["year"], 2025);
    assert_eq!(issued["holder"], "Crédit Maritime");
    assert_eq!(issued["device_count"], 4);
    assert_eq!(issued["subject_id"], w.donor.as_str());
    let number = issued["number"].as_str().unwrap().to_owned();
    assert!(number.starts_with("CERT-2026-"), "{number}");

    let dir = tempfile::tempdir().unwrap();
    let (bytes, text) = download(&app, &w.coordinator, &number, dir.path()).await;
    let text = folded(&text);
    let figure = |path: &[&str]| {
        let mut value = r;
        for key in path {
            value = &value[*key];
        }
        value.as_f64().unwrap_or_else(|| panic!("{path:?} in {r}"))
    };
    for (words, value) in [
        (
            "Devices received",
            format!("{}", figure(&["devices", "collected"])),
        ),
        (
            "Reused: refurbished and given to a beneficiary",
            format!("{}", figure(&["devices", "reused"])),
        ),
        (
            "Recycled through an approved WEEE scheme",
            format!("{}", figure(&["devices", "recycled"])),
        ),
        (
            "Still being processed at the end of the period",
            format!("{}", figure(&["devices", "in_stock"])),
        ),
        (
            "Weight received",
            format!("{:.1} kg", figure(&["weight_kg", "collected"])),
        ),
        (
            "Weight reused",
            format!("{:.1} kg", figure(&["weight_kg", "reused"])),
        ),
        (
            "Weight recycled",
            format!("{:.1} kg", figure(&["weight_kg", "recycled"])),
        ),
        // One person and one organisation: fewer than 5, published as "<5".
        ("People equipped", "<5".to_owned()),
        (
            "Organisations equipped (associations, schools…)",
            "<5".to_owned(),
        ),
        (
            "Emissions avoided by reuse",
            format!("{:.1} kg CO2e", figure(&["co2e_avoided_kg", "avoided_kg"])),
        ),
        (
            "Hours of insertion work this donation supported",
            format!(
                "{:.1} h",
                figure(&["supported", "insertion_hours_supported"])
            ),
        ),
        (
            "Preparation for reuse",
            format!("{:.1} kg (2 devices)", figure(&["weight_kg", "reused"])),
        ),
        (
            "Recycling",
            format!("{:.1} kg (1 device)", figure(&["weight_kg", "recycled"])),
        ),
        ("Total diverted from disposal", "8.5 kg".to_owned()),
    ] {
        let line = format!("{words} {value}");
        assert!(text.contains(&line), "{line:?} missing from:\n{text}");
    }
    for expected in [
        number.as_str(),
        "Donation impact statement",
        "Crédit Maritime — SIRET 73282932000074",
        "Every donation of the year 2025",
        "Period covered: 2025-01-01 to 2025-12-31",
        "ESRS E5",
        "département 29",
        "département 971",
        "(70.0 h)",
        "3 of 4",
        &retrace::certificates::verification::url("http://retrace.test", &app.state.key, &number),
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    // Categories and territories, never a person; never another donor (the
    // verification code, random hexadecimal, is left out of the search).
    let url =
        retrace::certificates::verification::url("http://retrace.test", &app.state.key, &number);
    let words = text.replace(&url, "");
    for absent in ["Awa", "Diallo", "Yann", "Morgane", "Lycée", "75"] {
        assert!(!words.contains(absent), "{absent:?} in:\n{text}");
    }
    assert!(verify(&app, dir.path(), &bytes).starts_with("ok "));

    // Publicly verifiable, like every certificate.
    let code = retrace::certificates::verification::code(&app.state.key, &number);
    let public = app
        .anonymous(&format!("/verify/{number}?code={code}"), true)
        .await;
    assert_eq!(public.body["kind"], "impact_statement");
    assert_eq!(public.body["signature_valid"], true);
    assert_eq!(public.body["holder"], "Crédit Maritime");

    // Once per donor and year: again is a conflict, a correction a revision,
    // another year another document, a year to come nothing.
    let again = app
        .post(
            "/api/v1/certificates",
            &w.coordinator,
            json!({"kind": "impact_statement", "donor_id": w.donor, "year": 2025}),
        )
        .await;
    assert_eq!(
        again.problem(StatusCode::CONFLICT)["type"],
        "/problems/already-issued"
    );
    let corrected = created(
        &app,
        "/api/v1/certificates",
        &w.coordinator,
        json!({"kind": "impact_statement", "donor_id": w.donor, "year": 2025, "supersedes": number}),
    )
    .await;
    assert_eq!(corrected["revision"], 2);
    let this_year = created(
        &app,
        "/api/v1/certificates",
        &w.coordinator,
        json!({"kind": "impact_statement", "donor_id": w.donor, "year": 2026}),
    )
    .await;
    assert_eq!(this_year["revision"], 1);
    assert_eq!(this_year["device_count"], 0);
    for (body, field) in [
        (
            json!({"kind": "impact_statement", "donor_id": w.donor, "year": 2027}),
            "year",
        ),
        (
            json!({"kind": "impact_statement", "donor_id": w.donor}),
            "year",
        ),
        (json!({"kind": "impact_statement"}), "lot_id"),
        (
            json!({"kind": "impact_statement", "lot_id": w.lot, "donor_id": w.donor, "year": 2025}),
            "lot_id",
        ),
        (
            json!({"kind": "impact_statement", "donor_id": uuid::Uuid::now_v7(), "year": 2025}),
            "donor_id",
        ),
    ] {
        let refused = app
            .post("/api/v1/certificates", &w.coordinator, body.clone())
            .await;
        let problem = refused.problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            problem["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["field"] == field),
            "{body}: {problem}"
        );
    }
    let both = app
        .get(
            &format!(
                "/api/v1/reports/impact?from=2025-01-01&to=2025-12-31&donor_id={}&lot_id={}",
                w.donor, w.lot
            ),
            &w.coordinator,
        )
        .await;
    both.problem(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_lot_s_statement_in_french_counts_the_lot_from_its_reception_and_reaches_the_donor_s_portal()
 {
    let app = TestApp::spawn_at(at("2025-03-10")).await;
    let w = world(&app).await;
    let issued = created(
        &app,
        "/api/v1/certificates",
        &w.coordinator,
        json!({"kind": "impact_statement", "lot_id": w.lot}),
    )
    .await;
    assert_eq!(issued["language"], "fr");
    assert!(issued.get("year").is_none(), "{issued}");
    let number = issued["number"].as_str().unwrap().to_owned();
    let report = app
        .get(
            &format!(
                "/api/v1/reports/impact?from=2025-03-10&to=2026-01-15&lot_id={}",
                w.lot
            ),
            &w.coordinator,
        )
        .await;
    assert_eq!(report.body["lot_id"], w.lot.as_str());
    assert_eq!(report.body["devices"]["reused"], 2);
    assert_eq!(report.body["supported"]["insertion_hours_supported"], 52.5);

    let dir = tempfile::tempdir().unwrap();
    let (bytes, text) = download(&app, &w.coordinator, &number, dir.path()).await;
    let text = folded(&text);
    for expected in [
        "Attestation d’impact du don",
        "Don reçu le 10/03/2025 (référence DSI-2025-7)",
        "Période couverte : du 10/03/2025 au 15/01/2026",
        "Réemployés : reconditionnés et remis à un bénéficiaire 2",
        "Poids réemployé 4,5 kg",
        "Heures de travail en insertion soutenues par ce don 52,5 h",
        "Préparation en vue du réemploi 4,5 kg (2 équipements)",
        "Recyclage 4,0 kg (1 équipement)",
        "ESRS E5",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    assert!(verify(&app, dir.path(), &bytes).starts_with("ok "));

    // The donor's portal lists it with their year statement, and serves it;
    // the other donor's portal lists neither.
    let year = created(
        &app,
        "/api/v1/certificates",
        &w.coordinator,
        json!({"kind": "impact_statement", "donor_id": w.donor, "year": 2025}),
    )
    .await;
    let portal = |lot: String| {
        let app = &app;
        let token = w.coordinator.clone();
        async move {
            let link = created(
                app,
                &format!("/api/v1/lots/{lot}/portal-links"),
                &token,
                json!({}),
            )
            .await;
            let url = link["url"].as_str().unwrap().to_owned();
            url.rsplit('/').next().unwrap().to_owned()
        }
    };
    let secret = portal(w.lot.clone()).await;
    let view = app
        .anonymous(&format!("/api/v1/portal/{secret}"), false)
        .await;
    let listed: Vec<&str> = view.body["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["number"].as_str().unwrap())
        .collect();
    assert_eq!(
        listed,
        vec![number.as_str(), year["number"].as_str().unwrap()]
    );
    let file = app
        .anonymous(
            &format!(
                "/api/v1/portal/{secret}/certificates/{}",
                year["number"].as_str().unwrap()
            ),
            false,
        )
        .await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(
        retrace::certificates::seal::file_sha256(&file.bytes),
        year["file_sha256"].as_str().unwrap()
    );
    let page = app.anonymous(&format!("/portal/{secret}"), false).await;
    assert!(
        page.text.contains("l’attestation d’impact"),
        "{}",
        page.text
    );

    let stranger = portal(w.other_lot.clone()).await;
    let theirs = app
        .anonymous(&format!("/api/v1/portal/{stranger}"), false)
        .await;
    assert_eq!(theirs.body["certificates"], json!([]));
    let refused = app
        .anonymous(
            &format!("/api/v1/portal/{stranger}/certificates/{number}"),
            false,
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);

    // Another site's coordinator cannot state about this lot.
    let elsewhere = app.site("QMP").await;
    let outsider = app.token(Role::Coordinator, Some(elsewhere)).await;
    let refused = app
        .post(
            "/api/v1/certificates",
            &outsider,
            json!({"kind": "impact_statement", "lot_id": w.lot}),
        )
        .await;
    refused.problem(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_coordinator_issues_statements_from_the_lot_page_and_downloads_them() {
    let app = TestApp::spawn_at(at("2025-03-10")).await;
    let w = world(&app).await;
    let email = crate::web::user(&app, Role::Coordinator, Some(w.site)).await;
    let mut browser = crate::web::Browser::new(&app);
    browser.sign_in(&email).await;
    let page = browser.get(&format!("/lots/{}", w.lot)).await;
    assert!(page.text.contains("id=\"statement-form\""), "{}", page.text);
    // The last full year is offered.
    assert!(
        page.text.contains("name=\"year\" value=\"2025\""),
        "{}",
        page.text
    );
    let csrf = crate::web::field(&page.text, "csrf");
    let refused = browser
        .post(
            &format!("/lots/{}/statements", w.lot),
            &[
                ("csrf", &csrf),
                ("scope", "year"),
                ("year", "deux mille"),
                ("language", "fr"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("role=\"alert\""), "{}", refused.text);
    let issued = browser
        .post(
            &format!("/lots/{}/statements", w.lot),
            &[
                ("csrf", &csrf),
                ("scope", "year"),
                ("year", "2025"),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.text);
    let page = browser.get(&format!("/lots/{}", w.lot)).await;
    let number = page
        .text
        .split("/certificates/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("the statement listed")
        .to_owned();
    assert!(
        page.text.contains("l’attestation d’impact 2025"),
        "{}",
        page.text
    );
    let file = browser.get(&format!("/certificates/{number}/pdf")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.bytes.starts_with(b"%PDF"));
    let certificate = app
        .get(&format!("/api/v1/certificates/{number}"), &w.coordinator)
        .await;
    assert_eq!(certificate.body["language"], "en");
    assert_eq!(certificate.body["year"], 2025);

    // A technician sees the list, not the form.
    let technician = crate::web::user(&app, Role::Technician, Some(w.site)).await;
    let mut bench = crate::web::Browser::new(&app);
    bench.sign_in(&technician).await;
    let page = bench.get(&format!("/lots/{}", w.lot)).await;
    assert!(!page.text.contains("id=\"statement-form\""));
    assert!(page.text.contains(&number));
}

#[tokio::test]
async fn a_network_statement_is_issued_by_the_site_of_the_donor_s_latest_lot_and_one_site_s_counts_that_site()
 {
    let app = TestApp::spawn_at(at("2025-03-10")).await;
    let w = world(&app).await;
    let network = created(
        &app,
        "/api/v1/certificates",
        &app.admin,
        json!({"kind": "impact_statement", "donor_id": w.donor, "year": 2025}),
    )
    .await;
    assert_eq!(network["site_id"], json!(w.site));
    assert_eq!(network["device_count"], 4);
    // Another site, where this donor gave nothing: that site's figures.
    let elsewhere = app.site("QMP").await;
    let there = created(
        &app,
        "/api/v1/certificates",
        &app.admin,
        json!({"kind": "impact_statement", "donor_id": w.donor, "year": 2024, "site_id": elsewhere}),
    )
    .await;
    assert_eq!(there["site_id"], json!(elsewhere));
    assert_eq!(there["device_count"], 0);
    // A site's coordinator cannot ask for another site's.
    let refused = app
        .post(
            "/api/v1/certificates",
            &w.coordinator,
            json!({"kind": "impact_statement", "donor_id": w.donor, "year": 2024, "site_id": elsewhere}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.text);
}
