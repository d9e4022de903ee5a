//! Donors' asset lists: real GLPI and Snipe-IT exports become a lot's
//! devices with tags; a dry run writes nothing; a file with errors is
//! refused whole, with line numbers; the CLI does the same.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use retrace::principal::Role;

use crate::helpers::{TestApp, TestResponse};

const GLPI: &[u8] = include_bytes!("../fixtures/donor-csv/glpi_export_fr.csv");
const SNIPE_IT: &[u8] = include_bytes!("../fixtures/donor-csv/snipeit_export_en.csv");

async fn upload(app: &TestApp, token: &str, lot: &str, query: &str, bytes: &[u8]) -> TestResponse {
    app.call(
        Method::POST,
        &format!("/api/v1/lots/{lot}/devices/import{query}"),
        Some(token),
        Body::from(bytes.to_vec()),
        &[("content-type", "text/csv")],
    )
    .await
}

async fn device_count(app: &TestApp, lot: &str) -> usize {
    let list = app
        .get(
            &format!("/api/v1/devices?lot_id={lot}&limit=500"),
            &app.admin,
        )
        .await;
    list.body["items"].as_array().unwrap().len()
}

#[tokio::test]
async fn a_glpi_export_becomes_the_lots_devices_with_asset_tags() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let lot = app.lot(&coordinator, site).await;
    let before = app.ledger_seq().await;
    let answer = upload(&app, &coordinator, &lot, "", GLPI).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    let created = answer.body["created"].as_array().unwrap();
    assert_eq!(created.len(), 40);
    assert_eq!(app.ledger_seq().await, before + 40, "one event a device");
    let first = &created[0];
    assert!(first["asset_tag"].as_str().unwrap().starts_with("BRE-"));
    assert_eq!(first["serial_number"], "PF1HFE86");
    assert_eq!(first["kind"], "desktop");
    assert_eq!(first["donor_asset_number"], "INV-2019-1000");
    assert_eq!(first["state"], "received");
    assert_eq!(device_count(&app, &lot).await, 40);
    // The labels can be printed at once.
    let labels = app
        .get(
            &format!("/api/v1/labels?lot_id={lot}&format=zpl"),
            &coordinator,
        )
        .await;
    assert_eq!(labels.text.matches("^XA").count(), 40);
}

#[tokio::test]
async fn a_dry_run_shows_what_would_be_created_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let lot = app.lot(&app.admin, site).await;
    let before = app.ledger_seq().await;
    let answer = upload(&app, &app.admin, &lot, "?dry_run=true", SNIPE_IT).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    assert_eq!(answer.body["dry_run"], true);
    assert_eq!(answer.body["rows"].as_array().unwrap().len(), 25);
    assert_eq!(answer.body["created"], serde_json::json!([]));
    assert_eq!(answer.body["reading"]["delimiter"], ",");
    assert_eq!(app.ledger_seq().await, before);
    assert_eq!(device_count(&app, &lot).await, 0);
}

#[tokio::test]
async fn a_file_with_errors_is_refused_whole_with_its_line_numbers() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let lot = app.lot(&app.admin, site).await;
    let file = "Type;Fabricant;Modèle;N° série\nportable;Dell;Latitude;AB1\nStation d'accueil;Dell;WD19;AB2\nportable;Dell;Latitude;ab1\n";
    let before = app.ledger_seq().await;
    let answer = upload(&app, &app.admin, &lot, "", file.as_bytes()).await;
    let problem = answer.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["type"], "/problems/asset-list-invalid");
    let lines: Vec<(i64, &str)> = problem["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["line"].as_i64().unwrap(), i["field"].as_str().unwrap()))
        .collect();
    assert_eq!(lines, vec![(3, "kind"), (4, "serial_number")]);
    assert_eq!(app.ledger_seq().await, before, "nothing half-imported");
    assert_eq!(device_count(&app, &lot).await, 0);

    // The same list twice: every serial is already in the lot.
    let good = "Type;Modèle;N° série\nportable;Latitude;AB1\nportable;Latitude;AB2\n";
    assert_eq!(
        upload(&app, &app.admin, &lot, "", good.as_bytes())
            .await
            .status,
        StatusCode::CREATED
    );
    let again = upload(&app, &app.admin, &lot, "", good.as_bytes()).await;
    let problem = again.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["issues"].as_array().unwrap().len(), 2);
    assert!(
        problem["issues"][0]["message"]
            .as_str()
            .unwrap()
            .contains("already in this lot as BRE-")
    );
    assert_eq!(device_count(&app, &lot).await, 2);

    // Random bytes are a clear 4xx too.
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let answer = upload(&app, &app.admin, &lot, "", &noise).await;
    answer.problem(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn technicians_of_another_site_and_viewers_cannot_import() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let lot = app.lot(&app.admin, site).await;
    let other = app.site("NAN").await;
    let stranger = app.token(Role::Technician, Some(other)).await;
    upload(&app, &stranger, &lot, "", GLPI)
        .await
        .problem(StatusCode::NOT_FOUND);
    let viewer = app.token(Role::Viewer, None).await;
    upload(&app, &viewer, &lot, "", GLPI)
        .await
        .problem(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_cli_imports_a_file_after_a_dry_run() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let lot = app.lot(&app.admin, site).await;
    let file = app.dir.path().join("liste.csv");
    std::fs::write(&file, SNIPE_IT).unwrap();
    let cli = |dry_run: bool| {
        let mut command = app.command();
        command
            .args(["import", "devices", "--lot", &lot])
            .arg(&file);
        if dry_run {
            command.arg("--dry-run");
        }
        command.output().unwrap()
    };
    let dry = cli(true);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    assert!(String::from_utf8_lossy(&dry.stdout).contains("25 device(s) read, 0 error(s)"));
    assert_eq!(device_count(&app, &lot).await, 0);
    let real = cli(false);
    assert!(
        real.status.success(),
        "{}",
        String::from_utf8_lossy(&real.stderr)
    );
    let printed = String::from_utf8_lossy(&real.stdout);
    assert_eq!(printed.lines().count(), 25);
    assert!(printed.lines().all(|l| l.starts_with("BRE-")), "{printed}");
    assert_eq!(device_count(&app, &lot).await, 25);
}
