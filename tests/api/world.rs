//! A site with one person of each role and a second site, and the records a
//! request can act on, each made fresh for one request: the ground the
//! role matrix (`matrix.rs`, `writes.rs`) and the pages' matrix (`pages.rs`)
//! stand on.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::body::Body;
use axum::http::{Method, StatusCode};
use retrace::ids::{SiteId, UserId};
use retrace::principal::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResponse};

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

pub fn json_call(path: impl Into<String>, body: Value) -> Call {
    Call {
        path: path.into(),
        body: body.to_string().into_bytes(),
        content_type: "application/json",
    }
}

pub fn id(value: &Value) -> &str {
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
    pub fn setup(&self) -> &str {
        self.token(Who::Coordinator)
    }

    pub fn next(&self) -> u32 {
        self.counter.fetch_add(1, Ordering::Relaxed) + 1
    }

    pub async fn post(&self, path: &str, body: Value) -> Value {
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

    /// A lot whose one device is past erasure: its certificates may be issued.
    pub async fn erased_lot(&self) -> Value {
        let lot = self.lot().await;
        let device = self
            .app
            .device(
                self.setup(),
                json!({"lot_id": lot["id"], "kind": "laptop", "serial_number": format!("MXL{:05}", self.next())}),
            )
            .await;
        let medium = self
            .app
            .add_medium(
                self.setup(),
                id(&device),
                &format!("MXLS{:05}", self.next()),
            )
            .await;
        self.app
            .step(self.setup(), &device, "audit", json!({}))
            .await;
        crate::certificates::erase(&self.app, self.setup(), &medium).await;
        lot
    }

    /// A waste shipment of the site: one erased device, gone for recycling.
    pub async fn shipment(&self) -> Value {
        let device = self.erased_device().await;
        let mut body = crate::end_of_life::shipment(json!([{"device_id": device["id"]}]));
        body["site_id"] = json!(self.site);
        self.post("/api/v1/waste-shipments", body).await
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
    pub fn day(&self) -> String {
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
        for audit in self.app.listed("/api/v1/audits").await {
            if audit["state"] == "open" {
                self.post(
                    &format!("/api/v1/audits/{}/close", id(&audit)),
                    json!({"expected_version": audit["version"]}),
                )
                .await;
            }
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
