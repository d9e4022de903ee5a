//! The donor portal: a link that opens, one revoked, one expired, and every
//! answer of the portal walked for anything personal.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use retrace::principal::Role;
use serde_json::{Value, json};

use crate::certificates::{erase, lot_with_two_laptops};
use crate::helpers::{TestApp, TestResponse};

/// The portal as a donor opens it: no token.
async fn open(app: &TestApp, path: &str) -> TestResponse {
    app.call(Method::GET, path, None, Body::empty(), &[]).await
}

async fn link(app: &TestApp, token: &str, lot: &str, body: Value) -> Value {
    let answer = app
        .post(&format!("/api/v1/lots/{lot}/portal-links"), token, body)
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    answer.body
}

async fn site_of(app: &TestApp, lot: &str) -> retrace::ids::SiteId {
    let lot = app.get(&format!("/api/v1/lots/{lot}"), &app.admin).await;
    serde_json::from_value(lot.body["site_id"].clone()).unwrap()
}

fn secret_of(link: &Value) -> String {
    let url = link["url"].as_str().unwrap();
    assert!(url.starts_with("http://retrace.test/portal/rp_"), "{url}");
    url.rsplit('/').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_donor_follows_the_lot_through_its_link_until_it_is_revoked() {
    let app = TestApp::spawn().await;
    let (lot, _devices, media) = lot_with_two_laptops(&app, &app.admin).await;
    let site = site_of(&app, &lot).await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    erase(&app, &coordinator, &media[0]).await;
    erase(&app, &coordinator, &media[1]).await;
    let certificate = app
        .post(
            "/api/v1/certificates",
            &coordinator,
            json!({"kind": "donor", "lot_id": lot}),
        )
        .await;
    assert_eq!(
        certificate.status,
        StatusCode::CREATED,
        "{}",
        certificate.text
    );
    let number = certificate.body["number"].as_str().unwrap();

    let created = link(&app, &coordinator, &lot, json!({"label": "DSI"})).await;
    let secret = secret_of(&created);
    assert_eq!(created["status"], "active");
    let before = app.ledger_seq().await;
    let portal = open(&app, &format!("/api/v1/portal/{secret}")).await;
    assert_eq!(portal.status, StatusCode::OK, "{}", portal.text);
    assert_eq!(
        app.ledger_seq().await,
        before + 1,
        "the opening is an event"
    );
    let view = &portal.body;
    assert_eq!(view["donor"], "Société Générale d’Équipements & Cœur");
    assert_eq!(view["donor_reference"], "PO-4471 €");
    assert_eq!(view["devices"].as_array().unwrap().len(), 2);
    assert_eq!(view["devices"][0]["stage"], "erased");
    assert_eq!(view["devices"][0]["erased"], true);
    assert_eq!(view["devices"][0]["donor_asset_number"], "INV-0");
    assert!(
        view["devices"][0]["erasure"][0]
            .as_str()
            .unwrap()
            .contains("purge")
    );
    let erased = view["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == "erased")
        .unwrap();
    assert_eq!(erased["count"], 2);
    assert_eq!(view["certificates"][0]["number"], number);
    assert_eq!(
        view["certificates"][0]["verify_url"],
        retrace::certificates::verification::url("http://retrace.test", &app.state.key, number)
    );
    // The certificate downloads through the link, byte for byte as issued.
    let file = open(
        &app,
        &format!("/api/v1/portal/{secret}/certificates/{number}"),
    )
    .await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.bytes.starts_with(b"%PDF"));
    let issued = crate::certificates::download(&app, &coordinator, number).await;
    assert_eq!(file.bytes, issued);

    // The reconciliation file for the donor's IT: through the link and the API alike.
    let file = open(&app, &format!("/api/v1/portal/{secret}/reconciliation.csv")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&file.bytes[3..]);
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "donor_asset_number",
            "serial_number",
            "manufacturer",
            "model",
            "kind",
            "asset_tag",
            "outcome",
            "outcome_date",
            "erasure_standard",
            "erasure_result",
            "certificate_number",
            "certificate_verify_url",
            "lot_received_on"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][0], "INV-0");
    assert_eq!(&rows[0][1], "PF1ABC0");
    assert_eq!(&rows[0][3], "ThinkPad T480");
    assert_eq!(&rows[0][6], "in_progress");
    assert_eq!(&rows[0][8], "NIST SP 800-88 Rev. 1 purge (crypto_erase)");
    assert_eq!(&rows[0][9], "passed");
    assert_eq!(&rows[0][10], number);
    assert_eq!(
        rows[0][11],
        retrace::certificates::verification::url("http://retrace.test", &app.state.key, number)
    );
    assert_eq!(&rows[0][12], "2026-11-02");
    let through_api = app
        .get(
            &format!("/api/v1/lots/{lot}/reconciliation.csv"),
            &coordinator,
        )
        .await;
    assert_eq!(through_api.bytes, file.bytes);

    // The page, in French by default and in English.
    let page = open(&app, &format!("/portal/{secret}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text.contains("Le devenir de votre don"),
        "{}",
        page.text
    );
    assert!(page.text.contains("<strong>2</strong> effacés"));
    assert!(page.text.contains(&format!(
        "href=\"/api/v1/portal/{secret}/certificates/{number}\""
    )));
    // Summary first: the stages, each a link to its devices; no list yet.
    assert!(
        page.text
            .contains("href=\"?stage=erased&amp;lang=fr#devices\"")
    );
    assert!(
        !page.text.contains("INV-1"),
        "no device listed before asked"
    );
    // Its header names the workshop and leads to no staff sign-in.
    assert!(!page.text.contains("href=\"/\""), "{}", page.text);
    assert!(!page.text.contains("/login"));
    let english = app
        .call(
            Method::GET,
            &format!("/portal/{secret}?q=inv-1"),
            None,
            Body::empty(),
            &[("accept-language", "en-GB,en;q=0.9")],
        )
        .await;
    assert!(english.text.contains("What became of your donation"));
    assert!(
        english.text.contains("INV-1"),
        "found by the donor's own number"
    );
    let erased = open(&app, &format!("/portal/{secret}?stage=erased")).await;
    assert!(
        erased.text.contains("Appareils listés : 2."),
        "{}",
        erased.text
    );
    let none = open(&app, &format!("/portal/{secret}?stage=lost")).await;
    assert!(none.text.contains("Appareils listés : 0."), "{}", none.text);

    // Coordinators see the link opened, never its secret.
    let listed = app
        .get(&format!("/api/v1/lots/{lot}/portal-links"), &coordinator)
        .await;
    assert_eq!(
        listed.body[0]["opened_count"], 1,
        "the API once and the page twice, on one day: one opening"
    );
    assert!(!listed.text.contains(&secret));
    assert!(listed.body[0].get("url").is_none());

    // Revoked: the same answer as a link that never existed.
    let revoked = app
        .post(
            &format!(
                "/api/v1/portal-links/{}/revoke",
                created["id"].as_str().unwrap()
            ),
            &coordinator,
            json!({"expected_version": 1}),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.text);
    assert_eq!(revoked.body["status"], "revoked");
    let gone = open(&app, &format!("/api/v1/portal/{secret}")).await;
    let never = open(&app, "/api/v1/portal/rp_thisneverexisted").await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(gone.body, never.body);
    let file = open(
        &app,
        &format!("/api/v1/portal/{secret}/certificates/{number}"),
    )
    .await;
    assert_eq!(file.status, StatusCode::NOT_FOUND);
    let page = open(&app, &format!("/portal/{secret}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    // Revoking twice is refused; another site's coordinator sees no link.
    let again = app
        .post(
            &format!(
                "/api/v1/portal-links/{}/revoke",
                created["id"].as_str().unwrap()
            ),
            &coordinator,
            json!({"expected_version": 2}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let other = app.site("NAN").await;
    let stranger = app.token(Role::Coordinator, Some(other)).await;
    app.get(&format!("/api/v1/lots/{lot}/portal-links"), &stranger)
        .await
        .problem(StatusCode::NOT_FOUND);
    let technician = app.token(Role::Technician, Some(site)).await;
    app.post(
        &format!("/api/v1/lots/{lot}/portal-links"),
        &technician,
        json!({}),
    )
    .await
    .problem(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_link_past_its_last_day_is_gone() {
    let day = |d: &str| format!("{d}T10:00:00Z").parse().unwrap();
    let app = TestApp::spawn_at(day("2025-03-01")).await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let lot = app.lot(&coordinator, site).await;
    let past = app
        .post(
            &format!("/api/v1/lots/{lot}/portal-links"),
            &coordinator,
            json!({"expires_on": "2025-02-28"}),
        )
        .await;
    assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
    let created = link(
        &app,
        &coordinator,
        &lot,
        json!({"expires_on": "2025-03-15"}),
    )
    .await;
    let secret = secret_of(&created);
    assert!(app.clock().set(day("2025-03-15")));
    let last_day = open(&app, &format!("/api/v1/portal/{secret}")).await;
    assert_eq!(last_day.status, StatusCode::OK, "the last day still opens");
    assert!(app.clock().set(day("2025-03-16")));
    let expired = open(&app, &format!("/api/v1/portal/{secret}")).await;
    let never = open(&app, "/api/v1/portal/rp_thisneverexisted").await;
    assert_eq!(expired.status, StatusCode::NOT_FOUND);
    assert_eq!(expired.body, never.body);
    let file = open(&app, &format!("/api/v1/portal/{secret}/reconciliation.csv")).await;
    assert_eq!(file.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_link_opens_a_year_unless_told_otherwise_and_is_recorded_once_a_day() {
    let day = |d: &str| format!("{d}T10:00:00Z").parse().unwrap();
    let app = TestApp::spawn_at(day("2025-03-01")).await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let lot = app.lot(&coordinator, site).await;
    let created = link(&app, &coordinator, &lot, json!({})).await;
    assert_eq!(created["expires_on"], "2026-03-01", "{created}");
    let secret = secret_of(&created);

    // A preview bot and a reloading browser: a hundred openings in a day.
    let before = app.ledger_seq().await;
    for _ in 0..100 {
        let page = open(&app, &format!("/api/v1/portal/{secret}")).await;
        assert_eq!(page.status, StatusCode::OK);
    }
    assert_eq!(
        app.ledger_seq().await,
        before + 1,
        "one portal_link.opened a day"
    );
    assert!(app.clock().set(day("2025-03-02")));
    open(&app, &format!("/api/v1/portal/{secret}")).await;
    assert_eq!(app.ledger_seq().await, before + 2);
    let listed = app
        .get(&format!("/api/v1/lots/{lot}/portal-links"), &coordinator)
        .await;
    assert_eq!(listed.body[0]["opened_count"], 2, "{}", listed.text);

    assert!(app.clock().set(day("2026-03-02")));
    let expired = open(&app, &format!("/api/v1/portal/{secret}")).await;
    assert_eq!(expired.status, StatusCode::NOT_FOUND);
}

/// Every string in an answer, keys and values.
fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => {
            for (k, v) in map {
                out.push(k.clone());
                strings(v, out);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn no_portal_answer_holds_anything_personal() {
    let app = TestApp::spawn().await;
    let (lot, devices, media) = lot_with_two_laptops(&app, &app.admin).await;
    let site = site_of(&app, &lot).await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    erase(&app, &coordinator, &media[0]).await;
    erase(&app, &coordinator, &media[1]).await;
    // One device goes to a named person; a worker is on the team; another donor gives too.
    let person = crate::allocations::beneficiary(
        &app,
        &coordinator,
        json!({"category": "student", "postcode": "29200", "name": "Camille Beneficiaire",
               "email": "camille@example.org", "phone": "0611223344"}),
    )
    .await;
    let device = app
        .fetch_device(&coordinator, devices[0]["id"].as_str().unwrap())
        .await;
    let device = app
        .step(&coordinator, &device, "start_refurbish", json!({}))
        .await;
    let device = app
        .step(
            &coordinator,
            &device,
            "install_os",
            json!({"os": "Debian 13"}),
        )
        .await;
    let all = json!({"boot": true, "keyboard": true, "screen": true, "battery": true, "network": true, "os": true});
    app.step(&coordinator, &device, "pass_qc", json!({"checklist": all}))
        .await;
    let allocation = crate::allocations::allocate(&app, &coordinator, &device, &person).await;
    let delivered = app
        .post(
            &format!(
                "/api/v1/allocations/{}/deliver",
                allocation["id"].as_str().unwrap()
            ),
            &coordinator,
            json!({"expected_version": 1}),
        )
        .await;
    assert_eq!(delivered.status, StatusCode::OK, "{}", delivered.text);
    crate::workforce::worker(&app, &coordinator, json!({"display_name": "Dominique Salarie", "contract_kind": "insertion", "started_on": "2026-01-05", "weekly_hours": 26})).await;
    app.post(
        "/api/v1/donors",
        &coordinator,
        json!({"name": "Autre Donateur SA", "kind": "company"}),
    )
    .await;
    let issued = app
        .post(
            "/api/v1/certificates",
            &coordinator,
            json!({"kind": "donor", "lot_id": lot}),
        )
        .await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.text);
    let created = link(&app, &coordinator, &lot, json!({})).await;
    let secret = secret_of(&created);

    let portal = open(&app, &format!("/api/v1/portal/{secret}")).await;
    assert_eq!(portal.status, StatusCode::OK);
    assert_eq!(portal.body["devices"][0]["stage"], "reused");
    assert_eq!(
        portal.body["certificates"].as_array().unwrap().len(),
        1,
        "the donor certificate is offered, and read below"
    );
    let mut answers = vec![portal.body.clone()];
    for certificate in portal.body["certificates"].as_array().unwrap() {
        let number = certificate["number"].as_str().unwrap();
        let file = open(
            &app,
            &format!("/api/v1/portal/{secret}/certificates/{number}"),
        )
        .await;
        assert_eq!(file.status, StatusCode::OK);
        let path = app.dir.path().join("portal.pdf");
        std::fs::write(&path, &file.bytes).unwrap();
        answers.push(Value::String(crate::helpers::pdftotext(&path)));
    }
    // The page the donor opens on a phone says no more.
    for lang in ["fr", "en"] {
        let page = open(&app, &format!("/portal/{secret}?lang={lang}")).await;
        assert_eq!(page.status, StatusCode::OK);
        answers.push(Value::String(page.text));
    }
    let file = open(&app, &format!("/api/v1/portal/{secret}/reconciliation.csv")).await;
    assert_eq!(file.status, StatusCode::OK);
    let text = String::from_utf8(file.bytes.clone()).unwrap();
    assert!(text.contains(";reused;"), "{text}");
    answers.push(Value::String(text));
    let reference = person["reference"].as_str().unwrap();
    let mut said = Vec::new();
    for answer in &answers {
        strings(answer, &mut said);
    }
    let said = said.join("\n").to_lowercase();
    for personal in [
        "camille",
        "beneficiaire",
        "camille@example.org",
        "0611223344",
        &reference.to_lowercase(),
        "dominique",
        "salarie",
        "autre donateur",
        "beneficiary",
        "operator",
        "email",
        "phone",
        "@retrace.test",
    ] {
        assert!(!said.contains(personal), "{personal} in a portal answer");
    }
}

#[tokio::test]
async fn a_coordinator_creates_and_revokes_links_from_the_lot_page() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let lot = app.lot(&coordinator, site).await;
    let email = crate::web::user(&app, Role::Coordinator, Some(site)).await;
    let mut browser = crate::web::Browser::new(&app);
    browser.sign_in(&email).await;
    let page = browser.get(&format!("/lots/{lot}")).await;
    assert!(page.text.contains("Portail donateur"), "{}", page.text);
    let csrf = crate::web::field(&page.text, "csrf");
    let refused = browser
        .post(
            &format!("/lots/{lot}/portal-links"),
            &[
                ("csrf", &csrf),
                ("label", "DSI"),
                ("expires_on", "2001-01-01"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("role=\"alert\""), "{}", refused.text);
    let created = browser
        .post(
            &format!("/lots/{lot}/portal-links"),
            &[("csrf", &csrf), ("label", "DSI Acme"), ("expires_on", "")],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text);
    let marker = "id=\"portal-url\" class=\"wide\"";
    assert!(created.text.contains(marker));
    let url = created
        .text
        .split("value=\"")
        .find(|part| part.starts_with("http://retrace.test/portal/rp_"))
        .and_then(|part| part.split('"').next())
        .expect("the new address")
        .to_owned();
    let path = url.trim_start_matches("http://retrace.test");
    assert_eq!(open(&app, path).await.status, StatusCode::OK);
    // Listed without its address; revoked from the page.
    let page = browser.get(&format!("/lots/{lot}")).await;
    assert!(page.text.contains("DSI Acme"));
    assert!(
        page.text.contains("1 ouverture") && !page.text.contains("ouvertures"),
        "one opening, in the singular"
    );
    assert!(!page.text.contains(path));
    let link = page
        .text
        .split(&format!("/lots/{lot}/portal-links/"))
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_owned();
    let revoked = browser
        .post(
            &format!("/lots/{lot}/portal-links/{link}/revoke"),
            &[("csrf", &csrf), ("version", "1")],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.text);
    assert_eq!(open(&app, path).await.status, StatusCode::NOT_FOUND);
    let page = browser.get(&format!("/lots/{lot}")).await;
    assert!(page.text.contains("révoqué"));
    // The reconciliation file, with the session.
    let file = browser
        .get(&format!("/lots/{lot}/reconciliation.csv"))
        .await;
    assert!(String::from_utf8_lossy(&file.bytes).contains("donor_asset_number;serial_number"));
    // A technician sees no portal section.
    let technician = crate::web::user(&app, Role::Technician, Some(site)).await;
    let mut bench = crate::web::Browser::new(&app);
    bench.sign_in(&technician).await;
    let page = bench.get(&format!("/lots/{lot}")).await;
    assert!(!page.text.contains("Portail donateur"));
}

/// Counting certificate numbers or guessing portal secrets from one
/// machine: the public pages answer it so often a minute, then 429 with
/// `Retry-After`; another machine, and signed-in staff, are not held up.
#[tokio::test]
async fn the_public_pages_answer_one_client_so_often_a_minute() {
    let app = TestApp::spawn().await;
    let prober: std::net::SocketAddr = "203.0.113.5:4000".parse().unwrap();
    let other: std::net::SocketAddr = "198.51.100.5:4000".parse().unwrap();
    let open_from = |peer, n: usize| {
        let app = &app;
        async move {
            app.call_from(
                Some(peer),
                Method::GET,
                &format!("/verify/BRE-2026-{n:04}"),
                None,
                Body::empty(),
                &[],
            )
            .await
        }
    };
    for n in 0..retrace::limits::PER_MINUTE {
        assert_eq!(open_from(prober, n).await.status, StatusCode::NOT_FOUND);
    }
    let stopped = open_from(prober, 9999).await;
    stopped.problem(StatusCode::TOO_MANY_REQUESTS);
    assert!(stopped.headers.contains_key("retry-after"));
    assert_eq!(open_from(other, 1).await.status, StatusCode::NOT_FOUND);
    let staff = app
        .call_from(
            Some(prober),
            Method::GET,
            "/verify/BRE-2026-0001",
            Some(&app.admin),
            Body::empty(),
            &[],
        )
        .await;
    assert_eq!(staff.status, StatusCode::NOT_FOUND);
}
