//! Refurbishment work, dismantling, waste shipments and the outgoing waste
//! register, through HTTP.

use axum::http::StatusCode;
use retrace::principal::Role;
use serde_json::{Value, json};

use crate::allocations::{allocate, beneficiary, ready_device};
use crate::helpers::TestApp;

const HEADERS: &str = include_str!("../fixtures/registers/rndts-outgoing-headers.txt");

async fn work(
    app: &TestApp,
    token: &str,
    device: &Value,
    work: Value,
) -> crate::helpers::TestResponse {
    app.post(
        &format!("/api/v1/devices/{}/work", device["id"].as_str().unwrap()),
        token,
        json!({"expected_version": device["version"], "work": work}),
    )
    .await
}

/// A device registered with one drive and audited: `inventoried`.
async fn audited_with_drive(
    app: &TestApp,
    token: &str,
    site: retrace::ids::SiteId,
    kind: &str,
) -> (Value, Value) {
    let device = app
        .device(
            token,
            json!({"site_id": site, "kind": kind, "weight_kg": 2.5}),
        )
        .await;
    let id = device["id"].as_str().unwrap().to_owned();
    let drive = app
        .add_medium(token, &id, &format!("D{}", uuid::Uuid::now_v7().simple()))
        .await;
    let device = app.step(token, &device, "audit", json!({})).await;
    (device, drive)
}

#[tokio::test]
async fn refurbishing_work_is_recorded_and_a_harvested_part_keeps_its_origin() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let technician = app.token(Role::Technician, Some(site)).await;

    // A donor laptop beyond repair: its drive destroyed, its RAM kept.
    let (broken, drive) = audited_with_drive(&app, &technician, site, "laptop").await;
    let refused = app
        .post(
            &format!(
                "/api/v1/devices/{}/dismantle",
                broken["id"].as_str().unwrap()
            ),
            &technician,
            json!({"expected_version": broken["version"], "parts": ["8 GB DDR4 SO-DIMM"]}),
        )
        .await;
    let problem = refused.problem(StatusCode::CONFLICT);
    assert!(
        problem["type"]
            .as_str()
            .unwrap()
            .ends_with("media-not-sanitized"),
        "{problem}"
    );
    app.medium_step(
        &technician,
        &drive,
        "destroy",
        json!({"method": "shredder"}),
    )
    .await;
    let broken = app
        .fetch_device(&technician, broken["id"].as_str().unwrap())
        .await;
    let dismantled = app
        .post(
            &format!("/api/v1/devices/{}/dismantle", broken["id"].as_str().unwrap()),
            &technician,
            json!({"expected_version": broken["version"], "parts": ["8 GB DDR4 SO-DIMM", "Keyboard FR"], "note": "cracked chassis"}),
        )
        .await;
    assert_eq!(dismantled.status, StatusCode::OK, "{}", dismantled.text);
    assert_eq!(dismantled.body["device"]["state"], "dismantled");
    let ram = dismantled.body["parts"][0].clone();
    assert_eq!(ram["origin_asset_tag"], broken["asset_tag"]);
    let available = app.get("/api/v1/parts?available=true", &technician).await;
    assert_eq!(available.body.as_array().unwrap().len(), 2);

    // Another laptop gets the RAM, a grade, a battery reading and its OS.
    let (laptop, drive) = audited_with_drive(&app, &technician, site, "laptop").await;
    app.medium_step(
        &technician,
        &drive,
        "record_erasure",
        json!({"outcome": "passed", "method": "nwipe PRNG"}),
    )
    .await;
    let laptop = app
        .fetch_device(&technician, laptop["id"].as_str().unwrap())
        .await;
    let laptop = app
        .step(&technician, &laptop, "start_refurbish", json!({}))
        .await;
    let repaired = work(
        &app,
        &technician,
        &laptop,
        json!({"type": "repair", "description": "RAM upgraded to 16 GB", "parts": [{"description": "8 GB DDR4 SO-DIMM", "part_id": ram["id"]}]}),
    )
    .await;
    assert_eq!(repaired.status, StatusCode::CREATED, "{}", repaired.text);
    let again = work(
        &app,
        &technician,
        &repaired.body,
        json!({"type": "repair", "description": "again", "parts": [{"description": "RAM", "part_id": ram["id"]}]}),
    )
    .await;
    assert_eq!(
        again.error_fields(),
        ["work.parts[0].part_id"],
        "{}",
        again.text
    );
    let graded = work(
        &app,
        &technician,
        &repaired.body,
        json!({"type": "grade", "grade": "B"}),
    )
    .await;
    assert_eq!(graded.body["grade"], "B");
    let battery = work(
        &app,
        &technician,
        &graded.body,
        json!({"type": "battery", "health_percent": 87, "cycle_count": 412}),
    )
    .await;
    assert_eq!(battery.body["specs"]["battery_health_percent"], 87);
    let os = work(
        &app,
        &technician,
        &battery.body,
        json!({"type": "os", "distribution": "Emmabuntüs", "version": "DE5-1.02", "image_id": "bre-master-2026-11"}),
    )
    .await;
    assert_eq!(os.body["os"], "Emmabuntüs DE5-1.02");
    // A stale version is refused.
    let stale = work(
        &app,
        &technician,
        &battery.body,
        json!({"type": "grade", "grade": "A"}),
    )
    .await;
    stale.problem(StatusCode::CONFLICT);
    let bad = work(
        &app,
        &technician,
        &os.body,
        json!({"type": "battery", "health_percent": 140}),
    )
    .await;
    bad.problem(StatusCode::UNPROCESSABLE_ENTITY);

    let id = laptop["id"].as_str().unwrap();
    let records = app
        .get(&format!("/api/v1/devices/{id}/work"), &technician)
        .await;
    let records = records.body.as_array().unwrap();
    assert_eq!(records.len(), 4);
    assert_eq!(
        records[0]["work"]["parts"][0]["origin_device_id"],
        broken["id"]
    );
    let history = app
        .get(&format!("/api/v1/devices/{id}/events"), &technician)
        .await;
    let work_events = history.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "device.work_recorded")
        .count();
    assert_eq!(work_events, 4);
    let parts = app.get("/api/v1/parts", &technician).await;
    let fitted = parts
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == ram["id"])
        .unwrap()
        .clone();
    assert_eq!(fitted["fitted_in_device_id"], laptop["id"]);
}

