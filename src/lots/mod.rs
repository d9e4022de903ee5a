//! Lots: one pickup or delivery from one donor, received by one site. A lot
//! is what a donor certificate covers.
//!
//! - [`events`]: `lot.created`, `lot.updated` and their projection;
//! - [`service`]: registering and correcting lots; [`queries`]: who sees which;
//! - [`routes`]: the HTTP API.

pub mod events;
pub mod queries;
pub mod routes;
pub mod service;

use chrono::{DateTime, NaiveDate, Utc};
use entities::lot;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::{Domain, Tag};
use crate::ids::{DonorId, LotId, SiteId};
use crate::patch::Patch;

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain = Domain::new(routes::router)
    .tags(&[Tag::described("lots", "Donations received")])
    .kinds(events::KINDS);

/// A lot as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Lot {
    pub id: LotId,
    pub donor_id: DonorId,
    pub site_id: SiteId,
    pub received_on: NaiveDate,
    /// The donor's own reference (purchase order, asset list id).
    pub donor_reference: Option<String>,
    pub declared_count: Option<i32>,
    pub weight_kg: Option<f64>,
    pub notes: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<lot::Model> for Lot {
    fn from(m: lot::Model) -> Self {
        Self {
            id: LotId(m.id),
            donor_id: DonorId(m.donor_id),
            site_id: SiteId(m.site_id),
            received_on: m.received_on,
            donor_reference: m.donor_reference,
            declared_count: m.declared_count,
            weight_kg: m.weight_kg,
            notes: m.notes,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// `POST /api/v1/lots`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLot {
    pub donor_id: DonorId,
    /// Defaults to the user's own site.
    pub site_id: Option<SiteId>,
    pub received_on: NaiveDate,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub donor_reference: Option<String>,
    #[validate(range(min = 0, max = 1_000_000))]
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub declared_count: Option<i32>,
    #[validate(range(min = 0.0, max = 1_000_000.0))]
    #[schema(minimum = 0.0, maximum = 1_000_000.0)]
    pub weight_kg: Option<f64>,
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub notes: Option<String>,
}

/// `PATCH /api/v1/lots/{id}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LotChanges {
    #[serde(default, skip_serializing_if = "crate::input::request_only")]
    pub expected_version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub donor_reference: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[schema(value_type = Option<i32>)]
    #[validate(range(min = 0, max = 1_000_000))]
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub declared_count: Patch<i32>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[schema(value_type = Option<f64>)]
    #[validate(range(min = 0.0, max = 1_000_000.0))]
    #[schema(minimum = 0.0, maximum = 1_000_000.0)]
    pub weight_kg: Patch<f64>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub notes: Patch<String>,
}
