//! The role × endpoint matrix and site isolation, driven by the OpenAPI
//! document rather than by a list kept by hand.
//!
//! Every operation that writes is sent by every role with a valid body to a
//! real resource made for that one request ([`prepare`]), so that only the
//! permission can refuse it: a refused role gets `403` and the ledger does
//! not move; an allowed role succeeds with the very same request. Every
//! operation that names a resource (`{id}`, `{number}`, `{code}`) is then
//! sent by a coordinator of another site: `404`, as if it did not exist, and
//! the ledger unchanged. An operation added to the API without a way to
//! prepare it here fails the test until one is written.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::body::Body;
use axum::http::{Method, StatusCode};
use retrace::auth::Role;
use retrace::ids::{SiteId, UserId};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResponse};
use crate::openapi::document;

/// Who sends a request: the four roles of the site under test, and a
/// coordinator of another site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Who {
    Viewer,
    Technician,
    Coordinator,
    Admin,
    /// A coordinator of another site.
    Stranger,
}

const ROLES: [Who; 4] = [Who::Viewer, Who::Technician, Who::Coordinator, Who::Admin];
const COORDINATORS: &[Who] = &[Who::Coordinator, Who::Admin];
const WORKSHOP: &[Who] = &[Who::Technician, Who::Coordinator, Who::Admin];
const EVERYONE: &[Who] = &[Who::Viewer, Who::Technician, Who::Coordinator, Who::Admin];
const ADMINS: &[Who] = &[Who::Admin];

/// A site with one user of each role, and a second site with its coordinator.
pub struct World {
    pub app: TestApp,
    pub site: SiteId,
    /// A second site, whose coordinator is the stranger.
    pub other: SiteId,
    tokens: BTreeMap<Who, (UserId, String)>,
    counter: AtomicU32,
}

/// A request ready to send.
pub struct Call {
    pub path: String,
    pub body: Vec<u8>,
    pub content_type: &'static str,
}

fn json_call(path: impl Into<String>, body: Value) -> Call {
    Call {
        path: path.into(),
        body: body.to_string().into_bytes(),
        content_type: "application/json",
    }
}

fn id(value: &Value) -> &str {
    value["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {value}"))
}

impl World {
    pub async fn new() -> Self {
        let app = TestApp::spawn().await;
        let site = app.site("BRE").await;
        let other = app.site("LYO").await;
        // A waste holder needs its SIRET on the register.
        let siret = app
            .patch(
                &format!("/api/v1/sites/{site}"),
                &app.admin,
                json!({"expected_version": 1, "siret": "73282932000074"}),
            )
            .await;
        assert_eq!(siret.status, StatusCode::OK, "{}", siret.text);
        let mut tokens = BTreeMap::new();
        for (who, role, at) in [
            (Who::Viewer, Role::Viewer, None),
            (Who::Technician, Role::Technician, Some(site)),
            (Who::Coordinator, Role::Coordinator, Some(site)),
            (Who::Stranger, Role::Coordinator, Some(other)),
        ] {
            let email = format!("{who:?}@matrix.test").to_lowercase();
            tokens.insert(who, app.user_with_token(&email, role, at).await);
        }
        let admin = app.admin.clone();
        let me = app.get("/api/v1/users/me", &admin).await;
        let admin_id = UserId(id(&me.body).parse().unwrap());
        tokens.insert(Who::Admin, (admin_id, admin));
        Self {
            app,
            site,
            other,
            tokens,
            counter: AtomicU32::new(0),
        }
    }

    pub fn token(&self, who: Who) -> &str {
        &self.tokens[&who].1
    }

    pub fn user(&self, who: Who) -> UserId {
        self.tokens[&who].0
    }

    /// The site's coordinator, who sets up what the requests act on.
    fn setup(&self) -> &str {
        self.token(Who::Coordinator)
    }

    fn next(&self) -> u32 {
        self.counter.fetch_add(1, Ordering::Relaxed) + 1
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        let answer = self.app.post(path, self.setup(), body).await;
        assert!(answer.status.is_success(), "{path}: {}", answer.text);
        answer.body
    }

    pub async fn device(&self) -> Value {
        let n = self.next();
        self.app
            .device(
                self.setup(),
                json!({"kind": "laptop", "manufacturer": "Lenovo", "model": "ThinkPad T480", "serial_number": format!("MX{n:05}")}),
            )
            .await
    }

    /// A device with one drive in it: the device and the drive.
    pub async fn device_with_medium(&self) -> (Value, Value) {
        let device = self.device().await;
        let medium = self
            .app
            .add_medium(self.setup(), id(&device), &format!("MXS{:05}", self.next()))
            .await;
        (device, medium)
    }

