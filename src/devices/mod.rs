//! Devices: one donated item each, from intake to delivery or recycling.
//!
//! - [`events`]: `device.registered`, `device.updated`, `device.transitioned`;
//! - [`lifecycle`]: the pure state machine and its gates;
//! - [`service`]: the write jobs (register, update, transition) run by the ledger writer;
//! - [`queries`]: which devices a user sees, and the facts the gates read;
//! - [`routes`]: the HTTP API.

pub mod departures;
pub mod events;
pub use retrace_rules::devices as lifecycle;
pub mod queries;
pub mod refusals;
pub mod routes;
pub mod service;
pub mod tallies;

use chrono::{DateTime, Utc};
use entities::device;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::{Domain, Tag};
use crate::ids::{DeviceId, LotId, SiteId};
use crate::patch::Patch;
pub use lifecycle::{Action, DeviceState, QcChecklist};

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain = Domain::new(routes::router)
    .tags(&[Tag::new("devices")])
    .kinds(events::KINDS)
    .not_about_people(events::NOT_ABOUT_PEOPLE)
    // Tallies add up departures: those are derived first.
    .rebuilds(&[
        |db| Box::pin(departures::rebuild_if_pending(db)),
        |db| Box::pin(tallies::rebuild_if_pending(db)),
    ]);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    Laptop,
    Desktop,
    AllInOne,
    Monitor,
    Tablet,
    Smartphone,
    Server,
    Printer,
    Other,
}

impl DeviceKind {
    pub const ALL: [DeviceKind; 9] = [
        Self::Laptop,
        Self::Desktop,
        Self::AllInOne,
        Self::Monitor,
        Self::Tablet,
        Self::Smartphone,
        Self::Server,
        Self::Printer,
        Self::Other,
    ];

    pub fn parse(text: &str) -> Option<Self> {
        crate::words::from_word(text)
    }

    pub fn as_str(self) -> &'static str {
        crate::words::word(&self)
    }
}

/// Cosmetic grade, A (like new) to C (visible wear).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum Grade {
    A,
    B,
    C,
}

/// What the workshop knows of a device's hardware.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Specs {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub cpu: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, max = 16_777_216))]
    #[schema(minimum = 1, maximum = 16_777_216)]
    pub ram_mib: Option<u32>,
    /// A summary such as "256 GB SSD".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub storage: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(max = 100))]
    #[schema(maximum = 100)]
    pub battery_health_percent: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1.0, max = 120.0))]
    #[schema(minimum = 1.0, maximum = 120.0)]
    pub screen_inches: Option<f64>,
}

