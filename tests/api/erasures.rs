//! Erasure records by hand and from nwipe logs, and the gates they open.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use retrace::principal::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResponse};

const TWO_DRIVES: &[u8] = include_bytes!("../fixtures/nwipe/dodshort_two_drives.log");
const READONLY: &[u8] = include_bytes!("../fixtures/nwipe/readonly_fail.log");

fn passed_overwrite(medium: &Value) -> Value {
    json!({
        "medium_id": medium["id"], "category": "clear", "technique": "overwrite", "method": "PRNG Stream",
        "passes": 1, "tool": "nwipe", "tool_version": "0.38", "verification": "full", "verification_result": "passed",
        "started_at": "2026-11-20T09:00:00Z", "ended_at": "2026-11-20T10:12:00Z", "bytes_erased": 256060514304i64,
        "destination": "reuse_external", "outcome": "passed",
    })
}

async fn import(app: &TestApp, token: &str, log: &[u8], query: &str) -> TestResponse {
    app.call(
        Method::POST,
        &format!("/api/v1/erasures/nwipe{query}"),
        Some(token),
        Body::from(log.to_vec()),
        &[("content-type", "text/plain")],
    )
    .await
}

/// The fixture with real-looking serials in place of the loop devices' garbage.
fn with_serials(log: &[u8], serials: &[(&str, &str)]) -> Vec<u8> {
    let mut out = Vec::new();
    for line in log.split(|b| *b == b'\n') {
        let text = String::from_utf8_lossy(line);
        let replaced = serials
            .iter()
            .find(|(device, _)| text.contains(&format!("Found /dev/{device},")));
        match (replaced, line.windows(4).position(|w| w == b"S/N=")) {
            (Some((_, serial)), Some(at)) => {
                out.extend_from_slice(&line[..at + 4]);
                out.extend_from_slice(serial.as_bytes());
            }
            _ => out.extend_from_slice(line),
        }
        out.push(b'\n');
    }
    out
}

#[tokio::test]
async fn a_recorded_erasure_sanitizes_its_drive_and_the_last_one_its_device() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let technician = app.token(Role::Technician, Some(site)).await;
    let (validator, _) = app
        .user_with_token("second@bre.example", Role::Coordinator, Some(site))
        .await;
    let laptop = app.device(&technician, json!({"kind": "laptop"})).await;
    let id = laptop["id"].as_str().unwrap();
    let ssd = app.add_medium(&technician, id, "S3Z9NB0K123456").await;
    let hdd = app.add_medium(&technician, id, "WD-WCC4E1234567").await;
    app.step(&technician, &laptop, "audit", json!({})).await;

    let mut body = passed_overwrite(&ssd);
    body["validator_id"] = json!(validator);
    let first = app.post("/api/v1/erasures", &technician, body).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let record = &first.body["erasure"];
    assert_eq!(record["medium_serial"], "S3Z9NB0K123456");
    assert_eq!(record["device_id"], laptop["id"]);
    assert_eq!(record["validator_name"], "second");
    assert_eq!(record["verification_result"], "passed");
    assert_eq!(record["source"], "manual");
    assert_eq!(first.body["medium"]["state"], "sanitized");
    assert_eq!(
        first.body["related_events"][0]["payload"]["erasure_id"],
        record["id"]
    );
    assert_eq!(
        app.fetch_device(&technician, id).await["state"],
        "inventoried"
    );

    let shred = json!({
        "medium_id": hdd["id"], "category": "destroy", "technique": "shred", "verification": "none",
        "destination": "recycling", "outcome": "passed", "witness": "C. Martin", "photo_reference": "IMG_2041.jpg",
    });
    let last = app.post("/api/v1/erasures", &technician, shred).await;
    assert_eq!(last.status, StatusCode::CREATED, "{}", last.text);
    assert_eq!(last.body["medium"]["state"], "destroyed");
    assert_eq!(last.body["related_events"][1]["payload"]["to"], "sanitized");
    assert_eq!(
        app.fetch_device(&technician, id).await["state"],
        "sanitized"
    );

    let listed = app
        .get(&format!("/api/v1/erasures?device_id={id}"), &technician)
        .await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 2);
    let one = app
        .get(
            &format!("/api/v1/erasures/{}", record["id"].as_str().unwrap()),
            &technician,
        )
        .await;
    assert_eq!(one.body["method"], "PRNG Stream");
}

