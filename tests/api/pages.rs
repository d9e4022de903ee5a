//! The web pages' side of the matrix, driven by the web router's own source
//! (`src/web/*.rs`: every `.route("…", get(…).post(…))`), not by a list kept
//! by hand.
//!
//! Every form is submitted as a person would: the page is opened, the form
//! read as the browser would send it, a field or two filled in. Then:
//! without its token or with a forged one it is refused and writes nothing;
//! another site's coordinator, with a token of their own, gets `404` for
//! anything of this site; a role without the permission gets `403`; and the
//! site's own coordinator (or whoever may) gets it done. Every page that
//! shows a record (`{id}`, `{tag}`, `{number}`) is a `404` for another site's
//! coordinator. A route added without a way to fill its form here fails
//! the test until one is written.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use retrace::principal::Role;
use serde_json::json;

use crate::helpers::TestResponse;
use crate::html::{HtmlForm, forms, routes};
use crate::web::{Browser, user};
use crate::world::{Who, World};

/// What a person does with a form: the page they open, the form they pick
/// (by its action, and a field's value where several share it), what they
/// type into it, and the file they attach.
struct Submission {
    page: String,
    action: String,
    pick: Option<(&'static str, &'static str)>,
    typed: Vec<(String, String)>,
    file: Option<Vec<u8>>,
    /// The page as a form's answer showed it, for a form no GET page holds
    /// (the drives of an nwipe log that matched no medium).
    shown: Option<String>,
}

impl Submission {
    fn new(page: impl Into<String>, action: impl Into<String>) -> Self {
        Self {
            page: page.into(),
            action: action.into(),
            pick: None,
            typed: Vec::new(),
            file: None,
            shown: None,
        }
    }

    fn pick(mut self, name: &'static str, value: &'static str) -> Self {
        self.pick = Some((name, value));
        self
    }

    fn typing(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.typed.push((name.into(), value.into()));
        self
    }

    fn shown(mut self, html: String) -> Self {
        self.shown = Some(html);
        self
    }

    fn attaching(mut self, file: Vec<u8>) -> Self {
        self.file = Some(file);
        self
    }
}

