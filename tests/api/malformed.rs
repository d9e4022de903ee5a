//! Malformed input of every kind gets a 4xx problem, never a 500, and writes nothing.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// A name, a path, a body, its headers and the status it must get.
type Case<'a> = (&'a str, &'a str, Body, Vec<(&'a str, &'a str)>, StatusCode);

#[tokio::test]
async fn malformed_bodies_get_a_problem_and_write_nothing() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let device = app
        .device(&app.admin, json!({"site_id": site, "kind": "laptop"}))
        .await;
    let events = format!("/api/v1/devices/{}/events", device["id"].as_str().unwrap());
    let before = app.ledger_seq().await;
    let json_type = [("content-type", "application/json")];

    let cases: Vec<Case> = vec![
        (
            "bad JSON",
            "/api/v1/devices",
            Body::from("{\"kind\": \"laptop\","),
            json_type.to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "not an object",
            "/api/v1/devices",
            Body::from("[1, 2]"),
            json_type.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "trailing garbage",
            "/api/v1/devices",
            Body::from("{\"kind\": \"laptop\"} x"),
            json_type.to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "wrong type",
            "/api/v1/devices",
            Body::from(json!({"kind": "laptop", "weight_kg": "heavy"}).to_string()),
            json_type.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "unknown enum",
            "/api/v1/devices",
            Body::from(json!({"kind": "toaster"}).to_string()),
            json_type.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "unknown field",
            "/api/v1/devices",
            Body::from(json!({"kind": "laptop", "colour": "red"}).to_string()),
            json_type.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "invalid UTF-8",
            "/api/v1/devices",
            Body::from(b"{\"kind\": \"lap\xfftop\"}".to_vec()),
            json_type.to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "10 MB",
            "/api/v1/devices",
            Body::from(format!(
                "{{\"model\": \"{}\"}}",
                "x".repeat(10 * 1024 * 1024)
            )),
            json_type.to_vec(),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
        (
            "no content type",
            "/api/v1/devices",
            Body::from(json!({"kind": "laptop"}).to_string()),
            vec![],
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "form instead of JSON",
            "/api/v1/devices",
            Body::from("kind=laptop"),
            vec![("content-type", "application/x-www-form-urlencoded")],
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "empty body",
            &events,
            Body::empty(),
            json_type.to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "negative version",
            &events,
            Body::from(json!({"action": "audit", "expected_version": "one"}).to_string()),
            json_type.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "huge number",
            &events,
            Body::from("{\"action\": \"audit\", \"expected_version\": 1e400}"),
            json_type.to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "nested garbage",
            "/api/v1/devices",
            Body::from(json!({"kind": "laptop", "specs": {"ram_mib": -4}}).to_string()),
            json_type.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (name, path, body, headers, status) in cases {
        let response = app
            .call(Method::POST, path, Some(&app.admin), body, &headers)
            .await;
        assert_eq!(response.status, status, "{name}: {}", response.text);
        response.problem(status);
    }
    assert_eq!(app.ledger_seq().await, before, "nothing was written");
}

#[tokio::test]
async fn wrong_types_and_unknown_values_name_their_field() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let wrong = app
        .post(
            "/api/v1/devices",
            &app.admin,
            json!({"site_id": site, "kind": "laptop", "specs": {"ram_mib": "lots"}}),
        )
        .await;
    assert_eq!(wrong.error_fields(), vec!["specs.ram_mib"]);
    let unknown = app
        .post(
            "/api/v1/devices",
            &app.admin,
            json!({"site_id": site, "kind": "toaster"}),
        )
        .await;
    assert_eq!(unknown.error_fields(), vec!["kind"]);
    assert!(
        unknown.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("laptop"),
        "the message lists the valid values"
    );
    let range = app
        .post(
            "/api/v1/devices",
            &app.admin,
            json!({"site_id": site, "kind": "laptop", "specs": {"battery_health_percent": 180}}),
        )
        .await;
    assert_eq!(range.error_fields(), vec!["specs.battery_health_percent"]);
}

#[tokio::test]
async fn malformed_paths_and_queries_and_unknown_routes_are_problems_too() {
    let app = TestApp::spawn().await;
    app.get("/api/v1/devices/not-a-uuid", &app.admin)
        .await
        .problem(StatusCode::BAD_REQUEST);
    app.get("/api/v1/devices?limit=many", &app.admin)
        .await
        .problem(StatusCode::BAD_REQUEST);
    app.get("/api/v1/nothing-here", &app.admin)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.get(
        &format!("/api/v1/devices/{}", uuid::Uuid::now_v7()),
        &app.admin,
    )
    .await
    .problem(StatusCode::NOT_FOUND);
    let wrong_method = app
        .call(
            Method::PUT,
            "/api/v1/devices",
            Some(&app.admin),
            Body::empty(),
            &[],
        )
        .await;
    wrong_method.problem(StatusCode::METHOD_NOT_ALLOWED);
    // The document's pattern: visible ASCII, no space, no quote but around it.
    for key in ["", "\"\"", "two words", "in\"side", &"k".repeat(256)] {
        let bad_key = app
            .call(
                Method::POST,
                "/api/v1/sites",
                Some(&app.admin),
                Body::from("{}"),
                &[
                    ("content-type", "application/json"),
                    ("idempotency-key", key),
                ],
            )
            .await;
        bad_key.problem(StatusCode::BAD_REQUEST);
    }
    let bad_if_match = app
        .send(
            Method::PATCH,
            &format!("/api/v1/devices/{}", uuid::Uuid::now_v7()),
            &app.admin,
            json!({}),
            &[("if-match", "\"latest\"")],
        )
        .await;
    bad_if_match.problem(StatusCode::UNPROCESSABLE_ENTITY);
}

/// Every query parameter of the OpenAPI document that takes a date, given
/// the first and last days chrono knows, and the web pages that take one:
/// a 4xx, never a dropped connection (report and week arithmetic used to
/// overflow there).
#[tokio::test]
async fn extreme_dates_anywhere_get_a_problem_not_a_dropped_connection() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let viewer = app.token(retrace::principal::Role::Viewer, None).await;
    let coordinator = app
        .token(retrace::principal::Role::Coordinator, Some(site))
        .await;
    let refused = |answer: &crate::helpers::TestResponse, what: &str| {
        assert!(
            answer.status.is_client_error(),
            "{what}: {} {}",
            answer.status,
            answer.text
        );
    };
    // (A `+` in a query string is a space: it is written %2B.)
    for far in [
        "-262143-01-01",
        "%2B262142-12-31",
        "1899-12-31",
        "2201-01-01",
    ] {
        let answer = app
            .get(
                &format!("/api/v1/reports/impact?from={far}&to={far}"),
                &viewer,
            )
            .await;
        refused(&answer, far);
        assert!(answer.text.contains("1900"), "{}", answer.text);
        let page = app
            .get(&format!("/timesheets?week_of={far}"), &coordinator)
            .await;
        refused(&page, far);
    }

    let doc = crate::openapi::document(&app).await;
    let mut probed = 0;
    for (path, operations) in doc["paths"].as_object().unwrap() {
        if path.contains('{') {
            continue;
        }
        let Some(get) = operations.get("get") else {
            continue;
        };
        for parameter in get["parameters"].as_array().into_iter().flatten() {
            let format = parameter["schema"]["format"].as_str().unwrap_or_default();
            if parameter["in"] != "query" || !format.starts_with("date") {
                continue;
            }
            let name = parameter["name"].as_str().unwrap();
            for far in ["-262143-01-01", "%2B262142-12-31"] {
                let answer = app.get(&format!("{path}?{name}={far}"), &app.admin).await;
                refused(&answer, &format!("{path}?{name}={far}"));
                probed += 1;
            }
        }
    }
    assert!(probed >= 8, "only {probed} date parameters probed");

    // In a body too, nested or not.
    let lot = app
        .post(
            "/api/v1/lots",
            &app.admin,
            json!({"donor_id": app.donor(&app.admin).await, "site_id": site, "received_on": "+262142-12-31"}),
        )
        .await;
    refused(&lot, "a lot received in 262142");
    assert!(lot.text.contains("received_on"), "{}", lot.text);
}

