//! What the ledger records when a certificate is issued: its number, what
//! it covers, and the hashes and signature of the file — the file itself is
//! kept in the documents store, by the SHA-256 recorded here.

use chrono::{DateTime, Utc};
use entities::certificate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DbErr};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Kind, Language};
use crate::db::conn::Conn;
use crate::ids::SiteId;
use crate::ledger::payload::entry;
use crate::ledger::{Entry, Event, Payload, SubjectType};

pub const SUBJECT: SubjectType = SubjectType("certificate");

/// `certificate.issued`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issued {
    pub number: String,
    pub kind: Kind,
    /// 1 for a first issue; a correction is the next revision.
    pub revision: i32,
    /// The number of the certificate this one corrects.
    pub supersedes: Option<String>,
    pub site_id: SiteId,
    /// The lot (donor certificates, a lot's impact statement), the device
    /// (erasure certificates) or the donor (a year's impact statement).
    pub subject_id: Uuid,
    /// The calendar year a donor's impact statement covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    pub language: Language,
    /// Who the certificate is for: the donor organisation's name.
    pub holder: String,
    pub device_count: i32,
    pub issued_at: DateTime<Utc>,
    /// SHA-256 of the file as delivered (what `sha256sum` prints).
    pub file_sha256: String,
    /// SHA-256 of the signed part of the file.
    pub content_sha256: String,
    /// Ed25519 signature of the content's SHA-256, base64.
    pub signature: String,
    pub key_id: String,
}

impl Payload for Issued {
    const KIND: &'static str = "certificate.issued";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        certificate::ActiveModel {
            id: Set(event.subject_id),
            number: Set(self.number.clone()),
            kind: Set(self.kind.as_str().to_owned()),
            revision: Set(self.revision),
            supersedes: Set(self.supersedes.clone()),
            site_id: Set(self.site_id.0),
            subject_id: Set(self.subject_id),
            language: Set(self.language.as_str().to_owned()),
            holder: Set(self.holder.clone()),
            device_count: Set(self.device_count),
            year: Set(self.year),
            issued_at: Set(self.issued_at),
            file_sha256: Set(self.file_sha256.clone()),
            content_sha256: Set(self.content_sha256.clone()),
            signature: Set(self.signature.clone()),
            key_id: Set(self.key_id.clone()),
            version: Set(1),
            created_at: Set(event.at),
            updated_at: Set(event.at),
        }
        .insert(conn)
        .await?;
        Ok(())
    }
}

pub const KINDS: &[Entry] = &[entry::<Issued>()];

/// The free strings of these kinds that say nothing of people (every other
/// free string is personal: `catalogue`). Proofs: numbers, hashes, signatures, keys; a certificate's holder is
/// an organisation, never a private person (`certificates::render::holder`).
pub const NOT_ABOUT_PEOPLE: &[(&str, &[&str])] = &[(
    "certificate.issued",
    &[
        "number",
        "holder",
        "file_sha256",
        "content_sha256",
        "signature",
        "key_id",
    ],
)];
