//! Where a day starts, and how one gets around: a dashboard per role with
//! today's work counted, a navigation that offers each role only what it
//! may use and marks the page one is on, a device list to search, and an
//! error page in the site's layout for anything a browser should not have
//! asked — while a program asking the same gets the API's problem.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use retrace::principal::Role;
use serde_json::json;

use crate::helpers::TestApp;
use crate::web::{ACCEPT, Browser, user};

/// The links of the page's navigation (the desk's; the phone's menu holds the same).
fn nav(html: &str) -> Vec<String> {
    let wide = html
        .split("<nav class=\"wide\"")
        .nth(1)
        .expect("a navigation")
        .split("</nav>")
        .next()
        .unwrap();
    wide.split("<a href=\"")
        .skip(1)
        .map(|a| a.split('"').next().unwrap().to_owned())
        .collect()
}

fn current(html: &str) -> Vec<String> {
    html.split("aria-current=\"page\"")
        .skip(1)
        .map(|rest| {
            rest.split('<')
                .next()
                .unwrap()
                .trim_start_matches('>')
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn each_role_is_offered_only_the_pages_it_may_use_and_sees_where_it_is() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let mut offered = Vec::new();
    for (role, site) in [
        (Role::Viewer, None),
        (Role::Technician, Some(site)),
        (Role::Coordinator, Some(site)),
    ] {
        let email = user(&app, role, site).await;
        let mut browser = Browser::new(&app);
        browser.sign_in(&email).await;
        let page = browser.get("/devices").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        let links = nav(&page.text);
        // Every link offered opens for this role.
        for link in &links {
            let opened = browser.get(link).await;
            assert!(
                opened.status == StatusCode::OK
                    || (link == "/" && opened.status == StatusCode::SEE_OTHER),
                "{role:?} is offered {link}, which answers {}",
                opened.status
            );
        }
        // The page one is on is marked, once in each navigation.
        assert_eq!(current(&page.text), ["Appareils", "Appareils"], "{role:?}");
        let device_page = browser.get("/lots").await;
        assert_eq!(current(&device_page.text), ["Dons", "Dons"]);
        offered.push((role, links));
    }
    let has = |role: Role, link: &str| {
        offered
            .iter()
            .find(|(r, _)| *r == role)
            .unwrap()
            .1
            .iter()
            .any(|l| l == link)
    };
    // A funder reads; they are offered no bench, no desk, no scan.
    for link in [
        "/scan",
        "/audits",
        "/allocations",
        "/shipments",
        "/users",
        "/workers",
    ] {
        assert!(!has(Role::Viewer, link), "a viewer is offered {link}");
    }
    assert!(has(Role::Viewer, "/reports"));
    assert!(has(Role::Technician, "/scan") && has(Role::Technician, "/audits"));
    assert!(!has(Role::Technician, "/allocations") && !has(Role::Technician, "/users"));
    assert!(has(Role::Coordinator, "/allocations") && has(Role::Coordinator, "/users"));
}

#[tokio::test]
async fn the_dashboard_counts_today_s_work_for_the_bench_and_the_desk() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let admin = app.admin.clone();
    let lot = app.lot(&admin, site).await;
    // Two devices to inventory in the lot; one being erased with two drives,
    // one of which failed; one waiting for its check; one reserved.
    app.device(&admin, json!({"lot_id": lot, "kind": "laptop"}))
        .await;
    app.device(&admin, json!({"lot_id": lot, "kind": "desktop"}))
        .await;
    let erasing = app
        .device(&admin, json!({"site_id": site, "kind": "laptop"}))
        .await;
    let id = erasing["id"].as_str().unwrap();
    app.add_medium(&admin, id, "DRIVE-A").await;
    let failing = app.add_medium(&admin, id, "DRIVE-B").await;
    let erasing = app.step(&admin, &erasing, "audit", json!({})).await;
    app.step(&admin, &erasing, "start_erasure", json!({})).await;
    let failed = app
        .post(
            "/api/v1/erasures",
            &admin,
            json!({"medium_id": failing["id"], "category": "clear", "technique": "overwrite", "verification": "full",
                   "verification_result": "failed", "destination": "reuse_internal", "outcome": "failed"}),
        )
        .await;
    assert_eq!(failed.status, StatusCode::CREATED, "{}", failed.text);
    crate::allocations::ready_device(&app, &admin, site).await;

    let technician = user(&app, Role::Technician, Some(site)).await;
    let mut bench = Browser::new(&app);
    bench.sign_in(&technician).await;
    let home = bench.get("/").await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.text);
    let count = |html: &str, id: &str| -> String {
        html.split(&format!("id=\"{id}\">"))
            .nth(1)
            .unwrap_or_else(|| panic!("no {id} in {html}"))
            .split('<')
            .next()
            .unwrap()
            .to_owned()
    };
    assert_eq!(count(&home.text, "to-inventory"), "2");
    assert_eq!(
        count(&home.text, "to-erase"),
        "1",
        "DRIVE-A; DRIVE-B failed"
    );
    assert_eq!(count(&home.text, "failed-erasures"), "1");
    assert!(home.text.contains(failing["asset_tag"].as_str().unwrap()));
    assert!(!home.text.contains("id=\"desk\""), "no desk for the bench");
    // Each count opens its list.
    let listed = bench.get("/devices?state=received").await;
    assert_eq!(
        listed.text.matches("href=\"/d/").count(),
        2,
        "{}",
        listed.text
    );

    let coordinator = user(&app, Role::Coordinator, Some(site)).await;
    let mut desk = Browser::new(&app);
    desk.sign_in(&coordinator).await;
    let home = desk.get("/").await;
    assert_eq!(count(&home.text, "lots-to-label-count"), "1");
    assert!(home.text.contains(&format!("/lots/{lot}")));
    assert!(home.text.contains("id=\"desk\""));

    // A funder lands on the report.
    let viewer = user(&app, Role::Viewer, None).await;
    let mut funder = Browser::new(&app);
    funder.sign_in(&viewer).await;
    let home = funder.get("/").await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    assert_eq!(home.headers["location"], "/reports");
}

