//! Erasure at the bench, in the browser: a technician takes a desktop from
//! received to sanitized without leaving its page — the hardware report
//! lists its drives, a real nwipe log erases them, the drives the log could
//! not match are attached by hand, one is destroyed — and a coordinator
//! issues its erasure certificate. Every refusal is the page again, in the
//! technician's language, naming the field by its label, and writes nothing.

use axum::http::StatusCode;
use retrace::principal::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::html::{filled, forms_to};
use crate::web::{Browser, field, user};
use crate::world::World;

/// A desktop's `lshw -json`: a USB flash disk and a SATA SSD.
pub const LSHW_DESKTOP: &[u8] =
    include_bytes!("../fixtures/hardware/lshw_hp_compaq_8100_elite_sff.json");

/// A real nwipe run (DoD Short, verified) over two loop devices.
const TWO_DRIVES: &[u8] = include_bytes!("../fixtures/nwipe/dodshort_two_drives.log");

/// The real log with one line of its own in front, so that each use is a
/// log never imported before.
pub fn unique_log(n: u32) -> Vec<u8> {
    let mut log = format!("[2026/11/21 22:49:38] warning: bench run {n}\n").into_bytes();
    log.extend_from_slice(TWO_DRIVES);
    log
}

/// The device page after a site coordinator imported `log` on it.
pub async fn imported(w: &World, tag: &str, log: &[u8]) -> String {
    let email = user(&w.app, Role::Coordinator, Some(w.site)).await;
    let mut browser = Browser::new(&w.app);
    browser.sign_in(&email).await;
    let page = browser.get(&format!("/d/{tag}")).await;
    let csrf = field(&page.text, "csrf");
    let shown = browser
        .upload(&format!("/d/{tag}/nwipe"), &[("csrf", &csrf)], log)
        .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.text);
    shown.text
}

async fn media_of(app: &TestApp, device: &str) -> Vec<Value> {
    let answer = app
        .get(&format!("/api/v1/devices/{device}/media"), &app.admin)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    answer.body.as_array().cloned().unwrap_or_else(|| {
        answer.body["items"]
            .as_array()
            .cloned()
            .expect("a list of media")
    })
}