/// A device in a lot, and what the OpenAPI document's path placeholders
/// become for it.
async fn a_device(app: &TestApp) -> Vec<(&'static str, String)> {
    let site = app.site("BRE").await;
    let lot = app.lot(&app.admin, site).await;
    let device = app
        .device(&app.admin, json!({"lot_id": lot, "kind": "laptop"}))
        .await;
    let tag = device["asset_tag"].as_str().unwrap().to_owned();
    vec![
        ("{id}", device["id"].as_str().unwrap().to_owned()),
        ("{tag}", tag.clone()),
        ("{code}", tag),
    ]
}

/// `path` with its placeholders filled.
fn concrete(path: &str, ids: &[(&str, String)]) -> String {
    ids.iter()
        .fold(path.to_owned(), |path, (placeholder, value)| {
            path.replace(placeholder, value)
        })
}

/// Every query parameter of every GET in the OpenAPI document, given the
/// extremes of its type one at a time — numbers past any integer, negative
/// and zero sizes, a string of 10,000 characters, a NUL — answers below
/// 500: a 4xx that names the problem, or the page without it.
#[tokio::test]
async fn every_query_parameter_at_its_extremes_gets_an_answer_below_500() {
    let app = TestApp::spawn().await;
    let ids = a_device(&app).await;
    let long = "é".repeat(10_000);
    let doc = crate::openapi::document(&app).await;
    let mut probed = 0;
    for (path, operations) in doc["paths"].as_object().unwrap() {
        let Some(get) = operations.get("get") else {
            continue;
        };
        let concrete = concrete(path, &ids);
        if concrete.contains('{') {
            continue;
        }
        for parameter in get["parameters"].as_array().into_iter().flatten() {
            if parameter["in"] != "query" {
                continue;
            }
            let name = parameter["name"].as_str().unwrap();
            let kind = parameter["schema"]["type"].to_string();
            let mut values: Vec<String> =
                vec![long.clone(), "%00".into(), "%FF".into(), String::new()];
            if kind.contains("integer") || kind.contains("number") {
                values.extend(
                    [
                        "-1",
                        "0",
                        "9223372036854775807",
                        "-9223372036854775808",
                        "99999999999999999999999",
                        "1e308",
                        "NaN",
                    ]
                    .map(String::from),
                );
            }
            for value in values {
                let answer = app
                    .get(&format!("{concrete}?{name}={value}"), &app.admin)
                    .await;
                assert!(
                    answer.status.as_u16() < 500,
                    "{concrete}?{name}={}: {} {}",
                    &value[..value.len().min(40)],
                    answer.status,
                    answer.text
                );
                probed += 1;
            }
        }
    }
    assert!(probed > 100, "only {probed} probes");
}

