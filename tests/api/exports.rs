//! Every CSV Retrace writes opens in a spreadsheet without running
//! anything: a cell that reads as a formula — a donor's asset number, a
//! recycler's name — is written as text (`spreadsheet::Sheet`).

use axum::body::Body;
use axum::http::{Method, StatusCode};
use retrace::principal::Role;
use serde_json::json;

use crate::helpers::TestApp;

const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"x\")";

/// No cell of `bytes` starts with what a spreadsheet runs; `expected` is there as text.
fn holds_as_text(bytes: &[u8], expected: &str) {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(&bytes[3..]);
    let mut found = false;
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            let runs = cell.starts_with(['=', '+', '@', '\t', '\r'])
                || (cell.starts_with('-') && cell.parse::<f64>().is_err());
            assert!(!runs, "a cell a spreadsheet would run: {cell}");
            found |= cell == format!("'{expected}");
        }
    }
    assert!(found, "{expected} is not in the file as text");
}

#[tokio::test]
async fn a_formula_from_a_donor_or_a_recycler_is_text_in_the_files_they_reach() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let lot = app.lot(&coordinator, site).await;
    let monitor = app
        .device(
            &coordinator,
            json!({"lot_id": lot, "kind": "monitor", "donor_asset_number": FORMULA}),
        )
        .await;
    assert_eq!(monitor["donor_asset_number"], FORMULA, "{monitor}");

    // The donor's reconciliation file, from the portal.
    let link = app
        .post(
            &format!("/api/v1/lots/{lot}/portal-links"),
            &coordinator,
            json!({}),
        )
        .await;
    let url = link.body["url"].as_str().unwrap();
    let secret = url.rsplit('/').next().unwrap();
    let file = app
        .call(
            Method::GET,
            &format!("/api/v1/portal/{secret}/reconciliation.csv"),
            None,
            Body::empty(),
            &[],
        )
        .await;
    assert_eq!(file.status, StatusCode::OK, "{}", file.text);
    holds_as_text(&file.bytes, FORMULA);

    // The waste register: a recycler's name as typed.
    let patched = app
        .patch(
            &format!("/api/v1/sites/{site}"),
            &app.admin,
            json!({"expected_version": 1, "siret": "552 081 317 00034", "postcode": "29200", "city": "Brest", "address": "12 rue de Siam"}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text);
    let mut body = crate::end_of_life::shipment(json!([{"device_id": monitor["id"]}]));
    body["recycler"]["name"] = json!("@SUM(1+1)*cmd|' /C calc'!A0");
    let shipped = app
        .post("/api/v1/waste-shipments", &coordinator, body)
        .await;
    assert_eq!(shipped.status, StatusCode::CREATED, "{}", shipped.text);
    let register = app
        .get(
            "/api/v1/registers/outgoing-waste?from=2026-11-01&to=2026-11-30",
            &coordinator,
        )
        .await;
    assert_eq!(register.status, StatusCode::OK, "{}", register.text);
    holds_as_text(&register.bytes, "@SUM(1+1)*cmd|' /C calc'!A0");
}