    /// A device whose one drive was erased on record: past erasure, sanitized.
    pub async fn erased_device(&self) -> Value {
        let (device, medium) = self.device_with_medium().await;
        let device = self
            .app
            .step(self.setup(), &device, "audit", json!({}))
            .await;
        crate::certificates::erase(&self.app, self.setup(), &medium).await;
        self.app.fetch_device(self.setup(), id(&device)).await
    }

    pub async fn ready_device(&self) -> Value {
        crate::allocations::ready_device(&self.app, self.setup(), self.site).await
    }

    pub async fn donor(&self) -> Value {
        self.post(
            "/api/v1/donors",
            json!({"name": format!("Donateur {}", self.next()), "kind": "company"}),
        )
        .await
    }

    pub async fn lot(&self) -> Value {
        let donor = self.donor().await;
        self.post(
            "/api/v1/lots",
            json!({"donor_id": donor["id"], "site_id": self.site, "received_on": "2026-11-02", "declared_count": 3}),
        )
        .await
    }

    pub async fn beneficiary(&self) -> Value {
        self.post(
            "/api/v1/beneficiaries",
            json!({"category": "student", "name": format!("Personne Matrice {}", self.next())}),
        )
        .await
    }

    pub async fn reserved(&self) -> Value {
        let device = self.ready_device().await;
        let person = self.beneficiary().await;
        crate::allocations::allocate(&self.app, self.setup(), &device, &person).await
    }

    pub async fn delivered(&self) -> Value {
        let allocation = self.reserved().await;
        let path = format!("/api/v1/allocations/{}/deliver", id(&allocation));
        self.post(&path, json!({"expected_version": allocation["version"]}))
            .await
    }

    pub async fn complaint(&self) -> Value {
        let allocation = self.delivered().await;
        self.post(
            &format!("/api/v1/allocations/{}/complaints", id(&allocation)),
            json!({"received_on": "2026-11-30", "description": "Le ventilateur siffle"}),
        )
        .await
    }

    pub async fn worker(&self) -> Value {
        self.post(
            "/api/v1/workers",
            json!({"display_name": format!("Salarié Matrice {}", self.next()), "contract_kind": "insertion", "started_on": "2026-01-05", "weekly_hours": 26}),
        )
        .await
    }

    /// A day of its own for each entry, so that none collides with another.
    fn day(&self) -> String {
        let n = i64::from(self.next());
        let day =
            chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap() + chrono::Duration::days(n % 300);
        day.to_string()
    }

    pub async fn timesheet(&self) -> Value {
        let worker = self.worker().await;
        self.post(
            "/api/v1/timesheets",
            json!({"worker_id": worker["id"], "date": self.day(), "hours": 7, "activity": "repair"}),
        )
        .await
    }

    /// A site has one open stock audit at a time: the open one is closed first.
    pub async fn close_open_audit(&self) {
        let open = self
            .app
            .post(
                "/api/v1/audits",
                self.setup(),
                json!({"site_id": self.site}),
            )
            .await;
        if open.status == StatusCode::CONFLICT {
            let audit = open.body["audit_id"].as_str().unwrap();
            let current = self
                .app
                .get(&format!("/api/v1/audits/{audit}"), self.setup())
                .await;
            self.post(
                &format!("/api/v1/audits/{audit}/close"),
                json!({"expected_version": current.body["version"]}),
            )
            .await;
        } else {
            assert_eq!(open.status, StatusCode::CREATED, "{}", open.text);
            self.post(
                &format!("/api/v1/audits/{}/close", id(&open.body)),
                json!({"expected_version": open.body["version"]}),
            )
            .await;
        }
    }

    pub async fn audit(&self) -> Value {
        self.close_open_audit().await;
        self.post("/api/v1/audits", json!({"site_id": self.site}))
            .await
    }

    pub async fn portal_link(&self) -> Value {
        let lot = self.lot().await;
        self.post(
            &format!("/api/v1/lots/{}/portal-links", id(&lot)),
            json!({}),
        )
        .await
    }

    pub async fn certificate(&self) -> Value {
        let device = self.erased_device().await;
        self.post(
            "/api/v1/certificates",
            json!({"kind": "erasure", "device_id": device["id"]}),
        )
        .await
    }

    /// A technician of the site, made for one request.
    pub async fn site_user(&self) -> Value {
        self.post(
            "/api/v1/users",
            json!({"email": format!("staff-{}@matrix.test", self.next()), "role": "technician", "site_id": self.site}),
        )
        .await
    }

