//! The web pages through HTTP: sign-in with a session cookie, CSRF on every
//! form, actions recorded through the ledger, the public card for everyone
//! else, and other sites' devices out of sight. (The browser itself is
//! tested by tests/e2e in headless Chromium.)

use axum::body::Body;
use axum::http::{Method, StatusCode};
use retrace::ids::SiteId;
use retrace::principal::Role;
use sea_orm::EntityTrait;
use serde_json::json;

use crate::helpers::{TestApp, TestResponse};

pub const PASSWORD: &str = "un-mot-de-passe-solide";

/// What Chromium asks for when it opens a page.
pub const ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/// A browser: remembers its cookies; set to French unless told otherwise.
pub struct Browser<'a> {
    app: &'a TestApp,
    cookies: Vec<(String, String)>,
    language: &'static str,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            cookies: Vec::new(),
            language: "fr-FR,fr;q=0.9",
        }
    }

    fn in_language(app: &'a TestApp, language: &'static str) -> Self {
        Self {
            language,
            ..Self::new(app)
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn remember(&mut self, response: &TestResponse) {
        for value in response.headers.get_all("set-cookie") {
            let text = value.to_str().unwrap();
            let (pair, _) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair.split_once('=').unwrap();
            self.cookies.retain(|(k, _)| k != name);
            if !value.is_empty() {
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        let cookie = self.cookie_header();
        let response = self
            .app
            .call(
                Method::GET,
                path,
                None,
                Body::empty(),
                &[
                    ("cookie", &cookie),
                    ("accept-language", self.language),
                    ("accept", ACCEPT),
                ],
            )
            .await;
        self.remember(&response);
        response
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> TestResponse {
        let cookie = self.cookie_header();
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let response = self
            .app
            .call(
                Method::POST,
                path,
                None,
                Body::from(body),
                &[
                    ("cookie", &cookie),
                    ("content-type", "application/x-www-form-urlencoded"),
                    ("accept-language", self.language),
                    ("accept", ACCEPT),
                ],
            )
            .await;
        self.remember(&response);
        response
    }

    /// Signs in with the tests' password; the sign-in must succeed: a
    /// redirect to the page asked for, and a session cookie kept.
    #[track_caller]
    pub fn sign_in(&mut self, email: &str) -> impl Future<Output = TestResponse> {
        let caller = std::panic::Location::caller();
        async move {
            let response = self.sign_in_with(email, PASSWORD).await;
            assert_eq!(
                response.status,
                StatusCode::SEE_OTHER,
                "{email} could not sign in (at {caller}): {}",
                response.text
            );
            assert_eq!(response.headers["location"], "/scan", "at {caller}");
            assert!(
                self.cookies
                    .iter()
                    .any(|(name, _)| name == "retrace_session"),
                "no session cookie for {email} (at {caller})"
            );
            response
        }
    }

    /// The beneficiaries page's search, posted as its form does.
    pub async fn search_beneficiaries(&mut self, q: &str) -> TestResponse {
        let page = self.get("/beneficiaries").await;
        let csrf = field(&page.text, "csrf");
        self.post("/beneficiaries/search", &[("csrf", &csrf), ("q", q)])
            .await
    }

    pub async fn sign_in_with(&mut self, email: &str, password: &str) -> TestResponse {
        let form = self.get("/login").await;
        let csrf = field(&form.text, "csrf");
        self.post(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", email),
                ("password", password),
                ("next", "/scan"),
            ],
        )
        .await
    }
}

/// The value of a hidden input in a page.
pub fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in:\n{html}"))
        + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

pub async fn user(app: &TestApp, role: Role, site: Option<SiteId>) -> String {
    let email = format!(
        "{}-{}@atelier.test",
        role.as_str(),
        uuid::Uuid::now_v7().simple()
    );
    let body = json!({"email": email, "role": role, "site_id": site, "password": PASSWORD});
    let created = app.post("/api/v1/users", &app.admin, body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    email
}

async fn laptop(app: &TestApp, site: SiteId) -> serde_json::Value {
    app.device(&app.admin, json!({"site_id": site, "kind": "laptop", "manufacturer": "Lenovo", "model": "ThinkPad T480", "serial_number": "PF1WEB"})).await
}

#[tokio::test]
async fn signing_in_sets_a_protected_session_cookie_and_signing_out_ends_it_and_neither_is_an_event()
 {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let email = user(&app, Role::Technician, Some(site)).await;
    let mut browser = Browser::new(&app);

    let page = browser.get("/scan").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.headers["location"], "/login?next=/scan");

    let before = app.ledger_seq().await;
    let signed_in = browser.sign_in(&email).await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.text
    );
    assert_eq!(signed_in.headers["location"], "/scan");
    let cookie = signed_in
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("retrace_session="))
        .unwrap();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert_eq!(
        app.ledger_seq().await,
        before,
        "signing in is authentication, not a ledger event"
    );
    let secret = cookie.split(';').next().unwrap()["retrace_session=".len()..].to_owned();
    assert!(secret.starts_with("rs_"), "{secret}");
    // Only the secret's SHA-256 is kept, beside the ledger, and the secret is
    // no API token.
    use sha2::Digest;
    let digest = hex::encode(sha2::Sha256::digest(secret.as_bytes()));
    let sessions = entities::web_session::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].token_sha256, digest);
    app.get("/api/v1/users/me", &secret)
        .await
        .problem(StatusCode::UNAUTHORIZED);

    let scan = browser.get("/scan").await;
    assert_eq!(scan.status, StatusCode::OK);
    assert!(scan.text.contains("Scanner une étiquette"));

    let csrf = field(&scan.text, "csrf");
    let out = browser.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(app.ledger_seq().await, before, "nor is signing out");
    assert!(
        entities::web_session::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap()
            .is_empty(),
        "the ended session leaves no row"
    );
    // The old cookie is worthless now, even replayed.
    let mut replay = Browser::new(&app);
    replay.cookies = vec![("retrace_session".into(), secret)];
    assert_eq!(replay.get("/scan").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_wrong_password_or_a_forged_sign_in_form_is_refused() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let email = user(&app, Role::Technician, Some(site)).await;
    let mut browser = Browser::new(&app);
    let form = browser.get("/login").await;
    let csrf = field(&form.text, "csrf");
    let wrong = browser
        .post(
            "/login",
            &[("csrf", &csrf), ("email", &email), ("password", "nope")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.text.contains("incorrect"), "{}", wrong.text);

    // A form posted from elsewhere has no matching login cookie.
    let mut forger = Browser::new(&app);
    let forged = forger
        .post(
            "/login",
            &[("csrf", &csrf), ("email", &email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forger.cookies.iter().all(|(k, _)| k != "retrace_session"));
}

#[tokio::test]
async fn a_device_action_needs_the_forms_csrf_token_and_is_recorded_in_the_ledger() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let email = user(&app, Role::Technician, Some(site)).await;
    let device = laptop(&app, site).await;
    let tag = device["asset_tag"].as_str().unwrap();
    let mut browser = Browser::new(&app);
    browser.sign_in(&email).await;

    let page = browser.get(&format!("/d/{tag}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("data-action=\"audit\""), "{}", page.text);
    let csrf = field(&page.text, "csrf");

    let before = app.ledger_seq().await;
    let forged = browser
        .post(
            &format!("/d/{tag}"),
            &[
                ("csrf", "0000"),
                ("action", "audit"),
                ("expected_version", "1"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.ledger_seq().await,
        before,
        "a forged form writes nothing"
    );

    let done = browser
        .post(
            &format!("/d/{tag}"),
            &[
                ("csrf", &csrf),
                ("action", "audit"),
                ("expected_version", "1"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    assert_eq!(
        app.fetch_device(&app.admin, device["id"].as_str().unwrap())
            .await["state"],
        "inventoried"
    );

    // The same stale form again: the page says why, nothing is written.
    let stale = browser
        .post(
            &format!("/d/{tag}"),
            &[
                ("csrf", &csrf),
                ("action", "audit"),
                ("expected_version", "1"),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.text.contains("role=\"alert\""));
    assert!(
        stale
            .text
            .contains("L’appareil a changé depuis l’ouverture de cette page"),
        "the page tells why in the reader's language: {}",
        stale.text
    );

    // An action the state does not allow: named in French, as on the buttons.
    let refused = browser
        .post(
            &format!("/d/{tag}"),
            &[
                ("csrf", &csrf),
                ("action", "start_refurbish"),
                ("expected_version", "2"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused
            .text
            .contains("« Commencer le reconditionnement » est impossible pour un appareil à l’état « Inventorié »"),
        "{}",
        refused.text
    );
    let unknown = browser
        .post("/scan", &[("csrf", &csrf), ("code", "PF-NOWHERE")])
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(
        unknown
            .text
            .contains("Aucun appareil ni support de vos ateliers ne porte l’étiquette ou le numéro de série « PF-NOWHERE »"),
        "{}",
        unknown.text
    );
}

#[tokio::test]
async fn a_label_opens_a_public_card_without_history_serial_or_donor() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let donor = app
        .post(
            "/api/v1/donors",
            &app.admin,
            json!({"name": "Crédit Kerhervé", "kind": "company"}),
        )
        .await;
    assert_eq!(donor.status, StatusCode::CREATED, "{}", donor.text);
    let lot = app
        .post("/api/v1/lots", &app.admin, json!({"donor_id": donor.body["id"], "site_id": site, "received_on": "2026-11-02", "donor_reference": "PO-KERH-77"}))
        .await;
    assert_eq!(lot.status, StatusCode::CREATED, "{}", lot.text);
    let device = app.device(&app.admin, json!({"lot_id": lot.body["id"], "kind": "laptop", "manufacturer": "Lenovo", "model": "ThinkPad T480", "serial_number": "PF1WEB", "donor_asset_number": "INV-KERH-0042"})).await;
    let tag = device["asset_tag"].as_str().unwrap();
    // What a signed-in coordinator sees of it, the card must not show.
    let coordinator = user(&app, Role::Coordinator, Some(site)).await;
    let mut staff = Browser::new(&app);
    staff.sign_in(&coordinator).await;
    let full = staff.get(&format!("/d/{tag}")).await;
    assert_eq!(full.status, StatusCode::OK);
    for private in ["PF1WEB", "id=\"history\""] {
        assert!(
            full.text.contains(private),
            "the staff page shows {private}"
        );
    }
    let mut anyone = Browser::new(&app);
    let card = anyone.get(&format!("/d/{tag}")).await;
    assert_eq!(card.status, StatusCode::OK);
    assert!(card.text.contains("Atelier BRE"));
    assert!(card.text.contains("ThinkPad T480"));
    for private in ["PF1WEB", "Kerhervé", "PO-KERH-77", "INV-KERH-0042"] {
        assert!(!card.text.contains(private), "{private} is not public");
    }
    assert!(!card.text.contains("id=\"history\""));
    let unknown = anyone.get("/d/BRE-999999-Z").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_public_card_speaks_the_browser_s_language() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let device = laptop(&app, site).await;
    let path = format!("/d/{}", device["asset_tag"].as_str().unwrap());

    let english = Browser::in_language(&app, "en-GB,en;q=0.8")
        .get(&path)
        .await;
    assert_eq!(english.status, StatusCode::OK);
    assert!(english.text.contains("lang=\"en\""), "{}", english.text);
    assert!(english.text.contains("This device was refurbished by"));
    assert!(english.text.contains("Laptop Lenovo ThinkPad T480"));

    let french = Browser::in_language(&app, "de-DE, fr;q=0.5")
        .get(&path)
        .await;
    assert!(french.text.contains("Cet appareil a été reconditionné par"));
    assert!(french.text.contains("Portable Lenovo ThinkPad T480"));
}

#[tokio::test]
async fn a_signed_in_user_reads_pages_in_the_language_of_their_account() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let device = laptop(&app, site).await;
    let email = format!("tech-{}@atelier.test", uuid::Uuid::now_v7().simple());
    let created = app
        .post(
            "/api/v1/users",
            &app.admin,
            json!({"email": email, "role": "technician", "site_id": site, "password": PASSWORD, "locale": "en"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);

    // The browser asks for French; the account says English.
    let mut browser = Browser::new(&app);
    browser.sign_in(&email).await;
    let scan = browser.get("/scan").await;
    assert_eq!(scan.status, StatusCode::OK);
    assert!(scan.text.contains("Scan a label"), "{}", scan.text);
    let page = browser
        .get(&format!("/d/{}", device["asset_tag"].as_str().unwrap()))
        .await;
    assert!(
        page.text.contains("Laptop Lenovo ThinkPad T480"),
        "{}",
        page.text
    );

    // Changing the account's language shows on the next page.
    let id = created.body["id"].as_str().unwrap();
    let changed = app
        .patch(
            &format!("/api/v1/users/{id}"),
            &app.admin,
            json!({"expected_version": created.body["version"], "locale": "fr"}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    let scan = browser.get("/scan").await;
    assert!(scan.text.contains("Scanner une étiquette"), "{}", scan.text);
}

#[tokio::test]
async fn another_sites_technician_gets_not_found_for_the_device_page() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let other = app.site("NAN").await;
    let device = laptop(&app, site).await;
    let email = user(&app, Role::Technician, Some(other)).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&email).await;
    let page = browser
        .get(&format!("/d/{}", device["asset_tag"].as_str().unwrap()))
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let label = browser
        .get(&format!(
            "/d/{}/label?format=roll-62x29",
            device["asset_tag"].as_str().unwrap()
        ))
        .await;
    assert_eq!(label.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_device_page_reprints_its_label_and_a_drive_s() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let device = laptop(&app, site).await;
    let tag = device["asset_tag"].as_str().unwrap();
    let drive = app
        .add_medium(&app.admin, device["id"].as_str().unwrap(), "S3Z9NB0K1")
        .await;
    let drive_tag = drive["asset_tag"].as_str().unwrap();
    let email = user(&app, Role::Technician, Some(site)).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&email).await;

    let page = browser.get(&format!("/d/{tag}")).await;
    assert!(
        page.text.contains(&format!("action=\"/d/{tag}/label\"")),
        "{}",
        page.text
    );
    let roll = browser
        .get(&format!("/d/{tag}/label?format=roll-62x29&skip=0"))
        .await;
    assert_eq!(roll.status, StatusCode::OK, "{}", roll.text);
    assert_eq!(roll.headers["content-type"], "application/pdf");
    assert_eq!(
        crate::helpers::qr_codes_by_page(&roll.bytes, 300),
        vec![vec![format!("http://retrace.test/d/{tag}")]]
    );
    let both = browser
        .get(&format!("/d/{tag}/label?format=zpl&include_media=on"))
        .await;
    assert_eq!(both.status, StatusCode::OK, "{}", both.text);
    assert_eq!(both.text.matches("^XA").count(), 2, "{}", both.text);

    // A drive's page reprints the drive's label.
    let zpl = browser
        .get(&format!("/d/{drive_tag}/label?format=zpl"))
        .await;
    assert_eq!(zpl.status, StatusCode::OK, "{}", zpl.text);
    assert_eq!(zpl.text.matches("^XA").count(), 1);
    assert!(
        zpl.text
            .contains(&format!("^FDMA,http://retrace.test/d/{drive_tag}^FS"))
    );

    // A part-used sheet that cannot be: a page saying why, in French.
    let full = browser
        .get(&format!("/d/{tag}/label?format=a4-l7163&skip=14"))
        .await;
    assert_eq!(full.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        full.text.contains(
            "À compléter ou corriger : Étiquettes déjà utilisées sur la première planche."
        ),
        "{}",
        full.text
    );

    // Without a session, the sign-in page first.
    let anonymous = Browser::new(&app)
        .get(&format!("/d/{tag}/label?format=zpl"))
        .await;
    assert!(anonymous.status.is_redirection(), "{}", anonymous.status);
}

impl Browser<'_> {
    /// A multipart form with a file, as a browser sends an upload.
    pub async fn upload(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file: &[u8],
    ) -> TestResponse {
        let boundary = "retrace-test-boundary";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend(format!("--{boundary}\r\ncontent-disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
        }
        body.extend(format!("--{boundary}\r\ncontent-disposition: form-data; name=\"file\"; filename=\"liste.csv\"\r\ncontent-type: text/csv\r\n\r\n").as_bytes());
        body.extend_from_slice(file);
        body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
        let cookie = self.cookie_header();
        let content_type = format!("multipart/form-data; boundary={boundary}");
        self.app
            .call(
                Method::POST,
                path,
                None,
                Body::from(body),
                &[
                    ("cookie", &cookie),
                    ("content-type", &content_type),
                    ("accept", ACCEPT),
                ],
            )
            .await
    }
}

#[tokio::test]
async fn the_lot_page_checks_then_imports_the_donors_list_and_prints_its_labels() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let email = user(&app, Role::Coordinator, Some(site)).await;
    let lot = app.lot(&app.admin, site).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&email).await;
    let list = browser.get("/lots").await;
    assert!(list.text.contains(&format!("/lots/{lot}")), "{}", list.text);
    let page = browser.get(&format!("/lots/{lot}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = field(&page.text, "csrf");
    let file = include_bytes!("../fixtures/donor-csv/glpi_export_fr.csv");

    let before = app.ledger_seq().await;
    let dry = browser
        .upload(
            &format!("/lots/{lot}/import"),
            &[("csrf", &csrf), ("dry_run", "on")],
            file,
        )
        .await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.text);
    assert!(
        dry.text.contains("appareils qui seraient créés : 40"),
        "{}",
        dry.text
    );
    assert_eq!(app.ledger_seq().await, before);

    let forged = browser
        .upload(&format!("/lots/{lot}/import"), &[("csrf", "nope")], file)
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let done = browser
        .upload(&format!("/lots/{lot}/import"), &[("csrf", &csrf)], file)
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert!(done.text.contains("Appareils créés : 40"), "{}", done.text);
    assert_eq!(done.text.matches("href=\"/d/BRE-").count(), 40);

    let bad = browser
        .upload(
            &format!("/lots/{lot}/import"),
            &[("csrf", &csrf)],
            b"Type;Serial\nportable;PF1HFE86\nfrigo;X\n",
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Each line's problem in French, the field as the page names it.
    assert!(
        bad.text
            .contains("# 2 — Numéro de série : déjà dans ce don, étiquette BRE-"),
        "{}",
        bad.text
    );
    assert!(
        bad.text.contains("# 3 — Type : type « frigo » inconnu"),
        "{}",
        bad.text
    );

    let labels = browser
        .get(&format!("/lots/{lot}/labels?format=a4-l7163&skip=2"))
        .await;
    assert_eq!(labels.status, StatusCode::OK);
    assert_eq!(labels.headers["content-type"], "application/pdf");
    assert!(labels.bytes.starts_with(b"%PDF"));
}

#[tokio::test]
async fn a_stock_audit_is_run_from_the_phone_start_scan_close_report() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let email = user(&app, Role::Technician, Some(site)).await;
    let here = laptop(&app, site).await;
    let gone = app
        .device(
            &app.admin,
            json!({"site_id": site, "kind": "desktop", "serial_number": "PF1GONE"}),
        )
        .await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&email).await;
    let list = browser.get("/audits").await;
    let csrf = field(&list.text, "csrf");
    let started = browser.post("/audits", &[("csrf", &csrf)]).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.text);
    let path = started.headers["location"].to_str().unwrap().to_owned();

    let scanned = browser
        .post(
            &format!("{path}/scan"),
            &[
                ("csrf", &csrf),
                ("code", here["asset_tag"].as_str().unwrap()),
            ],
        )
        .await;
    assert_eq!(scanned.status, StatusCode::OK, "{}", scanned.text);
    assert!(scanned.text.contains("attendu ici"), "{}", scanned.text);
    let unknown = browser
        .post(
            &format!("{path}/scan"),
            &[("csrf", &csrf), ("code", "ETAGERE-3")],
        )
        .await;
    assert!(unknown.text.contains("code inconnu"));

    let page = browser.get(&path).await;
    let version = field(&page.text, "expected_version");
    let closed = browser
        .post(
            &format!("{path}/close"),
            &[("csrf", &csrf), ("expected_version", &version)],
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.text);
    let report = browser.get(&path).await;
    assert!(report.text.contains("id=\"report\""));
    let missing = &report.text[report.text.find("id=\"missing\"").unwrap()..];
    assert!(missing.contains(gone["asset_tag"].as_str().unwrap()));
    assert!(
        missing.contains("· Reçu</li>"),
        "the state in the reader's words: {missing}"
    );
    assert!(
        !missing[..missing.find("</ul>").unwrap()].contains(here["asset_tag"].as_str().unwrap())
    );
    assert!(report.text.contains("ETAGERE-3"));
}

#[tokio::test]
async fn a_viewer_reads_no_individual_donor_s_name_on_the_lot_pages_as_on_the_api() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let donor = app
        .post(
            "/api/v1/donors",
            &app.admin,
            json!({"name": "Jeanne Dupont", "kind": "individual", "contact_email": "jeanne@example.org"}),
        )
        .await;
    let company = app.donor(&app.admin).await;
    let mut lots = Vec::new();
    for donor_id in [donor.body["id"].as_str().unwrap(), company.as_str()] {
        let lot = app
            .post(
                "/api/v1/lots",
                &app.admin,
                json!({"donor_id": donor_id, "site_id": site, "received_on": "2026-11-20"}),
            )
            .await;
        assert_eq!(lot.status, StatusCode::CREATED, "{}", lot.text);
        lots.push(lot.body["id"].as_str().unwrap().to_owned());
    }

    let viewer = user(&app, Role::Viewer, None).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&viewer).await;
    let list = browser.get("/lots").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    assert!(
        !list.text.contains("Jeanne") && !list.text.contains("Dupont"),
        "{}",
        list.text
    );
    assert!(
        list.text.contains("Mairie de Brest"),
        "an organisation is named"
    );
    let page = browser.get(&format!("/lots/{}", lots[0])).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(
        !page.text.contains("Jeanne") && !page.text.contains("Dupont"),
        "{}",
        page.text
    );

    // Whoever runs the lots sees the name, on the pages as on the API.
    let coordinator = user(&app, Role::Coordinator, Some(site)).await;
    let mut staff = Browser::new(&app);
    staff.sign_in(&coordinator).await;
    assert!(staff.get("/lots").await.text.contains("Jeanne Dupont"));
}

#[tokio::test]
async fn a_disabled_account_s_session_opens_nothing_more_and_sessions_expire() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let email = user(&app, Role::Technician, Some(site)).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&email).await;
    assert_eq!(browser.get("/scan").await.status, StatusCode::OK);

    let users = app.get("/api/v1/users?limit=100", &app.admin).await;
    let account = users.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == email.as_str())
        .unwrap()
        .clone();
    let disabled = app
        .patch(
            &format!("/api/v1/users/{}", account["id"].as_str().unwrap()),
            &app.admin,
            json!({"expected_version": account["version"], "disabled": true}),
        )
        .await;
    assert_eq!(disabled.status, StatusCode::OK, "{}", disabled.text);
    assert_eq!(browser.get("/scan").await.status, StatusCode::SEE_OTHER);

    // A session past its day is refused, and the chores delete its row.
    let other = user(&app, Role::Technician, Some(site)).await;
    let mut late = Browser::new(&app);
    late.sign_in(&other).await;
    app.sql("UPDATE web_sessions SET expires_at = '2020-01-01 00:00:00+00:00'")
        .await;
    app.state.tokens.clear();
    assert_eq!(late.get("/scan").await.status, StatusCode::SEE_OTHER);
    let pruned = retrace::auth::sessions::prune(&app.state.db).await.unwrap();
    assert_eq!(pruned, 2, "both sessions were past their time");
    assert!(
        entities::web_session::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap()
            .is_empty()
    );
}

/// After a real sign-in, `next` is followed only to a path of this site:
/// not a tab, a line break or a backslash that a browser reads as `//`.
#[tokio::test]
async fn signing_in_never_sends_a_person_to_another_site() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let email = user(&app, Role::Technician, Some(site)).await;
    for next in [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\\evil.example",
        "//evil.example",
        "https://evil.example/",
        "/%09/evil.example",
    ] {
        let mut browser = Browser::new(&app);
        let form = browser.get("/login").await;
        let csrf = field(&form.text, "csrf");
        let signed = browser
            .post(
                "/login",
                &[
                    ("csrf", &csrf),
                    ("email", &email),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.text);
        let location = signed.headers["location"].to_str().unwrap();
        assert!(
            location == "/" || (location == next && !next.contains(['\t', '\n', '\\'])),
            "{next:?} sent the person to {location:?}"
        );
        assert!(
            !location.starts_with("//") && !location.contains("://"),
            "{location}"
        );
    }
}

/// The account page changes one's own password through the API's service:
/// a wrong current one is said on the page, a good change signs out.
#[tokio::test]
async fn the_account_page_changes_one_s_password_and_signs_out() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let email = user(&app, Role::Technician, Some(site)).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&email).await;
    let page = browser.get("/account").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains(&email), "{}", page.text);
    let csrf = field(&page.text, "csrf");
    let wrong = browser
        .post(
            "/account/password",
            &[
                ("csrf", &csrf),
                ("current_password", "not mine at all"),
                ("new_password", "a new long phrase"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.text.contains("class=\"problem\""), "{}", wrong.text);
    let changed = browser
        .post(
            "/account/password",
            &[
                ("csrf", &csrf),
                ("current_password", PASSWORD),
                ("new_password", "a new long phrase"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.text);
    assert_eq!(changed.headers["location"], "/login");
    let after = browser.get("/account").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "signed out");
    let mut again = Browser::new(&app);
    assert_eq!(
        again.sign_in_with(&email, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        again.sign_in_with(&email, "a new long phrase").await.status,
        StatusCode::SEE_OTHER
    );
}
