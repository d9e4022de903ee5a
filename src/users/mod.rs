//! User accounts: one role each and, for workshop roles, one site. Admins
//! manage everyone; a coordinator manages the technicians and viewers of
//! their own site.
//!
//! - [`events`]: `user.created`, `user.updated`, `user.password_set`;
//! - [`rules`]: which roles go with a site, and who manages whom (pure);
//! - [`service`]: creating and changing accounts; [`queries`]: who sees whom;
//! - [`routes`]: the HTTP API.

pub mod events;
pub mod queries;
pub mod refusals;
pub mod routes;
pub mod rules;
pub mod service;

use chrono::{DateTime, Utc};
use entities::user;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::domain::{Domain, Tag};
use crate::error::AppError;
use crate::ids::{SiteId, UserId};
use crate::patch::Patch;
use crate::principal::Role;

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain = Domain::new(routes::router)
    .tags(&[Tag::new("users")])
    .kinds(events::KINDS)
    .not_about_people(events::NOT_ABOUT_PEOPLE);

/// A user as the API shows it; never the password hash.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub site_id: Option<SiteId>,
    /// `fr` or `en`.
    pub locale: String,
    pub disabled: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<user::Model> for User {
    type Error = AppError;

    fn try_from(m: user::Model) -> Result<Self, AppError> {
        Ok(Self {
            id: UserId(m.id),
            role: Role::parse(&m.role)
                .ok_or_else(|| AppError::internal(format!("user {} has an unknown role", m.id)))?,
            email: m.email,
            display_name: m.display_name,
            site_id: m.site_id.map(SiteId),
            locale: m.locale,
            disabled: m.disabled,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

pub fn validate_locale(locale: &str) -> Result<(), ValidationError> {
    if matches!(locale, "fr" | "en") {
        Ok(())
    } else {
        // `regex`: the document states it as the pattern `^(fr|en)$`.
        Err(ValidationError::new("regex").with_message("must be `fr` or `en`".into()))
    }
}

/// `POST /api/v1/users` (and `retrace user create`).
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    #[validate(email, length(max = 254))]
    #[schema(max_length = 254, format = Email)]
    pub email: String,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub display_name: Option<String>,
    pub role: Role,
    /// Required for coordinators and technicians; optional for viewers; none for admins.
    pub site_id: Option<SiteId>,
    #[validate(custom(function = "validate_locale"))]
    #[schema(pattern = "^(fr|en)$")]
    pub locale: Option<String>,
    /// For web sign-in; at least 10 characters. API-only users need none.
    #[serde(default, skip_serializing_if = "crate::input::request_only")]
    #[schema(min_length = 10, max_length = 1024)]
    pub password: Option<String>,
}

/// `POST /api/v1/users/me/password`: one's own password, changed.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// The password as it is now.
    #[validate(length(min = 1, max = 1024))]
    #[schema(min_length = 1, max_length = 1024)]
    pub current_password: String,
    /// At least 10 characters.
    #[validate(length(max = 1024))]
    #[schema(min_length = 10, max_length = 1024)]
    pub new_password: String,
}

/// `POST /api/v1/users/{id}/password`: a password set by whoever manages the
/// account (forgotten, or never set).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    /// At least 10 characters.
    #[validate(length(max = 1024))]
    #[schema(min_length = 10, max_length = 1024)]
    pub new_password: String,
}

/// `PATCH /api/v1/users/{id}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChanges {
    #[serde(default, skip_serializing_if = "crate::input::request_only")]
    pub expected_version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[schema(value_type = Option<SiteId>)]
    pub site_id: Patch<SiteId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "validate_locale"))]
    #[schema(pattern = "^(fr|en)$")]
    pub locale: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

/// The address an account keeps once its personal data is erased: unique
/// like any other, and in a domain that cannot receive mail (RFC 2606).
pub fn erased_email(id: uuid::Uuid) -> String {
    format!("{}@erased.invalid", id.simple())
}
