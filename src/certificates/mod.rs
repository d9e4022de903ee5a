//! Certificates: numbered, immutable, signed PDF documents (SPEC §5).
//!
//! A certificate is issued once: its file is stored by SHA-256 in the
//! documents store, its number, hashes and signature are recorded in the
//! ledger, and a correction is a new certificate that supersedes it.
//!
//! - [`events`]: `certificate.issued` and its projection;
//! - [`content`]: what a certificate says, read from the records;
//! - [`render`]: how it looks; [`pdf`]: the page writer; [`labels`]: its words;
//! - [`seal`]: the signature appended to every issued file;
//! - [`service`]: issuing; [`routes`]: the API and the public verification page;
//! - [`verification`]: the verification address, with its code.

pub mod content;
pub mod events;
pub mod labels;
pub mod queries;
pub mod refusals;
pub mod render;
pub mod routes;
pub mod rules;
pub mod seal;
pub mod service;
pub mod statement;
pub mod verification;

use chrono::{DateTime, Utc};
use entities::certificate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

pub use labels::Language;

use crate::domain::{Domain, Tag};
use crate::ids::SiteId;

pub use rules::{next_number, number};

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain = Domain::new(routes::router)
    .tags(&[Tag::described(
        "certificates",
        "Signed certificates and their public verification",
    )])
    .kinds(events::KINDS)
    .not_about_people(events::NOT_ABOUT_PEOPLE);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Per lot: every device, its media and its outcome, for the donor.
    Donor,
    /// Per device: the NIST SP 800-88 fields of each of its media.
    Erasure,
    /// Per lot, or per donor and year: what the donated equipment became,
    /// for the donor's CSR / CSRD reporting.
    ImpactStatement,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        crate::words::word(&self)
    }

    pub fn parse(text: &str) -> Option<Self> {
        crate::words::from_word(text)
    }
}

/// What the API shows of a certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Issued {
    #[schema(example = "CERT-2026-000042")]
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

/// A stored certificate.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Certificate {
    pub id: Uuid,
    #[serde(flatten)]
    pub issued: Issued,
}

impl TryFrom<certificate::Model> for Certificate {
    type Error = crate::error::AppError;

    fn try_from(m: certificate::Model) -> Result<Self, Self::Error> {
        let unreadable =
            || crate::error::AppError::internal(format!("certificate {} is unreadable", m.number));
        Ok(Self {
            id: m.id,
            issued: Issued {
                kind: Kind::parse(&m.kind).ok_or_else(unreadable)?,
                language: serde_json::from_value(m.language.clone().into())
                    .map_err(|_| unreadable())?,
                number: m.number,
                revision: m.revision,
                supersedes: m.supersedes,
                site_id: SiteId(m.site_id),
                subject_id: m.subject_id,
                year: m.year,
                holder: m.holder,
                device_count: m.device_count,
                issued_at: m.issued_at,
                file_sha256: m.file_sha256,
                content_sha256: m.content_sha256,
                signature: m.signature,
                key_id: m.key_id,
            },
        })
    }
}
