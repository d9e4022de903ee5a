//! Certificates: refused while devices are not past erasure, then issued
//! once, read back by pdftotext, their QR decoded by zbarimg, verified
//! offline by `retrace verify`, and publicly on /verify/{number}.

use std::process::Command;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use retrace::principal::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_archival, pdftotext, qr_codes_by_page};

/// A lot of two laptops with one drive each, ready to be erased.
pub async fn lot_with_two_laptops(app: &TestApp, token: &str) -> (String, Vec<Value>, Vec<Value>) {
    let site = app.site("BRE").await;
    let donor = app
        .post("/api/v1/donors", token, json!({"name": "Société Générale d’Équipements & Cœur", "kind": "company", "siret": "73282932000074"}))
        .await;
    let lot = app
        .post("/api/v1/lots", token, json!({"donor_id": donor.body["id"], "site_id": site, "received_on": "2026-11-02", "donor_reference": "PO-4471 €"}))
        .await;
    let lot_id = lot.body["id"].as_str().unwrap().to_owned();
    let mut devices = Vec::new();
    let mut media = Vec::new();
    for (i, model) in ["ThinkPad T480", "Latitude 5490"].iter().enumerate() {
        let device = app
            .device(token, json!({"lot_id": lot_id, "kind": "laptop", "manufacturer": "Lenovo", "model": model, "serial_number": format!("PF1ABC{i}"), "donor_asset_number": format!("INV-{i}")}))
            .await;
        media.push(
            app.add_medium(
                token,
                device["id"].as_str().unwrap(),
                &format!("S3Z9NB0K12345{i}"),
            )
            .await,
        );
        devices.push(app.step(token, &device, "audit", json!({})).await);
    }
    (lot_id, devices, media)
}