#[tokio::test]
async fn a_failed_erasure_blocks_the_device_until_the_drive_is_erased_again() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let admin = app.admin.clone();
    let laptop = app
        .device(&admin, json!({"site_id": site, "kind": "laptop"}))
        .await;
    let drive = app
        .add_medium(&admin, laptop["id"].as_str().unwrap(), "SN-1")
        .await;
    let laptop = app.step(&admin, &laptop, "audit", json!({})).await;
    let mut failed = passed_overwrite(&drive);
    failed["verification_result"] = json!("failed");
    failed["outcome"] = json!("failed");
    failed["error_count"] = json!(3);
    failed["errors"] = json!("3 verification errors");
    let answer = app.post("/api/v1/erasures", &admin, failed).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    assert_eq!(answer.body["medium"]["state"], "sanitization_failed");
    assert_eq!(answer.body["erasure"]["errors"], "3 verification errors");
    let refused = app.act(&admin, &laptop, "recycle", json!({})).await;
    assert_eq!(
        refused.problem(StatusCode::CONFLICT)["blocking_media"][0]["state"],
        "sanitization_failed"
    );
    let again = app
        .post("/api/v1/erasures", &admin, passed_overwrite(&drive))
        .await;
    assert_eq!(again.body["medium"]["state"], "sanitized");
    assert_eq!(
        app.fetch_device(&admin, laptop["id"].as_str().unwrap())
            .await["state"],
        "sanitized"
    );
}

#[tokio::test]
async fn inconsistent_or_impossible_records_are_refused_and_write_nothing() {
    let app = TestApp::spawn().await;
    let brest = app.site("BRE").await;
    let lyon = app.site("LYO").await;
    let technician = app.token(Role::Technician, Some(brest)).await;
    let laptop = app.device(&technician, json!({"kind": "laptop"})).await;
    let drive = app
        .add_medium(&technician, laptop["id"].as_str().unwrap(), "SN-1")
        .await;
    let before = app.ledger_seq().await;

    let mut lying = passed_overwrite(&drive);
    lying["verification_result"] = json!("failed");
    lying["technique"] = json!("shred");
    let refused = app.post("/api/v1/erasures", &technician, lying).await;
    refused.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.error_fields(), vec!["outcome", "technique"]);

    let lyon_laptop = app
        .device(&app.admin, json!({"site_id": lyon, "kind": "laptop"}))
        .await;
    let lyon_drive = app
        .add_medium(&app.admin, lyon_laptop["id"].as_str().unwrap(), "SN-2")
        .await;
    let foreign = app
        .post(
            "/api/v1/erasures",
            &technician,
            passed_overwrite(&lyon_drive),
        )
        .await;
    assert_eq!(foreign.error_fields(), vec!["medium_id"]);
    let viewer = app.token(Role::Viewer, Some(brest)).await;
    app.post("/api/v1/erasures", &viewer, passed_overwrite(&drive))
        .await
        .problem(StatusCode::FORBIDDEN);
    let unknown = app
        .post(
            "/api/v1/erasures",
            &technician,
            json!({"medium_id": drive["id"], "category": "wipe"}),
        )
        .await;
    assert_eq!(unknown.error_fields(), vec!["category"]);
    assert_eq!(
        app.ledger_seq().await,
        before + 4,
        "only the Lyon device, its drive and the viewer were written"
    );
}

