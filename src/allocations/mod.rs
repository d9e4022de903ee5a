//! Allocations: a ready device reserved for a beneficiary, handed over (or
//! released back to stock), perhaps returned — under warranty, at its end of
//! life (it goes on to recycling), or because it is no longer needed — with
//! the complaints answered meanwhile.
//!
//! An allocation follows its device: reserving one reserves the device, and
//! the device's `deliver`, `release` and `return` move the open allocation
//! with it (a policy), whichever endpoint they came through.
//!
//! - [`events`]: `allocation.*` and `complaint.*`;
//! - [`service`]: reserving, handing over, accepting, complaints;
//! - [`queries`]: what a user sees, the non-conformity rate;
//! - [`handover`]: the handover form (PDF);
//! - [`routes`]: the HTTP API.

pub mod events;
pub mod handover;
pub mod queries;
pub mod refusals;
pub mod routes;
pub mod rules;
pub mod service;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::{Domain, Tag};
use crate::ids::{AllocationId, BeneficiaryId, ComplaintId, DeviceId, SiteId};

pub use rules::{warranty_until, working_days_after};

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain = Domain::new(routes::router)
    .tags(&[Tag::described(
        "allocations",
        "Devices reserved for, handed over to and returned by beneficiaries",
    )])
    .kinds(events::KINDS)
    .not_about_people(events::NOT_ABOUT_PEOPLE);

/// On what terms the device is given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Conditions {
    // A variant with no field rather than a unit one: serde lets a unit
    // variant of a tagged enum carry any field, which the document refuses.
    /// Given for free.
    Free {},
    /// Sold at a solidarity price, in euro cents.
    SolidarityPrice { price_cents: u32 },
    /// Lent until a date, then brought back.
    Loan { until: NaiveDate },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AllocationState {
    /// The device is set aside for the beneficiary.
    Reserved,
    /// Handed over.
    Delivered,
    /// Reservation cancelled: the device is back in stock.
    Released,
    /// Brought back by the beneficiary.
    Returned,
}

impl AllocationState {
    pub fn as_str(self) -> &'static str {
        crate::words::word(&self)
    }

    pub fn parse(text: &str) -> Option<Self> {
        crate::words::from_word(text)
    }
}

/// Why a device came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReturnReason {
    /// A fault under warranty: counted in the non-conformity rate.
    WarrantyFault,
    /// The take-back commitment: the device goes on to recycling.
    EndOfLife,
    NoLongerNeeded,
    Other,
}

impl ReturnReason {
    pub const ALL: [ReturnReason; 4] = [
        Self::WarrantyFault,
        Self::EndOfLife,
        Self::NoLongerNeeded,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        crate::words::word(&self)
    }

    pub fn parse(text: &str) -> Option<Self> {
        crate::words::from_word(text)
    }
}

/// How the beneficiary accepted the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Acceptance {
    Pending,
    /// Signed with a finger on the workshop's phone or tablet.
    SignedOnDevice,
    /// Signed on the printed form, kept on paper.
    SignedOnPaper,
}

impl Acceptance {
    pub fn as_str(self) -> &'static str {
        crate::words::word(&self)
    }

    pub fn parse(text: &str) -> Option<Self> {
        crate::words::from_word(text)
    }
}

/// What a return recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReturnDetails {
    pub reason: ReturnReason,
    pub days_since_delivery: i64,
    /// Whether it came back within the warranty given.
    pub under_warranty: bool,
    pub fault_description: Option<String>,
}

