//! A slow request can be followed in the JSON logs: with `retrace=debug`,
//! the service command a write runs and the projection its event updates
//! each log their end under the request's own span, and so does the ledger
//! batch that commits it.
//!
//! A test binary of its own: `tracing` caches, for the whole process, which
//! log statements anyone listens to, and the HTTP tests running beside it
//! listen to none.

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use retrace::config::Settings;
use retrace::principal::{Principal, Role};
use retrace::users::NewUser;
use retrace::users::service::{Token, enrol};
use serde_json::{Value, json};
use tower::ServiceExt;
use tracing_subscriber::fmt::format::FmtSpan;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The names of a span and of the spans current on its thread when `line`
/// (its opening, `new`, or its end, `close`) was written, outermost first.
///
/// A span's ancestry is read from its opening: the thread that writes its
/// close line is whichever drops the span's last handle, and sqlx's SQLite
/// worker holds a handle to the span current at each statement it runs,
/// until its next command — when the worker drops it, nothing is current
/// there.
fn span_line<'l>(line: &'l Value, message: &str) -> Option<Vec<&'l str>> {
    (line["fields"]["message"] == message).then(|| {
        line["spans"]
            .as_array()
            .into_iter()
            .flatten()
            .chain([&line["span"]])
            .filter_map(|span| span["name"].as_str())
            .collect()
    })
}

async fn post(app: &axum::Router, path: &str, token: &str, body: Value) -> Value {
    let request = Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("answer");
    assert_eq!(response.status(), StatusCode::CREATED);
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    serde_json::from_slice(&bytes).expect("json")
}

#[tokio::test(flavor = "current_thread")]
async fn a_write_is_followed_from_its_request_through_its_service_projection_and_batch() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_env_filter("info,retrace=debug")
        .with_span_events(FmtSpan::NEW | FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let dir = tempfile::tempdir().expect("temporary directory");
    let state = retrace::start(Settings::for_data_dir(dir.path().to_path_buf(), None))
        .await
        .expect("start");
    let new = NewUser {
        email: "admin@retrace.test".into(),
        display_name: None,
        role: Role::Admin,
        site_id: None,
        locale: None,
        password: None,
    };
    let token = Token {
        name: "tests",
        days: 1,
    };
    let (_, issued) = state
        .write_now(&Principal::instance(), move |tx, instance| {
            Box::pin(enrol(tx, instance, new, None, token))
        })
        .await
        .expect("an admin");
    let token = issued.secret.expect("a token");
    let app = retrace::app(state);
    post(
        &app,
        "/api/v1/sites",
        &token,
        json!({"code": "BRE", "name": "Brest"}),
    )
    .await;

    // The close lines of a write's spans may wait for the next write: sqlx's
    // SQLite worker keeps the span of the last statement it ran until its
    // next command (see `span_line`). On a working instance that is the next
    // request; here, a second site.
    post(
        &app,
        "/api/v1/sites",
        &token,
        json!({"code": "QMP", "name": "Quimper"}),
    )
    .await;
    let text = String::from_utf8(logs.0.lock().expect("log buffer").clone()).expect("utf-8");
    let lines: Vec<Value> = text
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    let opened: Vec<Vec<&str>> = lines
        .iter()
        .filter_map(|line| span_line(line, "new"))
        .collect();
    let service = lines
        .iter()
        .find(|line| {
            span_line(line, "new") == Some(vec!["request", "create"])
                && line["target"] == "retrace::sites::service"
        })
        .unwrap_or_else(|| panic!("the sites service's span, under the request's: {opened:?}"));
    assert!(service["span"]["user"].is_string(), "{service}");
    assert_eq!(service["spans"][0]["http.path"], "/api/v1/sites");
    let ended = lines
        .iter()
        .find(|line| {
            span_line(line, "close").is_some_and(|names| names.last() == Some(&"create"))
                && line["target"] == "retrace::sites::service"
        })
        .unwrap_or_else(|| panic!("the sites service's span ends: {opened:?}"));
    assert!(ended["fields"]["time.busy"].is_string(), "{ended}");
    let projection = lines
        .iter()
        .find(|line| {
            span_line(line, "new") == Some(vec!["request", "create", "projection"])
                && line["span"]["kind"] == "site.created"
        })
        .unwrap_or_else(|| panic!("the site's projection, under its service: {opened:?}"));
    assert!(projection["span"]["seq"].is_number(), "{projection}");
    assert!(
        lines
            .iter()
            .any(|line| span_line(line, "close") == Some(vec!["ledger.batch"])),
        "{opened:?}"
    );
}