pub async fn erase(app: &TestApp, token: &str, medium: &Value) {
    let body = json!({
        "medium_id": medium["id"], "category": "purge", "technique": "crypto_erase", "method": "NVMe Format (crypto erase)",
        "tool": "nvme-cli", "tool_version": "2.4", "verification": "sampling", "verification_result": "passed",
        "started_at": "2026-11-20T09:00:00Z", "ended_at": "2026-11-20T09:01:00Z", "destination": "reuse_external", "outcome": "passed",
    });
    let answer = app.post("/api/v1/erasures", token, body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
}

pub async fn download(app: &TestApp, token: &str, number: &str) -> Vec<u8> {
    let response = app.router.clone();
    let request = axum::http::Request::builder()
        .uri(format!("/api/v1/certificates/{number}/pdf"))
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let response = tower::ServiceExt::oneshot(response, request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes()
        .to_vec()
}

#[tokio::test]
async fn a_donor_certificate_is_refused_until_every_device_is_erased_then_issued_signed_and_verifiable()
 {
    let app = TestApp::spawn().await;
    let admin = app.admin.clone();
    let (lot, _devices, media) = lot_with_two_laptops(&app, &admin).await;
    erase(&app, &admin, &media[0]).await;

    let refused = app
        .post(
            "/api/v1/certificates",
            &admin,
            json!({"kind": "donor", "lot_id": lot}),
        )
        .await;
    let problem = refused.problem(StatusCode::CONFLICT);
    assert_eq!(problem["type"], "/problems/not-past-erasure");
    assert_eq!(problem["blocking_devices"].as_array().unwrap().len(), 1);
    assert_eq!(problem["blocking_devices"][0]["state"], "inventoried");

    erase(&app, &admin, &media[1]).await;
    let issued = app
        .post(
            "/api/v1/certificates",
            &admin,
            json!({"kind": "donor", "lot_id": lot}),
        )
        .await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.text);
    let number = issued.body["number"].as_str().unwrap().to_owned();
    // Numbered in the year of issue, from the first of that year.
    let year = &issued.body["issued_at"].as_str().unwrap()[..4];
    assert_eq!(number, format!("CERT-{year}-000001"));
    assert_eq!(issued.body["device_count"], 2);
    assert_eq!(
        issued.body["holder"],
        "Société Générale d’Équipements & Cœur"
    );
    assert_eq!(issued.body["revision"], 1);

    let bytes = download(&app, &admin, &number).await;
    assert!(bytes.starts_with(b"%PDF"));
    assert_eq!(
        retrace::certificates::seal::file_sha256(&bytes),
        issued.body["file_sha256"].as_str().unwrap()
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("certificate.pdf");
    std::fs::write(&path, &bytes).unwrap();

    let text = pdftotext(&path);
    for expected in [
        number.as_str(),
        "S3Z9NB0K123450",
        "S3Z9NB0K123451",
        "PF1ABC0",
        "INV-1",
        "purge/crypto_erase",
        "Société Générale d’Équipements & Cœur",
        "PO-4471 €",
        "Certificat d’effacement",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    // The QR code holds the verification address, its code included: the
    // paper's holder sees who holds it; someone counting numbers does not.
    let codes = qr_codes_by_page(&std::fs::read(&path).unwrap(), 150).remove(0);
    assert_eq!(codes.len(), 1, "{codes:?}");
    let prefix = format!("http://retrace.test/verify/{number}?code=");
    let code = codes[0]
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{codes:?}"));
    assert_eq!(code.len(), 16, "{code}");
    assert!(
        text.contains(&codes[0]),
        "the address is printed too:\n{text}"
    );

    // Offline: the issued file verifies, a copy with one changed byte does not.
    let cli = |file: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_retrace"))
            .arg("verify")
            .arg(file)
            .env("RETRACE_DATA_DIR", &app.state.settings.data_dir)
            .env("RETRACE_CONFIG", dir.path().join("absent.toml"))
            .output()
            .unwrap()
    };
    let ok = cli(&path);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).starts_with("ok "));
    let mut tampered = bytes.clone();
    let at = tampered.len() / 2;
    tampered[at] ^= 0x01;
    let copy = dir.path().join("copy.pdf");
    std::fs::write(&copy, &tampered).unwrap();
    let bad = cli(&copy);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stdout).starts_with("invalid "));

    // Publicly, with the code: number, date, holder, count, hash and a
    // valid signature — nothing personal.
    let public = app
        .anonymous(&format!("/verify/{number}?code={code}"), true)
        .await;
    assert_eq!(public.status, StatusCode::OK, "{}", public.text);
    assert_eq!(public.body["signature_valid"], true);
    assert_eq!(public.body["sha256"], issued.body["file_sha256"]);
    assert_eq!(public.body["device_count"], 2);
    assert_eq!(
        public.body["holder"],
        "Société Générale d’Équipements & Cœur"
    );
    assert!(
        !public.text.contains("PF1ABC") && !public.text.contains("S3Z9"),
        "{}",
        public.text
    );
    let html = app
        .anonymous(&format!("/verify/{number}?code={code}"), false)
        .await;
    assert!(html.text.contains("Signature valide") && html.text.contains(&number));
    assert!(
        html.text
            .contains("Société Générale d’Équipements &amp; Cœur")
    );
    // By its number alone (which anyone can count to): genuine or not, and
    // its fingerprint, but no holder and no count.
    let counted = app.anonymous(&format!("/verify/{number}"), true).await;
    assert_eq!(counted.status, StatusCode::OK, "{}", counted.text);
    assert_eq!(counted.body["signature_valid"], true);
    assert_eq!(counted.body["sha256"], issued.body["file_sha256"]);
    assert!(counted.body.get("holder").is_none(), "{}", counted.text);
    assert!(
        counted.body.get("device_count").is_none(),
        "{}",
        counted.text
    );
    let counted_page = app.anonymous(&format!("/verify/{number}"), false).await;
    assert!(
        !counted_page.text.contains("Société Générale"),
        "{}",
        counted_page.text
    );
    // Another number's code, or a guess, finds nothing.
    for wrong in ["0000000000000000", &code[..8], "not-hex"] {
        let refused = app
            .anonymous(&format!("/verify/{number}?code={wrong}"), true)
            .await;
        refused.problem(StatusCode::NOT_FOUND);
    }

    // Issued once; a correction is a revision that supersedes it.
    let again = app
        .post(
            "/api/v1/certificates",
            &admin,
            json!({"kind": "donor", "lot_id": lot}),
        )
        .await;
    again.problem(StatusCode::CONFLICT);
    let revision = app
        .post(
            "/api/v1/certificates",
            &admin,
            json!({"kind": "donor", "lot_id": lot, "language": "en", "supersedes": number}),
        )
        .await;
    assert_eq!(revision.status, StatusCode::CREATED, "{}", revision.text);
    assert_eq!(revision.body["revision"], 2);
    assert_ne!(revision.body["number"], issued.body["number"]);
    let old = app.anonymous(&format!("/verify/{number}"), true).await;
    assert_eq!(old.body["superseded_by"], revision.body["number"]);
    let english = download(&app, &admin, revision.body["number"].as_str().unwrap()).await;
    let english_path = dir.path().join("en.pdf");
    std::fs::write(&english_path, &english).unwrap();
    let english_text = pdftotext(&english_path);
    assert!(
        english_text.contains("Certificate of data erasure")
            && english_text.contains("Supersedes certificate"),
        "{english_text}"
    );
}