/// The web form of a POST route, ready to fill, on records made for it.
async fn fill(w: &World, route: &str) -> Submission {
    let id = |v: &serde_json::Value| v["id"].as_str().unwrap().to_owned();
    match route {
        "/logout" => Submission::new("/scan", "/logout"),
        "/beneficiaries/search" => {
            Submission::new("/beneficiaries", "/beneficiaries/search").typing("q", "BRE-B")
        }
        "/account/password" => Submission::new("/account", "/account/password")
            .typing("current_password", crate::web::PASSWORD)
            .typing("new_password", "a new long phrase"),
        "/scan" => {
            let device = w.device().await;
            Submission::new("/scan", "/scan").typing("code", device["asset_tag"].as_str().unwrap())
        }
        "/d/{tag}" => {
            let tag = w.device().await["asset_tag"].as_str().unwrap().to_owned();
            Submission::new(format!("/d/{tag}"), format!("/d/{tag}")).pick("action", "audit")
        }
        "/d/{tag}/lshw" => {
            let tag = w.device().await["asset_tag"].as_str().unwrap().to_owned();
            Submission::new(format!("/d/{tag}"), format!("/d/{tag}/lshw"))
                .attaching(crate::web_bench::LSHW_DESKTOP.to_vec())
        }
        "/d/{tag}/nwipe" => {
            let (device, _) = w.device_with_medium().await;
            let tag = device["asset_tag"].as_str().unwrap().to_owned();
            Submission::new(format!("/d/{tag}"), format!("/d/{tag}/nwipe"))
                .attaching(crate::web_bench::unique_log(w.next()))
        }
        "/d/{tag}/erasures" => {
            let (device, _) = w.device_with_medium().await;
            let tag = device["asset_tag"].as_str().unwrap().to_owned();
            Submission::new(format!("/d/{tag}"), format!("/d/{tag}/erasures"))
                .pick("category", "clear")
                .typing("tool", "hdparm")
        }
        "/d/{tag}/erasures/attach" => {
            let (device, _) = w.device_with_medium().await;
            let tag = device["asset_tag"].as_str().unwrap().to_owned();
            let shown =
                crate::web_bench::imported(w, &tag, &crate::web_bench::unique_log(w.next())).await;
            Submission::new(format!("/d/{tag}"), format!("/d/{tag}/erasures/attach")).shown(shown)
        }
        "/d/{tag}/media" => {
            let tag = w.device().await["asset_tag"].as_str().unwrap().to_owned();
            Submission::new(format!("/d/{tag}"), format!("/d/{tag}/media"))
                .typing("serial_number", format!("WEBM{:05}", w.next()))
        }
        "/d/{tag}/certificate" => {
            let tag = w.erased_device().await["asset_tag"]
                .as_str()
                .unwrap()
                .to_owned();
            Submission::new(format!("/d/{tag}"), format!("/d/{tag}/certificate"))
        }
        "/account/language" => {
            Submission::new("/account", "/account/language").typing("language", "fr")
        }
        "/account/tokens" => {
            Submission::new("/account", "/account/tokens").typing("name", "poste 2")
        }
        "/account/tokens/revoke" => Submission::new("/account", "/account/tokens/revoke"),
        "/users" => {
            let n = w.next();
            Submission::new("/users", "/users")
                .typing(
                    "email",
                    format!("invite-{n}-{}@atelier.test", uuid::Uuid::now_v7().simple()),
                )
                .typing("role", "technician")
                .typing("site_id", w.site.0.to_string())
                .typing("password", "un premier mot de passe")
        }
        "/users/{id}" => {
            let person = id(&w.site_user().await);
            Submission::new(format!("/users/{person}"), format!("/users/{person}"))
                .typing("display_name", "Nom Corrigé")
        }
        "/users/{id}/password" => {
            let person = id(&w.site_user().await);
            Submission::new(
                format!("/users/{person}"),
                format!("/users/{person}/password"),
            )
            .typing("new_password", "un autre mot de passe")
        }
        "/users/{id}/erase" => {
            let person = id(&w.site_user().await);
            Submission::new(format!("/users/{person}"), format!("/users/{person}/erase"))
        }
        "/donors" => Submission::new("/donors", "/donors")
            .typing("name", format!("Donateur Web {}", w.next())),
        "/donors/{id}" => {
            let donor = id(&w.donor().await);
            Submission::new(format!("/donors/{donor}"), format!("/donors/{donor}"))
                .typing("contact_phone", "02 98 00 00 00")
        }
        "/donors/{id}/erase" => {
            let donor = w
                .post(
                    "/api/v1/donors",
                    json!({"name": format!("Donateur {}", w.next()), "kind": "company", "contact_name": "Contact Matrice"}),
                )
                .await;
            let donor = id(&donor);
            Submission::new(format!("/donors/{donor}"), format!("/donors/{donor}/erase"))
        }
        "/lots" => {
            let donor = id(&w.donor().await);
            Submission::new(format!("/lots/new?donor_id={donor}"), "/lots")
        }
        "/lots/{id}/certificates" => {
            let lot = id(&w.erased_lot().await);
            Submission::new(format!("/lots/{lot}"), format!("/lots/{lot}/certificates"))
                .pick("kind", "donor")
        }
        "/d/{tag}/work" => {
            let tag = w.device().await["asset_tag"].as_str().unwrap().to_owned();
            Submission::new(format!("/d/{tag}"), format!("/d/{tag}/work"))
                .pick("work_type", "grade")
        }
        "/lots/{id}/import" => {
            let lot = id(&w.lot().await);
            let n = uuid::Uuid::now_v7().simple().to_string();
            Submission::new(format!("/lots/{lot}"), format!("/lots/{lot}/import")).attaching(
                format!(
                    "Serial;Manufacturer;Model;Type\nWEB{};Dell;Latitude 5490;Laptop\n",
                    &n[20..]
                )
                .into_bytes(),
            )
        }
        "/lots/{id}/portal-links" => {
            let lot = id(&w.lot().await);
            Submission::new(format!("/lots/{lot}"), format!("/lots/{lot}/portal-links"))
        }
        "/lots/{id}/portal-links/{link}/revoke" => {
            let link = w.portal_link().await;
            let lot = link["lot_id"].as_str().unwrap();
            Submission::new(
                format!("/lots/{lot}"),
                format!("/lots/{lot}/portal-links/{}/revoke", id(&link)),
            )
        }
        "/lots/{id}/statements" => {
            let lot = id(&w.lot().await);
            Submission::new(format!("/lots/{lot}"), format!("/lots/{lot}/statements"))
        }
        "/audits" => {
            w.close_open_audit().await;
            Submission::new("/audits", "/audits")
        }
        "/audits/{id}/scan" => {
            let audit = id(&w.audit().await);
            let device = w.device().await;
            Submission::new(format!("/audits/{audit}"), format!("/audits/{audit}/scan"))
                .typing("code", device["asset_tag"].as_str().unwrap())
        }
        "/audits/{id}/close" => {
            let audit = id(&w.audit().await);
            Submission::new(format!("/audits/{audit}"), format!("/audits/{audit}/close"))
        }
        "/allocations" => {
            let device = id(&w.ready_device().await);
            w.beneficiary().await;
            Submission::new(
                format!("/allocations/new?device_id={device}"),
                "/allocations",
            )
        }
        "/allocations/{id}/{step}" => {
            let allocation = id(&w.reserved().await);
            Submission::new(
                format!("/allocations/{allocation}"),
                format!("/allocations/{allocation}/deliver"),
            )
            .typing("confirm_unsigned", "on")
        }
        "/complaints/{id}/answer" => {
            let complaint = w.complaint().await;
            let allocation = complaint["allocation_id"].as_str().unwrap();
            Submission::new(
                format!("/allocations/{allocation}"),
                format!("/complaints/{}/answer", id(&complaint)),
            )
            .typing("answer", "Ventilateur changé")
        }
        "/beneficiaries" => Submission::new("/beneficiaries", "/beneficiaries"),
        "/beneficiaries/{id}/erase" => {
            let person = id(&w.beneficiary().await);
            Submission::new(
                format!("/beneficiaries/{person}"),
                format!("/beneficiaries/{person}/erase"),
            )
        }
        "/shipments" => {
            let tag = w.erased_device().await["asset_tag"]
                .as_str()
                .unwrap()
                .to_owned();
            Submission::new("/shipments", "/shipments")
                .typing("recycler_name", "Recycleur de l'Ouest")
                .typing("recycler_siret", "73282932000074")
                .typing("tags", tag)
        }
        "/workers" => {
            Submission::new("/workers", "/workers").typing("display_name", "Salariée Web")
        }
        "/workers/{id}" => {
            let worker = id(&w.worker().await);
            Submission::new(format!("/workers/{worker}"), format!("/workers/{worker}"))
        }
        "/workers/{id}/erase" => {
            let worker = id(&w.worker().await);
            Submission::new(
                format!("/workers/{worker}"),
                format!("/workers/{worker}/erase"),
            )
        }
        "/timesheets" => {
            let worker = id(&w.worker().await);
            let today = chrono::Utc::now().date_naive();
            Submission::new(format!("/timesheets?week_of={today}"), "/timesheets")
                .typing(format!("h.{worker}.0.{today}"), "5")
                .typing(format!("h.{worker}.1.{today}"), "2")
        }
        "/timesheets/import" => {
            let worker = w.worker().await;
            let today = chrono::Utc::now().date_naive();
            Submission::new("/timesheets", "/timesheets/import").attaching(
                format!(
                    "worker;date;hours;activity\n{};{today};3.5;repair\n",
                    worker["reference"].as_str().unwrap()
                )
                .into_bytes(),
            )
        }
        other => panic!("no way to fill the form of {other}: add it to `fill`"),
    }
}

