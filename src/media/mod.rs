//! Storage media: the drives and cards that hold data, with their own tags,
//! tracked in their device or on their own once pulled out.
//!
//! - [`events`]: `medium.added`, `medium.updated`, `medium.transitioned`;
//! - [`lifecycle`]: the pure rules of a medium's state and location;
//! - [`service`]: the write jobs; [`queries`]: which media a user sees;
//! - [`routes`]: the HTTP API.

pub mod events;
pub use retrace_rules::media as lifecycle;
pub mod queries;
pub mod refusals;
pub mod routes;
pub mod service;

use chrono::{DateTime, Utc};
use entities::medium;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::{Domain, Tag};
use crate::ids::{DeviceId, MediumId, SiteId};
use crate::patch::Patch;
pub use lifecycle::{MediumAction, MediumState};

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain = Domain::new(routes::router)
    .tags(&[Tag::described("media", "Storage media")])
    .kinds(events::KINDS)
    .not_about_people(events::NOT_ABOUT_PEOPLE);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MediumKind {
    Hdd,
    Ssd,
    Nvme,
    Emmc,
    SdCard,
    UsbDrive,
    Other,
}

impl MediumKind {
    pub const ALL: [MediumKind; 7] = [
        Self::Hdd,
        Self::Ssd,
        Self::Nvme,
        Self::Emmc,
        Self::SdCard,
        Self::UsbDrive,
        Self::Other,
    ];

    pub fn parse(text: &str) -> Option<Self> {
        crate::words::from_word(text)
    }

    pub fn as_str(self) -> &'static str {
        crate::words::word(&self)
    }
}

/// A storage medium as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Medium {
    pub id: MediumId,
    pub site_id: SiteId,
    /// The device it is in now; `null` once removed.
    pub device_id: Option<DeviceId>,
    /// The device it came from.
    pub source_device_id: Option<DeviceId>,
    pub asset_tag: String,
    pub kind: MediumKind,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub capacity_bytes: Option<i64>,
    /// e.g. SATA, NVMe, USB.
    pub interface: Option<String>,
    pub state: MediumState,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<medium::Model> for Medium {
    type Error = crate::error::AppError;

    fn try_from(m: medium::Model) -> Result<Self, Self::Error> {
        let corrupt = |what: &str| {
            crate::error::AppError::internal(format!("medium {} has an unreadable {what}", m.id))
        };
        Ok(Self {
            id: MediumId(m.id),
            site_id: SiteId(m.site_id),
            device_id: m.device_id.map(DeviceId),
            source_device_id: m.source_device_id.map(DeviceId),
            kind: crate::words::from_word(&m.kind).ok_or_else(|| corrupt("kind"))?,
            state: MediumState::parse(&m.state).ok_or_else(|| corrupt("state"))?,
            asset_tag: m.asset_tag,
            manufacturer: m.manufacturer,
            model: m.model,
            serial_number: m.serial_number,
            capacity_bytes: m.capacity_bytes,
            interface: m.interface,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

/// `POST /api/v1/devices/{id}/media`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMedium {
    pub kind: MediumKind,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub manufacturer: Option<String>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub model: Option<String>,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub serial_number: Option<String>,
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    pub capacity_bytes: Option<i64>,
    #[validate(length(max = 50))]
    #[schema(max_length = 50)]
    pub interface: Option<String>,
}

/// `PATCH /api/v1/media/{id}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MediumChanges {
    #[serde(default, skip_serializing_if = "crate::input::request_only")]
    pub expected_version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<MediumKind>,
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
    #[schema(value_type = Option<i64>)]
    pub capacity_bytes: Patch<i64>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 50))]
    #[schema(max_length = 50)]
    pub interface: Patch<String>,
}

/// The outcome of an erasure, for `record_erasure`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErasureOutcome {
    Passed,
    Failed,
}

/// `POST /api/v1/media/{id}/events`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MediumTransitionRequest {
    /// `remove`, `reinstall`, `record_erasure` or `destroy`.
    pub action: MediumAction,
    pub expected_version: Option<i64>,
    /// For `reinstall`: the device to put it in.
    pub device_id: Option<DeviceId>,
    /// For `record_erasure`.
    pub outcome: Option<ErasureOutcome>,
    /// For `record_erasure` and `destroy`: how it was done (tool, method, shredder…).
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub method: Option<String>,
    /// For `destroy`: who saw it done.
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub witness: Option<String>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}
