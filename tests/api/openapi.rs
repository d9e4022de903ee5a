//! The OpenAPI document is served, routes every operation it documents, and
//! describes the answers the API really gives.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use retrace::principal::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResponse};

pub async fn document(app: &TestApp) -> Value {
    let response = app
        .call(
            Method::GET,
            "/api/v1/openapi.json",
            None,
            Body::empty(),
            &[],
        )
        .await;
    assert_eq!(response.status, StatusCode::OK);
    response.body
}

#[tokio::test]
async fn the_document_is_openapi_3_1_and_lists_the_contract_paths() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/v1/sites",
        "/api/v1/donors",
        "/api/v1/lots",
        "/api/v1/devices",
        "/api/v1/devices/{id}",
        "/api/v1/devices/{id}/events",
        "/api/v1/devices/{id}/media",
        "/api/v1/media",
        "/api/v1/users",
        "/api/v1/tokens",
        "/.well-known/retrace-signing-key",
        "/healthz",
        "/readyz",
    ] {
        assert!(paths.contains_key(path), "{path} is not documented");
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

/// Every `$ref` under `value`, as written (`#/components/schemas/Name`).
fn refs(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                into.push(r.clone());
            }
            map.values().for_each(|v| refs(v, into));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, into)),
        _ => {}
    }
}

/// A `$ref` to a schema the document lacks breaks every client generator
/// and validator that reads it.
#[tokio::test]
async fn every_reference_of_the_document_resolves() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 100, "{}", all.len());
    let unresolved: Vec<&String> = all
        .iter()
        .filter(|r| {
            let name = r.strip_prefix("#/components/schemas/").unwrap_or(r);
            doc["components"]["schemas"].get(name).is_none()
        })
        .collect();
    assert!(unresolved.is_empty(), "{unresolved:?}");
}

/// Client generators name a function after each `operationId`: two
/// operations with one id make a client that cannot call one of them.
#[tokio::test]
async fn every_operation_has_an_id_of_its_own() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let mut seen = std::collections::BTreeMap::new();
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap_or_default();
            assert!(!id.is_empty(), "{method} {path} has no operationId");
            if let Some(first) = seen.insert(id.to_owned(), format!("{method} {path}")) {
                panic!("{method} {path} and {first} are both `{id}`");
            }
        }
    }
}