/// Who may send a form, as for the API.
fn allowed(route: &str) -> &'static [Who] {
    const EVERYONE: &[Who] = &[Who::Viewer, Who::Technician, Who::Coordinator, Who::Admin];
    const WORKSHOP: &[Who] = &[Who::Technician, Who::Coordinator, Who::Admin];
    const COORDINATORS: &[Who] = &[Who::Coordinator, Who::Admin];
    match route {
        "/logout"
        | "/scan"
        | "/account/password"
        | "/account/language"
        | "/account/tokens"
        | "/account/tokens/revoke"
        | "/beneficiaries/search" => EVERYONE,
        "/d/{tag}"
        | "/d/{tag}/work"
        | "/lots/{id}/import"
        | "/audits"
        | "/audits/{id}/scan"
        | "/audits/{id}/close"
        | "/d/{tag}/lshw"
        | "/d/{tag}/nwipe"
        | "/d/{tag}/erasures"
        | "/d/{tag}/erasures/attach"
        | "/d/{tag}/media" => WORKSHOP,
        _ => COORDINATORS,
    }
}

/// A signed-in browser for each kind of person.
struct People<'a> {
    browsers: BTreeMap<Who, Browser<'a>>,
    emails: BTreeMap<Who, String>,
}

impl<'a> People<'a> {
    async fn new(w: &'a World) -> Self {
        let mut browsers = BTreeMap::new();
        let mut emails = BTreeMap::new();
        let other = w.other;
        for (who, role, site) in [
            (Who::Viewer, Role::Viewer, None),
            (Who::Technician, Role::Technician, Some(w.site)),
            (Who::Coordinator, Role::Coordinator, Some(w.site)),
            (Who::Admin, Role::Admin, None),
            (Who::Stranger, Role::Coordinator, Some(other)),
        ] {
            let email = user(&w.app, role, site).await;
            let mut browser = Browser::new(&w.app);
            browser.sign_in(&email).await;
            browsers.insert(who, browser);
            emails.insert(who, email);
        }
        Self { browsers, emails }
    }