/// A device as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Device {
    pub id: DeviceId,
    pub site_id: SiteId,
    pub lot_id: Option<LotId>,
    #[schema(example = "BRE-004217-K")]
    pub asset_tag: String,
    pub kind: DeviceKind,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub donor_asset_number: Option<String>,
    pub specs: Specs,
    pub weight_kg: Option<f64>,
    pub grade: Option<Grade>,
    /// The operating system installed, once `install_os` is recorded.
    pub os: Option<String>,
    pub state: DeviceState,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<device::Model> for Device {
    type Error = crate::error::AppError;

    fn try_from(m: device::Model) -> Result<Self, Self::Error> {
        let corrupt = |what: &str| {
            crate::error::AppError::internal(format!("device {} has an unreadable {what}", m.id))
        };
        Ok(Self {
            id: DeviceId(m.id),
            site_id: SiteId(m.site_id),
            lot_id: m.lot_id.map(LotId),
            kind: crate::words::from_word(&m.kind).ok_or_else(|| corrupt("kind"))?,
            state: DeviceState::parse(&m.state).ok_or_else(|| corrupt("state"))?,
            grade: m
                .grade
                .as_deref()
                .map(|g| crate::words::from_word(g).ok_or_else(|| corrupt("grade")))
                .transpose()?,
            specs: Specs::deserialize(&m.specs).map_err(|_| corrupt("specs"))?,
            asset_tag: m.asset_tag,
            manufacturer: m.manufacturer,
            model: m.model,
            serial_number: m.serial_number,
            donor_asset_number: m.donor_asset_number,
            weight_kg: m.weight_kg,
            os: m.os,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

/// Serial numbers are compared as printed on labels: trimmed, upper case.
pub fn normalize_serial(serial: Option<String>) -> Option<String> {
    crate::patch::clean(serial).map(|s| s.to_uppercase())
}

impl From<Specs> for events::Specs {
    fn from(s: Specs) -> Self {
        Self {
            cpu: s.cpu,
            ram_mib: s.ram_mib,
            storage: s.storage,
            battery_health_percent: s.battery_health_percent,
            screen_inches: s.screen_inches,
        }
    }
}

impl From<events::Specs> for Specs {
    fn from(s: events::Specs) -> Self {
        Self {
            cpu: s.cpu,
            ram_mib: s.ram_mib,
            storage: s.storage,
            battery_health_percent: s.battery_health_percent,
            screen_inches: s.screen_inches,
        }
    }
}

impl From<QcChecklist> for events::Checklist {
    fn from(c: QcChecklist) -> Self {
        Self {
            boot: c.boot,
            keyboard: c.keyboard,
            screen: c.screen,
            battery: c.battery,
            network: c.network,
            os: c.os,
        }
    }
}

/// `POST /api/v1/devices`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDevice {
    /// The intake lot; the device then belongs to the lot's site.
    pub lot_id: Option<LotId>,
    /// Needed only without a lot, by users not bound to a site.
    pub site_id: Option<SiteId>,
    pub kind: DeviceKind,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub manufacturer: Option<String>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub model: Option<String>,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub serial_number: Option<String>,
    #[validate(length(max = 100))]
    #[schema(max_length = 100)]
    pub donor_asset_number: Option<String>,
    #[serde(default)]
    #[validate(nested)]
    pub specs: Specs,
    #[validate(range(min = 0.0, max = 2000.0))]
    #[schema(minimum = 0.0, maximum = 2000.0)]
    pub weight_kg: Option<f64>,
    pub grade: Option<Grade>,
}

/// `PATCH /api/v1/devices/{id}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeviceChanges {
    /// The version the client read (or send `If-Match`); not recorded.
    #[serde(default, skip_serializing_if = "crate::input::request_only")]
    pub expected_version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<DeviceKind>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub manufacturer: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub model: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[schema(value_type = Option<String>)]
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub serial_number: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 100))]
    #[schema(max_length = 100)]
    pub donor_asset_number: Patch<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub specs: Option<Specs>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[schema(value_type = Option<f64>, minimum = 0.0, maximum = 2000.0)]
    #[validate(range(min = 0.0, max = 2000.0))]
    pub weight_kg: Patch<f64>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[schema(value_type = Option<Grade>)]
    pub grade: Patch<Grade>,
}

/// `POST /api/v1/devices/{id}/events`: one lifecycle action.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    pub action: Action,
    /// The version the client read (or send `If-Match`).
    pub expected_version: Option<i64>,
    /// Mandatory for `declare_lost` and `correct`.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    /// For `install_os`, e.g. "Linux Mint 22.1".
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub os: Option<String>,
    /// For `pass_qc`: every item must be true.
    pub checklist: Option<QcChecklist>,
    /// For `correct` (admins): the state to set.
    pub target_state: Option<DeviceState>,
    /// For `return`: why the device came back (`warranty_fault`,
    /// `end_of_life`, `no_longer_needed`, `other`).
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

impl TransitionRequest {
    /// A bare action, with nothing else said.
    pub fn action(action: Action) -> Self {
        Self {
            action,
            expected_version: None,
            note: None,
            os: None,
            checklist: None,
            target_state: None,
            reason: None,
        }
    }
}