/// An allocation as the API shows it: the beneficiary by reference only.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Allocation {
    pub id: AllocationId,
    pub site_id: SiteId,
    pub device_id: DeviceId,
    pub asset_tag: String,
    pub beneficiary_id: BeneficiaryId,
    pub beneficiary_reference: String,
    pub state: AllocationState,
    pub conditions: Conditions,
    pub warranty_months: u8,
    pub delivered_at: Option<DateTime<Utc>>,
    /// The last day under warranty, once delivered.
    pub warranty_until: Option<NaiveDate>,
    /// When it was released or returned.
    pub closed_at: Option<DateTime<Utc>>,
    #[serde(rename = "return")]
    pub return_details: Option<ReturnDetails>,
    pub acceptance: Acceptance,
    pub accepted_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/v1/allocations`: reserves a ready device for a beneficiary.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAllocation {
    pub device_id: DeviceId,
    pub beneficiary_id: BeneficiaryId,
    pub conditions: Conditions,
    /// Months of warranty given (the trade's labels ask for 6 or 12).
    #[validate(range(max = 60))]
    #[schema(maximum = 60)]
    pub warranty_months: u8,
    /// The device's version as read; the current one if absent.
    pub device_version: Option<i64>,
}

/// `POST /api/v1/allocations/{id}/deliver` and `…/release`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationStep {
    pub expected_version: Option<i64>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// `POST /api/v1/allocations/{id}/return`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReturn {
    pub expected_version: Option<i64>,
    pub reason: ReturnReason,
    /// What is wrong, in the workshop's words (the device's fault, not the person).
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub fault_description: Option<String>,
}

/// `POST /api/v1/allocations/{id}/acceptance`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAcceptance {
    pub expected_version: Option<i64>,
    /// `signed_on_device` (with `strokes`) or `signed_on_paper`.
    pub method: Acceptance,
    /// The signature as drawn: strokes of points `[x, y]`, each in 0..=1
    /// of the pad, top-left origin.
    #[schema(value_type = Option<Strokes>)]
    pub strokes: Option<Vec<Vec<[f64; 2]>>>,
}

/// How `strokes` is documented: utoipa writes `[f64; 2]` as an array of any
/// length and any number, where a point is exactly two coordinates of the pad.
struct Strokes;

impl utoipa::PartialSchema for Strokes {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
        let coordinate = ObjectBuilder::new()
            .schema_type(Type::Number)
            .minimum(Some(0.0))
            .maximum(Some(1.0));
        let point = ArrayBuilder::new()
            .items(coordinate)
            .min_items(Some(2))
            .max_items(Some(2));
        let stroke = ArrayBuilder::new().items(point);
        ArrayBuilder::new().items(stroke).into()
    }
}

impl ToSchema for Strokes {}

/// A complaint under warranty, answered in writing (QualiRépar asks for an
/// answer within 8 working days).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Complaint {
    pub id: ComplaintId,
    pub site_id: SiteId,
    pub allocation_id: AllocationId,
    pub received_on: NaiveDate,
    pub description: String,
    pub answered_on: Option<NaiveDate>,
    pub answer: Option<String>,
    /// The 8th working day after receipt (weekends skipped, not holidays).
    pub answer_due_on: NaiveDate,
    pub version: i64,
}

/// `POST /api/v1/allocations/{id}/complaints`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComplaint {
    pub received_on: NaiveDate,
    #[validate(length(min = 1, max = 4000))]
    #[schema(min_length = 1, max_length = 4000)]
    pub description: String,
}

/// `POST /api/v1/complaints/{id}/answer`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplaintAnswer {
    pub expected_version: Option<i64>,
    pub answered_on: NaiveDate,
    #[validate(length(min = 1, max = 4000))]
    #[schema(min_length = 1, max_length = 4000)]
    pub answer: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn conditions_read_as_the_api_writes_them() {
        let loan: Conditions =
            serde_json::from_str(r#"{"kind":"loan","until":"2027-06-30"}"#).unwrap();
        assert_eq!(
            loan,
            Conditions::Loan {
                until: day("2027-06-30")
            }
        );
        let bad = serde_json::from_str::<Conditions>(r#"{"kind":"gift"}"#);
        assert!(bad.is_err());
    }

    /// The document closes every variant (`openapi::close_variants`): a
    /// field a variant does not declare is refused, the tag-only one's too.
    #[test]
    fn every_condition_refuses_a_field_it_does_not_declare() {
        for (body, extra) in [
            (r#"{"kind":"free""#, r#""price_cents":100"#),
            (
                r#"{"kind":"solidarity_price","price_cents":100"#,
                r#""until":"2027-06-30""#,
            ),
            (r#"{"kind":"loan","until":"2027-06-30""#, r#""note":"""#),
        ] {
            let read = |text: String| serde_json::from_str::<Conditions>(&text);
            assert!(read(format!("{body}}}")).is_ok(), "{body}");
            assert!(read(format!("{body},{extra}}}")).is_err(), "{body} {extra}");
        }
    }
}