pub fn shipment(items: Value) -> Value {
    json!({
        "dispatched_on": "2026-11-27",
        "recycler": {"name": "Envie 2E Bretagne", "siret": "73282932000074", "address": "ZA de Kerscao", "postcode": "29480", "city": "Le Relecq-Kerhuon"},
        "eco_organism": {"name": "ecosystem", "siret": "83303349500015"},
        "waste_code": "16 02 14",
        "treatment_code": "R4",
        "weight_kg": 42.0,
        "trackdechets_number": "BSD-20261127-XK2P9",
        "items": items,
    })
}

#[tokio::test]
async fn devices_and_loose_drives_leave_in_a_shipment_through_the_gate_and_fill_the_register() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let (desktop, drive) = audited_with_drive(&app, &coordinator, site, "desktop").await;
    let (laptop, loose) = audited_with_drive(&app, &coordinator, site, "laptop").await;
    let removed = app
        .medium_step(&coordinator, &loose, "remove", json!({}))
        .await;
    let loose = removed["medium"].clone();

    let items = json!([{"device_id": desktop["id"]}, {"device_id": laptop["id"]}, {"medium_id": loose["id"], "waste_code": "16 02 16"}]);
    // The register needs the workshop's SIRET.
    let refused = app
        .post(
            "/api/v1/waste-shipments",
            &coordinator,
            shipment(items.clone()),
        )
        .await;
    assert_eq!(refused.error_fields(), ["site_id"], "{}", refused.text);
    let patched = app
        .patch(
            &format!("/api/v1/sites/{site}"),
            &app.admin,
            json!({"expected_version": 1, "siret": "552 081 317 00034", "postcode": "29200", "city": "Brest", "address": "12 rue de Siam"}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text);
    assert_eq!(patched.body["siret"], "55208131700034");

    // Nothing leaves with data on it: not the desktop's drive, not the loose one.
    let before = app.ledger_seq().await;
    let refused = app
        .post(
            "/api/v1/waste-shipments",
            &coordinator,
            shipment(items.clone()),
        )
        .await;
    let problem = refused.problem(StatusCode::CONFLICT);
    assert!(
        problem["type"]
            .as_str()
            .unwrap()
            .ends_with("media-not-sanitized"),
        "{problem}"
    );
    assert_eq!(app.ledger_seq().await, before, "nothing written");
    app.medium_step(
        &coordinator,
        &drive,
        "destroy",
        json!({"method": "shredder"}),
    )
    .await;
    let refused = app
        .post(
            "/api/v1/waste-shipments",
            &coordinator,
            shipment(items.clone()),
        )
        .await;
    let problem = refused.problem(StatusCode::CONFLICT);
    assert_eq!(
        problem["blocking_media"][0]["asset_tag"], loose["asset_tag"],
        "{problem}"
    );
    assert_eq!(
        app.ledger_seq().await,
        before + 2,
        "only the destruction was written"
    );
    app.medium_step(
        &coordinator,
        &loose,
        "destroy",
        json!({"method": "shredder"}),
    )
    .await;

    let shipped = app
        .post(
            "/api/v1/waste-shipments",
            &coordinator,
            shipment(items.clone()),
        )
        .await;
    assert_eq!(shipped.status, StatusCode::CREATED, "{}", shipped.text);
    assert_eq!(shipped.body["number"], "BRE-DS-2026-0001");
    assert_eq!(shipped.body["lines"].as_array().unwrap().len(), 2);
    for device in [&desktop, &laptop] {
        let now = app
            .fetch_device(&coordinator, device["id"].as_str().unwrap())
            .await;
        assert_eq!(now["state"], "recycled");
    }
    let again = app
        .post(
            "/api/v1/waste-shipments",
            &coordinator,
            shipment(json!([{"device_id": desktop["id"]}])),
        )
        .await;
    let problem = again.problem(StatusCode::CONFLICT);
    assert!(
        problem["type"]
            .as_str()
            .unwrap()
            .ends_with("already-shipped")
    );

    // The register, read back as the national register's import would.
    let register = app
        .get(
            "/api/v1/registers/outgoing-waste?from=2026-11-01&to=2026-11-30",
            &coordinator,
        )
        .await;
    assert_eq!(register.status, StatusCode::OK, "{}", register.text);
    assert!(register.content_type().starts_with("text/csv"));
    assert!(register.bytes.starts_with(b"\xEF\xBB\xBF"), "a UTF-8 BOM");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&register.bytes[3..]);
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let expected: Vec<&str> = HEADERS.lines().collect();
    assert_eq!(headers, expected, "the template's headers, in its order");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "one line per shipment and waste code");
    let cell = |row: &csv::StringRecord, name: &str| {
        row.get(headers.iter().position(|h| h == name).unwrap())
            .unwrap()
            .to_owned()
    };
    let devices = &rows[0];
    assert_eq!(cell(devices, "Identifiant unique"), "BRE-DS-2026-0001.1");
    assert_eq!(
        cell(devices, "SIRET de l'expéditeur ou du détenteur"),
        "55208131700034"
    );
    assert_eq!(cell(devices, "Code déchet"), "16 02 14");
    assert_eq!(cell(devices, "Dangereux"), "Non");
    assert_eq!(cell(devices, "POP"), "Non");
    assert_eq!(cell(devices, "Date d'expédition"), "2026-11-27");
    assert_eq!(cell(devices, "Type de poids"), "ESTIME");
    // 42 kg weighed, shared out over two codes in proportion to the estimates.
    assert_eq!(cell(devices, "Poids en tonnes"), "0.042");
    assert_eq!(cell(&rows[1], "Poids en tonnes"), "0.001");
    assert_eq!(cell(devices, "Code de traitement prévu"), "R 4");
    assert_eq!(cell(devices, "Mode de traitement prévu"), "Recyclage");
    assert_eq!(cell(devices, "Type de destinataire"), "ETABLISSEMENT_FR");
    assert_eq!(
        cell(devices, "Raison sociale du destinataire"),
        "Envie 2E Bretagne"
    );
    assert_eq!(
        cell(devices, "Raison sociale de l\u{2019}éco-organisme "),
        "ecosystem"
    );
    assert_eq!(
        cell(devices, "Mode de transport du transporteur n°1"),
        "ROUTE"
    );
    assert_eq!(cell(&rows[1], "Code déchet"), "16 02 16");
    assert_eq!(cell(&rows[1], "Code déchet Bâle"), "");

    // Outside the period, nothing; a viewer reads the register too.
    let viewer = app.token(Role::Viewer, None).await;
    let empty = app
        .get(
            "/api/v1/registers/outgoing-waste?from=2026-12-01&to=2026-12-31",
            &viewer,
        )
        .await;
    let text = String::from_utf8(empty.bytes[3..].to_vec()).unwrap();
    assert_eq!(text.lines().count(), 1, "headers only");
    let backwards = app
        .get(
            "/api/v1/registers/outgoing-waste?from=2026-12-31&to=2026-12-01",
            &viewer,
        )
        .await;
    backwards.problem(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn an_end_of_life_take_back_re_enters_the_device_and_sends_it_to_recycling() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    app.patch(
        &format!("/api/v1/sites/{site}"),
        &app.admin,
        json!({"expected_version": 1, "siret": "55208131700034"}),
    )
    .await;
    let device = ready_device(&app, &coordinator, site).await;
    let person = beneficiary(&app, &coordinator, json!({"category": "association"})).await;
    let allocation = allocate(&app, &coordinator, &device, &person).await;
    let a = allocation["id"].as_str().unwrap();
    let delivered = app
        .post(
            &format!("/api/v1/allocations/{a}/deliver"),
            &coordinator,
            json!({"expected_version": 1}),
        )
        .await;
    let returned = app
        .post(
            &format!("/api/v1/allocations/{a}/return"),
            &coordinator,
            json!({"expected_version": delivered.body["version"], "reason": "end_of_life"}),
        )
        .await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.text);
    assert_eq!(returned.body["return"]["reason"], "end_of_life");
    let id = device["id"].as_str().unwrap();
    assert_eq!(
        app.fetch_device(&coordinator, id).await["state"],
        "received"
    );

    // Its drive holds the beneficiary's data now: the shipment waits for it.
    let refused = app
        .post(
            "/api/v1/waste-shipments",
            &coordinator,
            shipment(json!([{"device_id": id}])),
        )
        .await;
    refused.problem(StatusCode::CONFLICT);
    let media = app
        .get(&format!("/api/v1/devices/{id}/media"), &coordinator)
        .await;
    let drive = media.body["items"][0].clone();
    app.medium_step(&coordinator, &drive, "destroy", json!({"method": "drill"}))
        .await;
    let shipped = app
        .post(
            "/api/v1/waste-shipments",
            &coordinator,
            shipment(json!([{"device_id": id}])),
        )
        .await;
    assert_eq!(shipped.status, StatusCode::CREATED, "{}", shipped.text);
    assert_eq!(shipped.body["lines"][0]["weight_measured"], true);
    assert_eq!(
        app.fetch_device(&coordinator, id).await["state"],
        "recycled"
    );
}
