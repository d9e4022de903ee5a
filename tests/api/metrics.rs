//! `/metrics`: an administrator's token on the main address, or a local
//! address without one; the series grow with what the instance does.

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use axum::http::StatusCode;
use retrace::principal::Role;
use serde_json::json;

use crate::certificates::{erase, lot_with_two_laptops};
use crate::helpers::{TestApp, free_addresses};

/// The value of the series `name{labels}` (labels as written, in order), or 0.
fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0.0, |v| v.trim().parse().unwrap())
}

#[tokio::test]
async fn metrics_are_an_administrators_and_count_requests_events_erasures_and_documents() {
    let app = TestApp::spawn().await;
    let admin = app.admin.clone();
    let anonymous = app.anonymous("/metrics", true).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let before = app.get("/metrics", &admin).await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(
        before
            .content_type()
            .starts_with("application/openmetrics-text")
    );
    let before = before.text;

    let (lot, _devices, media) = lot_with_two_laptops(&app, &admin).await;
    let site = app.listed("/api/v1/sites").await[0]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let coordinator = app
        .token(Role::Coordinator, Some(retrace::ids::SiteId(site)))
        .await;
    let refused = app.get("/metrics", &coordinator).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);

    erase(&app, &admin, &media[0]).await;
    erase(&app, &admin, &media[1]).await;
    let issued = app
        .post(
            "/api/v1/certificates",
            &admin,
            json!({"kind": "donor", "lot_id": lot}),
        )
        .await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.text);

    let after = app.get("/metrics", &admin).await.text;
    let grew = |series: &str, by: f64| {
        let (was, is) = (value(&before, series), value(&after, series));
        assert!(is >= was + by, "{series}: {was} then {is}\n{after}");
    };
    // Counters are the process's: other tests add to them, never take away.
    grew(
        r#"retrace_http_request_duration_seconds_count{method="POST",route="/api/v1/devices",status="201"}"#,
        2.0,
    );
    grew(
        r#"retrace_ledger_events_total{kind="device.registered"}"#,
        2.0,
    );
    grew(r#"retrace_erasures_total{result="passed"}"#, 2.0);
    grew(
        r#"retrace_document_duration_seconds_count{kind="donor_certificate"}"#,
        1.0,
    );
    grew("retrace_ledger_batch_jobs_count", 1.0);
    assert!(after.contains("# TYPE retrace_ledger_queue_depth gauge"));
    // A path is counted by its route's template, never by its identifiers.
    let device = app.listed("/api/v1/devices").await[0]["id"].clone();
    app.get(
        &format!("/api/v1/devices/{}", device.as_str().unwrap()),
        &admin,
    )
    .await;
    let after = app.get("/metrics", &admin).await.text;
    assert!(after.contains(r#"route="/api/v1/devices/{id}""#), "{after}");
    assert!(!after.contains(device.as_str().unwrap()));
}

#[tokio::test]
async fn a_local_metrics_address_answers_without_a_token_and_only_metrics() {
    let app = TestApp::spawn().await;
    let [main, local] = free_addresses();
    let mut server = app
        .command()
        .arg("serve")
        .env("RETRACE_BIND", main.to_string())
        .env("RETRACE_METRICS_BIND", local.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let get = |path: &str| -> Option<String> {
        let mut stream = std::net::TcpStream::connect(local).ok()?;
        write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").ok()?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer).ok()?;
        Some(answer)
    };
    let mut answer = None;
    for _ in 0..100 {
        answer = get("/metrics");
        if answer.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let other = get("/api/v1/devices");
    server.kill().unwrap();
    server.wait().unwrap();
    let answer = answer.expect("the metrics address answers");
    assert!(answer.starts_with("HTTP/1.0 200"), "{answer}");
    // The writer's queue is exported from the start; the event counters
    // only once a first event is durable, which the server may not have
    // reached yet.
    assert!(
        answer.contains("# TYPE retrace_ledger_queue_depth gauge"),
        "{answer}"
    );
    assert!(
        other
            .as_deref()
            .is_some_and(|o| o.starts_with("HTTP/1.0 404")),
        "{other:?}"
    );
}

#[test]
fn the_metrics_address_must_be_a_loopback_one() {
    let output = Command::new(env!("CARGO_BIN_EXE_retrace"))
        .arg("serve")
        .env("RETRACE_METRICS_BIND", "0.0.0.0:9464")
        .env("RETRACE_CONFIG", "/nonexistent/retrace.toml")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("not a loopback address"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
