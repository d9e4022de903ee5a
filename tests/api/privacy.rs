//! What each role reads of people, asked of every GET of the OpenAPI
//! document and every page of the web router: a world is seeded with a
//! marker in every personal field and every free text about people, then a
//! viewer (a funder) and a technician read everything; no marker they may
//! not read appears, in JSON, HTML, CSV or PDF (read back by pdftotext).
//!
//! A viewer reads reports and inventory, never a person (SPEC §8): no name,
//! contact, operator, witness, worker's account, per-person hours or free
//! text about people. A technician does the workshop's work: they read
//! their colleagues' names on a device's history, but no beneficiary's or
//! worker's name or contact, and no donor's contact.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestResponse, pdftotext};
use crate::html::routes;
use crate::openapi::{document, query_string, required_parameters};
use crate::web::{Browser, user};
use crate::world::{Who, World, id};

/// Who a marker is about, and so who may read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum About {
    /// The workshop's staff: names on the history, for the workshop.
    Staff,
    /// Beneficiaries, workers, donors' contacts and individual donors: for
    /// coordinators only.
    Person,
    /// Free texts that name people in practice (notes, complaints, faults,
    /// labels): not for viewers.
    Text,
}

/// A marker in every personal field, and the records that hold them.
struct Seeded {
    markers: Vec<(About, &'static str)>,
    ids: Vec<(&'static str, String)>,
}

impl Seeded {
    fn id(&self, collection: &str) -> Option<&str> {
        self.ids
            .iter()
            .find(|(c, _)| *c == collection)
            .map(|(_, id)| id.as_str())
    }

    /// The markers `who` may not read.
    fn hidden_from(&self, who: Who) -> Vec<&'static str> {
        self.markers
            .iter()
            .filter(|(about, _)| match who {
                Who::Viewer => true,
                Who::Technician => *about == About::Person,
                _ => false,
            })
            .map(|(_, marker)| *marker)
            .collect()
    }
}

async fn ok(w: &World, token: &str, method: Method, path: &str, body: Value) -> Value {
    let answer = w
        .app
        .call(
            method,
            path,
            Some(token),
            Body::from(body.to_string()),
            &[("content-type", "application/json")],
        )
        .await;
    assert!(answer.status.is_success(), "{path}: {}", answer.text);
    answer.body
}

async fn seed(w: &World) -> Seeded {
    let s = w.setup();
    let admin = w.token(Who::Admin).to_owned();
    let post = |path: &'static str, body: Value| ok(w, s, Method::POST, path, body);
    let mut ids = Vec::new();

    // A member of staff with a name, who records an erasure and validates another.
    let staff = ok(
        w,
        &admin,
        Method::POST,
        "/api/v1/users",
        json!({"email": "kowalczyk.staffmark@example.org", "display_name": "Staffmark Kowalczyk",
               "role": "technician", "site_id": w.site, "password": "un-mot-de-passe-solide"}),
    )
    .await;
    let login = w
        .app
        .call(
            Method::POST,
            "/api/v1/login",
            None,
            Body::from(
                json!({"email": "kowalczyk.staffmark@example.org", "password": "un-mot-de-passe-solide"})
                    .to_string(),
            ),
            &[("content-type", "application/json")],
        )
        .await;
    assert_eq!(login.status, StatusCode::CREATED, "{}", login.text);
    let staff_token = login.body["secret"].as_str().unwrap().to_owned();
    ids.push(("users", id(&staff).to_owned()));

    // Donors: an individual, and a company's contact person.
    let individual = post(
        "/api/v1/donors",
        json!({"name": "Individualmark Donatrice", "kind": "individual", "address": "3 rue Addressmark"}),
    )
    .await;
    let company = post(
        "/api/v1/donors",
        json!({"name": "Société Ouverte", "kind": "company", "contact_name": "Contactmark Durand",
               "contact_email": "contactmark@example.org", "contact_phone": "0611119999"}),
    )
    .await;
    ids.push(("donors", id(&individual).to_owned()));
    let lot = post(
        "/api/v1/lots",
        json!({"donor_id": company["id"], "site_id": w.site, "received_on": "2026-11-02",
               "notes": "Lotnotemark: remis par Mme Lotnotemark"}),
    )
    .await;
    post(
        "/api/v1/lots",
        json!({"donor_id": individual["id"], "site_id": w.site, "received_on": "2026-11-03"}),
    )
    .await;
    ids.push(("lots", id(&lot).to_owned()));

    // A device: its drive erased by the staff member, validated, then another destroyed before a witness.
    let device = w
        .app
        .device(
            s,
            json!({"lot_id": lot["id"], "kind": "laptop", "manufacturer": "Dell", "model": "Latitude 7490", "serial_number": "PRIVACY01"}),
        )
        .await;
    let drive = w.app.add_medium(s, id(&device), "PRIVACYSSD1").await;
    let device = w.app.step(s, &device, "audit", json!({})).await;
    ok(
        w,
        &staff_token,
        Method::POST,
        "/api/v1/erasures",
        json!({"medium_id": drive["id"], "category": "clear", "technique": "overwrite", "method": "PRNG Stream",
               "tool": "nwipe", "tool_version": "0.38", "verification": "full", "verification_result": "passed",
               "destination": "reuse_external", "outcome": "passed", "validator_id": w.user(Who::Coordinator)}),
    )
    .await;
    let spare = w.app.add_medium(s, id(&device), "PRIVACYHDD2").await;
    let spare = w.app.medium_step(s, &spare, "remove", json!({})).await;
    w.app
        .medium_step(
            s,
            &spare["medium"],
            "destroy",
            json!({"method": "broyeur", "witness": "Witnessmark Le Gall"}),
        )
        .await;
    ids.push(("devices", id(&device).to_owned()));
    ids.push(("media", id(&spare["medium"]).to_owned()));
    let erasures = w
        .app
        .get(&format!("/api/v1/erasures?medium_id={}", id(&drive)), s)
        .await;
    ids.push((
        "erasures",
        erasures.body["items"][0]["id"].as_str().unwrap().to_owned(),
    ));
    let certificate = post(
        "/api/v1/certificates",
        json!({"kind": "erasure", "device_id": device["id"]}),
    )
    .await;
    ids.push((
        "certificates",
        certificate["number"].as_str().unwrap().to_owned(),
    ));
    ids.push(("scan", device["asset_tag"].as_str().unwrap().to_owned()));

    // A device lost, with a note that names someone.
    let lost = w.device().await;
    w.app
        .step(
            s,
            &lost,
            "declare_lost",
            json!({"note": "Lostnotemark l'a emporté"}),
        )
        .await;

    // A beneficiary, their allocation, a complaint and its answer, a return.
    let person = post(
        "/api/v1/beneficiaries",
        json!({"category": "senior", "name": "Beneficiarymark Quéré", "email": "beneficiarymark@example.org",
               "phone": "0622228888", "referring_partner": "Partnermark, assistante sociale"}),
    )
    .await;
    ids.push(("beneficiaries", id(&person).to_owned()));
    let given = w.ready_device().await;
    let allocation = crate::allocations::allocate(&w.app, s, &given, &person).await;
    let allocation = post_version(w, &allocation, "deliver", json!({})).await;
    let complaint = ok(
        w,
        s,
        Method::POST,
        &format!("/api/v1/allocations/{}/complaints", id(&allocation)),
        json!({"received_on": "2026-11-30", "description": "Complaintmark: le fils de Mme X"}),
    )
    .await;
    ok(
        w,
        s,
        Method::POST,
        &format!("/api/v1/complaints/{}/answer", id(&complaint)),
        json!({"expected_version": complaint["version"], "answered_on": "2026-12-01", "answer": "Answermark rappelée"}),
    )
    .await;
    let allocation = w
        .app
        .get(&format!("/api/v1/allocations/{}", id(&allocation)), s)
        .await
        .body;
    post_version(
        w,
        &allocation,
        "return",
        json!({"reason": "warranty_fault", "fault_description": "Faultmark: chute chez M. Y"}),
    )
    .await;
    ids.push(("allocations", id(&allocation).to_owned()));
    let released = crate::allocations::allocate(&w.app, s, &w.ready_device().await, &person).await;
    post_version(
        w,
        &released,
        "release",
        json!({"note": "Releasemark: a changé d'avis"}),
    )
    .await;

    // A worker with an account, and their hours.
    let worker = post(
        "/api/v1/workers",
        json!({"display_name": "Workermark Nédélec", "contract_kind": "insertion", "started_on": "2026-01-05",
               "weekly_hours": 26, "user_id": staff["id"]}),
    )
    .await;
    ids.push(("workers", id(&worker).to_owned()));
    post(
        "/api/v1/timesheets",
        json!({"worker_id": worker["id"], "date": "2026-11-16", "hours": 7.25, "activity": "erasure"}),
    )
    .await;

    // A portal link whose label names the donor's contact.
    ok(
        w,
        s,
        Method::POST,
        &format!("/api/v1/lots/{}/portal-links", id(&lot)),
        json!({"label": "Labelmark pour M. Durand"}),
    )
    .await;

    ids.push(("sites", w.site.0.to_string()));
    // A stock audit and a shipment, which name no one: read all the same.
    let audit = w.audit().await;
    ids.push(("audits", id(&audit).to_owned()));
    let scrap = w.erased_device().await;
    let shipment = post(
        "/api/v1/waste-shipments",
        json!({"dispatched_on": "2026-11-30", "recycler": {"name": "Recycleur", "siret": "73282932000074"},
               "waste_code": "16 02 14", "treatment_code": "R 4", "items": [{"device_id": scrap["id"]}]}),
    )
    .await;
    ids.push(("waste-shipments", id(&shipment).to_owned()));

    Seeded {
        markers: vec![
            (About::Staff, "Staffmark"),
            (About::Staff, "kowalczyk.staffmark"),
            (About::Staff, "Witnessmark"),
            (About::Person, "Individualmark"),
            (About::Person, "Addressmark"),
            (About::Person, "Contactmark"),
            (About::Person, "0611119999"),
            (About::Person, "Beneficiarymark"),
            (About::Person, "beneficiarymark@example.org"),
            (About::Person, "0622228888"),
            (About::Person, "Workermark"),
            (About::Text, "Partnermark"),
            (About::Text, "Lotnotemark"),
            (About::Text, "Lostnotemark"),
            (About::Text, "Complaintmark"),
            (About::Text, "Answermark"),
            (About::Text, "Faultmark"),
            (About::Text, "Releasemark"),
            (About::Text, "Labelmark"),
        ],
        ids,
    }
}

/// Records an allocation's step, with its version; the allocation after it.
async fn post_version(w: &World, allocation: &Value, step: &str, extra: Value) -> Value {
    let mut body = json!({"expected_version": allocation["version"]});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    ok(
        w,
        w.setup(),
        Method::POST,
        &format!("/api/v1/allocations/{}/{step}", id(allocation)),
        body,
    )
    .await
}

/// What a response says, as its reader would read it: a PDF's text, or the
/// bytes as text.
fn readable(response: &TestResponse) -> String {
    if response.bytes.starts_with(b"%PDF") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("answer.pdf");
        std::fs::write(&path, &response.bytes).unwrap();
        pdftotext(&path)
    } else {
        response.text.clone()
    }
}