#[tokio::test]
async fn a_technician_takes_a_desktop_from_received_to_sanitized_on_its_page() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let technician = user(&app, Role::Technician, Some(site)).await;
    let device = app
        .device(&app.admin, json!({"site_id": site, "kind": "desktop"}))
        .await;
    let id = device["id"].as_str().unwrap().to_owned();
    let tag = device["asset_tag"].as_str().unwrap().to_owned();
    let page_path = format!("/d/{tag}");
    let mut bench = Browser::new(&app);
    bench.sign_in(&technician).await;

    // Received: the hardware report is offered.
    let page = bench.get(&page_path).await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = field(&page.text, "csrf");
    let lshw = format!("/d/{tag}/lshw");
    assert_eq!(forms_to(&page.text, &lshw).len(), 1, "{}", page.text);

    // A file that is not lshw's: the page again, naming the field, nothing written.
    let before = app.ledger_seq().await;
    let version = device["version"].to_string();
    let refused = bench
        .upload(
            &lshw,
            &[("csrf", &csrf), ("expected_version", &version)],
            br#"{"not": "lshw"}"#,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text.contains("À compléter ou corriger : Fichier."),
        "{}",
        refused.text
    );
    assert_eq!(app.ledger_seq().await, before);

    // The report: its SATA drive (the USB stick plugged in is no drive of
    // the desktop), and the desktop inventoried.
    let audited = bench
        .upload(
            &lshw,
            &[("csrf", &csrf), ("expected_version", &version)],
            LSHW_DESKTOP,
        )
        .await;
    assert_eq!(audited.status, StatusCode::SEE_OTHER, "{}", audited.text);
    assert_eq!(
        app.fetch_device(&app.admin, &id).await["state"],
        "inventoried"
    );
    let media = media_of(&app, &id).await;
    assert_eq!(media.len(), 1, "{media:?}");
    assert_eq!(media[0]["kind"], "ssd");

    // An old disk found in the case, that no report lists, added by hand.
    let page = bench.get(&page_path).await;
    let add = format!("/d/{tag}/media");
    let form = forms_to(&page.text, &add)
        .pop()
        .expect("an add-medium form");
    let added = bench
        .post(
            &add,
            &filled(&form, &[("kind", "hdd"), ("serial_number", "WD-OLD-1")]),
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text);
    let media = media_of(&app, &id).await;
    assert_eq!(media.len(), 2, "{media:?}");

    // Start the erasure with the page's own button.
    let page = bench.get(&page_path).await;
    let start = forms_to(&page.text, &page_path)
        .into_iter()
        .find(|f| {
            f.fields
                .iter()
                .any(|(k, v)| k == "action" && v == "start_erasure")
        })
        .expect("a start-erasure button");
    let started = bench.post(&page_path, &filled(&start, &[])).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.text);
    assert_eq!(app.fetch_device(&app.admin, &id).await["state"], "erasing");

    // The real log: its loop devices match none of the desktop's drives,
    // so both are listed, each with the record to attach.
    let page = bench.get(&page_path).await;
    let nwipe = format!("/d/{tag}/nwipe");
    assert_eq!(forms_to(&page.text, &nwipe).len(), 1, "{}", page.text);
    let shown = bench
        .upload(
            &nwipe,
            &[("csrf", &csrf), ("destination", "reuse_internal")],
            TWO_DRIVES,
        )
        .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.text);
    assert!(
        shown.text.contains("Disques sans support correspondant"),
        "{}",
        shown.text
    );
    assert!(shown.text.contains("/dev/loop0"), "{}", shown.text);
    let attach = format!("/d/{tag}/erasures/attach");
    let drives = forms_to(&shown.text, &attach);
    assert_eq!(drives.len(), 2, "{}", shown.text);

    // Nothing was written; the same log again lists the same drives, so a
    // page closed too early loses nothing.
    let before = app.ledger_seq().await;
    let again = bench.upload(&nwipe, &[("csrf", &csrf)], TWO_DRIVES).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert_eq!(forms_to(&again.text, &attach).len(), 2);
    assert_eq!(app.ledger_seq().await, before);

    // The first drive is the SSD the report listed.
    let ssd = media
        .iter()
        .find(|m| m["kind"] == "ssd")
        .expect("the report's SSD");
    let ssd_id = ssd["id"].as_str().unwrap();
    let attached = bench
        .post(&attach, &filled(&drives[0], &[("medium", ssd_id)]))
        .await;
    assert_eq!(attached.status, StatusCode::SEE_OTHER, "{}", attached.text);

    // A record altered on the way (a destruction by overwriting) is refused,
    // and the medium it would have added is not left behind.
    let proposed = &drives[1]
        .fields
        .iter()
        .find(|(k, _)| k == "proposed")
        .unwrap()
        .1;
    let mut altered: Value = serde_json::from_str(proposed).unwrap();
    altered["category"] = json!("destroy");
    let altered = altered.to_string();
    let before = app.ledger_seq().await;
    let refused = bench
        .post(
            &attach,
            &filled(&drives[1], &[("medium", "new"), ("proposed", &altered)]),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("Technique"), "{}", refused.text);
    assert_eq!(app.ledger_seq().await, before);
    assert_eq!(media_of(&app, &id).await.len(), 2);

    // The second drive was a third disk of the desktop: a new medium, erased.
    let attached = bench
        .post(
            &attach,
            &filled(&drives[1], &[("medium", "new"), ("kind", "nvme")]),
        )
        .await;
    assert_eq!(attached.status, StatusCode::SEE_OTHER, "{}", attached.text);
    let media = media_of(&app, &id).await;
    assert_eq!(media.len(), 3);
    let added = media.iter().find(|m| m["kind"] == "nvme").unwrap();
    assert_eq!(added["state"], "sanitized");
    assert_eq!(added["model"], "Loopback device");

    // The old disk is destroyed, with a witness.
    let page = bench.get(&page_path).await;
    let erasures = format!("/d/{tag}/erasures");
    let destroy = forms_to(&page.text, &erasures)
        .into_iter()
        .find(|f| {
            f.fields
                .iter()
                .any(|(k, v)| k == "category" && v == "destroy")
        })
        .expect("a destruction form");
    let destroyed = bench
        .post(
            &erasures,
            &filled(
                &destroy,
                &[("technique", "shred"), ("witness", "Jeanne Témoin")],
            ),
        )
        .await;
    assert_eq!(
        destroyed.status,
        StatusCode::SEE_OTHER,
        "{}",
        destroyed.text
    );
    assert_eq!(
        app.fetch_device(&app.admin, &id).await["state"],
        "sanitized"
    );

    // The page tells how each drive was dealt with, and by whom.
    let page = bench.get(&page_path).await;
    for said in [
        "nwipe 0.33",
        "DoD Short",
        "Broyage",
        "témoin Jeanne Témoin",
        "Vérification complète : réussie",
    ] {
        assert!(page.text.contains(said), "{said}: {}", page.text);
    }
    assert_eq!(page.text.matches("class=\"passed\"").count(), 3);
    // A technician does not issue certificates.
    assert!(!page.text.contains(&format!("/d/{tag}/certificate")));

    // The coordinator issues the erasure certificate; its verify page answers.
    let coordinator = user(&app, Role::Coordinator, Some(site)).await;
    let mut desk = Browser::new(&app);
    desk.sign_in(&coordinator).await;
    let page = desk.get(&page_path).await;
    let certify = format!("/d/{tag}/certificate");
    let form = forms_to(&page.text, &certify)
        .pop()
        .expect("a certificate form");
    let issued = desk.post(&certify, &filled(&form, &[])).await;
    assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.text);
    let page = desk.get(&page_path).await;
    let number = page
        .text
        .split("href=\"/verify/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a verify link")
        .to_owned();
    let verify = Browser::new(&app).get(&format!("/verify/{number}")).await;
    assert_eq!(verify.status, StatusCode::OK, "{}", verify.text);
    // Each drive's own page lists it too: it covers every drive of the device.
    let media = media_of(&app, &id).await;
    let ssd_tag = media.iter().find(|m| m["kind"] == "ssd").unwrap()["asset_tag"]
        .as_str()
        .unwrap()
        .to_owned();
    let drive_page = desk.get(&format!("/d/{ssd_tag}")).await;
    assert!(
        drive_page
            .text
            .contains(&format!("href=\"/verify/{number}\"")),
        "{}",
        drive_page.text
    );
}

