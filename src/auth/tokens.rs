//! API tokens: `rt_` followed by 32 random bytes in base64url. Only their
//! SHA-256 is stored: the secret is long and random, so a fast hash is safe,
//! and it keeps every authenticated request to one indexed lookup — none at
//! all while the token is in the cache of recent principals (`principal::RecentPrincipals`).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use chrono::{DateTime, Utc};
use entities::{api_token, user, web_session};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::{SiteId, UserId};
use crate::principal::{Principal, RecentPrincipals, Role};

const PREFIX: &str = "rt_";
/// A web session cookie's secret (`sessions`): like an API token's with
/// another prefix, so that neither opens what the other does.
pub const SESSION_PREFIX: &str = "rs_";

/// A new secret token, to be shown once.
pub fn generate() -> Result<String, AppError> {
    secret(PREFIX)
}

/// `prefix` and 32 random bytes in base64url: a secret no one can guess,
/// safe in a URL (API tokens, donor portal links).
pub fn secret(prefix: &str) -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(AppError::internal)?;
    Ok(format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// What is stored and looked up.
pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// What a secret opens: an API token, or a web session (`auth::sessions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    Token,
    Session,
}

impl Credential {
    fn prefix(self) -> &'static str {
        match self {
            Self::Token => PREFIX,
            Self::Session => SESSION_PREFIX,
        }
    }
}

/// The user behind a token digest, with the token's expiry, if the token is
/// known, unrevoked and its user enabled. Every failure is the same `401`.
async fn lookup(
    db: &impl ConnectionTrait,
    credential: Credential,
    digest: &str,
) -> Result<(Principal, DateTime<Utc>), AppError> {
    let (expires_at, user) = match credential {
        Credential::Token => {
            let found = api_token::Entity::find()
                .filter(api_token::Column::TokenSha256.eq(digest))
                .find_also_related(user::Entity)
                .one(db)
                .await?;
            match found {
                Some((token, Some(user))) if token.revoked_at.is_none() => (token.expires_at, user),
                _ => return Err(AppError::Unauthenticated),
            }
        }
        Credential::Session => {
            let found = web_session::Entity::find_by_id(digest.to_owned())
                .find_also_related(user::Entity)
                .one(db)
                .await?;
            match found {
                Some((session, Some(user))) => (session.expires_at, user),
                _ => return Err(AppError::Unauthenticated),
            }
        }
    };
    if user.disabled {
        return Err(AppError::Unauthenticated);
    }
    let role = Role::parse(&user.role)
        .ok_or_else(|| AppError::internal(format!("unknown role {}", user.role)))?;
    let principal = Principal {
        user_id: UserId(user.id),
        email: user.email,
        role,
        site_id: user.site_id.map(SiteId),
        language: Language::parse(user.locale.get(..2).unwrap_or(&user.locale)),
    };
    Ok((principal, expires_at))
}

/// The principal behind a presented API token, or `401`.
pub async fn authenticate(
    recent: &RecentPrincipals,
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Principal, AppError> {
    open(recent, db, Credential::Token, token).await
}

/// The principal behind a presented secret of `credential`'s kind, or
/// `401`: from the cache of those recently proven, else from the database.
pub async fn open(
    recent: &RecentPrincipals,
    db: &impl ConnectionTrait,
    credential: Credential,
    token: &str,
) -> Result<Principal, AppError> {
    if !token.starts_with(credential.prefix()) || token.len() > 128 {
        return Err(AppError::Unauthenticated);
    }
    let digest = digest(token);
    let now = Utc::now();
    if let Some((principal, expires_at)) = recent.get(&digest) {
        return if expires_at > now {
            Ok(principal)
        } else {
            Err(AppError::Unauthenticated)
        };
    }
    let (principal, expires_at) = lookup(db, credential, &digest).await?;
    if expires_at <= now {
        return Err(AppError::Unauthenticated);
    }
    recent.put(digest, principal.clone(), expires_at);
    Ok(principal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_prefixed() {
        let a = generate().unwrap();
        let b = generate().unwrap();
        assert!(a.starts_with("rt_") && a.len() == 3 + 43);
        assert_ne!(a, b);
        assert_eq!(digest(&a).len(), 64);
        assert_ne!(digest(&a), digest(&b));
    }
}
