//! Beneficiaries: who receives devices, recorded with data minimisation
//! (SPEC §6). The record is pseudonymous — a generated reference, a category,
//! a postcode for territory reports, the referring partner. A name and
//! contact are optional, live in a table of their own that the ledger never
//! sees, are shown only to the site's coordinators and to admins, and are
//! erased for good on request.
//!
//! - [`events`]: `beneficiary.registered`, `beneficiary.personal_data_recorded`,
//!   `beneficiary.personal_data_erased` (none carries a name or a contact);
//! - [`service`]: registering, and erasing personal data;
//! - [`queries`]: what a user may see of a beneficiary;
//! - [`routes`]: the HTTP API.

pub mod events;
pub mod queries;
pub mod routes;
pub mod rules;
pub mod service;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::{Domain, Tag};
use crate::ids::{BeneficiaryId, SiteId};

pub use rules::normalize_postcode;

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain = Domain::new(routes::router)
    .tags(&[Tag::described(
        "beneficiaries",
        "Who receives devices: pseudonymous, personal data erasable",
    )])
    .kinds(events::KINDS)
    .not_about_people(events::NOT_ABOUT_PEOPLE);

/// Who a beneficiary is, in the categories funders' reports count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = BeneficiaryCategory)]
pub enum Category {
    JobSeeker,
    Student,
    Senior,
    LowIncome,
    IndividualOther,
    Association,
    School,
    Library,
    OrganisationOther,
}

impl Category {
    pub const ALL: [Category; 9] = [
        Self::JobSeeker,
        Self::Student,
        Self::Senior,
        Self::LowIncome,
        Self::IndividualOther,
        Self::Association,
        Self::School,
        Self::Library,
        Self::OrganisationOther,
    ];

    pub fn as_str(self) -> &'static str {
        crate::words::word(&self)
    }

    pub fn parse(text: &str) -> Option<Self> {
        crate::words::from_word(text)
    }

    /// A person, as opposed to an organisation.
    pub fn is_individual(self) -> bool {
        matches!(
            self,
            Self::JobSeeker
                | Self::Student
                | Self::Senior
                | Self::LowIncome
                | Self::IndividualOther
        )
    }
}

/// A beneficiary's name and contact: never in the ledger, never shown to
/// viewers or technicians, erasable.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonalData {
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub name: Option<String>,
    #[validate(email, length(max = 254))]
    #[schema(max_length = 254, format = Email)]
    pub email: Option<String>,
    #[validate(length(max = 40))]
    #[schema(max_length = 40)]
    pub phone: Option<String>,
}

impl PersonalData {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.email.is_none() && self.phone.is_none()
    }
}

/// A beneficiary as the API shows it. `personal_data` is there only for
/// those who may read it (the site's coordinators, admins) and only while
/// it exists.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Beneficiary {
    pub id: BeneficiaryId,
    pub site_id: SiteId,
    /// The pseudonymous reference written on forms and in the ledger.
    #[schema(example = "BRE-B-4K7Q2M9X")]
    pub reference: String,
    pub category: Category,
    /// For territory reports (département).
    pub postcode: Option<String>,
    /// The social worker's organisation that sent them, if any.
    pub referring_partner: Option<String>,
    /// Whether a name or contact is on record (whoever reads this).
    pub has_personal_data: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal_data: Option<PersonalData>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/v1/beneficiaries`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBeneficiary {
    pub category: Category,
    // As `rules::normalize_postcode` reads it.
    /// Five digits; spaces are ignored, and a blank one is none.
    #[validate(length(max = 10))]
    #[schema(max_length = 10)]
    #[schema(example = "29200", pattern = r"^\s*(?:(?:[0-9]\s*){5})?$")]
    pub postcode: Option<String>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub referring_partner: Option<String>,
    /// Needed for admins; a site's users register in their own site.
    pub site_id: Option<SiteId>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub name: Option<String>,
    #[validate(email, length(max = 254))]
    #[schema(max_length = 254, format = Email)]
    pub email: Option<String>,
    #[validate(length(max = 40))]
    #[schema(max_length = 40)]
    pub phone: Option<String>,
}
