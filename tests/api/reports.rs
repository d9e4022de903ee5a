//! The impact report over a world built through the API, every figure
//! checked exactly, in JSON and in CSV, beside the period before.

use axum::http::StatusCode;
use retrace::principal::Role;
use serde_json::{Value, json};

use std::collections::BTreeMap;

use crate::allocations::{beneficiary, ready_device};
use crate::helpers::TestApp;
use crate::workforce::worker;

async fn weighed_ready(
    app: &TestApp,
    token: &str,
    site: retrace::ids::SiteId,
    kind: &str,
    weight: f64,
) -> Value {
    let device = ready_device(app, token, site).await;
    let changed = app
        .patch(
            &format!("/api/v1/devices/{}", device["id"].as_str().unwrap()),
            token,
            json!({"expected_version": device["version"], "kind": kind, "weight_kg": weight}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    changed.body
}

/// Reserves `device` for `person` and hands it over; answers the allocation.
pub async fn give(app: &TestApp, token: &str, device: &Value, person: &Value) -> Value {
    let allocation = app
        .post(
            "/api/v1/allocations",
            token,
            json!({"device_id": device["id"], "beneficiary_id": person["id"], "conditions": {"kind": "free"}, "warranty_months": 6}),
        )
        .await;
    assert_eq!(
        allocation.status,
        StatusCode::CREATED,
        "{}",
        allocation.text
    );
    let delivered = app
        .post(
            &format!(
                "/api/v1/allocations/{}/deliver",
                allocation.body["id"].as_str().unwrap()
            ),
            token,
            json!({"expected_version": 1}),
        )
        .await;
    assert_eq!(delivered.status, StatusCode::OK, "{}", delivered.text);
    delivered.body
}

#[tokio::test]
async fn every_figure_of_the_report_is_the_world_s_in_json_and_csv_beside_the_period_before() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    app.patch(
        &format!("/api/v1/sites/{site}"),
        &app.admin,
        json!({"expected_version": 1, "siret": "73282932000074"}),
    )
    .await;
    let other = app.site("NAN").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let today = chrono::Utc::now().date_naive();

    // Four devices given away: a laptop, a desktop, a tablet, a printer (no CO2e figure).
    let laptop = weighed_ready(&app, &coordinator, site, "laptop", 2.0).await;
    let desktop = weighed_ready(&app, &coordinator, site, "desktop", 7.5).await;
    let tablet = weighed_ready(&app, &coordinator, site, "tablet", 0.5).await;
    let printer = weighed_ready(&app, &coordinator, site, "printer", 9.0).await;
    let student = beneficiary(
        &app,
        &coordinator,
        json!({"category": "student", "postcode": "20090"}),
    )
    .await;
    let club = beneficiary(
        &app,
        &coordinator,
        json!({"category": "association", "postcode": "97110"}),
    )
    .await;
    let seeker = beneficiary(
        &app,
        &coordinator,
        json!({"category": "job_seeker", "postcode": "20200"}),
    )
    .await;
    give(&app, &coordinator, &laptop, &student).await;
    give(&app, &coordinator, &desktop, &club).await;
    give(&app, &coordinator, &tablet, &seeker).await;
    give(&app, &coordinator, &printer, &student).await;
    // A monitor recycled in a shipment, a laptop dismantled, one lost, one still here.
    let monitor = app
        .device(&coordinator, json!({"kind": "monitor", "weight_kg": 4.0}))
        .await;
    let shipped = app
        .post(
            "/api/v1/waste-shipments",
            &coordinator,
            json!({"dispatched_on": today, "recycler": {"name": "R", "siret": "73282932000074"},
                   "waste_code": "16 02 14", "treatment_code": "R 4", "items": [{"device_id": monitor["id"]}]}),
        )
        .await;
    assert_eq!(shipped.status, StatusCode::CREATED, "{}", shipped.text);
    let broken = app
        .device(&coordinator, json!({"kind": "laptop", "weight_kg": 2.5}))
        .await;
    app.post(
        &format!(
            "/api/v1/devices/{}/dismantle",
            broken["id"].as_str().unwrap()
        ),
        &coordinator,
        json!({"expected_version": 1, "parts": []}),
    )
    .await;
    let lost = app
        .device(&coordinator, json!({"kind": "laptop", "weight_kg": 2.0}))
        .await;
    app.step(
        &coordinator,
        &lost,
        "declare_lost",
        json!({"note": "stolen from the van"}),
    )
    .await;
    app.device(&coordinator, json!({"kind": "desktop", "weight_kg": 8.0}))
        .await;
    // Another site's device is not in this site's report.
    app.device(&app.admin, json!({"site_id": other, "kind": "laptop"}))
        .await;

    // The team: an insertion contract ending today with a positive exit, a
    // permanent post starting today; seven hours today, three and a half of them training.
    let leaving = worker(&app, &coordinator, json!({"display_name": "A", "contract_kind": "insertion", "started_on": "2026-01-05", "weekly_hours": 26})).await;
    let joining = worker(&app, &coordinator, json!({"display_name": "B", "contract_kind": "permanent", "started_on": today, "weekly_hours": 35})).await;
    let hours = app
        .post(
            "/api/v1/timesheets/batch",
            &coordinator,
            json!({"entries": [
                {"worker_id": leaving["id"], "date": today, "hours": 3.5, "activity": "training"},
                {"worker_id": leaving["id"], "date": today, "hours": 3.5, "activity": "repair"},
                {"worker_id": joining["id"], "date": today, "hours": 1.0, "activity": "intake"}]}),
        )
        .await;
    assert_eq!(hours.status, StatusCode::CREATED, "{}", hours.text);
    let ended = app
        .patch(
            &format!("/api/v1/workers/{}", leaving["id"].as_str().unwrap()),
            &coordinator,
            json!({"expected_version": 2, "ended_on": today, "exit_outcome": "positive_exit"}),
        )
        .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.text);

    let report = app
        .get(
            &format!("/api/v1/reports/impact?from={today}&to={today}"),
            &coordinator,
        )
        .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.text);
    let r = &report.body;
    let devices = &r["devices"];
    assert_eq!(devices["collected"], 8, "{r}");
    assert_eq!(devices["reused"], 4);
    assert_eq!(devices["recycled"], 1);
    assert_eq!(devices["dismantled"], 1);
    assert_eq!(devices["lost"], 1);
    assert_eq!(devices["in_stock"], 1);
    assert_eq!(
        devices["by_kind"]["laptop"],
        json!({"collected": 3, "reused": 1, "recycled": 0})
    );
    assert_eq!(
        devices["by_kind"]["monitor"],
        json!({"collected": 1, "reused": 0, "recycled": 1})
    );
    assert_eq!(devices["by_donor_kind"]["none"]["reused"], 4);
    assert_eq!(
        r["weight_kg"],
        json!({"collected": 35.5, "reused": 19.0, "recycled": 4.0})
    );
    let co2e = &r["co2e_avoided_kg"];
    assert_eq!(co2e["avoided_kg"], json!(182.6 + 204.4 + 59.7));
    assert_eq!(co2e["not_estimated"], 1);
    assert!(co2e["source"].as_str().unwrap().contains("ADEME"));
    assert!(r["median_days_to_delivery"].as_f64().unwrap() < 1.0);
    let people = &r["beneficiaries"];
    assert_eq!(people["individuals"], 2, "the student counted once");
    assert_eq!(people["organisations"], 1);
    assert_eq!(
        people["by_category"],
        json!({"association": 1, "job_seeker": 1, "student": 1})
    );
    assert_eq!(
        people["by_departement"],
        json!({"2A": 1, "2B": 1, "971": 1})
    );
    let team = &r["workforce"];
    assert_eq!(
        team["workers_by_contract_kind"],
        json!({"insertion": 1, "permanent": 1})
    );
    assert_eq!(team["hours"], 8.0);
    assert_eq!(team["training_hours"], 3.5);
    assert_eq!(
        team["fte"],
        json!(((8.0 / (1607.0 / 365.0)) * 100.0_f64).round() / 100.0)
    );
    assert_eq!(team["jobs_created"], 1);
    assert_eq!(team["exits_by_outcome"], json!({"positive_exit": 1}));
    assert_eq!(team["dynamic_exits"], 1);
    assert_eq!(r["quality"]["deliveries"], 4);
    assert_eq!(r["quality"]["non_conformity_rate"], 0.0);
    // The day before: nothing had happened yet.
    assert_eq!(r["previous"]["devices"]["collected"], 0);
    assert_eq!(r["previous"]["workforce"]["hours"], 0.0);
    // Tomorrow's report shows today as its previous period.
    let tomorrow = today.succ_opt().unwrap();
    let next = app
        .get(
            &format!("/api/v1/reports/impact?from={tomorrow}&to={tomorrow}"),
            &coordinator,
        )
        .await;
    assert_eq!(next.body["previous"]["devices"], r["devices"]);
    assert_eq!(next.body["devices"]["in_stock"], 1, "still on the shelf");

    // The CSV says the same, figure by figure.
    let csv_answer = app
        .get(
            &format!("/api/v1/reports/impact?from={today}&to={today}&format=csv"),
            &coordinator,
        )
        .await;
    assert_eq!(csv_answer.status, StatusCode::OK);
    assert!(csv_answer.bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&csv_answer.bytes[3..]);
    let rows: std::collections::HashMap<String, (String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_owned(), (r[1].to_owned(), r[2].to_owned()))
        })
        .collect();
    assert_eq!(rows["devices.reused"], ("4".to_owned(), "0".to_owned()));
    assert_eq!(rows["beneficiaries.by_departement.2A"].0, "1");
    assert_eq!(rows["workforce.training_hours"].0, "3,50", "a French cell");
    assert_eq!(rows["co2e_avoided_kg.not_estimated"].0, "1");
    // Every figure of the JSON answer is a line of the file, and nothing else is.
    let json_answer = app
        .get(
            &format!("/api/v1/reports/impact?from={today}&to={today}"),
            &coordinator,
        )
        .await
        .body;
    let mut current = json_answer.clone();
    for around in ["previous", "site_id", "donor_id", "lot_id"] {
        current.as_object_mut().unwrap().remove(around);
    }
    let (mut now, mut before) = (BTreeMap::new(), BTreeMap::new());
    leaves("", &current, &mut now);
    leaves("", &json_answer["previous"], &mut before);
    assert!(now.len() > 40, "{now:?}");
    // The file writes a French cell: a decimal comma, a day as 03/11/2026.
    let as_cell = |json: String| -> String {
        if let Ok(day) = json.parse::<chrono::NaiveDate>() {
            return day.format("%d/%m/%Y").to_string();
        }
        match json.parse::<f64>() {
            Ok(n) if json.contains('.') => format!("{n:.2}").replace('.', ","),
            _ => json,
        }
    };
    for (figure, (in_current, in_previous)) in &rows {
        let zero = || "0".to_owned();
        assert_eq!(
            in_current,
            &as_cell(now.get(figure).cloned().unwrap_or_else(zero)),
            "{figure}, this period"
        );
        assert_eq!(
            in_previous,
            &as_cell(before.get(figure).cloned().unwrap_or_else(zero)),
            "{figure}, the period before"
        );
    }
    for figure in now.keys().chain(before.keys()) {
        assert!(rows.contains_key(figure), "{figure} is not in the CSV");
    }

    // A site's coordinator cannot read another site's report; a bad period is a 422.
    app.get(
        &format!("/api/v1/reports/impact?from={today}&to={today}&site_id={other}"),
        &coordinator,
    )
    .await
    .problem(StatusCode::NOT_FOUND);
    app.get(
        "/api/v1/reports/impact?from=2026-12-31&to=2026-01-01",
        &coordinator,
    )
    .await
    .problem(StatusCode::UNPROCESSABLE_ENTITY);
    let viewer = app.token(Role::Viewer, None).await;
    let network = app
        .get(
            &format!("/api/v1/reports/impact?from={today}&to={today}"),
            &viewer,
        )
        .await;
    assert_eq!(
        network.body["devices"]["collected"], 9,
        "the network's report counts both sites"
    );
    let elsewhere = app
        .get(
            &format!("/api/v1/reports/impact?from={today}&to={today}&site_id={other}"),
            &viewer,
        )
        .await;
    assert_eq!(elsewhere.body["devices"]["collected"], 1);
    assert_eq!(
        elsewhere.body["quality"]["deliveries"], 0,
        "the other site delivered nothing"
    );

    // The page says the same, with its charts, to a viewer.
    let email = crate::web::user(&app, Role::Viewer, None).await;
    let mut browser = crate::web::Browser::new(&app);
    browser.sign_in(&email).await;
    let page = browser
        .get(&format!("/reports?from={today}&to={today}&site_id={site}"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert_eq!(page.text.matches("<svg").count(), 3, "three charts");
    assert!(
        page.text
            .contains("<th scope=\"row\">Appareils réemployés (remis)</th><td>4</td><td>0</td>"),
        "{}",
        page.text
    );
    assert!(
        page.text
            .contains("<th scope=\"row\">2A</th><td>1</td><td>0</td>")
    );
    // The PDF and the CSV download from the page, with the session.
    let csv_file = browser
        .get(&format!(
            "/reports/impact.csv?from={today}&to={today}&site_id={site}"
        ))
        .await;
    assert!(String::from_utf8_lossy(&csv_file.bytes).contains("devices.reused;4;0"));
    let pdf = browser
        .get(&format!(
            "/reports/impact.pdf?from={today}&to={today}&site_id={site}"
        ))
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    let path = app.dir.path().join("report.pdf");
    std::fs::write(&path, &pdf.bytes).unwrap();
    // Funders keep the report: archival, and light (its fonts are subsets).
    assert!(pdf.bytes.len() < 60_000, "{} bytes", pdf.bytes.len());
    crate::helpers::assert_archival(&pdf.bytes);
    let text = crate::helpers::pdftotext(&path);
    for expected in [
        "Rapport d’impact",
        "Atelier BRE",
        "Appareils réemployés (remis)",
        "Devenir des appareils",
        "Bénéficiaires par catégorie",
        "2A",
        "ADEME",
    ] {
        assert!(text.contains(expected), "{expected} not in:\n{text}");
    }
    let line = text
        .lines()
        .find(|l| l.contains("Appareils réemployés (remis)"))
        .unwrap();
    let numbers: Vec<&str> = line.split_whitespace().rev().take(2).collect();
    assert_eq!(numbers, ["0", "4"], "{line}");
    // In English through the API.
    let english = app
        .get(
            &format!("/api/v1/reports/impact?from={today}&to={today}&format=pdf&lang=en"),
            &coordinator,
        )
        .await;
    std::fs::write(&path, &english.bytes).unwrap();
    assert!(crate::helpers::pdftotext(&path).contains("Devices reused (delivered)"));

    // Open data covers ended calendar quarters and years (tests/api/opendata.rs).
    let open = app
        .get(
            &format!("/api/v1/reports/impact/opendata.csv?from={today}&to={today}"),
            &coordinator,
        )
        .await;
    assert_eq!(
        open.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        open.text
    );
}

fn at(day: &str) -> chrono::DateTime<chrono::Utc> {
    format!("{day}T10:00:00Z").parse().unwrap()
}

#[tokio::test]
async fn each_of_two_past_years_counts_what_happened_in_it() {
    let app = TestApp::spawn_at(at("2025-03-10")).await;
    let site = app.site("BRE").await;
    app.patch(
        &format!("/api/v1/sites/{site}"),
        &app.admin,
        json!({"expected_version": 1, "siret": "73282932000074"}),
    )
    .await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;

    // 10 March 2025: five devices come in.
    let given_back = weighed_ready(&app, &coordinator, site, "laptop", 2.0).await;
    let kept = weighed_ready(&app, &coordinator, site, "desktop", 7.5).await;
    let screen = app
        .device(&coordinator, json!({"kind": "monitor", "weight_kg": 4.0}))
        .await;
    let stolen = app
        .device(&coordinator, json!({"kind": "laptop", "weight_kg": 2.0}))
        .await;
    let broken = app
        .device(&coordinator, json!({"kind": "laptop", "weight_kg": 2.5}))
        .await;
    let student = beneficiary(
        &app,
        &coordinator,
        json!({"category": "student", "postcode": "29200"}),
    )
    .await;
    let school = beneficiary(
        &app,
        &coordinator,
        json!({"category": "school", "postcode": "97600"}),
    )
    .await;
    let leaving = worker(&app, &coordinator, json!({"display_name": "A", "contract_kind": "insertion", "started_on": "2025-01-06", "weekly_hours": 26})).await;

    // 9 June 2025, 91 days later: a laptop given, the monitor recycled.
    assert!(app.clock().set(at("2025-06-09")));
    let loan = give(&app, &coordinator, &given_back, &student).await;
    let shipped = app
        .post(
            "/api/v1/waste-shipments",
            &coordinator,
            json!({"dispatched_on": "2025-06-09", "recycler": {"name": "R", "siret": "73282932000074"},
                   "waste_code": "16 02 14", "treatment_code": "R 4", "items": [{"device_id": screen["id"]}]}),
        )
        .await;
    assert_eq!(shipped.status, StatusCode::CREATED, "{}", shipped.text);
    let hours = app
        .post(
            "/api/v1/timesheets",
            &coordinator,
            json!({"worker_id": leaving["id"], "date": "2025-06-09", "hours": 7.0, "activity": "repair"}),
        )
        .await;
    assert_eq!(hours.status, StatusCode::CREATED, "{}", hours.text);
    let ended = app
        .patch(
            &format!("/api/v1/workers/{}", leaving["id"].as_str().unwrap()),
            &coordinator,
            json!({"expected_version": 2, "ended_on": "2025-12-19", "exit_outcome": "durable_employment"}),
        )
        .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.text);

    // 2 February 2026: the laptop comes back, the desktop goes to a
    // school, one laptop is lost, one dismantled, a tablet comes in.
    assert!(app.clock().set(at("2026-02-02")));
    let returned = app
        .post(
            &format!(
                "/api/v1/allocations/{}/return",
                loan["id"].as_str().unwrap()
            ),
            &coordinator,
            json!({"expected_version": loan["version"], "reason": "no_longer_needed"}),
        )
        .await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.text);
    give(&app, &coordinator, &kept, &school).await;
    app.step(
        &coordinator,
        &stolen,
        "declare_lost",
        json!({"note": "van"}),
    )
    .await;
    let dismantled = app
        .post(
            &format!(
                "/api/v1/devices/{}/dismantle",
                broken["id"].as_str().unwrap()
            ),
            &coordinator,
            json!({"expected_version": 1, "parts": []}),
        )
        .await;
    assert_eq!(dismantled.status, StatusCode::OK, "{}", dismantled.text);
    app.device(&coordinator, json!({"kind": "tablet", "weight_kg": 0.5}))
        .await;
    let joining = worker(&app, &coordinator, json!({"display_name": "B", "contract_kind": "permanent", "started_on": "2026-01-05", "weekly_hours": 35})).await;
    let hours = app
        .post(
            "/api/v1/timesheets/batch",
            &coordinator,
            json!({"entries": [
                {"worker_id": joining["id"], "date": "2026-02-02", "hours": 5.0, "activity": "intake"},
                {"worker_id": joining["id"], "date": "2026-02-02", "hours": 2.0, "activity": "training"}]}),
        )
        .await;
    assert_eq!(hours.status, StatusCode::CREATED, "{}", hours.text);

    let report = app
        .get(
            "/api/v1/reports/impact?from=2026-01-01&to=2026-12-31",
            &coordinator,
        )
        .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.text);
    let (now, before) = (&report.body, &report.body["previous"]);
    assert_eq!(
        before["period"],
        json!({"from": "2025-01-01", "to": "2025-12-31"})
    );

    // 2026.
    assert_eq!(
        now["devices"],
        json!({"collected": 1, "reused": 1, "recycled": 0, "dismantled": 1, "lost": 1, "in_stock": 2,
               "by_kind": {"desktop": {"collected": 0, "reused": 1, "recycled": 0},
                           "tablet": {"collected": 1, "reused": 0, "recycled": 0}},
               "by_donor_kind": {"none": {"collected": 1, "reused": 1, "recycled": 0}}}),
        "the returned laptop is back in stock with the tablet"
    );
    assert_eq!(now["median_days_to_delivery"], 329.0);
    assert_eq!(
        now["weight_kg"],
        json!({"collected": 0.5, "reused": 7.5, "recycled": 0.0})
    );
    assert_eq!(now["co2e_avoided_kg"]["avoided_kg"], 204.4);
    assert_eq!(now["beneficiaries"]["organisations"], 1);
    assert_eq!(now["beneficiaries"]["individuals"], 0);
    assert_eq!(now["beneficiaries"]["by_departement"], json!({"976": 1}));
    assert_eq!(
        now["workforce"]["workers_by_contract_kind"],
        json!({"permanent": 1})
    );
    assert_eq!(now["workforce"]["hours"], 7.0);
    assert_eq!(now["workforce"]["training_hours"], 2.0);
    assert_eq!(now["workforce"]["jobs_created"], 1);
    assert_eq!(now["workforce"]["exits_by_outcome"], json!({}));
    assert_eq!(now["quality"]["deliveries"], 1);

    // 2025, as the 2026 report shows it beside.
    assert_eq!(
        before["devices"],
        json!({"collected": 5, "reused": 1, "recycled": 1, "dismantled": 0, "lost": 0, "in_stock": 3,
               "by_kind": {"desktop": {"collected": 1, "reused": 0, "recycled": 0},
                           "laptop": {"collected": 3, "reused": 1, "recycled": 0},
                           "monitor": {"collected": 1, "reused": 0, "recycled": 1}},
               "by_donor_kind": {"none": {"collected": 5, "reused": 1, "recycled": 1}}}),
        "the laptop was reused in 2025: it came back after the year ended"
    );
    assert_eq!(before["median_days_to_delivery"], 91.0);
    assert_eq!(
        before["weight_kg"],
        json!({"collected": 18.0, "reused": 2.0, "recycled": 4.0})
    );
    assert_eq!(before["co2e_avoided_kg"]["avoided_kg"], 182.6);
    assert_eq!(before["beneficiaries"]["individuals"], 1);
    assert_eq!(before["beneficiaries"]["by_departement"], json!({"29": 1}));
    assert_eq!(
        before["workforce"]["workers_by_contract_kind"],
        json!({"insertion": 1})
    );
    assert_eq!(before["workforce"]["hours"], 7.0);
    assert_eq!(before["workforce"]["jobs_created"], 1);
    assert_eq!(
        before["workforce"]["exits_by_outcome"],
        json!({"durable_employment": 1})
    );
    assert_eq!(before["quality"]["deliveries"], 1);

    // The 2025 report says what the 2026 report shows beside it.
    let last_year = app
        .get(
            "/api/v1/reports/impact?from=2025-01-01&to=2025-12-31",
            &coordinator,
        )
        .await;
    for part in [
        "devices",
        "weight_kg",
        "beneficiaries",
        "workforce",
        "median_days_to_delivery",
    ] {
        assert_eq!(last_year.body[part], before[part], "{part}");
    }
    assert_eq!(last_year.body["previous"]["devices"]["collected"], 0);

    // The CSV: both years, side by side.
    let csv_answer = app
        .get(
            "/api/v1/reports/impact?from=2026-01-01&to=2026-12-31&format=csv",
            &coordinator,
        )
        .await;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&csv_answer.bytes[3..]);
    let rows: std::collections::HashMap<String, (String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_owned(), (r[1].to_owned(), r[2].to_owned()))
        })
        .collect();
    let both = |now: &str, before: &str| (now.to_owned(), before.to_owned());
    assert_eq!(rows["devices.collected"], both("1", "5"));
    assert_eq!(rows["devices.in_stock"], both("2", "3"));
    assert_eq!(rows["devices.lost"], both("1", "0"));
    assert_eq!(rows["weight_kg.recycled"], both("0,00", "4,00"));
    assert_eq!(rows["median_days_to_delivery"], both("329,00", "91,00"));
    assert_eq!(rows["beneficiaries.by_departement.976"], both("1", "0"));
    assert_eq!(
        rows["workforce.exits_by_outcome.durable_employment"],
        both("0", "1")
    );
}

