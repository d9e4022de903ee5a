//! Labels: every format decodes back to the item's URL with a standard
//! reader (pdftoppm renders, zbarimg decodes), sheets honour `skip`, and
//! bad requests are refused.

use axum::http::StatusCode;
use retrace::principal::Role;
use serde_json::json;

use crate::helpers::{TestApp, pdftotext, qr_codes_by_page};

/// A lot of `count` devices; the first has a drive. Returns the lot, the
/// device tags and the drive's tag.
async fn lot_of(app: &TestApp, token: &str, count: usize) -> (String, Vec<String>, String) {
    let site = app.site("BRE").await;
    let lot = app.lot(token, site).await;
    let mut tags = Vec::new();
    let mut drive = String::new();
    for i in 0..count {
        let device = app
            .device(token, json!({"lot_id": lot, "kind": "laptop", "manufacturer": "Lenovo", "model": "ThinkPad T480", "serial_number": format!("PF{i:04}")}))
            .await;
        if i == 0 {
            let medium = app
                .add_medium(token, device["id"].as_str().unwrap(), "S3Z9NB0K1")
                .await;
            drive = medium["asset_tag"].as_str().unwrap().to_owned();
        }
        tags.push(device["asset_tag"].as_str().unwrap().to_owned());
    }
    (lot, tags, drive)
}

fn url(tag: &str) -> String {
    format!("http://retrace.test/d/{tag}")
}

#[tokio::test]
async fn every_label_of_every_pdf_format_decodes_back_to_its_url() {
    let app = TestApp::spawn().await;
    let token = app.admin.clone();
    let (lot, tags, drive) = lot_of(&app, &token, 16).await;
    let mut expected: Vec<String> = tags.iter().map(|t| url(t)).collect();
    expected.push(url(&drive));
    expected.sort();

    // (format, skip, labels on each page)
    for (format, skip, pages) in [
        ("a4-l7651", 60, vec![5, 12]),
        ("a4-l7163", 3, vec![11, 6]),
        ("roll-62x29", 0, vec![1; 17]),
    ] {
        let answer = app
            .get(
                &format!(
                    "/api/v1/labels?lot_id={lot}&include_media=true&format={format}&skip={skip}"
                ),
                &token,
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{format}: {}", answer.text);
        assert_eq!(answer.content_type(), "application/pdf");
        let codes = qr_codes_by_page(&answer.bytes, 300);
        let per_page: Vec<usize> = codes.iter().map(Vec::len).collect();
        assert_eq!(per_page, pages, "{format}: codes decoded on each page");
        let mut decoded: Vec<String> = codes.into_iter().flatten().collect();
        decoded.sort();
        assert_eq!(decoded, expected, "{format}");

        // The fonts' subsets take under 25 KB; the rest is the codes (a
        // one-bit image each) and their pages. The faces whole took 1.4 MB.
        assert!(
            answer.bytes.len() < 25_000 + 1_500 * decoded.len(),
            "{format}: {} bytes for {} codes",
            answer.bytes.len(),
            decoded.len()
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("labels.pdf");
        std::fs::write(&path, &answer.bytes).unwrap();
        let text = pdftotext(&path);
        for tag in tags.iter().chain([&drive]) {
            assert!(
                text.contains(tag.as_str()),
                "{format}: {tag} not printed:\n{text}"
            );
        }
        assert!(text.contains("Atelier BRE"), "{format}: site missing");
        assert!(
            text.contains("Portable"),
            "{format}: the kind is in French by default"
        );
    }
}

#[tokio::test]
async fn chosen_devices_and_media_print_in_the_order_asked_and_in_english_on_request() {
    let app = TestApp::spawn().await;
    let token = app.admin.clone();
    let (lot, _, _) = lot_of(&app, &token, 3).await;
    let devices = app
        .get(&format!("/api/v1/devices?lot_id={lot}"), &token)
        .await;
    let items = devices.body["items"].as_array().unwrap();
    let (first, last) = (&items[0], &items[2]);
    let answer = app
        .get(
            &format!(
                "/api/v1/labels?format=roll-62x29&lang=en&device_ids={},{}",
                last["id"].as_str().unwrap(),
                first["id"].as_str().unwrap()
            ),
            &token,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    let codes = qr_codes_by_page(&answer.bytes, 300);
    assert_eq!(
        codes,
        vec![
            vec![url(last["asset_tag"].as_str().unwrap())],
            vec![url(first["asset_tag"].as_str().unwrap())]
        ]
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.pdf");
    std::fs::write(&path, &answer.bytes).unwrap();
    assert!(pdftotext(&path).contains("Laptop Lenovo"));
}

#[tokio::test]
async fn zpl_has_one_block_per_label_with_the_url_in_its_qr_field() {
    let app = TestApp::spawn().await;
    let token = app.admin.clone();
    let (lot, tags, drive) = lot_of(&app, &token, 2).await;
    let answer = app
        .get(
            &format!("/api/v1/labels?lot_id={lot}&include_media=true&format=zpl"),
            &token,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    assert!(answer.content_type().starts_with("text/plain"));
    assert_eq!(answer.text.matches("^XA").count(), 3);
    for tag in tags.iter().chain([&drive]) {
        assert!(
            answer.text.contains(&format!("^FDMA,{}^FS", url(tag))),
            "{tag}:\n{}",
            answer.text
        );
        assert!(answer.text.contains(&format!("^FD{tag}^FS")));
    }
}

#[tokio::test]
async fn impossible_label_requests_are_refused_with_the_field_at_fault() {
    let app = TestApp::spawn().await;
    let token = app.admin.clone();
    let (lot, _, _) = lot_of(&app, &token, 1).await;
    let skip = app
        .get(
            &format!("/api/v1/labels?lot_id={lot}&format=a4-l7163&skip=14"),
            &token,
        )
        .await;
    skip.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(skip.error_fields(), ["skip"]);
    let nothing = app.get("/api/v1/labels?format=zpl", &token).await;
    nothing.problem(StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = app
        .get(
            &format!(
                "/api/v1/labels?format=zpl&device_ids={}",
                uuid::Uuid::now_v7()
            ),
            &token,
        )
        .await;
    unknown.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.error_fields(), ["device_ids"]);
    let garbage = app
        .get("/api/v1/labels?format=zpl&device_ids=not-an-id", &token)
        .await;
    garbage.problem(StatusCode::UNPROCESSABLE_ENTITY);
    let format = app
        .get(&format!("/api/v1/labels?lot_id={lot}&format=a5"), &token)
        .await;
    assert!(format.status.is_client_error(), "{}", format.text);

    // Another site's technician sees nothing of this lot: it does not exist for them.
    let other = app.site("NAN").await;
    let stranger = app.token(Role::Technician, Some(other)).await;
    let hidden = app
        .get(
            &format!("/api/v1/labels?lot_id={lot}&format=zpl"),
            &stranger,
        )
        .await;
    hidden.problem(StatusCode::NOT_FOUND);
}
