//! Erasure: proof that the data on every drive is gone (SPEC §3).
//!
//! An erasure record holds the fields of NIST SP 800-88's sample certificate
//! of sanitization for one sanitization (or destruction) of one medium, as it
//! was when done. Recording one moves the medium to `sanitized`,
//! `sanitization_failed` or `destroyed`, and its device to `sanitized` when
//! it was the last medium to be dealt with.
//!
//! - [`events`]: `erasure.recorded` and its projection;
//! - [`rules`]: what makes a record consistent (pure);
//! - [`nwipe`]: reading the logs of nwipe and ShredOS; [`methods`]: what their methods are;
//! - [`service`]: the write jobs, including the nwipe import and its matching;
//! - [`routes`]: the HTTP API.

pub mod events;
pub mod methods;
pub mod nwipe;
pub mod queries;
pub mod refusals;
pub mod routes;
pub mod rules;
pub mod service;

use chrono::{DateTime, Utc};
use entities::erasure_record;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::error::AppError;
use crate::ids::{DeviceId, MediumId, SiteId, UserId};
use crate::media::MediumKind;

use crate::domain::{Domain, Tag};
pub use retrace_rules::erasure::{
    Category, Destination, Outcome, Source, Technique, Verification, VerificationResult,
};

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain = Domain::new(routes::router)
    .tags(&[Tag::described(
        "erasures",
        "Sanitization records and nwipe imports",
    )])
    .kinds(events::KINDS)
    .not_about_people(events::NOT_ABOUT_PEOPLE);

/// `POST /api/v1/erasures`: what a technician records by hand.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewErasure {
    pub medium_id: MediumId,
    pub category: Category,
    pub technique: Technique,
    /// The method's name, e.g. "DoD Short" or "ATA Secure Erase".
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub method: Option<String>,
    /// e.g. "zeros", "random".
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub pattern: Option<String>,
    #[validate(range(min = 0, max = 100))]
    #[schema(minimum = 0, maximum = 100)]
    pub passes: Option<i32>,
    #[validate(range(min = 0, max = 100))]
    #[schema(minimum = 0, maximum = 100)]
    pub rounds: Option<i32>,
    pub blanking: Option<bool>,
    #[validate(length(max = 100))]
    #[schema(max_length = 100)]
    pub tool: Option<String>,
    #[validate(length(max = 100))]
    #[schema(max_length = 100)]
    pub tool_version: Option<String>,
    pub verification: Verification,
    /// Default: `not_performed` without verification, else required.
    pub verification_result: Option<VerificationResult>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    pub bytes_erased: Option<i64>,
    #[serde(default)]
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    pub error_count: i32,
    /// What went wrong, in words.
    #[serde(rename = "errors")]
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub error_details: Option<String>,
    pub destination: Destination,
    /// A second person who checked the result.
    pub validator_id: Option<UserId>,
    pub outcome: Outcome,
    /// For destruction: who saw it done.
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub witness: Option<String>,
    /// For destruction: a photo's reference (file name, archive number).
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub photo_reference: Option<String>,
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub notes: Option<String>,
}

/// An erasure record as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ErasureRecord {
    pub site_id: SiteId,
    pub medium_id: MediumId,
    /// The device the medium was in, or came from.
    pub device_id: Option<DeviceId>,
    pub medium_kind: MediumKind,
    pub medium_manufacturer: Option<String>,
    pub medium_model: Option<String>,
    pub medium_serial: Option<String>,
    pub category: Category,
    pub technique: Technique,
    pub method: Option<String>,
    pub pattern: Option<String>,
    pub passes: Option<i32>,
    pub rounds: Option<i32>,
    pub blanking: Option<bool>,
    pub tool: Option<String>,
    pub tool_version: Option<String>,
    pub verification: Verification,
    pub verification_result: VerificationResult,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub bytes_erased: Option<i64>,
    pub error_count: i32,
    pub errors: Option<String>,
    pub destination: Destination,
    pub operator_id: Option<UserId>,
    pub operator_name: String,
    pub validator_id: Option<UserId>,
    pub validator_name: Option<String>,
    pub outcome: Outcome,
    pub source: Source,
    /// For imports: the SHA-256 of the log.
    pub source_reference: Option<String>,
    /// The serial's bytes as the tool logged them, in hexadecimal.
    pub raw_serial_hex: Option<String>,
    pub witness: Option<String>,
    pub photo_reference: Option<String>,
    pub notes: Option<String>,
}

/// A stored record: its id and times around the recorded fields.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoredErasure {
    pub id: uuid::Uuid,
    #[serde(flatten)]
    pub record: ErasureRecord,
    pub created_at: DateTime<Utc>,
}

fn unreadable(what: &str) -> AppError {
    AppError::internal(format!("an erasure record has an unreadable {what}"))
}

impl TryFrom<erasure_record::Model> for StoredErasure {
    type Error = AppError;

    fn try_from(m: erasure_record::Model) -> Result<Self, AppError> {
        let record = ErasureRecord {
            site_id: SiteId(m.site_id),
            medium_id: MediumId(m.medium_id),
            device_id: m.device_id.map(DeviceId),
            medium_kind: serde_json::from_value(m.medium_kind.clone().into())
                .map_err(|_| unreadable("medium kind"))?,
            medium_manufacturer: m.medium_manufacturer,
            medium_model: m.medium_model,
            medium_serial: m.medium_serial,
            category: Category::parse(&m.category).ok_or_else(|| unreadable("category"))?,
            technique: Technique::parse(&m.technique).ok_or_else(|| unreadable("technique"))?,
            method: m.method,
            pattern: m.pattern,
            passes: m.passes,
            rounds: m.rounds,
            blanking: m.blanking,
            tool: m.tool,
            tool_version: m.tool_version,
            verification: Verification::parse(&m.verification)
                .ok_or_else(|| unreadable("verification"))?,
            verification_result: VerificationResult::parse(&m.verification_result)
                .ok_or_else(|| unreadable("verification result"))?,
            started_at: m.started_at,
            ended_at: m.ended_at,
            bytes_erased: m.bytes_erased,
            error_count: m.error_count,
            errors: m.errors,
            destination: Destination::parse(&m.destination)
                .ok_or_else(|| unreadable("destination"))?,
            operator_id: m.operator_id.map(UserId),
            operator_name: m.operator_name,
            validator_id: m.validator_id.map(UserId),
            validator_name: m.validator_name,
            outcome: Outcome::parse(&m.outcome).ok_or_else(|| unreadable("outcome"))?,
            source: Source::parse(&m.source).ok_or_else(|| unreadable("source"))?,
            source_reference: m.source_reference,
            raw_serial_hex: m.raw_serial_hex,
            witness: m.witness,
            photo_reference: m.photo_reference,
            notes: m.notes,
        };
        Ok(Self {
            id: m.id,
            record,
            created_at: m.created_at,
        })
    }
}