/// Every link leads somewhere real: to an operation of the document, filling
/// path parameters it has and body fields its request schema has, from a
/// member the answer it starts from has. The workshop's path — a lot, its
/// devices, their events, a drive's erasure, an allocation — is among them.
#[tokio::test]
async fn every_link_leads_to_an_operation_and_fills_what_it_takes() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    // A schema's members, through its `$ref` and the parts of an `allOf`.
    fn members(doc: &Value, schema: &Value) -> serde_json::Map<String, Value> {
        if let Some(reference) = schema["$ref"].as_str() {
            return members(doc, doc.pointer(&reference[1..]).unwrap_or(&Value::Null));
        }
        let mut found = schema["properties"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        for part in schema["allOf"].as_array().into_iter().flatten() {
            found.extend(members(doc, part));
        }
        found
    }
    let mut operations = std::collections::BTreeMap::new();
    for operations_of_path in doc["paths"].as_object().unwrap().values() {
        for operation in operations_of_path.as_object().unwrap().values() {
            operations.insert(
                operation["operationId"].as_str().unwrap().to_owned(),
                operation,
            );
        }
    }
    let mut followed = Vec::new();
    for (id, operation) in &operations {
        for (status, response) in operation["responses"].as_object().unwrap() {
            let answer = members(&doc, &response["content"]["application/json"]["schema"]);
            for (name, link) in response["links"].as_object().into_iter().flatten() {
                let to = link["operationId"].as_str().unwrap();
                let target = operations
                    .get(to)
                    .unwrap_or_else(|| panic!("{id} {status} {name}: no operation {to}"));
                let reads = |expression: &str| {
                    if let Some(pointer) = expression.strip_prefix("$response.body#/") {
                        let member = pointer.split('/').next().unwrap();
                        assert!(
                            answer.contains_key(member),
                            "{id} {status} {name}: its answer has no `{member}`"
                        );
                    } else {
                        assert_eq!(expression, "$request.path.id", "{id} {name}");
                    }
                };
                for (parameter, expression) in link["parameters"].as_object().into_iter().flatten()
                {
                    assert!(
                        target["parameters"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .any(|p| p["name"] == *parameter && p["in"] == "path"),
                        "{id} {name}: {to} has no path parameter `{parameter}`"
                    );
                    reads(expression.as_str().unwrap());
                }
                let body = members(
                    &doc,
                    &target["requestBody"]["content"]["application/json"]["schema"],
                );
                for (field, expression) in link["requestBody"].as_object().into_iter().flatten() {
                    assert!(
                        body.contains_key(field),
                        "{id} {name}: {to}'s body has no `{field}`"
                    );
                    reads(expression.as_str().unwrap());
                }
                followed.push(format!("{id}→{to}"));
            }
        }
    }
    for step in [
        "create_donor→create_lot",
        "create_lot→create_device",
        "create_device→record_event",
        "record_event→record_event",
        "create_device→add_medium",
        "add_medium→create_erasure",
        "create_device→reserve",
        "reserve→accept",
    ] {
        assert!(followed.iter().any(|f| f == step), "no link {step}");
    }
}

/// Every operation lists the refusals its plumbing can answer: a token's
/// 401 and 403, an identifier's 400 and 404, a body's 413, 415 and 422, an
/// expected version's 409 and 428 (as `openapi::complete_refusals` adds them).
#[tokio::test]
async fn every_refusal_the_plumbing_can_answer_is_documented() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let mut versioned = 0;
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let has = |status: &str| operation["responses"].get(status).is_some();
            let mut wanted = Vec::new();
            if operation.get("security").is_some() {
                wanted.extend(["401", "403"]);
            }
            if path.contains('{') {
                wanted.extend(["400", "404"]);
            }
            if operation.get("requestBody").is_some() {
                wanted.extend(["400", "413", "415", "422"]);
            }
            let body = &operation["requestBody"]["content"]["application/json"]["schema"]["$ref"];
            let expects_version = body.as_str().is_some_and(|r| {
                let name = r.trim_start_matches("#/components/schemas/");
                doc["components"]["schemas"][name]["properties"]
                    .get("expected_version")
                    .is_some()
            });
            if expects_version {
                versioned += 1;
                wanted.extend(["409", "428"]);
            }
            for status in wanted {
                assert!(has(status), "{method} {path} does not document {status}");
            }
        }
    }
    assert!(
        versioned > 10,
        "only {versioned} operations expect a version"
    );
}

/// Every date of the document says the years `input::check` accepts, and
/// every list the bounds of its page.
#[tokio::test]
async fn dates_and_pages_carry_their_bounds() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    fn dates(value: &Value, at: &str, unbounded: &mut Vec<String>, seen: &mut usize) {
        match value {
            Value::Object(map) => {
                if matches!(
                    map.get("format").and_then(Value::as_str),
                    Some("date" | "date-time")
                ) {
                    *seen += 1;
                    if map.get("pattern").and_then(Value::as_str)
                        != Some("^(19[0-9]{2}|2[01][0-9]{2}|2200)-")
                    {
                        unbounded.push(at.to_owned());
                    }
                }
                for (key, member) in map {
                    dates(member, &format!("{at}/{key}"), unbounded, seen);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| dates(i, at, unbounded, seen)),
            _ => {}
        }
    }
    let (mut unbounded, mut seen) = (Vec::new(), 0);
    dates(&doc, "", &mut unbounded, &mut seen);
    assert!(seen > 50, "only {seen} dates");
    assert!(
        unbounded.is_empty(),
        "dates without their bounds: {unbounded:#?}"
    );
    let list = &doc["paths"]["/api/v1/devices"]["get"]["parameters"];
    let limit = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "limit")
        .unwrap();
    assert_eq!(limit["schema"]["minimum"], 1);
    assert_eq!(limit["schema"]["maximum"], 500);
}

