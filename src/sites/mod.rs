//! Sites: the workshops of a network. A site's `code` (2–5 capital letters)
//! prefixes its asset tags, so it never changes once created.
//!
//! - [`events`]: `site.created`, `site.updated` and their projection;
//! - [`service`]: creating and changing sites, and handing out asset tags;
//! - [`queries`]: which sites a user sees;
//! - [`routes`]: the HTTP API.

pub mod events;
pub mod queries;
pub mod refusals;
pub mod routes;
pub mod service;

use chrono::{DateTime, Utc};
use entities::site;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::domain::{Domain, Tag};
use crate::ids::SiteId;
use crate::patch::Patch;

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain = Domain::new(routes::router)
    .tags(&[Tag::described("sites", "Workshops")])
    .kinds(events::KINDS)
    .not_about_people(events::NOT_ABOUT_PEOPLE);

/// A site as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Site {
    pub id: SiteId,
    pub name: String,
    /// Prefix of the site's asset tags, e.g. `BRE`.
    pub code: String,
    pub address: Option<String>,
    /// The site's SIRET, postcode and city, as the outgoing waste register names it.
    pub siret: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<site::Model> for Site {
    fn from(m: site::Model) -> Self {
        Self {
            id: SiteId(m.id),
            name: m.name,
            code: m.code,
            address: m.address,
            siret: m.siret,
            postcode: m.postcode,
            city: m.city,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// A site's code: 2 to 5 capital letters, the prefix of its asset tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteCode(String);

impl SiteCode {
    pub fn parse(code: &str) -> Result<Self, &'static str> {
        let code = code.trim();
        if (2..=5).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(code.to_owned()))
        } else {
            Err("must be 2 to 5 capital letters, e.g. BRE")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub fn validate_code(code: &str) -> Result<(), ValidationError> {
    SiteCode::parse(code)
        .map(|_| ())
        .map_err(|message| ValidationError::new("site_code").with_message(message.into()))
}

/// `POST /api/v1/sites` (and `retrace site create`).
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSite {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[validate(custom(function = "validate_code"))]
    #[schema(example = "BRE", pattern = "^[A-Z]{2,5}$")]
    pub code: String,
    #[validate(length(max = 1000))]
    #[schema(max_length = 1000)]
    pub address: Option<String>,
}

/// `PATCH /api/v1/sites/{id}`: the fields of a site that can change.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteChanges {
    /// The version the client read (or send `If-Match`).
    #[serde(default, skip_serializing_if = "crate::input::request_only")]
    pub expected_version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[schema(value_type = Option<String>)]
    pub address: Patch<String>,
    /// 14 digits, Luhn-checked: the site as the holder of the waste it ships.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[schema(value_type = Option<String>, example = "73282932000074", pattern = r"^\s*(?:[0-9]\s*){14}$")]
    pub siret: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[validate(length(max = 10))]
    #[schema(max_length = 10)]
    #[schema(value_type = Option<String>, example = "29200")]
    pub postcode: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    #[schema(value_type = Option<String>, example = "Brest")]
    pub city: Patch<String>,
}

#[cfg(test)]
mod tests;
