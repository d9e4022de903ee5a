//! Every write of the API, prepared: who may send it (the role table of
//! docs/DECISIONS.md) and a valid request for it on a record made for that
//! request alone, so that only the rule under test can refuse it.

use axum::http::StatusCode;
use retrace::principal::Principal;
use serde_json::json;

use crate::world::{Call, Who, World, id, json_call};

pub const ROLES: [Who; 4] = [Who::Viewer, Who::Technician, Who::Coordinator, Who::Admin];
const COORDINATORS: &[Who] = &[Who::Coordinator, Who::Admin];
const WORKSHOP: &[Who] = &[Who::Technician, Who::Coordinator, Who::Admin];
pub const EVERYONE: &[Who] = &[Who::Viewer, Who::Technician, Who::Coordinator, Who::Admin];
const ADMINS: &[Who] = &[Who::Admin];

/// Who may send an operation that writes, as docs/DECISIONS.md's role table
/// says (`None`: an operation this test does not know yet).
pub fn allowed(method: &str, path: &str) -> Option<&'static [Who]> {
    Some(match (method, path) {
        ("post", "/api/v1/login") => EVERYONE,
        ("post", "/api/v1/logout") => EVERYONE,
        ("post" | "delete", "/api/v1/tokens" | "/api/v1/tokens/{id}") => EVERYONE,
        ("post" | "patch", "/api/v1/sites" | "/api/v1/sites/{id}") => ADMINS,
        ("post", "/api/v1/ledger/checkpoints") => ADMINS,
        ("post" | "patch", "/api/v1/donors" | "/api/v1/donors/{id}") => COORDINATORS,
        ("post" | "patch", "/api/v1/lots" | "/api/v1/lots/{id}") => COORDINATORS,
        ("post", "/api/v1/lots/{id}/devices/import") => WORKSHOP,
        ("post", "/api/v1/lots/{id}/portal-links" | "/api/v1/portal-links/{id}/revoke") => {
            COORDINATORS
        }
        ("post" | "patch", "/api/v1/devices" | "/api/v1/devices/{id}") => WORKSHOP,
        ("post", "/api/v1/devices/{id}/events") => WORKSHOP,
        ("post", "/api/v1/devices/{id}/audit") => WORKSHOP,
        ("post", "/api/v1/devices/{id}/work" | "/api/v1/devices/{id}/dismantle") => WORKSHOP,
        ("post", "/api/v1/devices/{id}/media") => WORKSHOP,
        ("patch", "/api/v1/media/{id}") => WORKSHOP,
        ("post", "/api/v1/media/{id}/events") => WORKSHOP,
        ("post", "/api/v1/erasures" | "/api/v1/erasures/nwipe") => WORKSHOP,
        ("post", "/api/v1/certificates") => COORDINATORS,
        ("post", "/api/v1/audits" | "/api/v1/audits/{id}/scans" | "/api/v1/audits/{id}/close") => {
            WORKSHOP
        }
        ("post", "/api/v1/beneficiaries") => COORDINATORS,
        ("delete", "/api/v1/beneficiaries/{id}/personal-data") => COORDINATORS,
        ("post", "/api/v1/allocations") => COORDINATORS,
        ("post", "/api/v1/allocations/{id}/deliver" | "/api/v1/allocations/{id}/release") => {
            COORDINATORS
        }
        // A return is workshop work: the device comes back to the bench.
        ("post", "/api/v1/allocations/{id}/return") => WORKSHOP,
        ("post", "/api/v1/allocations/{id}/acceptance") => COORDINATORS,
        ("post", "/api/v1/allocations/{id}/complaints" | "/api/v1/complaints/{id}/answer") => {
            COORDINATORS
        }
        ("post", "/api/v1/waste-shipments") => COORDINATORS,
        ("post" | "patch", "/api/v1/workers" | "/api/v1/workers/{id}") => COORDINATORS,
        ("delete", "/api/v1/workers/{id}/personal-data") => COORDINATORS,
        (
            "post" | "patch",
            "/api/v1/timesheets"
            | "/api/v1/timesheets/{id}"
            | "/api/v1/timesheets/batch"
            | "/api/v1/timesheets/import",
        ) => COORDINATORS,
        ("post" | "patch", "/api/v1/users" | "/api/v1/users/{id}") => COORDINATORS,
        ("delete", "/api/v1/users/{id}/personal-data") => COORDINATORS,
        ("post", "/api/v1/users/{id}/password") => COORDINATORS,
        ("post", "/api/v1/users/me/password") => EVERYONE,
        ("delete", "/api/v1/donors/{id}/personal-data") => COORDINATORS,
        _ => return None,
    })
}

