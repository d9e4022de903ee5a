//! Who is asking: the [`Principal`] (`crate::principal`) is extracted from
//! every authenticated request — an API bearer token here; a web session
//! cookie, [`sessions`], resolves to the same type.
//!
//! Tokens, the part of auth that is a domain of its own: [`events`]
//! (`token.created`, `token.revoked`), [`service`] (issuing, revoking,
//! checking passwords), [`queries`] (listing), [`routes`] (the API);
//! [`tokens`] makes and checks the secrets.

pub mod events;
pub mod password;
pub mod queries;
pub mod routes;
pub mod service;
pub mod sessions;
pub mod tokens;

use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};

use crate::domain::{Domain, Tag};
use chrono::{DateTime, Utc};
use entities::api_token;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::error::AppError;
use crate::ids::{TokenId, UserId};
use crate::principal::Principal;
use crate::state::AppState;

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain = Domain::new(routes::router)
    .tags(&[Tag::described("tokens", "API tokens")])
    .kinds(events::KINDS)
    .not_about_people(events::NOT_ABOUT_PEOPLE);

impl FromRequestParts<AppState> for Principal {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or(AppError::Unauthenticated)?;
        let (scheme, token) = header.split_once(' ').ok_or(AppError::Unauthenticated)?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(AppError::Unauthenticated);
        }
        tokens::authenticate(&state.tokens, &state.db, token.trim()).await
    }
}

/// A token as listed: never its secret.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Token {
    pub id: TokenId,
    pub user_id: UserId,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<api_token::Model> for Token {
    fn from(m: api_token::Model) -> Self {
        Self {
            id: TokenId(m.id),
            user_id: UserId(m.user_id),
            name: m.name,
            created_at: m.created_at,
            expires_at: m.expires_at,
            revoked_at: m.revoked_at,
        }
    }
}

/// The answer to a creation: the token, and its secret this once.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IssuedToken {
    #[serde(flatten)]
    pub token: Token,
    /// Send as `Authorization: Bearer <secret>`. It cannot be shown again:
    /// `null` in the replay of a retried request (`Idempotency-Key`), since
    /// no secret is ever stored — revoke that token and create another.
    pub secret: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// What the token is for, e.g. "wiping station 2".
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// Lifetime in days (default 90, at most 3650).
    #[validate(range(min = 1, max = 3650))]
    #[schema(minimum = 1, maximum = 3650)]
    pub expires_in_days: Option<u32>,
}
