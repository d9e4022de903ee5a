//! The headers every answer carries: a page, a PDF, the donor portal, the
//! API and a problem all say what a browser may do with them; only the
//! static assets may be kept in a cache.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{TestApp, TestResponse};

fn header<'r>(response: &'r TestResponse, name: &str) -> &'r str {
    response
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no {name} on {:?}", response.headers))
}

#[track_caller]
fn secured(response: &TestResponse, what: &str) {
    let policy = header(response, "content-security-policy");
    assert!(
        policy.contains("frame-ancestors 'none'"),
        "{what}: {policy}"
    );
    assert!(!policy.contains("unsafe-inline"), "{what}: {policy}");
    assert_eq!(
        header(response, "x-content-type-options"),
        "nosniff",
        "{what}"
    );
    assert_eq!(header(response, "referrer-policy"), "no-referrer", "{what}");
    assert_eq!(header(response, "x-frame-options"), "DENY", "{what}");
}

#[tokio::test]
async fn pages_pdfs_the_portal_and_the_api_say_what_a_browser_may_do_with_them() {
    let app = TestApp::spawn().await;
    let anonymous = |path: &'static str| {
        let app = &app;
        async move { app.call(Method::GET, path, None, Body::empty(), &[]).await }
    };

    let page = anonymous("/login").await;
    assert_eq!(page.status, StatusCode::OK);
    secured(&page, "a page");
    assert_eq!(header(&page, "cache-control"), "no-store");

    let site = app.site("BRE").await;
    let lot = app.lot(&app.admin, site).await;
    app.device(&app.admin, json!({"lot_id": lot, "kind": "laptop"}))
        .await;
    let pdf = app
        .get(
            &format!("/api/v1/labels?lot_id={lot}&format=a4-l7163"),
            &app.admin,
        )
        .await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.text);
    assert_eq!(pdf.content_type(), "application/pdf");
    secured(&pdf, "a PDF");
    assert_eq!(header(&pdf, "cache-control"), "no-store");

    let link = app
        .post(
            &format!("/api/v1/lots/{lot}/portal-links"),
            &app.admin,
            json!({}),
        )
        .await;
    let url = link.body["url"].as_str().unwrap();
    let path = &url[url.find("/portal/").unwrap()..];
    let portal = app.call(Method::GET, path, None, Body::empty(), &[]).await;
    assert_eq!(portal.status, StatusCode::OK, "{}", portal.text);
    secured(&portal, "the donor portal");
    assert_eq!(header(&portal, "cache-control"), "no-store");

    let api = app.get("/api/v1/users/me", &app.admin).await;
    secured(&api, "an API answer");
    assert_eq!(header(&api, "cache-control"), "no-store");
    let problem = anonymous("/api/v1/no-such-thing").await;
    secured(&problem, "a problem");

    // The stylesheet may be cached; it is Retrace's own, like every script.
    let style = anonymous("/static/retrace.css").await;
    assert_eq!(style.status, StatusCode::OK);
    secured(&style, "a static asset");
    assert!(header(&style, "cache-control").starts_with("public"));
    // Over plain http, no HSTS: it would be ignored, or wrong behind a proxy.
    assert!(page.headers.get("strict-transport-security").is_none());
}

#[tokio::test]
async fn served_over_https_browsers_are_told_to_keep_to_it() {
    let app = TestApp::spawn_with(|s| s.public_url = "https://atelier.example".into()).await;
    let page = app
        .call(Method::GET, "/login", None, Body::empty(), &[])
        .await;
    assert!(
        header(&page, "strict-transport-security").starts_with("max-age="),
        "{:?}",
        page.headers
    );
}
