//! The hardware audit: lshw output becomes specs, media and an inventoried device.

use axum::http::StatusCode;
use retrace::principal::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;

fn lshw(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/hardware/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[tokio::test]
async fn an_lshw_report_fills_specs_records_the_disks_and_inventories_the_device() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let technician = app.token(Role::Technician, Some(site)).await;
    let laptop = app
        .device(
            &technician,
            json!({"kind": "laptop", "specs": {"screen_inches": 14.0}}),
        )
        .await;
    let path = format!(
        "/api/v1/devices/{}/audit?expected_version=1",
        laptop["id"].as_str().unwrap()
    );

    let audited = app
        .post(
            &path,
            &technician,
            lshw("lshw_lenovo_thinkpad_x1_carbon_5th.json"),
        )
        .await;
    assert_eq!(audited.status, StatusCode::CREATED, "{}", audited.text);
    let device = &audited.body["device"];
    assert_eq!(device["state"], "inventoried");
    assert_eq!(device["manufacturer"], "LENOVO");
    assert_eq!(device["serial_number"], "PF0QMY5N");
    assert_eq!(
        device["specs"]["cpu"],
        "Intel(R) Core(TM) i7-7500U CPU @ 2.70GHz"
    );
    assert_eq!(device["specs"]["ram_mib"], 16256);
    assert_eq!(device["specs"]["storage"], "1 TB NVMe");
    assert_eq!(
        device["specs"]["screen_inches"], 14.0,
        "what lshw does not know is kept"
    );
    let added = audited.body["media_added"].as_array().unwrap();
    assert_eq!(added.len(), 1);
    assert_eq!(added[0]["kind"], "nvme");
    assert_eq!(added[0]["serial_number"], "S35ANX0J401001");
    assert_eq!(added[0]["interface"], "NVMe");
    assert_eq!(audited.body["ignored"].as_array().unwrap().len(), 2);
    let kinds: Vec<&str> = audited.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["device.updated", "medium.added", "device.transitioned"]
    );

    // Again, a week later: nothing new is recorded twice.
    let version = device["version"].as_i64().unwrap();
    let again = app
        .post(
            &format!(
                "/api/v1/devices/{}/audit?expected_version={version}",
                laptop["id"].as_str().unwrap()
            ),
            &technician,
            lshw("lshw_lenovo_thinkpad_x1_carbon_5th.json"),
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.text);
    assert_eq!(again.body["media_added"], json!([]));
    assert_eq!(again.body["events"], json!([]));
}

#[tokio::test]
async fn an_audit_needs_the_version_lshw_output_and_an_open_device() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let admin = app.admin.clone();
    let desktop = app
        .device(&admin, json!({"site_id": site, "kind": "desktop"}))
        .await;
    let id = desktop["id"].as_str().unwrap();
    let before = app.ledger_seq().await;
    app.post(
        &format!("/api/v1/devices/{id}/audit"),
        &admin,
        lshw("lshw_hp_compaq_8100_elite_sff.json"),
    )
    .await
    .problem(StatusCode::PRECONDITION_REQUIRED);
    let stale = app
        .post(
            &format!("/api/v1/devices/{id}/audit?expected_version=7"),
            &admin,
            lshw("lshw_vm.json"),
        )
        .await;
    assert_eq!(stale.problem(StatusCode::CONFLICT)["current_version"], 1);
    let not_lshw = app
        .post(
            &format!("/api/v1/devices/{id}/audit?expected_version=1"),
            &admin,
            json!({"cpu": "fast"}),
        )
        .await;
    assert_eq!(not_lshw.error_fields(), vec!["body"]);
    assert_eq!(app.ledger_seq().await, before);

    let audited = app
        .post(
            &format!("/api/v1/devices/{id}/audit?expected_version=1"),
            &admin,
            lshw("lshw_hp_compaq_8100_elite_sff.json"),
        )
        .await;
    assert_eq!(audited.status, StatusCode::CREATED, "{}", audited.text);
    assert_eq!(audited.body["media_added"][0]["kind"], "ssd");
    assert_eq!(
        audited.body["media_added"][0]["serial_number"],
        "173586804248"
    );
    // The USB flash disk plugged in during the audit is not the desktop's.
    assert!(audited.text.contains("removable USB storage"));
}

/// A machine whose clock was never set writes year-0 times on its
/// filesystems: the audit reads lshw's file with its own parser, and the
/// bound on a request's dates (which are records' dates) does not refuse it.
#[tokio::test]
async fn an_lshw_report_with_a_machine_s_unset_clock_is_still_read() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let technician = app.token(Role::Technician, Some(site)).await;
    let laptop = app.device(&technician, json!({"kind": "laptop"})).await;
    let report = lshw("lshw_lenovo_thinkpad_x1_carbon_5th.json")
        .to_string()
        .replace("2020-11-07 14:20:41", "0000-00-00 00:00:00");
    assert!(report.contains("0000-00-00 00:00:00"));
    let audited = app
        .post(
            &format!(
                "/api/v1/devices/{}/audit?expected_version=1",
                laptop["id"].as_str().unwrap()
            ),
            &technician,
            serde_json::from_str(&report).unwrap(),
        )
        .await;
    assert_eq!(audited.status, StatusCode::CREATED, "{}", audited.text);
}
