//! Donors: the companies, public bodies, associations and individuals who
//! give equipment. Donors are shared by the sites of a network: the same
//! company may give to two workshops.

pub mod events;
pub mod queries;
pub mod routes;
pub mod service;
pub mod siret;

use chrono::{DateTime, Utc};
use entities::donor;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::domain::{Domain, Tag};
use crate::ids::DonorId;
use crate::patch::Patch;

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain = Domain::new(routes::router)
    .tags(&[Tag::new("donors")])
    .kinds(events::KINDS)
    .not_about_people(events::NOT_ABOUT_PEOPLE);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DonorKind {
    Company,
    PublicBody,
    Association,
    Individual,
}

impl DonorKind {
    pub fn as_str(self) -> &'static str {
        crate::words::word(&self)
    }
}

pub fn validate_siret(siret: &str) -> Result<(), ValidationError> {
    siret::Siret::parse(siret)
        .map(|_| ())
        .map_err(|e| ValidationError::new("siret").with_message(e.to_string().into()))
}

fn validate_sent_siret(siret: &Patch<String>) -> Result<(), ValidationError> {
    siret.value().map_or(Ok(()), |siret| validate_siret(siret))
}

/// A donor as the API shows it. Contact fields are withheld from viewers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Donor {
    pub id: DonorId,
    pub name: String,
    pub kind: DonorKind,
    pub siret: Option<String>,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<donor::Model> for Donor {
    type Error = crate::error::AppError;

    fn try_from(m: donor::Model) -> Result<Self, Self::Error> {
        Ok(Self {
            id: DonorId(m.id),
            kind: serde_json::from_value(m.kind.clone().into()).map_err(|_| {
                crate::error::AppError::internal(format!("donor {} has an unreadable kind", m.id))
            })?,
            name: m.name,
            siret: m.siret,
            address: m.address,
            contact_name: m.contact_name,
            contact_email: m.contact_email,
            contact_phone: m.contact_phone,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

impl Donor {
    /// Whether anything about a person is still recorded: a contact, or an
    /// individual donor's address or name (erasure leaves a pseudonym).
    pub fn has_personal_data(&self) -> bool {
        self.contact_name.is_some()
            || self.contact_email.is_some()
            || self.contact_phone.is_some()
            || (self.kind == DonorKind::Individual
                && (self.address.is_some()
                    || self.name != crate::pseudonym::of_record('D', self.id.0)))
    }

    /// What a viewer may see: no contact person, and no name for an individual.
    /// Applied by [`queries`], the one place a donor is read for anyone.
    pub fn redacted(mut self) -> Self {
        self.contact_name = None;
        self.contact_email = None;
        self.contact_phone = None;
        if self.kind == DonorKind::Individual {
            self.name = "—".into();
            self.address = None;
        }
        self
    }
}

/// `POST /api/v1/donors`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDonor {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    pub kind: DonorKind,
    /// 14 digits, Luhn-checked; spaces are accepted.
    #[validate(custom(function = "validate_siret"))]
    #[schema(example = "73282932000074", pattern = r"^\s*(?:[0-9]\s*){14}$")]
    pub siret: Option<String>,
    #[validate(length(max = 1000))]
    #[schema(max_length = 1000)]
    pub address: Option<String>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub contact_name: Option<String>,
    #[validate(email)]
    #[schema(format = Email)]
    pub contact_email: Option<String>,
    #[validate(length(max = 50))]
    #[schema(max_length = 50)]
    pub contact_phone: Option<String>,
}

/// `PATCH /api/v1/donors/{id}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DonorChanges {
    #[serde(default, skip_serializing_if = "crate::input::request_only")]
    pub expected_version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<DonorKind>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    /// 14 digits, Luhn-checked; spaces are accepted.
    #[schema(value_type = Option<String>, pattern = r"^\s*(?:[0-9]\s*){14}$")]
    #[validate(custom(function = "validate_sent_siret"))]
    pub siret: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 1000))]
    #[schema(max_length = 1000)]
    pub address: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub contact_name: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[schema(value_type = Option<String>)]
    #[validate(email)]
    #[schema(format = Email)]
    pub contact_email: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 50))]
    #[schema(max_length = 50)]
    pub contact_phone: Patch<String>,
}