/// A field's value at one extreme, from its type and format.
type Extreme = Box<dyn Fn(&str, &str) -> Value>;

/// A body for `schema` (resolved in `doc`) with every field at one extreme
/// of its type: `extreme` answers a field's value from its type and format.
fn body_at(doc: &Value, schema: &Value, extreme: &dyn Fn(&str, &str) -> Value, depth: u8) -> Value {
    let schema = match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.rsplit('/').next().unwrap();
            &doc["components"]["schemas"][name]
        }
        None => schema,
    };
    let schema = schema["allOf"]
        .get(0)
        .or_else(|| schema["oneOf"].get(0))
        .unwrap_or(schema);
    let kind = match &schema["type"] {
        Value::Array(kinds) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|k| *k != "null")
            .unwrap_or("null")
            .to_owned(),
        other => other.as_str().unwrap_or("").to_owned(),
    };
    let format = schema["format"].as_str().unwrap_or("");
    match kind.as_str() {
        "object" | "" if depth < 4 => {
            let mut out = serde_json::Map::new();
            for (name, property) in schema["properties"].as_object().into_iter().flatten() {
                out.insert(name.clone(), body_at(doc, property, extreme, depth + 1));
            }
            Value::Object(out)
        }
        "array" if depth < 4 => json!([body_at(doc, &schema["items"], extreme, depth + 1)]),
        _ => extreme(&kind, format),
    }
}

