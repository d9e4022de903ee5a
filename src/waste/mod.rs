//! End of life: waste shipments — devices and loose media leaving to a
//! recycler or an eco-organism, each through the sanitization gate — and the
//! outgoing waste register built from them (SPEC §6).
//!
//! - [`codes`]: waste codes, treatment codes and modes;
//! - [`events`]: `waste_shipment.dispatched`, which carries everything the
//!   register prints, as it was on the day of dispatch;
//! - [`service`]: dispatching a shipment;
//! - [`queries`]: shipments a user sees;
//! - [`register`]: the national register's (RNDTS) import file;
//! - [`routes`]: the HTTP API.

pub mod codes;
pub mod events;
pub mod queries;
pub mod refusals;
pub mod register;
pub mod routes;
pub mod service;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::{Domain, Tag};
use crate::ids::{DeviceId, MediumId, SiteId, WasteShipmentId};
pub use codes::{RecipientKind, TreatmentMode};

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain = Domain::new(routes::router)
    .tags(&[Tag::described(
        "waste",
        "Waste shipments and the outgoing waste register",
    )])
    .kinds(events::KINDS)
    .not_about_people(events::NOT_ABOUT_PEOPLE);

/// An organisation on a shipment: the recycler, the eco-organism, the transporter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// 14 digits, Luhn-checked (French establishments); spaces are
    /// accepted, and a blank one is none.
    #[schema(example = "73282932000074", pattern = r"^\s*(?:(?:[0-9]\s*){14})?$")]
    pub siret: Option<String>,
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub address: Option<String>,
    #[validate(length(max = 10))]
    #[schema(max_length = 10)]
    pub postcode: Option<String>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub city: Option<String>,
    /// ISO 3166 country code; `FR` if absent.
    #[validate(length(equal = 2))]
    #[schema(min_length = 2, max_length = 2)]
    pub country: Option<String>,
    /// A transporter's waste transport receipt number (récépissé).
    #[validate(length(max = 100))]
    #[schema(max_length = 100)]
    pub receipt_number: Option<String>,
}

/// One item of a shipment: a device or a loose medium.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipmentItem {
    pub device_id: Option<DeviceId>,
    pub medium_id: Option<MediumId>,
    /// This item's waste code, if not the shipment's.
    #[schema(example = "20 01 35*")]
    pub waste_code: Option<String>,
}

/// `POST /api/v1/waste-shipments`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewShipment {
    /// Needed for admins; a site's users ship from their own site.
    pub site_id: Option<SiteId>,
    pub dispatched_on: NaiveDate,
    #[validate(nested)]
    pub recycler: Party,
    /// `ETABLISSEMENT_FR` if absent.
    pub recipient_kind: Option<RecipientKind>,
    #[validate(nested)]
    pub eco_organism: Option<Party>,
    #[validate(nested)]
    pub transporter: Option<Party>,
    /// The items' waste code, e.g. `16 02 14` (`16 02 13*` when hazardous).
    #[schema(example = "16 02 14")]
    pub waste_code: String,
    /// e.g. `R 4`, `R 12`.
    #[schema(example = "R 4")]
    pub treatment_code: String,
    /// Derived from the treatment code if absent.
    pub treatment_mode: Option<TreatmentMode>,
    /// Weighed at dispatch, in kg; estimated from the items' weights if absent.
    #[validate(range(exclusive_min = 0.0, max = 1_000_000.0))]
    #[schema(exclusive_minimum = 0.0, maximum = 1_000_000.0)]
    pub weight_kg: Option<f64>,
    /// The Trackdéchets form (BSD) number, when there is one.
    #[validate(length(max = 36))]
    #[schema(max_length = 36)]
    pub trackdechets_number: Option<String>,
    #[validate(length(min = 1, max = 5000), nested)]
    #[schema(min_items = 1, max_items = 5000)]
    pub items: Vec<ShipmentItem>,
}

/// One register line of a shipment: its items of one waste code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ShipmentLine {
    pub waste_code: String,
    pub denomination: String,
    pub hazardous: bool,
    pub weight_kg: f64,
    /// Whether the weight was measured (`REEL`) or estimated (`ESTIME`).
    pub weight_measured: bool,
    pub item_count: usize,
}

/// A shipment as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Shipment {
    pub id: WasteShipmentId,
    pub site_id: SiteId,
    /// e.g. `BRE-DS-2026-0001`: the register's unique identifier.
    pub number: String,
    pub dispatched_on: NaiveDate,
    pub recycler: Party,
    pub recipient_kind: RecipientKind,
    pub eco_organism: Option<Party>,
    pub transporter: Option<Party>,
    pub treatment_code: String,
    pub treatment_mode: TreatmentMode,
    pub trackdechets_number: Option<String>,
    pub weight_kg: f64,
    pub lines: Vec<ShipmentLine>,
    /// The asset tags shipped.
    pub items: Vec<String>,
    pub version: i64,
}
