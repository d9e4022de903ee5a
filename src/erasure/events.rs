//! What the ledger records about erasures: every field of NIST SP 800-88's
//! sample certificate of sanitization, with the medium as it was when erased.

use chrono::{DateTime, Utc};
use entities::erasure_record;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DbErr};
use serde::{Deserialize, Serialize};

use super::{Category, Destination, Outcome, Source, Technique, Verification, VerificationResult};
use crate::db::conn::Conn;
use crate::ids::{DeviceId, MediumId, SiteId, UserId};
use crate::ledger::payload::{earlier, entry};
use crate::ledger::{Entry, Event, Payload, SubjectType};
use crate::media::MediumKind;

pub const SUBJECT: SubjectType = SubjectType("erasure");

/// `erasure.recorded`, version 2; the medium's `medium.transitioned`
/// follows it, as a consequence carrying this event's subject as
/// `erasure_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
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
    /// Who erased and who checked, by account: their names are read from
    /// the accounts, never written into the ledger (version 1 wrote them).
    pub operator_id: Option<UserId>,
    pub validator_id: Option<UserId>,
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

impl Recorded {
    /// Whether the medium is physically destroyed by this record.
    pub fn destroys(&self) -> bool {
        self.category == Category::Destroy && self.outcome == Outcome::Passed
    }
}

/// The result an erasure event records (`passed`, `failed`), for the
/// metrics; every version of the payload names it `outcome`.
pub fn result_of(event: &Event) -> Option<&str> {
    if event.kind != <Recorded as Payload>::KIND {
        return None;
    }
    event.payload.get("outcome")?.as_str()
}

impl Payload for Recorded {
    const KIND: &'static str = "erasure.recorded";
    const VERSION: u32 = 3;
    const PERSONAL: &'static [&'static str] = &["witness", "notes"];

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        let r = self;
        erasure_record::ActiveModel {
            id: Set(event.subject_id),
            site_id: Set(r.site_id.0),
            medium_id: Set(r.medium_id.0),
            device_id: Set(r.device_id.map(|d| d.0)),
            medium_kind: Set(r.medium_kind.as_str().to_owned()),
            medium_manufacturer: Set(r.medium_manufacturer.clone()),
            medium_model: Set(r.medium_model.clone()),
            medium_serial: Set(r.medium_serial.clone()),
            category: Set(r.category.as_str().to_owned()),
            technique: Set(r.technique.as_str().to_owned()),
            method: Set(r.method.clone()),
            pattern: Set(r.pattern.clone()),
            passes: Set(r.passes),
            rounds: Set(r.rounds),
            blanking: Set(r.blanking),
            tool: Set(r.tool.clone()),
            tool_version: Set(r.tool_version.clone()),
            verification: Set(r.verification.as_str().to_owned()),
            verification_result: Set(r.verification_result.as_str().to_owned()),
            started_at: Set(r.started_at),
            ended_at: Set(r.ended_at),
            bytes_erased: Set(r.bytes_erased),
            error_count: Set(r.error_count),
            errors: Set(r.errors.clone()),
            destination: Set(r.destination.as_str().to_owned()),
            operator_id: Set(r.operator_id.map(|u| u.0)),
            // Names are read from the accounts (`erasure::queries`).
            operator_name: Set(String::new()),
            validator_id: Set(r.validator_id.map(|u| u.0)),
            validator_name: Set(None),
            outcome: Set(r.outcome.as_str().to_owned()),
            source: Set(r.source.as_str().to_owned()),
            source_reference: Set(r.source_reference.clone()),
            raw_serial_hex: Set(r.raw_serial_hex.clone()),
            witness: Set(r.witness.clone()),
            photo_reference: Set(r.photo_reference.clone()),
            notes: Set(r.notes.clone()),
            version: Set(1),
            created_at: Set(event.at),
            updated_at: Set(event.at),
        }
        .insert(conn)
        .await?;
        Ok(())
    }
}

/// Earlier versions of the payload, readable forever.
pub mod v1 {
    use super::*;

    /// `erasure.recorded`, version 1 (releases up to 0.2.0): the operator's and
    /// the validator's names were copied into the event.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Recorded {
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
        /// Removed by a redaction once the operator is erased.
        #[serde(default)]
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

    /// What version 1 says, in version 2's words: the names are the
    /// accounts', read from them.
    impl From<Recorded> for super::Recorded {
        fn from(v1: Recorded) -> Self {
            Self {
                site_id: v1.site_id,
                medium_id: v1.medium_id,
                device_id: v1.device_id,
                medium_kind: v1.medium_kind,
                medium_manufacturer: v1.medium_manufacturer,
                medium_model: v1.medium_model,
                medium_serial: v1.medium_serial,
                category: v1.category,
                technique: v1.technique,
                method: v1.method,
                pattern: v1.pattern,
                passes: v1.passes,
                rounds: v1.rounds,
                blanking: v1.blanking,
                tool: v1.tool,
                tool_version: v1.tool_version,
                verification: v1.verification,
                verification_result: v1.verification_result,
                started_at: v1.started_at,
                ended_at: v1.ended_at,
                bytes_erased: v1.bytes_erased,
                error_count: v1.error_count,
                errors: v1.errors,
                destination: v1.destination,
                operator_id: v1.operator_id,
                validator_id: v1.validator_id,
                outcome: v1.outcome,
                source: v1.source,
                source_reference: v1.source_reference,
                raw_serial_hex: v1.raw_serial_hex,
                witness: v1.witness,
                photo_reference: v1.photo_reference,
                notes: v1.notes,
            }
        }
    }

    impl Payload for Recorded {
        const KIND: &'static str = "erasure.recorded";
        const VERSION: u32 = 1;
        const PERSONAL: &'static [&'static str] =
            &["operator_name", "validator_name", "witness", "notes"];

        async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
            super::Recorded::from(self.clone())
                .project(conn, event)
                .await
        }
    }
}

pub const KINDS: &[Entry] = &[
    entry::<v1::Recorded>(),
    earlier::<Recorded>(2),
    entry::<Recorded>(),
];

/// The free strings of these kinds that say nothing of people (every other
/// free string is personal: `catalogue`). Hardware: the erased medium's serial number.
pub const NOT_ABOUT_PEOPLE: &[(&str, &[&str])] = &[("erasure.recorded", &["medium_serial"])];