    fn browser(&mut self, who: Who) -> &mut Browser<'a> {
        self.browsers.get_mut(&who).unwrap()
    }

    /// An API token of this person's own, made on their account page: what
    /// the form that revokes one needs to show.
    async fn issue_token(&mut self, who: Who) {
        let csrf = self.csrf(who).await;
        let made = self
            .browser(who)
            .post(
                "/account/tokens",
                &[("csrf", &csrf), ("name", "à révoquer")],
            )
            .await;
        assert_eq!(made.status, StatusCode::OK, "{}", made.text);
    }

    /// This person's own form token, from a page every signed-in person reads.
    async fn csrf(&mut self, who: Who) -> String {
        let page = self.browser(who).get("/scan").await;
        crate::web::field(&page.text, "csrf")
    }
}

/// The form's fields as its page shows them to the site's coordinator (or
/// admin), with what the person types.
async fn read_form(browser: &mut Browser<'_>, submission: &Submission) -> HtmlForm {
    let text = match &submission.shown {
        Some(html) => html.clone(),
        None => {
            let page = browser.get(&submission.page).await;
            assert_eq!(
                page.status,
                StatusCode::OK,
                "{}: {}",
                submission.page,
                page.text
            );
            page.text
        }
    };
    let mut form = forms(&text)
        .into_iter()
        .find(|f| {
            f.action == submission.action
                && submission
                    .pick
                    .is_none_or(|(n, v)| f.fields.iter().any(|(k, x)| k == n && x == v))
        })
        .unwrap_or_else(|| {
            panic!(
                "no form to {} on {}:\n{}",
                submission.action, submission.page, text
            )
        });
    for (name, value) in &submission.typed {
        form.fields.retain(|(k, _)| k != name);
        form.fields.push((name.clone(), value.clone()));
    }
    form
}

/// Sends `form` with `csrf` in place of its token (`None`: without one).
async fn send(
    browser: &mut Browser<'_>,
    form: &HtmlForm,
    csrf: Option<&str>,
    file: Option<&[u8]>,
) -> TestResponse {
    let mut fields: Vec<(&str, &str)> = form
        .fields
        .iter()
        .filter(|(k, _)| k != "csrf")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    if let Some(csrf) = csrf {
        fields.push(("csrf", csrf));
    }
    if form.multipart {
        browser
            .upload(&form.action, &fields, file.expect("a file to attach"))
            .await
    } else {
        browser.post(&form.action, &fields).await
    }
}

fn succeeded(answer: &TestResponse) -> bool {
    answer.status == StatusCode::SEE_OTHER || answer.status == StatusCode::OK
}