/// Every record of a collection, by what its paths take (`id`, a
/// certificate's `number`, a device's `asset_tag` for a scan), as an admin
/// lists them: every device's history is read, not only the seeded one's.
async fn every(w: &World, collection: &str) -> Vec<String> {
    let (list, key) = match collection {
        "certificates" => ("certificates", "number"),
        "scan" => ("devices", "asset_tag"),
        other => (other, "id"),
    };
    w.app
        .listed(&format!("/api/v1/{list}"))
        .await
        .iter()
        .filter_map(|item| item[key].as_str().map(str::to_owned))
        .collect()
}

/// Every GET of the document with every record in its placeholders, and
/// the query parameters it needs.
async fn api_reads(w: &World, doc: &Value, seeded: &Seeded) -> Vec<String> {
    let mut all = Vec::new();
    for path in api_paths(doc, seeded) {
        let Some((collection, seeded_value)) = path.1 else {
            all.push(path.0);
            continue;
        };
        let mut values = every(w, collection).await;
        if values.is_empty() {
            values.push(seeded_value);
        }
        for value in values {
            all.push(
                path.0
                    .replace("{id}", &value)
                    .replace("{number}", &value)
                    .replace("{code}", &value),
            );
        }
    }
    all
}

/// Every GET of the document with its query parameters, and the collection
/// and seeded record its placeholder takes, if any.
fn api_paths(doc: &Value, seeded: &Seeded) -> Vec<(String, Option<(&'static str, String)>)> {
    let mut paths = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if item.get("get").is_none() {
            continue;
        }
        if path.starts_with("/api/v1/portal/") || path.starts_with("/verify/") {
            continue; // reached by a secret or public: tests/api/portal.rs, certificates.rs
        }
        let mut placeholder = None;
        if path.contains('{') {
            let collection = path
                .trim_start_matches("/api/v1/")
                .split('/')
                .next()
                .unwrap();
            let Some((name, value)) = seeded.ids.iter().find(|(c, _)| *c == collection) else {
                panic!("no seeded record for {path}: add one to `seed`")
            };
            placeholder = Some((*name, value.clone()));
        }
        let mut query = vec!["limit=100".to_owned()];
        query.extend(required_parameters(doc, "get", path));
        if path == "/api/v1/labels" {
            query.push(format!("lot_id={}", seeded.id("lots").unwrap()));
        }
        paths.push((format!("{path}{}", query_string(&query)), placeholder));
    }
    paths
}