#[tokio::test]
async fn a_workshop_s_own_co2e_factors_and_full_time_hours_are_the_report_s() {
    let app = TestApp::spawn_with(|settings| {
        settings.impact = toml::from_str(
            "co2e_kg = { laptop = 150.0, printer = 120.0 }\nfull_time_hours = { insertion = 1820 }",
        )
        .unwrap();
    })
    .await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let today = chrono::Utc::now().date_naive();
    let person = beneficiary(&app, &coordinator, json!({"category": "student"})).await;
    for kind in ["laptop", "printer", "desktop"] {
        let device = weighed_ready(&app, &coordinator, site, kind, 3.0).await;
        give(&app, &coordinator, &device, &person).await;
    }
    let insertion = worker(&app, &coordinator, json!({"display_name": "A", "contract_kind": "insertion", "started_on": today, "weekly_hours": 26})).await;
    let permanent = worker(&app, &coordinator, json!({"display_name": "B", "contract_kind": "permanent", "started_on": today, "weekly_hours": 35})).await;
    let hours = app
        .post(
            "/api/v1/timesheets/batch",
            &coordinator,
            json!({"entries": [
                {"worker_id": insertion["id"], "date": today, "hours": 7.0, "activity": "repair"},
                {"worker_id": permanent["id"], "date": today, "hours": 7.0, "activity": "repair"}]}),
        )
        .await;
    assert_eq!(hours.status, StatusCode::CREATED, "{}", hours.text);

    let report = app
        .get(
            &format!("/api/v1/reports/impact?from={today}&to={today}"),
            &coordinator,
        )
        .await;
    let co2e = &report.body["co2e_avoided_kg"];
    assert_eq!(
        co2e["avoided_kg"],
        json!(150.0 + 120.0 + 204.4),
        "the desktop keeps the study's figure"
    );
    assert_eq!(co2e["not_estimated"], 0);
    assert_eq!(co2e["factors"]["printer"], 120.0);
    assert!(
        co2e["source"]
            .as_str()
            .unwrap()
            .ends_with("set by the workshop for: laptop, printer"),
        "{co2e}"
    );
    let fte = 7.0 / (1820.0 / 365.0) + 7.0 / (1607.0 / 365.0);
    assert_eq!(
        report.body["workforce"]["fte"],
        json!((fte * 100.0_f64).round() / 100.0)
    );
}