    pub async fn send(&self, who: Who, method: &Method, call: &Call) -> TestResponse {
        self.app
            .call(
                method.clone(),
                &call.path,
                Some(self.token(who)),
                Body::from(call.body.clone()),
                &[("content-type", call.content_type)],
            )
            .await
    }
}

/// Who may send an operation that writes, as docs/DECISIONS.md's role table
/// says (`None`: an operation this test does not know yet).
fn allowed(method: &str, path: &str) -> Option<&'static [Who]> {
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
        _ => return None,
    })
}

/// A valid request for the operation, on a resource made for it alone, as
/// `who` would send it (a token to revoke is their own).
async fn prepare(w: &World, who: Who, method: &str, path: &str) -> Call {
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

/// Every operation of the document, as (method, path).
fn operations(doc: &Value) -> Vec<(String, String)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            all.push((method.clone(), path.clone()));
        }
    }
    all
}

fn writes(method: &str) -> bool {
    method != "get"
}

/// Operations that answer the public or authenticate: no role to check.
fn is_sign_in(path: &str) -> bool {
    matches!(path, "/api/v1/login" | "/api/v1/logout")
}

#[tokio::test]
async fn every_write_is_refused_to_the_roles_without_its_permission_and_done_for_the_others() {
    let w = World::new().await;
    let doc = document(&w.app).await;
    let unknown: Vec<String> = operations(&doc)
        .into_iter()
        .filter(|(m, p)| writes(m) && allowed(m, p).is_none())
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        unknown.is_empty(),
        "writes this matrix does not know: {unknown:#?}"
    );
    let mut checked = 0;
    for (method, path) in operations(&doc) {
        if !writes(&method) || is_sign_in(&path) {
            continue;
        }
        let allowed = allowed(&method, &path).unwrap();
        let http = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        for who in ROLES {
            let call = prepare(&w, who, &method, &path).await;
            let before = w.app.ledger_seq().await;
            let answer = w.send(who, &http, &call).await;
            if allowed.contains(&who) {
                assert!(
                    answer.status.is_success(),
                    "{who:?} may {method} {path} ({}): {}",
                    call.path,
                    answer.text
                );
            } else {
                assert_eq!(
                    answer.status,
                    StatusCode::FORBIDDEN,
                    "{who:?} may not {method} {path} ({}): {}",
                    call.path,
                    answer.text
                );
                assert_eq!(
                    w.app.ledger_seq().await,
                    before,
                    "{who:?}'s refused {method} {path} wrote"
                );
            }
            checked += 1;
        }
    }
    eprintln!("role checks: {checked}");
    assert!(checked > 150, "{checked}");
}

/// The resource a path's placeholder names, made in the site under test,
/// for reading it: `{id}` by the collection it follows.
async fn existing(w: &World, path: &str) -> Option<String> {
    let segments: Vec<&str> = path.trim_start_matches("/api/v1/").split('/').collect();
    let collection = segments[0];
    let value = match (collection, segments.get(1).copied()) {
        ("devices", Some("{id}")) => w.device().await["id"].clone(),
        ("media", Some("{id}")) => w.device_with_medium().await.1["id"].clone(),
        ("lots", Some("{id}")) => w.lot().await["id"].clone(),
        ("erasures", Some("{id}")) => {
            let (_, medium) = w.device_with_medium().await;
            crate::certificates::erase(&w.app, w.setup(), &medium).await;
            let list = w
                .app
                .get(
                    &format!("/api/v1/erasures?medium_id={}", id(&medium)),
                    w.setup(),
                )
                .await;
            list.body["items"][0]["id"].clone()
        }
        ("allocations", Some("{id}")) => w.delivered().await["id"].clone(),
        ("complaints", Some("{id}")) => w.complaint().await["id"].clone(),
        ("beneficiaries", Some("{id}")) => w.beneficiary().await["id"].clone(),
        ("workers", Some("{id}")) => w.worker().await["id"].clone(),
        ("timesheets", Some("{id}")) => w.timesheet().await["id"].clone(),
        ("audits", Some("{id}")) => w.audit().await["id"].clone(),
        ("portal-links", Some("{id}")) => w.portal_link().await["id"].clone(),
        ("waste-shipments", Some("{id}")) => {
            let device = w.erased_device().await;
            w.post(
                "/api/v1/waste-shipments",
                json!({"dispatched_on": "2026-11-30", "site_id": w.site, "recycler": {"name": "Recycleur", "siret": "73282932000074"},
                       "waste_code": "16 02 14", "treatment_code": "R 4", "items": [{"device_id": device["id"]}]}),
            )
            .await["id"]
                .clone()
        }
        ("users", Some("{id}")) => json!(w.user(Who::Technician)),
        ("tokens", Some("{id}")) => return None,
        ("certificates", Some("{number}")) => w.certificate().await["number"].clone(),
        ("scan", Some("{code}")) => w.device().await["asset_tag"].clone(),
        _ => return None,
    };
    Some(value.as_str().unwrap().to_owned())
}