#[tokio::test]
async fn viewers_and_technicians_read_no_one_they_may_not_on_any_api_answer_or_page() {
    let w = World::new().await;
    let seeded = seed(&w).await;
    let doc = document(&w.app).await;

    // The coordinator reads every marker somewhere: the scan reaches them.
    let mut everything = String::new();
    let reads = api_reads(&w, &doc, &seeded).await;
    assert!(reads.len() > 80, "{} reads", reads.len());
    for path in &reads {
        let answer = w.app.get(path, w.token(Who::Admin)).await;
        everything.push_str(&readable(&answer));
    }
    for (_, marker) in &seeded.markers {
        if *marker != "Addressmark" {
            assert!(
                everything.contains(marker),
                "no answer shows {marker} even to an admin"
            );
        }
    }

    let mut leaks = Vec::new();
    for who in [Who::Viewer, Who::Technician] {
        let hidden = seeded.hidden_from(who);
        let token = w.token(who).to_owned();
        for path in &reads {
            let answer = w.app.get(path, &token).await;
            assert!(
                !answer.status.is_server_error(),
                "{who:?} {path}: {}",
                answer.text
            );
            let text = readable(&answer);
            for marker in &hidden {
                if text.contains(marker) {
                    leaks.push(format!("{who:?} reads {marker} at {path}"));
                }
            }
        }
    }

    // The pages, signed in as each.
    for (who, role, site) in [
        (Who::Viewer, retrace::principal::Role::Viewer, None),
        (
            Who::Technician,
            retrace::principal::Role::Technician,
            Some(w.site),
        ),
    ] {
        let hidden = seeded.hidden_from(who);
        let email = user(&w.app, role, site).await;
        let mut browser = Browser::new(&w.app);
        browser.sign_in(&email).await;
        for route in routes().into_iter().filter(|r| r.get) {
            let Some(page) = page_of(&route.path, &seeded) else {
                continue;
            };
            let answer = browser.get(&page).await;
            assert!(
                !answer.status.is_server_error(),
                "{who:?} {page}: {}",
                answer.text
            );
            let text = readable(&answer);
            for marker in &hidden {
                if text.contains(marker) {
                    leaks.push(format!("{who:?} reads {marker} on the page {page}"));
                }
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "{} leaks:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
}

/// A page of the router with the seeded records in its placeholders.
fn page_of(path: &str, seeded: &Seeded) -> Option<String> {
    if path.starts_with("/portal/") || path.starts_with("/static/") {
        return None;
    }
    let first = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default();
    let collection = match first {
        "d" => "scan",
        other => other,
    };
    let mut page = path.to_owned();
    if path.contains('{') {
        let value = seeded.id(collection)?;
        page = page
            .replace("{id}", value)
            .replace("{tag}", value)
            .replace("{number}", value);
    }
    let query = match path {
        "/lots/{id}/labels" | "/d/{tag}/label" => "?format=a4-l7651",
        "/workers/{id}/passport.pdf"
        | "/reports"
        | "/reports/impact.csv"
        | "/reports/impact.pdf" => "?from=2026-01-01&to=2026-12-31",
        _ => "",
    };
    Some(page + query)
}