/// Every number a request may send (a weight, a price, a percentage) says
/// the bounds the server keeps to: a client learns them from the document,
/// and schemathesis then finds any the server keeps and the document does
/// not say. An integer may rest on its format's (`int32`, `int64`).
#[tokio::test]
async fn every_number_a_request_sends_carries_its_bounds() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let schemas = &doc["components"]["schemas"];
    // The names of the schemas `value` refers to.
    let names = |value: &Value, found: &mut std::collections::BTreeSet<String>| {
        let mut all = Vec::new();
        refs(value, &mut all);
        found.extend(
            all.iter()
                .map(|r| r.rsplit('/').next().unwrap_or(r).to_owned()),
        );
    };
    fn unbounded(value: &Value, at: &str, found: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                let types = match map.get("type") {
                    Some(Value::Array(types)) => types.clone(),
                    Some(one) => vec![one.clone()],
                    None => Vec::new(),
                };
                let number = types.iter().any(|t| t == "number");
                let integer = types.iter().any(|t| t == "integer");
                let has = |key: &str| map.contains_key(key);
                let bounded = (has("minimum") || has("exclusiveMinimum"))
                    && (has("maximum") || has("exclusiveMaximum"));
                if (number && !bounded) || (integer && !bounded && !has("format")) {
                    found.push(at.to_owned());
                }
                for (key, member) in map {
                    unbounded(member, &format!("{at}/{key}"), found);
                }
            }
            Value::Array(items) => items
                .iter()
                .enumerate()
                .for_each(|(i, v)| unbounded(v, &format!("{at}/{i}"), found)),
            _ => {}
        }
    }
    let mut sent = std::collections::BTreeSet::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            names(&operation["requestBody"], &mut sent);
        }
    }
    loop {
        let mut more = sent.clone();
        for name in &sent {
            names(&schemas[name], &mut more);
        }
        if more.len() == sent.len() {
            break;
        }
        sent = more;
    }
    let mut found = Vec::new();
    for name in &sent {
        unbounded(&schemas[name], name, &mut found);
    }
    assert!(sent.len() > 40, "only {} request schemas", sent.len());
    assert!(found.is_empty(), "numbers without their bounds: {found:#?}");
    let health = &schemas["Work"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["properties"]["type"]["enum"][0] == "battery")
        .unwrap()["properties"]["health_percent"];
    assert_eq!(health["maximum"], 100, "{health}");
}

#[tokio::test]
async fn every_documented_operation_is_routed() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let mut count = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let concrete = path.replace("{id}", &uuid::Uuid::now_v7().to_string());
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = app
                .call(
                    method.clone(),
                    &concrete,
                    Some(&app.admin),
                    Body::from("{}"),
                    &[("content-type", "application/json")],
                )
                .await;
            assert_ne!(
                response.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path}"
            );
            assert_ne!(
                response.body["type"], "/problems/unknown-route",
                "{method} {path}"
            );
            assert!(
                !response.status.is_server_error(),
                "{method} {path}: {}",
                response.text
            );
            count += 1;
        }
    }
    assert!(count >= 25, "only {count} operations documented");
}