/// The query string of an operation's required parameters, as the document
/// lists them.
fn required_query(doc: &Value, method: &str, path: &str) -> String {
    let parameters = doc["paths"][path][method]["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let pairs: Vec<String> = parameters
        .iter()
        .filter(|p| p["in"] == "query" && p["required"] == true)
        .map(|p| {
            let name = p["name"].as_str().unwrap();
            let value = match name {
                "from" => "2026-01-01",
                "to" => "2026-12-31",
                _ => panic!("{method} {path}: no value for its required parameter {name}"),
            };
            format!("{name}={value}")
        })
        .collect();
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

/// What another site's coordinator may see of this site, by design: the
/// site itself (sites are the network's directory), donors (shared by the
/// sites of an instance), and what anyone may read without an account.
fn shared(path: &str) -> bool {
    path.starts_with("/api/v1/sites/")
        || path.starts_with("/api/v1/donors/")
        || path.starts_with("/api/v1/portal/")
        || path.starts_with("/verify/")
}

#[tokio::test]
async fn another_site_s_coordinator_gets_404_for_every_resource_and_writes_nothing() {
    let w = World::new().await;
    let doc = document(&w.app).await;
    let mut checked = 0;
    for (method, path) in operations(&doc) {
        if !path.contains('{') || shared(&path) {
            continue;
        }
        if writes(&method) && allowed(&method, &path) == Some(EVERYONE) {
            // One's own tokens: nothing of the site's to reach.
            continue;
        }
        let http = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let call = if writes(&method) {
            prepare(&w, Who::Stranger, &method, &path).await
        } else {
            let Some(value) = existing(&w, &path).await else {
                panic!("no resource to read for {method} {path}: add it to `existing`")
            };
            let concrete = path
                .replace("{id}", &value)
                .replace("{number}", &value)
                .replace("{code}", &value)
                + &required_query(&doc, &method, &path);
            Call {
                path: concrete,
                body: Vec::new(),
                content_type: "application/json",
            }
        };
        let before = w.app.ledger_seq().await;
        let answer = w.send(Who::Stranger, &http, &call).await;
        assert_eq!(
            answer.status,
            StatusCode::NOT_FOUND,
            "another site's coordinator: {method} {}: {}",
            call.path,
            answer.text
        );
        assert_eq!(w.app.ledger_seq().await, before, "{method} {path} wrote");
        // The same request by the site's own admin: the resource is real.
        let own = w.send(Who::Admin, &http, &call).await;
        assert!(
            own.status.is_success(),
            "the site's admin: {method} {}: {}",
            call.path,
            own.text
        );
        checked += 1;
    }
    eprintln!("isolation checks: {checked}");
    assert!(checked > 40, "{checked}");

    // Writes whose body names the site's resources (a device to reserve, a
    // drive to record an erasure of, a worker's hours…): refused, nothing written.
    let mut checked = 0;
    for (method, path) in operations(&doc) {
        if !writes(&method) || path.contains('{') || !names_a_resource(&path) {
            continue;
        }
        let call = prepare(&w, Who::Stranger, &method, &path).await;
        let http = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let before = w.app.ledger_seq().await;
        let answer = w.send(Who::Stranger, &http, &call).await;
        assert!(
            matches!(
                answer.status,
                StatusCode::NOT_FOUND | StatusCode::UNPROCESSABLE_ENTITY | StatusCode::FORBIDDEN
            ),
            "another site's coordinator: {method} {}: {} {}",
            call.path,
            answer.status,
            answer.text
        );
        assert_eq!(w.app.ledger_seq().await, before, "{method} {path} wrote");
        let own = w.send(Who::Admin, &http, &call).await;
        assert!(
            own.status.is_success(),
            "{method} {}: {}",
            call.path,
            own.text
        );
        checked += 1;
    }
    assert!(checked >= 8, "{checked}");
}

/// Collections whose creation names another record of a site (or the site).
fn names_a_resource(path: &str) -> bool {
    !matches!(
        path,
        "/api/v1/login"
            | "/api/v1/logout"
            | "/api/v1/tokens"
            | "/api/v1/donors"
            | "/api/v1/sites"
            | "/api/v1/ledger/checkpoints"
    )
}