#[tokio::test]
async fn an_erasure_by_hand_must_hold_together_and_names_the_field_it_does_not() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let technician = user(&app, Role::Technician, Some(site)).await;
    let device = app
        .device(&app.admin, json!({"site_id": site, "kind": "laptop"}))
        .await;
    let tag = device["asset_tag"].as_str().unwrap().to_owned();
    let mut bench = Browser::new(&app);
    bench.sign_in(&technician).await;
    let page_path = format!("/d/{tag}");

    // No drive yet: one is added by hand.
    let page = bench.get(&page_path).await;
    let add = format!("/d/{tag}/media");
    let form = forms_to(&page.text, &add)
        .pop()
        .expect("an add-medium form");
    let refused = bench
        .post(&add, &filled(&form, &[("capacity_gb", "1e300")]))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("Capacité (Go)"), "{}", refused.text);
    let added = bench
        .post(
            &add,
            &filled(
                &form,
                &[
                    ("kind", "ssd"),
                    ("serial_number", "S3Z9NB0K"),
                    ("capacity_gb", "256"),
                ],
            ),
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text);
    let media = media_of(&app, device["id"].as_str().unwrap()).await;
    assert_eq!(media[0]["capacity_bytes"], 256_000_000_000_i64);

    // Clearing by cryptographic erase is no NIST clear: refused, by its label.
    let page = bench.get(&page_path).await;
    let erasures = format!("/d/{tag}/erasures");
    let manual = forms_to(&page.text, &erasures)
        .into_iter()
        .find(|f| {
            f.fields
                .iter()
                .any(|(k, v)| k == "category" && v == "clear")
        })
        .expect("the form by hand");
    let before = app.ledger_seq().await;
    let refused = bench
        .post(
            &erasures,
            &filled(&manual, &[("technique", "crypto_erase")]),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text
            .contains("À compléter ou corriger : Technique."),
        "{}",
        refused.text
    );
    assert_eq!(app.ledger_seq().await, before);

    // A purge by cryptographic erase, verified by sampling, that failed.
    let failed = bench
        .post(
            &erasures,
            &filled(
                &manual,
                &[
                    ("category", "purge"),
                    ("technique", "crypto_erase"),
                    ("method", "NVMe Format"),
                    ("verification", "sampling"),
                    ("outcome", "failed"),
                    ("errors", "le format a échoué"),
                ],
            ),
        )
        .await;
    assert_eq!(failed.status, StatusCode::SEE_OTHER, "{}", failed.text);
    let media = media_of(&app, device["id"].as_str().unwrap()).await;
    assert_eq!(media[0]["state"], "sanitization_failed");
    let page = bench.get(&page_path).await;
    for said in [
        "Purge · Effacement cryptographique · NVMe Format",
        "Vérification par échantillon : échouée",
        "le format a échoué",
        "saisi à la main",
    ] {
        assert!(page.text.contains(said), "{said}: {}", page.text);
    }

    // The history says who did each step, and how the drive was dealt with.
    let history = page.text.split("id=\"history\"").nth(1).unwrap();
    assert!(history.contains("class=\"who\""), "{history}");
    assert!(
        history.contains("Enregistrer un effacement → Effacement échoué (NVMe Format)"),
        "{history}"
    );

    // The drive's own page tells the same, with the forms to try again.
    let medium_page = format!("/d/{}", media[0]["asset_tag"].as_str().unwrap());
    let shown = bench.get(&medium_page).await;
    assert!(shown.text.contains("NVMe Format"), "{}", shown.text);
    assert_eq!(
        forms_to(&shown.text, &format!("{medium_page}/erasures")).len(),
        2
    );

    // A viewer is offered none of it.
    let viewer = user(&app, Role::Viewer, None).await;
    let mut funder = Browser::new(&app);
    funder.sign_in(&viewer).await;
    let seen = funder.get(&page_path).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(seen.text.contains("Effacement cryptographique"));
    assert!(
        !seen.text.contains("class=\"who\""),
        "a funder reads no staff name"
    );
    for offered in [&erasures, &add, &format!("/d/{tag}/nwipe")] {
        assert!(
            !seen.text.contains(&format!("action=\"{offered}\"")),
            "{offered}"
        );
    }
}