#[tokio::test]
async fn corrections_move_counts_in_the_daily_tallies_as_a_replay_would_count_them() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let donor = app
        .post(
            "/api/v1/donors",
            &coordinator,
            json!({"name": "Armor Lux", "kind": "company"}),
        )
        .await
        .body;
    let lot = app
        .post(
            "/api/v1/lots",
            &coordinator,
            json!({"donor_id": donor["id"], "site_id": site, "received_on": "2026-11-02"}),
        )
        .await
        .body;
    let given = crate::allocations::ready(
        &app,
        &coordinator,
        json!({"lot_id": lot["id"], "weight_kg": 2.1}),
    )
    .await;
    let kept = app
        .device(
            &coordinator,
            json!({"lot_id": lot["id"], "kind": "desktop", "weight_kg": 7.3}),
        )
        .await;
    let person = beneficiary(&app, &coordinator, json!({"category": "student"})).await;
    give(&app, &coordinator, &given, &person).await;
    let today = chrono::Utc::now().date_naive();
    let path = format!("/api/v1/reports/impact?from={today}&to={today}");
    let before = app.get(&path, &coordinator).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.text);
    let before = before.body;
    assert_eq!(
        before["devices"]["by_donor_kind"],
        json!({"company": {"collected": 2, "reused": 1, "recycled": 0}})
    );
    assert_eq!(before["weight_kg"]["collected"], 9.4);

    // The donor was an association all along; the desktop is a tower of 9.9 kg.
    let corrected = app
        .patch(
            &format!("/api/v1/donors/{}", donor["id"].as_str().unwrap()),
            &coordinator,
            json!({"expected_version": donor["version"], "kind": "association"}),
        )
        .await;
    assert_eq!(corrected.status, StatusCode::OK, "{}", corrected.text);
    let weighed = app
        .patch(
            &format!("/api/v1/devices/{}", kept["id"].as_str().unwrap()),
            &coordinator,
            json!({"expected_version": kept["version"], "weight_kg": 9.9}),
        )
        .await;
    assert_eq!(weighed.status, StatusCode::OK, "{}", weighed.text);
    let after = app.get(&path, &coordinator).await.body;
    assert_eq!(
        after["devices"]["by_donor_kind"],
        json!({"association": {"collected": 2, "reused": 1, "recycled": 0}})
    );
    assert_eq!(after["weight_kg"]["collected"], 12.0);
    assert_eq!(after["devices"]["in_stock"], 1);

    // What the corrections left is what a replay of the ledger counts.
    let target = crate::helpers::empty_database().await;
    retrace::ledger::replay::replay_into(
        &app.state.db,
        &target.conn,
        retrace::catalogue::catalogue(),
    )
    .await
    .unwrap();
    crate::helpers::assert_same_projections(&app.state.db, &target.conn).await;
}

/// Every leaf of a JSON value by its dotted path, as a spreadsheet shows it.
fn leaves(prefix: &str, value: &Value, out: &mut BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                leaves(&path, inner, out);
            }
        }
        Value::Null => {
            out.insert(prefix.to_owned(), String::new());
        }
        Value::String(text) => {
            out.insert(prefix.to_owned(), text.clone());
        }
        other => {
            out.insert(prefix.to_owned(), other.to_string());
        }
    }
}
