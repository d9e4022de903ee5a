//! The role × endpoint matrix and site isolation, driven by the OpenAPI
//! document rather than by a list kept by hand.
//!
//! Every operation that writes is sent by every role with a valid body to a
//! real resource made for that one request (`writes::prepare`), so that only the
//! permission can refuse it: a refused role gets `403` and the ledger does
//! not move; an allowed role succeeds with the very same request. Every
//! operation that names a resource (`{id}`, `{number}`, `{code}`) is then
//! sent by a coordinator of another site: `404`, as if it did not exist, and
//! the ledger unchanged. An operation added to the API without a way to
//! prepare it here fails the test until one is written.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::openapi::{document, query_string, required_parameters};
use crate::world::{Call, Who, World, id};
use crate::writes::{EVERYONE, ROLES, allowed, prepare};

/// Every operation of the document, as (method, path).
fn operations(doc: &Value) -> Vec<(String, String)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            all.push((method.clone(), path.clone()));
        }
    }
    all
}

fn writes(method: &str) -> bool {
    method != "get"
}

/// Operations that answer the public or authenticate: no role to check.
fn is_sign_in(path: &str) -> bool {
    matches!(path, "/api/v1/login" | "/api/v1/logout")
}

#[tokio::test]
async fn every_write_is_refused_to_the_roles_without_its_permission_and_done_for_the_others() {
    let w = World::new().await;
    let doc = document(&w.app).await;
    let unknown: Vec<String> = operations(&doc)
        .into_iter()
        .filter(|(m, p)| writes(m) && allowed(m, p).is_none())
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        unknown.is_empty(),
        "writes this matrix does not know: {unknown:#?}"
    );
    let mut checked = 0;
    for (method, path) in operations(&doc) {
        if !writes(&method) || is_sign_in(&path) {
            continue;
        }
        let allowed = allowed(&method, &path).unwrap();
        let http = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        for who in ROLES {
            let call = prepare(&w, who, &method, &path).await;
            let before = w.app.ledger_seq().await;
            let answer = w.send(who, &http, &call).await;
            if allowed.contains(&who) {
                assert!(
                    answer.status.is_success(),
                    "{who:?} may {method} {path} ({}): {}",
                    call.path,
                    answer.text
                );
            } else {
                assert_eq!(
                    answer.status,
                    StatusCode::FORBIDDEN,
                    "{who:?} may not {method} {path} ({}): {}",
                    call.path,
                    answer.text
                );
                assert_eq!(
                    w.app.ledger_seq().await,
                    before,
                    "{who:?}'s refused {method} {path} wrote"
                );
            }
            checked += 1;
        }
    }
    eprintln!("role checks: {checked}");
    assert!(checked > 150, "{checked}");
}

/// The resource a path's placeholder names, made in the site under test,
/// for reading it: `{id}` by the collection it follows.
async fn existing(w: &World, path: &str) -> Option<String> {
    let segments: Vec<&str> = path.trim_start_matches("/api/v1/").split('/').collect();
    let collection = segments[0];
    let value = match (collection, segments.get(1).copied()) {
        ("devices", Some("{id}")) => w.device().await["id"].clone(),
        ("media", Some("{id}")) => w.device_with_medium().await.1["id"].clone(),
        ("lots", Some("{id}")) => w.lot().await["id"].clone(),
        ("erasures", Some("{id}")) => {
            let (_, medium) = w.device_with_medium().await;
            crate::certificates::erase(&w.app, w.setup(), &medium).await;
            let list = w
                .app
                .get(
                    &format!("/api/v1/erasures?medium_id={}", id(&medium)),
                    w.setup(),
                )
                .await;
            list.body["items"][0]["id"].clone()
        }
        ("allocations", Some("{id}")) => w.delivered().await["id"].clone(),
        ("complaints", Some("{id}")) => w.complaint().await["id"].clone(),
        ("beneficiaries", Some("{id}")) => w.beneficiary().await["id"].clone(),
        ("workers", Some("{id}")) => w.worker().await["id"].clone(),
        ("timesheets", Some("{id}")) => w.timesheet().await["id"].clone(),
        ("audits", Some("{id}")) => w.audit().await["id"].clone(),
        ("portal-links", Some("{id}")) => w.portal_link().await["id"].clone(),
        ("waste-shipments", Some("{id}")) => {
            let device = w.erased_device().await;
            w.post(
                "/api/v1/waste-shipments",
                json!({"dispatched_on": "2026-11-30", "site_id": w.site, "recycler": {"name": "Recycleur", "siret": "73282932000074"},
                       "waste_code": "16 02 14", "treatment_code": "R 4", "items": [{"device_id": device["id"]}]}),
            )
            .await["id"]
                .clone()
        }
        ("users", Some("{id}")) => json!(w.user(Who::Technician)),
        ("tokens", Some("{id}")) => return None,
        ("certificates", Some("{number}")) => w.certificate().await["number"].clone(),
        ("scan", Some("{code}")) => w.device().await["asset_tag"].clone(),
        _ => return None,
    };
    Some(value.as_str().unwrap().to_owned())
}