#[tokio::test]
async fn every_form_wants_its_token_its_site_and_its_permission_and_works_for_who_may() {
    let w = World::new().await;
    let mut people = People::new(&w).await;
    let mut checked = 0;
    for route in routes()
        .into_iter()
        .filter(|r| r.post && r.path != "/login")
    {
        let path = route.path.as_str();
        let allowed = allowed(path);
        let owner = if allowed.contains(&Who::Coordinator) {
            Who::Coordinator
        } else {
            Who::Admin
        };
        if path == "/account/tokens/revoke" {
            for who in [
                owner,
                Who::Viewer,
                Who::Technician,
                Who::Coordinator,
                Who::Admin,
            ] {
                people.issue_token(who).await;
            }
        }
        let submission = fill(&w, path).await;
        let form = read_form(people.browser(owner), &submission).await;
        let file = submission.file.as_deref();
        let before = w.app.ledger_seq().await;

        // A forged token, then none at all.
        let forged: String = people.csrf(owner).await.chars().rev().collect();
        for csrf in [Some(forged.as_str()), None] {
            let answer = send(people.browser(owner), &form, csrf, file).await;
            assert!(
                answer.status.is_client_error(),
                "{path} with token {csrf:?}: {} {}",
                answer.status,
                answer.text
            );
            assert_eq!(
                w.app.ledger_seq().await,
                before,
                "{path}: a refused form wrote"
            );
        }

        // Another site's coordinator, with a token of their own. (Donors
        // are the network's, not a site's: shared, as on the API.)
        if path.contains('{') && !shared(path) {
            let theirs = people.csrf(Who::Stranger).await;
            let answer = send(people.browser(Who::Stranger), &form, Some(&theirs), file).await;
            assert_eq!(
                answer.status,
                StatusCode::NOT_FOUND,
                "{path} from another site: {}",
                answer.text
            );
            assert_eq!(
                w.app.ledger_seq().await,
                before,
                "{path}: another site's form wrote"
            );
        }

        // The roles without the permission, each with a token of their own.
        for who in [Who::Viewer, Who::Technician] {
            if allowed.contains(&who) {
                continue;
            }
            let theirs = people.csrf(who).await;
            let answer = send(people.browser(who), &form, Some(&theirs), file).await;
            assert!(
                matches!(answer.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                "{who:?} sent {path}: {} {}",
                answer.status,
                answer.text
            );
            assert_eq!(w.app.ledger_seq().await, before, "{who:?}'s {path} wrote");
        }

        // Whoever may: done. (Signing out ends the session: a browser of its own.)
        let doers: Vec<Who> = allowed
            .iter()
            .copied()
            .filter(|w| *w != Who::Admin || owner == Who::Admin)
            .collect();
        for who in doers {
            let submission = fill(&w, path).await;
            let answer = if path == "/account/password" {
                // Changing one's password ends one's sessions: a person of
                // their own, in a browser of their own.
                let (role, site) = match who {
                    Who::Viewer => (Role::Viewer, None),
                    Who::Technician => (Role::Technician, Some(w.site)),
                    Who::Admin => (Role::Admin, None),
                    _ => (Role::Coordinator, Some(w.site)),
                };
                let email = user(&w.app, role, site).await;
                let mut once = Browser::new(&w.app);
                once.sign_in(&email).await;
                let form = read_form(&mut once, &submission).await;
                let csrf = crate::web::field(&once.get("/account").await.text, "csrf");
                let answer = send(&mut once, &form, Some(&csrf), None).await;
                assert_eq!(answer.headers["location"], "/login", "{}", answer.text);
                answer
            } else if path == "/logout" {
                let mut once = Browser::new(&w.app);
                once.sign_in(&people.emails[&who]).await;
                let form = read_form(&mut once, &submission).await;
                let csrf = crate::web::field(&once.get("/scan").await.text, "csrf");
                send(&mut once, &form, Some(&csrf), None).await
            } else {
                let form = read_form(people.browser(who), &submission).await;
                let csrf = people.csrf(who).await;
                send(
                    people.browser(who),
                    &form,
                    Some(&csrf),
                    submission.file.as_deref(),
                )
                .await
            };
            assert!(
                succeeded(&answer),
                "{who:?} may send {path}: {} {}",
                answer.status,
                answer.text
            );
            assert!(
                !answer.text.contains("class=\"problem\""),
                "{who:?} sent {path} and read a refusal: {}",
                answer.text
            );
        }
        checked += 1;
    }
    eprintln!("forms checked: {checked}");
    assert!(checked >= 20, "{checked}");
}

/// The record a page's placeholders name, made in the site under test.
async fn concrete(w: &World, path: &str) -> Option<String> {
    let first = path.trim_start_matches('/').split('/').next().unwrap();
    let id = |v: serde_json::Value| v["id"].as_str().unwrap().to_owned();
    let value = match (first, path.contains("{id}")) {
        ("d", _) => w.device().await["asset_tag"].as_str().unwrap().to_owned(),
        ("donors", _) => w.lot().await["donor_id"].as_str().unwrap().to_owned(),
        ("certificates", _) => w.certificate().await["number"].as_str().unwrap().to_owned(),
        ("lots", true) => {
            // A lot with a device, so that it has labels to print.
            let lot = w.lot().await;
            w.app
                .device(
                    w.token(Who::Coordinator),
                    json!({"lot_id": lot["id"], "kind": "monitor"}),
                )
                .await;
            id(lot)
        }
        ("workers", true) => id(w.worker().await),
        ("users", true) => id(w.site_user().await),
        ("shipments", true) => id(w.shipment().await),
        ("audits", true) => id(w.audit().await),
        ("allocations", true) => id(w.delivered().await),
        ("beneficiaries", true) => id(w.beneficiary().await),
        _ => return None,
    };
    // What the page's own link or form adds.
    let query = match path {
        "/lots/{id}/labels" | "/d/{tag}/label" => "?format=a4-l7651",
        "/workers/{id}/passport.pdf" => "?from=2026-01-01&to=2026-12-31",
        _ => "",
    };
    Some(
        path.replace("{id}", &value)
            .replace("{tag}", &value)
            .replace("{number}", &value)
            + query,
    )
}

/// Records of the whole network, not of one site: donors, whom the sites
/// of a network share (a company may give to two workshops).
fn shared(path: &str) -> bool {
    path.starts_with("/donors/")
}

/// Pages anyone may open: the public card of a label (its own test shows
/// it says nothing of the site's records).
fn public(path: &str) -> bool {
    path == "/d/{tag}"
}

#[tokio::test]
async fn every_page_of_a_record_is_a_404_for_another_site_s_coordinator() {
    let w = World::new().await;
    let mut people = People::new(&w).await;
    let mut checked = 0;
    for route in routes()
        .into_iter()
        .filter(|r| r.get && r.path.contains('{'))
    {
        let path = route.path.as_str();
        if path.starts_with("/portal/") {
            // A donor's portal is reached by its secret alone (tests/api/portal.rs).
            continue;
        }
        let Some(page) = concrete(&w, path).await else {
            panic!("no record to show on {path}: add it to `concrete`")
        };
        let own = people.browser(Who::Coordinator).get(&page).await;
        assert_eq!(
            own.status,
            StatusCode::OK,
            "the site's coordinator: {page}: {}",
            own.text
        );
        let theirs = people.browser(Who::Stranger).get(&page).await;
        if shared(path) {
            // They read the donor, but none of this site's donations.
            assert_eq!(theirs.status, StatusCode::OK, "{page}: {}", theirs.text);
            let donation = "class=\"button\" href=\"/lots/";
            assert!(own.text.contains(donation), "{page}: {}", own.text);
            assert!(!theirs.text.contains(donation), "{page}: {}", theirs.text);
            continue;
        }
        if public(path) {
            // Signed in elsewhere, they read what anyone reads: the public card.
            assert!(
                !theirs.text.contains("id=\"history\""),
                "{page}: {}",
                theirs.text
            );
            continue;
        }
        assert_eq!(
            theirs.status,
            StatusCode::NOT_FOUND,
            "another site's coordinator: {page}: {}",
            theirs.text
        );
        checked += 1;
    }
    eprintln!("pages checked: {checked}");
    assert!(checked >= 10, "{checked}");
}