#[tokio::test]
async fn devices_are_found_by_state_kind_and_a_piece_of_their_serial() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let admin = app.admin.clone();
    let laptop = app
        .device(
            &admin,
            json!({"site_id": site, "kind": "laptop", "serial_number": "PF1ABC77"}),
        )
        .await;
    let monitor = app
        .device(
            &admin,
            json!({"site_id": site, "kind": "monitor", "serial_number": "CN0XYZ12"}),
        )
        .await;
    let technician = user(&app, Role::Technician, Some(site)).await;
    let mut bench = Browser::new(&app);
    bench.sign_in(&technician).await;
    let tag = |d: &serde_json::Value| format!("/d/{}", d["asset_tag"].as_str().unwrap());
    for (query, found, not) in [
        ("?kind=monitor", &monitor, &laptop),
        ("?q=abc7", &laptop, &monitor),
        ("?state=received&kind=laptop", &laptop, &monitor),
    ] {
        let page = bench.get(&format!("/devices{query}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(page.text.contains(&tag(found)), "{query}");
        assert!(!page.text.contains(&tag(not)), "{query}");
    }
    // A state that does not exist: the page says so, by the field's label.
    let refused = bench.get("/devices?state=flying").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("<html lang=\"fr\">"));
}

#[tokio::test]
async fn a_browser_gets_an_error_page_and_a_program_the_api_s_problem() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let email = user(&app, Role::Technician, Some(site)).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&email).await;
    // (Whether a program without a session gets the same status: a page
    // behind the sign-in sends it to sign in first.)
    for (path, status, says, open) in [
        (
            "/nowhere",
            StatusCode::NOT_FOUND,
            "Cette page n’existe pas",
            true,
        ),
        (
            "/verify/CERT-1900-999999",
            StatusCode::NOT_FOUND,
            "Cette page n’existe pas",
            true,
        ),
        (
            "/logout",
            StatusCode::METHOD_NOT_ALLOWED,
            "l’action d’un bouton",
            true,
        ),
        (
            "/reports?from=yesterday",
            StatusCode::BAD_REQUEST,
            "ne comprend pas",
            false,
        ),
    ] {
        let page = browser.get(path).await;
        assert_eq!(page.status, status, "{path}: {}", page.text);
        assert!(page.content_type().starts_with("text/html"), "{path}");
        assert!(page.text.contains(says), "{path}: {}", page.text);
        assert!(
            page.text.contains("<nav class=\"wide\""),
            "{path}: the site's layout"
        );
        if !open {
            continue;
        }
        // The same question from a program: the API's problem.
        let program = app
            .call(
                Method::GET,
                path,
                None,
                Body::empty(),
                &[("accept", "application/json")],
            )
            .await;
        assert_eq!(program.status, status, "{path}");
        assert_eq!(program.content_type(), "application/problem+json", "{path}");
    }
    // Under /api/ a browser too reads the API's answer.
    let api = app
        .call(
            Method::GET,
            "/api/v1/nowhere",
            None,
            Body::empty(),
            &[("accept", ACCEPT)],
        )
        .await;
    assert_eq!(api.content_type(), "application/problem+json");
    // Someone not signed in reads it in their browser's language.
    let anonymous = app
        .call(
            Method::GET,
            "/nowhere",
            None,
            Body::empty(),
            &[("accept", ACCEPT), ("accept-language", "en-GB,en;q=0.9")],
        )
        .await;
    assert!(
        anonymous.text.contains("This page does not exist"),
        "{}",
        anonymous.text
    );
    assert!(
        !anonymous.text.contains("<nav"),
        "no navigation without a session"
    );
}

#[tokio::test]
async fn a_shipment_opens_from_the_list_with_what_left_in_it() {
    let w = crate::world::World::new().await;
    let shipment = w.shipment().await;
    let id = shipment["id"].as_str().unwrap();
    let email = user(&w.app, Role::Coordinator, Some(w.site)).await;
    let mut desk = Browser::new(&w.app);
    desk.sign_in(&email).await;
    let list = desk.get("/shipments").await;
    assert!(
        list.text.contains(&format!("href=\"/shipments/{id}\"")),
        "{}",
        list.text
    );
    let page = desk.get(&format!("/shipments/{id}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    for said in [
        "Envie 2E Bretagne",
        "R 4 · Recyclage",
        "16 02 14",
        "BSD-20261127-XK2P9",
        "27/11/2026",
        "42,0 kg",
    ] {
        assert!(page.text.contains(said), "{said}: {}", page.text);
    }
    let tag = shipment["items"][0].as_str().unwrap();
    assert!(page.text.contains(&format!("href=\"/d/{tag}\"")));
}