#[tokio::test]
async fn an_erasure_certificate_lists_the_nist_fields_of_each_drive() {
    let app = TestApp::spawn().await;
    let admin = app.admin.clone();
    let (_lot, devices, media) = lot_with_two_laptops(&app, &admin).await;
    let refused = app
        .post(
            "/api/v1/certificates",
            &admin,
            json!({"kind": "erasure", "device_id": devices[0]["id"]}),
        )
        .await;
    refused.problem(StatusCode::CONFLICT);
    erase(&app, &admin, &media[0]).await;
    let issued = app
        .post(
            "/api/v1/certificates",
            &admin,
            json!({"kind": "erasure", "device_id": devices[0]["id"]}),
        )
        .await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.text);
    let bytes = download(&app, &admin, issued.body["number"].as_str().unwrap()).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("erasure.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let text = pdftotext(&path);
    for expected in [
        "S3Z9NB0K123450",
        "purge",
        "crypto_erase",
        "NVMe Format (crypto erase)",
        "nvme-cli 2.4",
        "sampling, passed",
        "reuse_external",
        "Catégorie (NIST)",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
}

#[tokio::test]
async fn only_coordinators_and_admins_issue_and_other_sites_see_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin.clone();
    let (lot, _, media) = lot_with_two_laptops(&app, &admin).await;
    for medium in &media {
        erase(&app, &admin, medium).await;
    }
    let site = app.get("/api/v1/sites", &admin).await.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let technician = app
        .token(
            Role::Technician,
            Some(retrace::ids::SiteId(site.parse().unwrap())),
        )
        .await;
    app.post(
        "/api/v1/certificates",
        &technician,
        json!({"kind": "donor", "lot_id": lot}),
    )
    .await
    .problem(StatusCode::FORBIDDEN);
    let missing = app
        .post("/api/v1/certificates", &admin, json!({"kind": "donor"}))
        .await;
    assert_eq!(missing.error_fields(), vec!["lot_id"]);
    let issued = app
        .post(
            "/api/v1/certificates",
            &admin,
            json!({"kind": "donor", "lot_id": lot}),
        )
        .await;
    let number = issued.body["number"].as_str().unwrap();
    let lyon = app.site("LYO").await;
    let elsewhere = app.token(Role::Coordinator, Some(lyon)).await;
    app.get(&format!("/api/v1/certificates/{number}"), &elsewhere)
        .await
        .problem(StatusCode::NOT_FOUND);
    app.anonymous("/verify/CERT-2026-999999", false)
        .await
        .problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_large_lot_spans_pages_with_the_table_header_repeated_in_a_small_archival_file() {
    let app = TestApp::spawn().await;
    let admin = app.admin.clone();
    let site = app.site("BRE").await;
    let lot = app.lot(&admin, site).await;
    for i in 0..45 {
        let device = app
            .device(
                &admin,
                json!({"lot_id": lot, "kind": "desktop", "serial_number": format!("CZC{i:05}")}),
            )
            .await;
        let medium = app
            .add_medium(
                &admin,
                device["id"].as_str().unwrap(),
                &format!("WD-{i:05}"),
            )
            .await;
        app.step(&admin, &device, "audit", json!({})).await;
        erase(&app, &admin, &medium).await;
    }
    let issued = app
        .post(
            "/api/v1/certificates",
            &admin,
            json!({"kind": "donor", "lot_id": lot}),
        )
        .await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.text);
    let bytes = download(&app, &admin, issued.body["number"].as_str().unwrap()).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let text = pdftotext(&path);
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() >= 2, "{} page(s)", pages.len());
    for (i, page) in pages.iter().enumerate() {
        if page.contains("WD-") {
            assert!(
                page.contains("Étiquette"),
                "page {} has rows but no table header",
                i + 1
            );
        }
        assert!(
            page.contains(&format!("{}/{}", i + 1, pages.len())),
            "page {} has no page number",
            i + 1
        );
    }
    for i in 0..45 {
        assert!(text.contains(&format!("WD-{i:05}")), "WD-{i:05} missing");
    }
    // Kept forever in the database: the fonts are cut to the glyphs shown
    // (the two faces whole weigh 1.4 MB), and the file is PDF/A-2b.
    assert!(
        bytes.len() < 60_000,
        "{} bytes for {} pages",
        bytes.len(),
        pages.len()
    );
    assert_archival(&bytes);
}