/// What another site's coordinator may see of this site, by design: the
/// site itself (sites are the network's directory), donors (shared by the
/// sites of an instance), and what anyone may read without an account.
fn shared(path: &str) -> bool {
    path.starts_with("/api/v1/sites/")
        || path.starts_with("/api/v1/donors/")
        || path.starts_with("/api/v1/portal/")
        || path.starts_with("/verify/")
}

#[tokio::test]
async fn another_site_s_coordinator_gets_404_for_every_resource_and_writes_nothing() {
    let w = World::new().await;
    let doc = document(&w.app).await;
    let mut checked = 0;
    for (method, path) in operations(&doc) {
        if !path.contains('{') || shared(&path) {
            continue;
        }
        if writes(&method) && allowed(&method, &path) == Some(EVERYONE) {
            // One's own tokens: nothing of the site's to reach.
            continue;
        }
        let http = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let call = if writes(&method) {
            prepare(&w, Who::Stranger, &method, &path).await
        } else {
            let Some(value) = existing(&w, &path).await else {
                panic!("no resource to read for {method} {path}: add it to `existing`")
            };
            let concrete = path
                .replace("{id}", &value)
                .replace("{number}", &value)
                .replace("{code}", &value)
                + &query_string(&required_parameters(&doc, &method, &path));
            Call {
                path: concrete,
                body: Vec::new(),
                content_type: "application/json",
            }
        };
        let before = w.app.ledger_seq().await;
        let answer = w.send(Who::Stranger, &http, &call).await;
        assert_eq!(
            answer.status,
            StatusCode::NOT_FOUND,
            "another site's coordinator: {method} {}: {}",
            call.path,
            answer.text
        );
        assert_eq!(w.app.ledger_seq().await, before, "{method} {path} wrote");
        // The same request by the site's own admin: the resource is real.
        let own = w.send(Who::Admin, &http, &call).await;
        assert!(
            own.status.is_success(),
            "the site's admin: {method} {}: {}",
            call.path,
            own.text
        );
        checked += 1;
    }
    eprintln!("isolation checks: {checked}");
    assert!(checked > 40, "{checked}");

    // Writes whose body names the site's resources (a device to reserve, a
    // drive to record an erasure of, a worker's hours…): refused, nothing written.
    let mut checked = 0;
    for (method, path) in operations(&doc) {
        if !writes(&method) || path.contains('{') || !names_a_resource(&path) {
            continue;
        }
        let call = prepare(&w, Who::Stranger, &method, &path).await;
        let http = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let before = w.app.ledger_seq().await;
        let answer = w.send(Who::Stranger, &http, &call).await;
        assert!(
            matches!(
                answer.status,
                StatusCode::NOT_FOUND | StatusCode::UNPROCESSABLE_ENTITY | StatusCode::FORBIDDEN
            ),
            "another site's coordinator: {method} {}: {} {}",
            call.path,
            answer.status,
            answer.text
        );
        assert_eq!(w.app.ledger_seq().await, before, "{method} {path} wrote");
        let own = w.send(Who::Admin, &http, &call).await;
        assert!(
            own.status.is_success(),
            "{method} {}: {}",
            call.path,
            own.text
        );
        checked += 1;
    }
    assert!(checked >= 8, "{checked}");
}

/// Collections whose creation names another record of a site (or the site).
fn names_a_resource(path: &str) -> bool {
    !matches!(
        path,
        "/api/v1/login"
            | "/api/v1/logout"
            | "/api/v1/tokens"
            | "/api/v1/donors"
            | "/api/v1/sites"
            | "/api/v1/ledger/checkpoints"
            // One's own password: one's own resource, wherever one works.
            | "/api/v1/users/me/password"
    )
}
