//! API tokens: `rt_` followed by 32 random bytes in base64url. Only their
//! SHA-256 is stored: the secret is long and random, so a fast hash is safe,
//! and it keeps every authenticated request to one indexed lookup.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use entities::{api_token, user};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

use super::{Principal, Role};
use crate::error::AppError;
use crate::ids::{SiteId, UserId};

const PREFIX: &str = "rt_";

/// A new secret token, to be shown once.
pub fn generate() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(AppError::internal)?;
    Ok(format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// What is stored and looked up.
pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The user behind a presented token, if it is known, unexpired, unrevoked
/// and its user enabled. Every failure is the same `401`.
pub async fn authenticate(db: &impl ConnectionTrait, token: &str) -> Result<Principal, AppError> {
    if !token.starts_with(PREFIX) || token.len() > 128 {
        return Err(AppError::Unauthenticated);
    }
    let found = api_token::Entity::find()
        .filter(api_token::Column::TokenSha256.eq(digest(token)))
        .find_also_related(user::Entity)
        .one(db)
        .await?;
    let Some((token, Some(user))) = found else {
        return Err(AppError::Unauthenticated);
    };
    if token.revoked_at.is_some() || token.expires_at <= Utc::now() || user.disabled {
        return Err(AppError::Unauthenticated);
    }
    let role = Role::parse(&user.role)
        .ok_or_else(|| AppError::internal(format!("unknown role {}", user.role)))?;
    Ok(Principal {
        user_id: UserId(user.id),
        email: user.email,
        role,
        site_id: user.site_id.map(SiteId),
    })
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