#[tokio::test]
async fn nwipe_drives_are_matched_by_serial_and_the_others_returned_not_dropped() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let technician = app.token(Role::Technician, Some(site)).await;
    let first = app.device(&technician, json!({"kind": "desktop"})).await;
    let second = app.device(&technician, json!({"kind": "desktop"})).await;
    let a = app
        .add_medium(&technician, first["id"].as_str().unwrap(), "lb-0001")
        .await;
    app.add_medium(&technician, second["id"].as_str().unwrap(), "OTHER")
        .await;
    app.step(&technician, &first, "audit", json!({})).await;

    let log = with_serials(TWO_DRIVES, &[("loop0", "LB-0001  "), ("loop1", "LB-9999")]);
    let report = import(&app, &technician, &log, "?destination=reuse_external").await;
    assert_eq!(report.status, StatusCode::CREATED, "{}", report.text);
    assert_eq!(report.body["method"], "DoD Short");
    assert_eq!(report.body["complete"], true);
    let record = &report.body["records"][0]["erasure"];
    assert_eq!(record["medium_id"], a["id"]);
    assert_eq!(
        (record["category"].as_str(), record["technique"].as_str()),
        (Some("clear"), Some("overwrite"))
    );
    assert_eq!(
        (record["passes"].as_i64(), record["rounds"].as_i64()),
        (Some(3), Some(1))
    );
    assert_eq!(
        (
            record["blanking"].as_bool(),
            record["verification"].as_str()
        ),
        (Some(true), Some("full"))
    );
    assert_eq!(
        (record["tool"].as_str(), record["tool_version"].as_str()),
        (Some("nwipe"), Some("0.33"))
    );
    assert_eq!(record["bytes_erased"], 33554432);
    assert_eq!(record["destination"], "reuse_external");
    assert_eq!(record["source"], "nwipe");
    assert_eq!(record["raw_serial_hex"], hex::encode("LB-0001"));
    assert_eq!(record["outcome"], "passed");
    assert_eq!(record["started_at"], "2026-11-21T22:49:38Z");
    assert_eq!(
        report.body["records"][0]["related_events"][1]["payload"]["to"], "sanitized",
        "the desktop's only drive"
    );

    let unmatched = &report.body["unmatched"][0];
    assert_eq!(unmatched["device"], "/dev/loop1");
    assert_eq!(unmatched["serial"], "LB-9999");
    assert_eq!(unmatched["status"], "erased");
    assert!(unmatched["reason"].as_str().unwrap().contains("serial"));
    // What the import proposes can be recorded by hand once a medium is chosen.
    let medium = app
        .add_medium(&technician, second["id"].as_str().unwrap(), "LB-9999-LABEL")
        .await;
    let mut proposed = unmatched["proposed"].clone();
    proposed["medium_id"] = medium["id"].clone();
    let attached = app.post("/api/v1/erasures", &technician, proposed).await;
    assert_eq!(attached.status, StatusCode::CREATED, "{}", attached.text);
    assert_eq!(attached.body["medium"]["state"], "sanitized");

    let again = import(&app, &technician, &log, "").await;
    assert_eq!(
        again.problem(StatusCode::CONFLICT)["detail"],
        "this log was already imported"
    );
}

#[tokio::test]
async fn garbage_serials_fall_back_to_model_and_size_and_ambiguity_is_reported() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let admin = app.admin.clone();
    let device = app
        .device(&admin, json!({"site_id": site, "kind": "server"}))
        .await;
    let loopback = json!({"kind": "other", "model": "LOOPBACK DEVICE", "capacity_bytes": 33554432});
    let media_path = format!("/api/v1/devices/{}/media", device["id"].as_str().unwrap());
    let one = app.post(&media_path, &admin, loopback.clone()).await;
    assert_eq!(one.status, StatusCode::CREATED, "{}", one.text);

    let report = import(&app, &admin, TWO_DRIVES, "").await;
    assert_eq!(report.status, StatusCode::CREATED, "{}", report.text);
    assert_eq!(
        report.body["records"].as_array().unwrap().len(),
        1,
        "the one medium is matched once"
    );
    assert_eq!(
        report.body["records"][0]["erasure"]["medium_id"],
        one.body["id"]
    );
    assert_eq!(report.body["unmatched"].as_array().unwrap().len(), 1);
    let garbage = report.body["unmatched"][0]["serial_hex"].as_str().unwrap();
    assert!(!garbage.is_empty());

    // Two identical candidates: neither drive can be matched automatically.
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let device = app
        .device(&app.admin, json!({"site_id": site, "kind": "server"}))
        .await;
    let media_path = format!("/api/v1/devices/{}/media", device["id"].as_str().unwrap());
    app.post(&media_path, &app.admin, loopback.clone()).await;
    app.post(&media_path, &app.admin, loopback).await;
    let report = import(&app, &app.admin, TWO_DRIVES, "").await;
    assert_eq!(report.body["records"], json!([]));
    assert!(
        report.body["unmatched"][0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("several media")
    );
}