/// Every write of the OpenAPI document (POST, PUT, PATCH with a JSON body)
/// given a body whose every field, nested or not, sits at an extreme of its
/// type — dates in the year 262142, integers past i64, 1e308, negative
/// sizes, strings of 10,000 characters — answers below 500.
#[tokio::test]
async fn every_json_body_at_its_extremes_gets_an_answer_below_500() {
    let app = TestApp::spawn().await;
    let mut ids = a_device(&app).await;
    ids.push(("{number}", "BRE-2026-0001".to_owned()));
    let long = "é".repeat(10_000);
    let extremes: Vec<Extreme> = vec![
        Box::new(|kind, format| match (kind, format) {
            (_, "date") => json!("+262142-12-31"),
            (_, "date-time") => json!("-262143-01-01T00:00:00Z"),
            ("integer", _) => json!(u64::MAX),
            ("number", _) => json!(1e308),
            ("boolean", _) => json!(true),
            _ => json!("x"),
        }),
        Box::new(|kind, format| match (kind, format) {
            (_, "date") => json!("1899-12-31"),
            (_, "date-time") => json!("2201-01-01T00:00:00Z"),
            ("integer", _) => json!(i64::MIN),
            ("number", _) => json!(-1e308),
            ("boolean", _) => json!(false),
            _ => json!(""),
        }),
        Box::new(move |kind, _| match kind {
            "integer" => json!(-1),
            "number" => json!(-0.0),
            "string" => json!(long.clone()),
            _ => Value::Null,
        }),
    ];
    let doc = crate::openapi::document(&app).await;
    let mut probed = 0;
    for (path, operations) in doc["paths"].as_object().unwrap() {
        let concrete = concrete(path, &ids);
        if concrete.contains('{') {
            continue;
        }
        for (method, operation) in operations.as_object().unwrap() {
            let method = match method.as_str() {
                "post" => Method::POST,
                "put" => Method::PUT,
                "patch" => Method::PATCH,
                _ => continue,
            };
            let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
            if schema.is_null() {
                continue;
            }
            for extreme in &extremes {
                let body = body_at(&doc, schema, extreme.as_ref(), 0);
                let answer = app
                    .call(
                        method.clone(),
                        &concrete,
                        Some(&app.admin),
                        Body::from(body.to_string()),
                        &[("content-type", "application/json")],
                    )
                    .await;
                assert!(
                    answer.status.as_u16() < 500,
                    "{method} {concrete} {}: {} {}",
                    &body.to_string()[..body.to_string().len().min(300)],
                    answer.status,
                    answer.text
                );
                probed += 1;
            }
        }
    }
    assert!(probed > 100, "only {probed} probes");
}

/// What the OpenAPI document states of a body is what the server checks:
/// `2.0` is an integer to JSON Schema, a tagged variant takes no field it
/// does not declare, and a refused bound is named by the code of the
/// schema's keyword (what schemathesis's own check reads).
#[tokio::test]
async fn bodies_are_read_as_the_document_states_them() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let device = app
        .device(&app.admin, json!({"site_id": site, "kind": "laptop"}))
        .await;
    let id = device["id"].as_str().unwrap();

    let audited = app
        .post(
            &format!("/api/v1/devices/{id}/events"),
            &app.admin,
            json!({"action": "audit", "expected_version": 1.0}),
        )
        .await;
    assert_eq!(audited.status, StatusCode::CREATED, "{}", audited.body);

    let refusals = [
        (
            format!("/api/v1/devices/{id}/events"),
            json!({"action": "audit", "expected_version": 2.5}),
            "expected_version",
            "json",
        ),
        (
            format!("/api/v1/devices/{id}/work"),
            json!({"work": {"type": "grade", "grade": "B", "parts": []}}),
            "work",
            "json",
        ),
        (
            format!("/api/v1/devices/{id}/work"),
            json!({"expected_version": 2, "work": {"type": "os", "distribution": "é".repeat(101)}}),
            "work",
            "length",
        ),
        (
            format!("/api/v1/devices/{id}/dismantle"),
            json!({"expected_version": 2, "parts": ["é".repeat(201)]}),
            "parts[0]",
            "length",
        ),
        (
            "/api/v1/users".to_owned(),
            json!({"email": "de@retrace.test", "role": "viewer", "locale": "de"}),
            "locale",
            "regex",
        ),
    ];
    for (path, body, field, code) in refusals {
        let refused = app.post(&path, &app.admin, body.clone()).await;
        refused.problem(StatusCode::UNPROCESSABLE_ENTITY);
        let error = &refused.body["errors"][0];
        assert!(
            error["field"].as_str().unwrap().starts_with(field),
            "{path} {body}: {}",
            refused.body
        );
        assert_eq!(error["code"], code, "{path} {body}: {}", refused.body);
    }
    let accepted = app
        .post(
            &format!("/api/v1/devices/{id}/work"),
            &app.admin,
            json!({"expected_version": 2, "work": {"type": "os", "distribution": "é".repeat(100)}}),
        )
        .await;
    assert!(accepted.status.is_success(), "{}", accepted.body);
}