/// Validates an answer against the schema the document gives for it.
/// The `name=value` pairs of an operation's required query parameters, as
/// the document lists them, with a value a test can use.
pub fn required_parameters(doc: &Value, method: &str, path: &str) -> Vec<String> {
    doc["paths"][path][method]["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["in"] == "query" && p["required"] == true)
        .map(|p| {
            let name = p["name"].as_str().unwrap();
            let value = match name {
                "from" => "2026-01-01",
                "to" => "2026-12-31",
                "format" => "zpl",
                _ => panic!("{method} {path}: no value for its required parameter {name}"),
            };
            format!("{name}={value}")
        })
        .collect()
}

/// `?a=1&b=2`, or nothing.
pub fn query_string(pairs: &[String]) -> String {
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

pub fn check(doc: &Value, method: &str, path: &str, response: &TestResponse) {
    let status = response.status.as_u16().to_string();
    let operation = &doc["paths"][path][method];
    assert!(operation.is_object(), "{method} {path} is not documented");
    let documented = &operation["responses"][&status];
    assert!(
        documented.is_object(),
        "{method} {path} does not document status {status}: {}",
        response.text
    );
    let content = documented["content"].as_object();
    let Some((content_type, media)) = content.and_then(|c| c.iter().next()) else {
        assert!(
            response.text.is_empty() || response.body.is_null(),
            "{method} {path} {status} documents no body"
        );
        return;
    };
    assert_eq!(
        response.content_type().split(';').next().unwrap(),
        content_type,
        "{method} {path} {status}"
    );
    let mut schema = media["schema"].clone();
    schema["components"] = doc["components"].clone();
    let validator = jsonschema::validator_for(&schema)
        .unwrap_or_else(|e| panic!("{method} {path}: bad schema: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(&response.body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{method} {path} {status} does not match its schema: {errors:?}\n{}",
        response.text
    );
}

#[tokio::test]
async fn answers_match_their_documented_schemas() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let admin = app.admin.clone();
    let site = app
        .post(
            "/api/v1/sites",
            &admin,
            json!({"name": "Brest", "code": "BRE"}),
        )
        .await;
    check(&doc, "post", "/api/v1/sites", &site);
    let site_id = site.body["id"].as_str().unwrap().to_owned();
    check(
        &doc,
        "get",
        "/api/v1/sites",
        &app.get("/api/v1/sites", &admin).await,
    );
    let donor = app
        .post(
            "/api/v1/donors",
            &admin,
            json!({"name": "ACME", "kind": "company", "siret": "73282932000074"}),
        )
        .await;
    check(&doc, "post", "/api/v1/donors", &donor);
    let lot = app
        .post(
            "/api/v1/lots",
            &admin,
            json!({"donor_id": donor.body["id"], "site_id": site_id, "received_on": "2026-11-20"}),
        )
        .await;
    check(&doc, "post", "/api/v1/lots", &lot);
    let device = app
        .post(
            "/api/v1/devices",
            &admin,
            json!({"lot_id": lot.body["id"], "kind": "laptop", "specs": {"ram_mib": 8192}}),
        )
        .await;
    check(&doc, "post", "/api/v1/devices", &device);
    let id = device.body["id"].as_str().unwrap().to_owned();
    check(
        &doc,
        "get",
        "/api/v1/devices/{id}",
        &app.get(&format!("/api/v1/devices/{id}"), &admin).await,
    );
    check(
        &doc,
        "get",
        "/api/v1/devices",
        &app.get("/api/v1/devices?limit=1", &admin).await,
    );
    let medium = app
        .post(
            &format!("/api/v1/devices/{id}/media"),
            &admin,
            json!({"kind": "hdd", "serial_number": "WD-1"}),
        )
        .await;
    check(&doc, "post", "/api/v1/devices/{id}/media", &medium);
    let audit = app.act(&admin, &device.body, "audit", json!({})).await;
    check(&doc, "post", "/api/v1/devices/{id}/events", &audit);
    let erased = app
        .post(
            &format!(
                "/api/v1/media/{}/events",
                medium.body["id"].as_str().unwrap()
            ),
            &admin,
            json!({"action": "record_erasure", "outcome": "passed", "expected_version": 1}),
        )
        .await;
    check(&doc, "post", "/api/v1/media/{id}/events", &erased);
    let shredded = app
        .post("/api/v1/erasures", &admin, json!({"medium_id": medium.body["id"], "category": "destroy", "technique": "shred", "verification": "none", "destination": "recycling", "outcome": "passed"}))
        .await;
    check(&doc, "post", "/api/v1/erasures", &shredded);
    check(
        &doc,
        "get",
        "/api/v1/erasures",
        &app.get("/api/v1/erasures", &admin).await,
    );
    let log = include_bytes!("../fixtures/nwipe/readonly_fail.log");
    let imported = app
        .call(
            Method::POST,
            "/api/v1/erasures/nwipe",
            Some(&admin),
            Body::from(log.to_vec()),
            &[("content-type", "text/plain")],
        )
        .await;
    check(&doc, "post", "/api/v1/erasures/nwipe", &imported);
    check(
        &doc,
        "get",
        "/api/v1/devices/{id}/events",
        &app.get(&format!("/api/v1/devices/{id}/events"), &admin)
            .await,
    );
    let stale = app.act(&admin, &device.body, "dismantle", json!({})).await;
    check(&doc, "post", "/api/v1/devices/{id}/events", &stale);
    let invalid = app
        .post("/api/v1/devices", &admin, json!({"kind": "toaster"}))
        .await;
    check(&doc, "post", "/api/v1/devices", &invalid);
    let user = app
        .post(
            "/api/v1/users",
            &admin,
            json!({"email": "t@x.example", "role": "technician", "site_id": site_id}),
        )
        .await;
    check(&doc, "post", "/api/v1/users", &user);
    let token = app
        .post("/api/v1/tokens", &admin, json!({"name": "ci"}))
        .await;
    check(&doc, "post", "/api/v1/tokens", &token);
    check(
        &doc,
        "get",
        "/api/v1/tokens",
        &app.get("/api/v1/tokens", &admin).await,
    );
    check(
        &doc,
        "get",
        "/api/v1/ledger/events",
        &app.get("/api/v1/ledger/events", &admin).await,
    );
    check(
        &doc,
        "post",
        "/api/v1/ledger/checkpoints",
        &app.post("/api/v1/ledger/checkpoints", &admin, json!({}))
            .await,
    );
    let key = app
        .call(
            Method::GET,
            "/.well-known/retrace-signing-key",
            None,
            Body::empty(),
            &[],
        )
        .await;
    check(&doc, "get", "/.well-known/retrace-signing-key", &key);
    let viewer = app.token(Role::Viewer, None).await;
    check(
        &doc,
        "get",
        "/api/v1/donors",
        &app.get("/api/v1/donors", &viewer).await,
    );
}

/// The whole document, as reviewed: any change to a path, a parameter or a
/// schema shows up as a diff of `snapshots/api__openapi__openapi.snap` (run
/// `cargo insta review`, or set `INSTA_UPDATE=always` once the change is meant).
#[tokio::test]
async fn the_document_is_the_one_reviewed() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    insta::assert_json_snapshot!("openapi", doc);
}

/// The document's patterns for a SIRET and a beneficiary's postcode hold
/// everything the server accepts, spaces included: a fuzzer that sends a
/// text outside a pattern expects a refusal (and a client that checks
/// against the document must not refuse what the server takes).
#[test]
fn the_patterns_of_sirets_and_postcodes_hold_what_the_server_accepts() {
    use proptest::prelude::*;
    use retrace::beneficiaries::normalize_postcode;
    use retrace::donors::siret::Siret;

    let (_, document) = retrace::routes();
    let doc = serde_json::to_value(&document).expect("the document as JSON");
    let property = |schema: &str, field: &str| {
        let found = doc["components"]["schemas"][schema]["properties"][field].clone();
        assert!(found["pattern"].is_string(), "{schema}.{field}: {found}");
        jsonschema::validator_for(&found).unwrap_or_else(|e| panic!("{schema}.{field}: {e}"))
    };
    let sirets = [
        property("NewDonor", "siret"),
        property("DonorChanges", "siret"),
        property("SiteChanges", "siret"),
    ];
    let party = property("Party", "siret");
    let postcode = property("NewBeneficiary", "postcode");

    // Digits among the spaces a form or a spreadsheet may hold.
    let texts = proptest::collection::vec(
        prop_oneof![
            6 => proptest::char::range('0', '9'),
            1 => Just(' '),
            1 => Just('\u{a0}'),
            1 => Just('\u{202f}'),
            1 => Just('\t'),
            1 => Just('x'),
        ],
        0..20,
    )
    .prop_map(|chars| chars.into_iter().collect::<String>());
    proptest!(ProptestConfig::with_cases(2000), |(text in texts)| {
        let value = Value::String(text.clone());
        if Siret::parse(&text).is_ok() {
            for siret in &sirets {
                prop_assert!(siret.is_valid(&value), "{text:?}");
            }
        }
        if text.trim().is_empty() || Siret::parse(&text).is_ok() {
            prop_assert!(party.is_valid(&value), "{text:?}");
        }
        if text.chars().count() <= 10 && normalize_postcode(Some(text.clone())).is_ok() {
            prop_assert!(postcode.is_valid(&value), "{text:?}");
        }
    });
    // Fourteen digits with a valid key seldom come up by chance: a spaced
    // SIRET is checked on its own, so that the loop is not the only proof.
    for siret in &sirets {
        assert!(siret.is_valid(&json!("732 829 320 00074")));
        assert!(!siret.is_valid(&json!("7328293200007")));
    }
    assert!(postcode.is_valid(&json!("29 200")) && postcode.is_valid(&json!(" ")));
    assert!(!postcode.is_valid(&json!("2920")));
}
