//! A donation starts in the browser: the coordinator records the donor, then
//! the lot, imports the donor's asset list, prints the labels of the new
//! devices only, and issues the donor and erasure certificates from the lot
//! page, each listed with its verify link. Refusals come back on the form,
//! in French, naming the field by its label; a viewer is offered none of it.

use axum::http::StatusCode;
use retrace::principal::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, pdftotext};
use crate::html::{filled, form_to, forms};
use crate::web::{Browser, user};

/// The id at the end of a redirect to `/{prefix}/{id}`.
fn created(location: &Value, prefix: &str) -> String {
    location
        .as_str()
        .unwrap()
        .strip_prefix(prefix)
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_coordinator_records_a_donor_and_a_lot_and_issues_its_certificates_from_the_pages() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = user(&app, Role::Coordinator, Some(site)).await;
    let mut desk = Browser::new(&app);
    desk.sign_in(&coordinator).await;

    // The donor: a wrong SIRET is refused by its label, nothing written.
    let page = desk.get("/donors").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let form = form_to(&page.text, "/donors");
    let before = app.ledger_seq().await;
    let refused = desk
        .post(
            "/donors",
            &filled(
                &form,
                &[
                    ("name", "Crédit Mutuel Arkéa"),
                    ("kind", "company"),
                    ("siret", "12345678901234"),
                ],
            ),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text.contains("À compléter ou corriger : SIRET."),
        "{}",
        refused.text
    );
    assert!(
        refused.text.contains("value=\"Crédit Mutuel Arkéa\""),
        "what was typed is kept"
    );
    assert_eq!(app.ledger_seq().await, before);
    let done = desk
        .post(
            "/donors",
            &filled(
                &form,
                &[
                    ("name", "Crédit Mutuel Arkéa"),
                    ("kind", "company"),
                    ("siret", "732 829 320 00074"),
                    ("contact_name", "Yann Kervella"),
                    ("contact_email", "yann.kervella@example.org"),
                ],
            ),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let donor = created(
        &json!(done.headers["location"].to_str().unwrap()),
        "/donors/",
    );
    let api = app
        .get(&format!("/api/v1/donors/{donor}"), &app.admin)
        .await;
    assert_eq!(api.body["siret"], "73282932000074");

    // Found by part of its name, and by its SIRET.
    for q in ["arkéa", "73282932000074"] {
        let found = desk.get(&format!("/donors?q={}", urlencode(q))).await;
        assert!(
            found.text.contains(&format!("/donors/{donor}")),
            "{q}: {}",
            found.text
        );
    }
    let none = desk.get("/donors?q=nobody-by-this-name").await;
    assert!(!none.text.contains(&format!("/donors/{donor}")));

    // Corrected: a new phone, the email emptied.
    let page = desk.get(&format!("/donors/{donor}")).await;
    assert!(page.text.contains("Yann Kervella"), "{}", page.text);
    let edit = form_to(&page.text, &format!("/donors/{donor}"));
    let saved = desk
        .post(
            &format!("/donors/{donor}"),
            &filled(
                &edit,
                &[("contact_phone", "02 98 00 00 00"), ("contact_email", "")],
            ),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    let api = app
        .get(&format!("/api/v1/donors/{donor}"), &app.admin)
        .await;
    assert_eq!(api.body["contact_phone"], "02 98 00 00 00");
    assert_eq!(api.body["contact_email"], Value::Null);
    assert_eq!(api.body["contact_name"], "Yann Kervella", "untouched");

    // The lot, from the donor's page: the donor chosen, today's date filled.
    let page = desk.get(&format!("/donors/{donor}")).await;
    assert!(page.text.contains(&format!("/lots/new?donor_id={donor}")));
    let page = desk.get(&format!("/lots/new?donor_id={donor}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains(&format!("value=\"{donor}\" selected")));
    let form = form_to(&page.text, "/lots");
    let refused = desk
        .post("/lots", &filled(&form, &[("received_on", "2026-02-30")]))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("Reçu le"), "{}", refused.text);
    let done = desk
        .post(
            "/lots",
            &filled(
                &form,
                &[
                    ("received_on", "2026-11-30"),
                    ("donor_reference", "BC-2026-118"),
                    ("declared_count", "40"),
                    ("weight_kg", "312,5"),
                ],
            ),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let lot = created(&json!(done.headers["location"].to_str().unwrap()), "/lots/");
    let api = app.get(&format!("/api/v1/lots/{lot}"), &app.admin).await;
    assert_eq!(api.body["weight_kg"], 312.5);
    assert_eq!(api.body["declared_count"], 40);
    assert_eq!(api.body["site_id"], json!(site));

    // One device registered before the import: not among the new labels.
    let earlier = app
        .device(&app.admin, json!({"lot_id": lot, "kind": "monitor"}))
        .await;
    let earlier_tag = earlier["asset_tag"].as_str().unwrap().to_owned();
    let page = desk.get(&format!("/lots/{lot}")).await;
    let csrf = crate::web::field(&page.text, "csrf");
    let imported = desk
        .upload(
            &format!("/lots/{lot}/import"),
            &[("csrf", &csrf)],
            include_bytes!("../fixtures/donor-csv/glpi_export_fr.csv"),
        )
        .await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.text);
    let labels = imported
        .text
        .split("id=\"new-labels\"")
        .nth(1)
        .expect("the new devices' labels offered");
    let since = labels
        .split("name=\"since\" value=\"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .unwrap();
    let pdf = desk
        .get(&format!(
            "/lots/{lot}/labels?format=a4-l7651&since={}",
            urlencode(since)
        ))
        .await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.text);
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &pdf.bytes).unwrap();
    let text = pdftotext(file.path());
    let devices = app.listed(&format!("/api/v1/devices?lot_id={lot}")).await;
    assert_eq!(devices.len(), 41);
    let printed = devices
        .iter()
        .filter(|d| text.contains(d["asset_tag"].as_str().unwrap()))
        .count();
    assert_eq!(printed, 40, "{text}");
    assert!(
        !text.contains(&earlier_tag),
        "the earlier device is not new"
    );

    // No device is past erasure: the donor certificate is refused, on the page.
    let page = desk.get(&format!("/lots/{lot}")).await;
    let certificates = format!("/lots/{lot}/certificates");
    let donor_form = forms(&page.text)
        .into_iter()
        .find(|f| {
            f.action == certificates && f.fields.iter().any(|(k, v)| k == "kind" && v == "donor")
        })
        .expect("the donor certificate form");
    let before = app.ledger_seq().await;
    let refused = desk.post(&certificates, &filled(&donor_form, &[])).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);
    assert!(refused.text.contains(&earlier_tag), "{}", refused.text);
    assert_eq!(app.ledger_seq().await, before);
}