#[tokio::test]
async fn what_a_certificate_relies_on_moves_with_its_records_and_with_nothing_else() {
    use retrace::certificates::{Kind, content::fingerprint};
    let app = TestApp::spawn().await;
    let admin = app.admin.clone();
    let (lot, devices, media) = lot_with_two_laptops(&app, &admin).await;
    let lot_id: uuid::Uuid = lot.parse().unwrap();
    let of_lot = || fingerprint(&app.state.db, Kind::Donor, lot_id);
    let first = of_lot().await.unwrap();
    assert_eq!(of_lot().await.unwrap(), first, "stable while nothing moves");

    // A device of another lot moves: this certificate would say the same.
    let other = app
        .device(
            &admin,
            json!({"site_id": devices[0]["site_id"], "kind": "monitor"}),
        )
        .await;
    app.step(&admin, &other, "audit", json!({})).await;
    assert_eq!(of_lot().await.unwrap(), first);

    // An erasure of one of its drives, a device's step, an edit of the lot: it would not.
    erase(&app, &admin, &media[0]).await;
    let erased = of_lot().await.unwrap();
    assert_ne!(erased, first);
    let device = app
        .fetch_device(&admin, devices[1]["id"].as_str().unwrap())
        .await;
    app.step(&admin, &device, "start_erasure", json!({})).await;
    let stepped = of_lot().await.unwrap();
    assert_ne!(stepped, erased);
    let edited = app
        .patch(
            &format!("/api/v1/lots/{lot}"),
            &admin,
            json!({"expected_version": 1, "notes": "palette 2"}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);
    assert_ne!(of_lot().await.unwrap(), stepped);
}

#[tokio::test]
async fn a_retried_certificate_request_replays_its_first_answer() {
    let app = TestApp::spawn().await;
    let admin = app.admin.clone();
    let (lot, _, media) = lot_with_two_laptops(&app, &admin).await;
    for medium in &media {
        erase(&app, &admin, medium).await;
    }
    let key = [("idempotency-key", "certificate-of-the-lot")];
    let body = json!({"kind": "donor", "lot_id": lot});
    let first = app
        .send(
            Method::POST,
            "/api/v1/certificates",
            &admin,
            body.clone(),
            &key,
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let seq = app.ledger_seq().await;
    let retry = app
        .send(Method::POST, "/api/v1/certificates", &admin, body, &key)
        .await;
    assert_eq!(retry.status, StatusCode::CREATED, "{}", retry.text);
    assert_eq!(retry.headers.get("idempotent-replayed").unwrap(), "true");
    assert_eq!(retry.body["number"], first.body["number"]);
    assert_eq!(app.ledger_seq().await, seq, "the retry wrote nothing");
}

/// A certificate is kept forever and handed to donors: it names who erased
/// and who checked by function and reference, never by name. The erasure
/// record names them by account; the workshop reads their names from there.
#[tokio::test]
async fn an_erasure_certificate_names_its_operator_and_validator_by_function_and_reference() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let create = |email: &str, name: &str, role: &str| json!({"email": email, "display_name": name, "role": role, "site_id": site, "password": "un-mot-de-passe-solide"});
    let operator = app
        .post(
            "/api/v1/users",
            &app.admin,
            create("morgane@atelier.test", "Morgane Kerbiriou", "technician"),
        )
        .await;
    let validator = app
        .post(
            "/api/v1/users",
            &app.admin,
            create("yann@atelier.test", "Yann Penven", "coordinator"),
        )
        .await;
    assert_eq!(operator.status, StatusCode::CREATED, "{}", operator.text);
    let login = |email: &'static str| {
        app.call(
            Method::POST,
            "/api/v1/login",
            None,
            Body::from(json!({"email": email, "password": "un-mot-de-passe-solide"}).to_string()),
            &[("content-type", "application/json")],
        )
    };
    let bench = login("morgane@atelier.test").await.body["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let desk = login("yann@atelier.test").await.body["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    // Morgane is on an insertion contract: her worker reference names her.
    let worker = crate::workforce::worker(
        &app,
        &desk,
        json!({"display_name": "Morgane Kerbiriou", "contract_kind": "insertion", "started_on": "2026-01-05",
               "weekly_hours": 26, "user_id": operator.body["id"]}),
    )
    .await;
    let device = app
        .device(
            &bench,
            json!({"kind": "laptop", "serial_number": "PFNAMES1"}),
        )
        .await;
    let drive = app
        .add_medium(&bench, device["id"].as_str().unwrap(), "SSDNAMES1")
        .await;
    app.step(&bench, &device, "audit", json!({})).await;
    let recorded = app
        .post(
            "/api/v1/erasures",
            &bench,
            json!({"medium_id": drive["id"], "category": "clear", "technique": "overwrite", "method": "PRNG Stream",
                   "tool": "nwipe", "tool_version": "0.38", "verification": "full", "verification_result": "passed",
                   "destination": "reuse_external", "outcome": "passed", "validator_id": validator.body["id"]}),
        )
        .await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{}", recorded.text);
    // The workshop reads the names, from the accounts.
    let erasures = app.get("/api/v1/erasures", &desk).await;
    assert_eq!(
        erasures.body["items"][0]["operator_name"],
        "Morgane Kerbiriou"
    );
    assert_eq!(erasures.body["items"][0]["validator_name"], "Yann Penven");
    // The ledger holds the accounts, not the names.
    let events = app.get("/api/v1/ledger/events?limit=500", &app.admin).await;
    let recorded_event = events.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "erasure.recorded")
        .unwrap()
        .clone();
    assert_eq!(recorded_event["payload"]["v"], 3);
    assert!(
        !recorded_event.to_string().contains("Kerbiriou"),
        "{recorded_event}"
    );
    assert!(
        !recorded_event.to_string().contains("Penven"),
        "{recorded_event}"
    );

    let issued = app
        .post(
            "/api/v1/certificates",
            &desk,
            json!({"kind": "erasure", "device_id": device["id"]}),
        )
        .await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.text);
    let bytes = download(&app, &desk, issued.body["number"].as_str().unwrap()).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("erasure.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let text = pdftotext(&path)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let reference = worker["reference"].as_str().unwrap();
    let validator_reference = format!(
        "U-{}",
        &validator.body["id"].as_str().unwrap().replace('-', "")[..8].to_uppercase()
    );
    for expected in [
        format!("Technicien·ne ({reference})"),
        format!("Coordination ({validator_reference})"),
    ] {
        assert!(
            text.contains(&expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    for name in ["Morgane", "Kerbiriou", "Yann", "Penven"] {
        assert!(
            !text.contains(name),
            "the certificate names {name}:\n{text}"
        );
    }
}
