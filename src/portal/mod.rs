//! The donor portal: a secret, revocable link per lot through which the
//! donor — with no account — follows what became of the devices they gave
//! and downloads the certificates. What it shows is decided once, in
//! [`queries::view`]: the lot, its devices by stage, erasure done or not,
//! the certificates; never a beneficiary, a worker or another donor.
//!
//! The secret is shown once, at creation; only its SHA-256 is kept. A
//! revoked or expired link answers exactly as a link that never existed.

pub mod events;
pub mod queries;
pub mod reconciliation;
pub mod routes;
pub mod service;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::devices::DeviceState;
use crate::domain::Domain;
use crate::ids::{LotId, PortalLinkId, SiteId};

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain = Domain::new(routes::router)
    .kinds(events::KINDS)
    .not_about_people(events::NOT_ABOUT_PEOPLE);

/// Where a portal link's secret starts: `rp_` and 32 random bytes.
pub const SECRET_PREFIX: &str = "rp_";

/// `POST /api/v1/lots/{id}/portal-links`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPortalLink {
    /// Who it is for, as the coordinator will recognise it ("DSI Acme").
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub label: Option<String>,
    /// The last day the link opens; none: until revoked.
    pub expires_on: Option<NaiveDate>,
}

/// `POST /api/v1/portal-links/{id}/revoke`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Revocation {
    pub expected_version: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkStatus {
    Active,
    Expired,
    Revoked,
}

/// A portal link as coordinators list it: never its secret.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PortalLink {
    pub id: PortalLinkId,
    pub lot_id: LotId,
    pub site_id: SiteId,
    pub label: Option<String>,
    pub expires_on: Option<NaiveDate>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub status: LinkStatus,
    /// The days on which the donor opened it (one opening a day is recorded).
    pub opened_count: i64,
    pub last_opened_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

/// A link just created: the only answer that holds its address.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IssuedPortalLink {
    #[serde(flatten)]
    pub link: PortalLink,
    /// The address to send the donor; shown this once: a retry with the
    /// same `Idempotency-Key` answers the link without it (it is never stored).
    #[schema(required = false)]
    pub url: String,
}

/// How far a device has gone, in the donor's words.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Received,
    Erased,
    Refurbished,
    Reused,
    Recycled,
    Lost,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Received,
        Stage::Erased,
        Stage::Refurbished,
        Stage::Reused,
        Stage::Recycled,
        Stage::Lost,
    ];

    pub fn of(state: DeviceState) -> Self {
        use DeviceState::*;
        match state {
            Received | Inventoried | Erasing => Stage::Received,
            Sanitized => Stage::Erased,
            Refurbishing | SoftwareInstalled | Ready | Reserved => Stage::Refurbished,
            Delivered => Stage::Reused,
            Recycled | Dismantled => Stage::Recycled,
            Lost => Stage::Lost,
        }
    }

    pub fn as_str(self) -> &'static str {
        crate::words::word(&self)
    }
}

/// What the donor sees: the lot, each device, the certificates. Every field
/// here is one the donor gave or one that proves what was done.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PortalView {
    pub donor: String,
    pub workshop: String,
    pub received_on: NaiveDate,
    pub donor_reference: Option<String>,
    /// Devices at each stage.
    pub stages: Vec<StageCount>,
    pub devices: Vec<PortalDevice>,
    pub certificates: Vec<PortalCertificate>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StageCount {
    pub stage: Stage,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PortalDevice {
    pub asset_tag: String,
    pub kind: String,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub donor_asset_number: Option<String>,
    pub stage: Stage,
    /// Every drive found is sanitized or destroyed (or the device had none).
    pub erased: bool,
    /// When the last drive was made safe.
    pub erased_at: Option<DateTime<Utc>>,
    /// How: the NIST 800-88 category and technique of each drive.
    pub erasure: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PortalCertificate {
    pub number: String,
    pub kind: String,
    pub issued_at: DateTime<Utc>,
    /// Public page confirming it (`/verify/{number}`).
    pub verify_url: String,
}