/// A valid request for the operation, on a resource made for it alone, as
/// `who` would send it (a token to revoke is their own).
pub async fn prepare(w: &World, who: Who, method: &str, path: &str) -> Call {
    let s = w.setup();
    match (method, path) {
        ("post", "/api/v1/sites") => {
            let n = w.next();
            let code: String = format!("{n:04}")
                .bytes()
                .map(|b| char::from(b'A' + (b - b'0')))
                .collect();
            json_call(
                path,
                json!({"name": format!("Atelier {code}"), "code": code}),
            )
        }
        ("patch", "/api/v1/sites/{id}") => {
            let site = w
                .app
                .get(&format!("/api/v1/sites/{}", w.site), s)
                .await
                .body;
            json_call(
                format!("/api/v1/sites/{}", w.site),
                json!({"expected_version": site["version"], "city": format!("Brest {}", w.next())}),
            )
        }
        ("post", "/api/v1/ledger/checkpoints") => json_call(path, json!({})),
        ("post", "/api/v1/donors") => json_call(
            path,
            json!({"name": format!("Donateur {}", w.next()), "kind": "association"}),
        ),
        ("patch", "/api/v1/donors/{id}") => {
            let donor = w.donor().await;
            json_call(
                format!("/api/v1/donors/{}", id(&donor)),
                json!({"expected_version": 1, "name": "Donateur renommé"}),
            )
        }
        ("post", "/api/v1/lots") => {
            let donor = w.donor().await;
            json_call(
                path,
                json!({"donor_id": donor["id"], "site_id": w.site, "received_on": "2026-11-02"}),
            )
        }
        ("patch", "/api/v1/lots/{id}") => {
            let lot = w.lot().await;
            json_call(
                format!("/api/v1/lots/{}", id(&lot)),
                json!({"expected_version": 1, "declared_count": 4}),
            )
        }
        ("post", "/api/v1/lots/{id}/devices/import") => {
            let lot = w.lot().await;
            let n = w.next();
            Call {
                path: format!("/api/v1/lots/{}/devices/import", id(&lot)),
                body: format!(
                    "Serial;Manufacturer;Model;Type\nIMP{n:05};Dell;Latitude 5490;Laptop\n"
                )
                .into_bytes(),
                content_type: "text/csv",
            }
        }
        ("post", "/api/v1/lots/{id}/portal-links") => {
            let lot = w.lot().await;
            json_call(format!("/api/v1/lots/{}/portal-links", id(&lot)), json!({}))
        }
        ("post", "/api/v1/portal-links/{id}/revoke") => {
            let link = w.portal_link().await;
            json_call(
                format!("/api/v1/portal-links/{}/revoke", id(&link)),
                json!({"expected_version": link["version"]}),
            )
        }
        ("post", "/api/v1/devices") => json_call(
            path,
            json!({"site_id": w.site, "kind": "laptop", "serial_number": format!("NEW{:05}", w.next())}),
        ),
        ("patch", "/api/v1/devices/{id}") => {
            let device = w.device().await;
            json_call(
                format!("/api/v1/devices/{}", id(&device)),
                json!({"expected_version": device["version"], "model": "ThinkPad T480s"}),
            )
        }
        ("post", "/api/v1/devices/{id}/events") => {
            let device = w.device().await;
            json_call(
                format!("/api/v1/devices/{}/events", id(&device)),
                json!({"action": "audit", "expected_version": device["version"]}),
            )
        }
        ("post", "/api/v1/devices/{id}/audit") => {
            let device = w.device().await;
            Call {
                path: format!(
                    "/api/v1/devices/{}/audit?expected_version={}",
                    id(&device),
                    device["version"]
                ),
                body: include_bytes!(
                    "../fixtures/hardware/lshw_lenovo_thinkpad_x1_carbon_5th.json"
                )
                .to_vec(),
                content_type: "application/json",
            }
        }
        ("post", "/api/v1/devices/{id}/work") => {
            let device = w.device().await;
            json_call(
                format!("/api/v1/devices/{}/work", id(&device)),
                json!({"expected_version": device["version"], "work": {"type": "grade", "grade": "B"}}),
            )
        }
        ("post", "/api/v1/devices/{id}/dismantle") => {
            let device = w.erased_device().await;
            json_call(
                format!("/api/v1/devices/{}/dismantle", id(&device)),
                json!({"expected_version": device["version"], "parts": ["RAM 8 Go"]}),
            )
        }
        ("post", "/api/v1/devices/{id}/media") => {
            let device = w.device().await;
            json_call(
                format!("/api/v1/devices/{}/media", id(&device)),
                json!({"kind": "ssd", "serial_number": format!("ADD{:05}", w.next())}),
            )
        }
        ("patch", "/api/v1/media/{id}") => {
            let (_, medium) = w.device_with_medium().await;
            json_call(
                format!("/api/v1/media/{}", id(&medium)),
                json!({"expected_version": medium["version"], "model": "860 EVO"}),
            )
        }
        ("post", "/api/v1/media/{id}/events") => {
            let (_, medium) = w.device_with_medium().await;
            json_call(
                format!("/api/v1/media/{}/events", id(&medium)),
                json!({"action": "remove", "expected_version": medium["version"]}),
            )
        }
        ("post", "/api/v1/erasures") => {
            let (_, medium) = w.device_with_medium().await;
            json_call(
                path,
                json!({
                    "medium_id": medium["id"], "category": "clear", "technique": "overwrite", "method": "PRNG Stream",
                    "tool": "nwipe", "tool_version": "0.38", "verification": "full", "verification_result": "passed",
                    "started_at": "2026-11-20T09:00:00Z", "ended_at": "2026-11-20T10:00:00Z",
                    "destination": "reuse_external", "outcome": "passed",
                }),
            )
        }
        ("post", "/api/v1/erasures/nwipe") => {
            // The log's drives are 32 MiB loopback devices with unreadable
            // serials: the device's drive is matched by model and size.
            let device = w.device().await;
            let drive = w
                .app
                .post(
                    &format!("/api/v1/devices/{}/media", id(&device)),
                    s,
                    json!({"kind": "ssd", "model": "Loopback device", "capacity_bytes": 33554432}),
                )
                .await;
            assert_eq!(drive.status, StatusCode::CREATED, "{}", drive.text);
            Call {
                path: format!("/api/v1/erasures/nwipe?device_id={}", id(&device)),
                // A log is imported once: each request's has a line of its own.
                body: [
                    include_bytes!("../fixtures/nwipe/dodshort_two_drives.log").as_slice(),
                    format!("[2026/11/21 22:49:40] info: matrix run {}\n", w.next()).as_bytes(),
                ]
                .concat(),
                content_type: "text/plain",
            }
        }
        ("post", "/api/v1/certificates") => {
            let device = w.erased_device().await;
            json_call(path, json!({"kind": "erasure", "device_id": device["id"]}))
        }
        ("post", "/api/v1/audits") => {
            w.close_open_audit().await;
            json_call(path, json!({"site_id": w.site}))
        }
        ("post", "/api/v1/audits/{id}/scans") => {
            let audit = w.audit().await;
            let device = w.device().await;
            json_call(
                format!("/api/v1/audits/{}/scans", id(&audit)),
                json!({"code": device["asset_tag"]}),
            )
        }
        ("post", "/api/v1/audits/{id}/close") => {
            let audit = w.audit().await;
            json_call(
                format!("/api/v1/audits/{}/close", id(&audit)),
                json!({"expected_version": audit["version"]}),
            )
        }
        ("post", "/api/v1/beneficiaries") => json_call(
            path,
            json!({"category": "school", "site_id": w.site, "name": "École Diwan"}),
        ),
        ("delete", "/api/v1/beneficiaries/{id}/personal-data") => {
            let person = w.beneficiary().await;
            json_call(
                format!("/api/v1/beneficiaries/{}/personal-data", id(&person)),
                json!({}),
            )
        }
        ("post", "/api/v1/allocations") => {
            let device = w.ready_device().await;
            let person = w.beneficiary().await;
            json_call(
                path,
                json!({"device_id": device["id"], "beneficiary_id": person["id"], "conditions": {"kind": "free"}, "warranty_months": 6}),
            )
        }
        (
            "post",
            "/api/v1/allocations/{id}/deliver"
            | "/api/v1/allocations/{id}/release"
            | "/api/v1/allocations/{id}/acceptance"
            | "/api/v1/allocations/{id}/complaints",
        ) => {
            let allocation = if path.ends_with("complaints") {
                w.delivered().await
            } else {
                w.reserved().await
            };
            let body = match path.rsplit('/').next() {
                Some("acceptance") => {
                    json!({"expected_version": allocation["version"], "method": "signed_on_paper"})
                }
                Some("complaints") => {
                    json!({"received_on": "2026-11-30", "description": "L'écran clignote"})
                }
                _ => json!({"expected_version": allocation["version"]}),
            };
            json_call(path.replace("{id}", id(&allocation)), body)
        }
        ("post", "/api/v1/allocations/{id}/return") => {
            let allocation = w.delivered().await;
            json_call(
                format!("/api/v1/allocations/{}/return", id(&allocation)),
                json!({"expected_version": allocation["version"], "reason": "no_longer_needed"}),
            )
        }
        ("post", "/api/v1/complaints/{id}/answer") => {
            let complaint = w.complaint().await;
            json_call(
                format!("/api/v1/complaints/{}/answer", id(&complaint)),
                json!({"expected_version": complaint["version"], "answered_on": "2026-12-01", "answer": "Ventilateur changé"}),
            )
        }
        ("post", "/api/v1/waste-shipments") => {
            let device = w.erased_device().await;
            json_call(
                path,
                json!({"dispatched_on": "2026-11-30", "site_id": w.site, "recycler": {"name": "Recycleur", "siret": "73282932000074"},
                       "waste_code": "16 02 14", "treatment_code": "R 4", "items": [{"device_id": device["id"]}]}),
            )
        }
        ("post", "/api/v1/workers") => json_call(
            path,
            json!({"display_name": "Salarié Nouveau", "contract_kind": "apprentice", "started_on": "2026-09-01", "weekly_hours": 35, "site_id": w.site}),
        ),
        ("patch", "/api/v1/workers/{id}") => {
            let worker = w.worker().await;
            json_call(
                format!("/api/v1/workers/{}", id(&worker)),
                json!({"expected_version": worker["version"], "weekly_hours": 30}),
            )
        }
        ("delete", "/api/v1/workers/{id}/personal-data") => {
            let worker = w.worker().await;
            json_call(
                format!("/api/v1/workers/{}/personal-data", id(&worker)),
                json!({}),
            )
        }
        ("post", "/api/v1/timesheets") => {
            let worker = w.worker().await;
            json_call(
                path,
                json!({"worker_id": worker["id"], "date": w.day(), "hours": 7, "activity": "erasure"}),
            )
        }
        ("patch", "/api/v1/timesheets/{id}") => {
            let entry = w.timesheet().await;
            json_call(
                format!("/api/v1/timesheets/{}", id(&entry)),
                json!({"expected_version": entry["version"], "hours": 6.5}),
            )
        }
        ("post", "/api/v1/timesheets/batch") => {
            let worker = w.worker().await;
            json_call(
                path,
                json!({"entries": [{"worker_id": worker["id"], "date": w.day(), "hours": 3.5, "activity": "training"}]}),
            )
        }
        ("post", "/api/v1/timesheets/import") => {
            let worker = w.worker().await;
            Call {
                path: path.to_owned(),
                body: format!(
                    "worker;date;hours;activity\n{};{};7;repair\n",
                    worker["reference"].as_str().unwrap(),
                    w.day()
                )
                .into_bytes(),
                content_type: "text/csv",
            }
        }
        ("post", "/api/v1/users") => json_call(
            path,
            json!({"email": format!("new-{}@matrix.test", w.next()), "role": "viewer", "site_id": w.site}),
        ),
        ("patch", "/api/v1/users/{id}") => {
            let user = w.site_user().await;
            json_call(
                format!("/api/v1/users/{}", id(&user)),
                json!({"expected_version": user["version"], "display_name": "Technicienne"}),
            )
        }
        ("post", "/api/v1/users/{id}/password") => {
            let user = w.site_user().await;
            json_call(
                format!("/api/v1/users/{}/password", id(&user)),
                json!({"new_password": "a new long phrase"}),
            )
        }
        ("post", "/api/v1/users/me/password") => {
            // Their own password, known: set first by the instance.
            let me = w.app.get("/api/v1/users/me", w.token(who)).await;
            let user = retrace::ids::UserId(id(&me.body).parse().unwrap());
            let hash = retrace::auth::password::hash("the old long phrase".into())
                .await
                .unwrap();
            w.app
                .state
                .write_now(&Principal::instance(), move |tx, instance| {
                    Box::pin(retrace::users::service::reset_password(
                        tx, instance, user, hash,
                    ))
                })
                .await
                .unwrap();
            json_call(
                path.to_owned(),
                json!({"current_password": "the old long phrase", "new_password": "a new long phrase"}),
            )
        }
        ("delete", "/api/v1/users/{id}/personal-data") => {
            let user = w.site_user().await;
            json_call(
                format!("/api/v1/users/{}/personal-data", id(&user)),
                json!({}),
            )
        }
        ("delete", "/api/v1/donors/{id}/personal-data") => {
            let donor = w.donor().await;
            json_call(
                format!("/api/v1/donors/{}/personal-data", id(&donor)),
                json!({}),
            )
        }
        ("post", "/api/v1/tokens") => json_call(path, json!({"name": "station"})),
        ("delete", "/api/v1/tokens/{id}") => {
            // Their own token when they may revoke one; else one of the site's.
            let owner = if who == Who::Stranger {
                Who::Technician
            } else {
                who
            };
            let token = w
                .app
                .post(
                    "/api/v1/tokens",
                    w.token(owner),
                    json!({"name": "to revoke"}),
                )
                .await;
            assert_eq!(token.status, StatusCode::CREATED, "{}", token.text);
            json_call(format!("/api/v1/tokens/{}", id(&token.body)), json!({}))
        }
        _ => panic!("no way to prepare {method} {path}"),
    }
}
