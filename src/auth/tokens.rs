//! API tokens: `rt_` followed by 32 random bytes in base64url. Only their
//! SHA-256 is stored: the secret is long and random, so a fast hash is safe,
//! and it keeps every authenticated request to one indexed lookup — none at
//! all while the token is in the [`TokenCache`].

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use entities::{api_token, user, web_session};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

use super::{Principal, Role};
use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::{SiteId, UserId};

const PREFIX: &str = "rt_";

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
            Self::Session => super::sessions::PREFIX,
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

/// Recently seen tokens, so that a busy scanner or script costs no database
/// lookup per request. An entry lives [`TokenCache::TTL`]; revoking a token or
/// changing a user clears this process's cache at once (another process
/// sharing the database sees the change within the TTL).
pub struct TokenCache {
    entries: RwLock<HashMap<String, Cached>>,
}

struct Cached {
    principal: Principal,
    expires_at: DateTime<Utc>,
    fetched: Instant,
}

impl Default for TokenCache {
    fn default() -> Self {
        Self {
            entries: RwLock::new(HashMap::new()),
        }
    }
}

impl TokenCache {
    pub const TTL: Duration = Duration::from_secs(5);
    /// Past this many tokens the cache starts afresh rather than grow.
    const CAPACITY: usize = 10_000;

    /// The principal behind a presented API token, or `401`.
    pub async fn authenticate(
        &self,
        db: &impl ConnectionTrait,
        token: &str,
    ) -> Result<Principal, AppError> {
        self.open(db, Credential::Token, token).await
    }

    /// The principal behind a presented secret of `credential`'s kind, or `401`.
    pub async fn open(
        &self,
        db: &impl ConnectionTrait,
        credential: Credential,
        token: &str,
    ) -> Result<Principal, AppError> {
        if !token.starts_with(credential.prefix()) || token.len() > 128 {
            return Err(AppError::Unauthenticated);
        }
        let digest = digest(token);
        let now = Utc::now();
        if let Some(hit) = self.entries.read().ok().and_then(|entries| {
            entries
                .get(&digest)
                .filter(|c| c.fetched.elapsed() < Self::TTL)
                .map(|c| (c.principal.clone(), c.expires_at))
        }) {
            return if hit.1 > now {
                Ok(hit.0)
            } else {
                Err(AppError::Unauthenticated)
            };
        }
        let (principal, expires_at) = lookup(db, credential, &digest).await?;
        if expires_at <= now {
            return Err(AppError::Unauthenticated);
        }
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= Self::CAPACITY {
                entries.clear();
            }
            entries.insert(
                digest,
                Cached {
                    principal: principal.clone(),
                    expires_at,
                    fetched: Instant::now(),
                },
            );
        }
        Ok(principal)
    }

    /// Forgets every cached token: after a revocation or a change to a user.
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
        }
    }
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