#[tokio::test]
async fn a_failed_nwipe_drive_is_a_failed_record_and_bad_logs_are_refused() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let admin = app.admin.clone();
    let device = app
        .device(&admin, json!({"site_id": site, "kind": "laptop"}))
        .await;
    let drive = app
        .add_medium(&admin, device["id"].as_str().unwrap(), "RO-1")
        .await;
    let log = with_serials(READONLY, &[("loop2", "RO-1")]);
    let report = import(&app, &admin, &log, "").await;
    assert_eq!(report.status, StatusCode::CREATED, "{}", report.text);
    let record = &report.body["records"][0];
    assert_eq!(record["erasure"]["medium_id"], drive["id"]);
    assert_eq!(record["erasure"]["outcome"], "failed");
    assert_eq!(record["erasure"]["verification_result"], "failed");
    assert_eq!(record["erasure"]["error_count"], 1);
    assert!(
        record["erasure"]["errors"]
            .as_str()
            .unwrap()
            .contains("1 pass error")
    );
    assert_eq!(record["medium"]["state"], "sanitization_failed");

    let before = app.ledger_seq().await;
    let random: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let refused = import(&app, &admin, &random, "").await;
    assert_eq!(
        refused.problem(StatusCode::UNPROCESSABLE_ENTITY)["errors"][0]["field"],
        "body"
    );
    import(&app, &admin, b"", "")
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    let verify_only = String::from_utf8_lossy(&log).replace("Fill With Zeros", "Verify Zeros");
    let verification = import(&app, &admin, verify_only.as_bytes(), "").await;
    assert_eq!(
        verification.problem(StatusCode::UNPROCESSABLE_ENTITY)["type"],
        "/problems/verification-only"
    );
    let cut = import(
        &app,
        &admin,
        &with_serials(&TWO_DRIVES[..4000], &[("loop0", "RO-1")]),
        "",
    )
    .await;
    assert_eq!(cut.status, StatusCode::CREATED, "{}", cut.text);
    assert_eq!(cut.body["complete"], false);
    assert_eq!(
        cut.body["records"][0]["erasure"]["outcome"], "failed",
        "an unfinished run is not an erasure"
    );
    let huge = import(&app, &admin, &vec![b'a'; 9 * 1024 * 1024], "").await;
    huge.problem(StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        app.ledger_seq().await,
        before + 2,
        "only the cut log's record and its medium's change"
    );
}

/// A log's numbers are a file's: absurd counts add up without wrapping to
/// zero errors, absurd durations are none, and a log naming more drives
/// than a station erases at once is refused before it reaches the writer.
#[tokio::test]
async fn an_nwipe_log_with_huge_numbers_or_a_hundred_thousand_drives_is_no_success() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let admin = app.admin.clone();
    let device = app
        .device(&admin, json!({"site_id": site, "kind": "laptop"}))
        .await;
    app.add_medium(&admin, device["id"].as_str().unwrap(), "HUGE-1")
        .await;
    let log = String::from_utf8_lossy(&with_serials(TWO_DRIVES, &[("loop0", "HUGE-1")]))
        .replace(
            "     loop0 |           0 |                    0 |",
            "     loop0 | 18446744073709551615 |                    1 |",
        )
        .replace(
            "     loop0 | Erased |   0 B/s | 00:00:01",
            "     loop0 | Erased |   0 B/s | 18446744073709551615:59:59",
        );
    let report = import(&app, &admin, log.as_bytes(), "").await;
    assert_eq!(report.status, StatusCode::CREATED, "{}", report.text);
    let record = &report.body["records"][0]["erasure"];
    assert_eq!(record["outcome"], "failed", "{record}");
    assert_eq!(record["error_count"], i32::MAX, "{record}");

    let before = app.ledger_seq().await;
    let mut many = String::from_utf8_lossy(TWO_DRIVES).into_owned();
    // Rows of the Drive Status table, after its header and its rule.
    let header = many.find("Model/Serial Number").unwrap();
    let rule = header + many[header..].find('\n').unwrap() + 1;
    let at = rule + many[rule..].find('\n').unwrap() + 1;
    let rows: String = (0..100_000)
        .map(|i| format!("     sd{i} | Erased |   0 B/s | 00:00:01 | Disk/S{i}\n"))
        .collect();
    many.insert_str(at, &rows);
    assert!(many.len() < 8 * 1024 * 1024, "{}", many.len());
    let refused = import(&app, &admin, many.as_bytes(), "").await;
    let problem = refused.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem.to_string().contains("at most 256"), "{problem}");
    assert_eq!(app.ledger_seq().await, before);
}