#[tokio::test]
async fn a_lot_s_donor_and_erasure_certificates_are_issued_and_listed_with_their_verify_links() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let admin = app.admin.clone();
    let lot = app.lot(&admin, site).await;
    let device = app
        .device(&admin, json!({"lot_id": lot, "kind": "laptop"}))
        .await;
    let medium = app
        .add_medium(&admin, device["id"].as_str().unwrap(), "S3Z9NB0K")
        .await;
    app.step(&admin, &device, "audit", json!({})).await;
    crate::certificates::erase(&app, &admin, &medium).await;

    let coordinator = user(&app, Role::Coordinator, Some(site)).await;
    let mut desk = Browser::new(&app);
    desk.sign_in(&coordinator).await;
    let page = desk.get(&format!("/lots/{lot}")).await;
    let certificates = format!("/lots/{lot}/certificates");
    let kind_form = |html: &str, kind: &str| {
        forms(html)
            .into_iter()
            .find(|f| {
                f.action == certificates && f.fields.iter().any(|(k, v)| k == "kind" && v == kind)
            })
            .unwrap_or_else(|| panic!("no {kind} form in {html}"))
    };
    let erasure = kind_form(&page.text, "erasure");
    let issued = desk.post(&certificates, &filled(&erasure, &[])).await;
    assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.text);
    let page = desk.get(&format!("/lots/{lot}")).await;
    assert!(
        !forms(&page.text)
            .iter()
            .any(|f| f.fields.iter().any(|(k, v)| k == "kind" && v == "erasure")),
        "no device left to certify"
    );
    let donor = kind_form(&page.text, "donor");
    let issued = desk
        .post(&certificates, &filled(&donor, &[("language", "en")]))
        .await;
    assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.text);

    let page = desk.get(&format!("/lots/{lot}")).await;
    let numbers: Vec<&str> = page
        .text
        .split("href=\"/verify/")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    assert_eq!(numbers.len(), 2, "{}", page.text);
    for number in numbers {
        let verify = Browser::new(&app).get(&format!("/verify/{number}")).await;
        assert_eq!(verify.status, StatusCode::OK);
    }
    let listed = app
        .listed(&format!("/api/v1/certificates?subject_id={lot}"))
        .await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["kind"], "donor");
    assert_eq!(listed[0]["language"], "en");
}

#[tokio::test]
async fn a_viewer_reads_donors_without_their_contacts_and_is_offered_no_intake() {
    let app = TestApp::spawn().await;
    let created = app
        .post(
            "/api/v1/donors",
            &app.admin,
            json!({"name": "Armelle Quiniou", "kind": "individual", "contact_phone": "0699887766"}),
        )
        .await;
    let id = created.body["id"].as_str().unwrap();
    let company = app
        .post(
            "/api/v1/donors",
            &app.admin,
            json!({"name": "Brest Métropole", "kind": "public_body", "contact_name": "Loïc Prigent"}),
        )
        .await;
    let company = company.body["id"].as_str().unwrap();
    let viewer = user(&app, Role::Viewer, None).await;
    let mut funder = Browser::new(&app);
    funder.sign_in(&viewer).await;
    let list = funder.get("/donors").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text.contains("Brest Métropole"), "{}", list.text);
    assert!(list.text.contains(&format!("/donors/{id}")));
    assert!(!list.text.contains("method=\"post\" action=\"/donors\""));
    // An individual donor's name is no search term for them either.
    let searched = funder.get("/donors?q=Quiniou").await;
    assert!(!searched.text.contains(&format!("/donors/{id}")));
    for page in [format!("/donors/{id}"), format!("/donors/{company}")] {
        let shown = funder.get(&page).await;
        for secret in ["Quiniou", "0699887766", "Loïc Prigent"] {
            assert!(!shown.text.contains(secret), "{page} shows {secret}");
        }
        assert!(
            !shown.text.contains("method=\"post\" action=\"/donors"),
            "{page}"
        );
    }
    let lots = funder.get("/lots").await;
    assert!(!lots.text.contains("href=\"/lots/new\""));
    let new = funder.get("/lots/new").await;
    assert_eq!(new.status, StatusCode::FORBIDDEN);
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
