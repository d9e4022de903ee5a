//! Web sessions: a browser signed in holds a secret in an HttpOnly cookie;
//! only its SHA-256 is kept, in `web_sessions`, for as long as the session
//! lasts. Signing in and out is authentication, not traceability (SPEC §8):
//! a session is no ledger event, signing out deletes its row, and expired
//! rows are pruned by the hourly chores — no record of who worked when.

use chrono::{Duration, Utc};
use entities::web_session;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

use super::tokens::{self, Credential};
use crate::error::AppError;
use crate::ids::UserId;
use crate::state::AppState;

/// Opens a session of `days` for `user`; returns the secret for the cookie.
pub async fn open(db: &impl ConnectionTrait, user: UserId, days: u32) -> Result<String, AppError> {
    let secret = tokens::secret(tokens::SESSION_PREFIX)?;
    web_session::ActiveModel {
        token_sha256: Set(tokens::digest(&secret)),
        user_id: Set(user.0),
        expires_at: Set(Utc::now() + Duration::days(i64::from(days))),
    }
    .insert(db)
    .await?;
    Ok(secret)
}

/// The signed-in user behind a cookie's secret, or `401`.
pub async fn principal(
    state: &AppState,
    secret: &str,
) -> Result<crate::principal::Principal, AppError> {
    tokens::open(&state.tokens, &state.db, Credential::Session, secret).await
}

/// Signs out: the session's row is deleted, and the cache forgets it.
pub async fn close(state: &AppState, secret: &str) -> Result<(), AppError> {
    web_session::Entity::delete_by_id(tokens::digest(secret))
        .exec(&state.db)
        .await?;
    state.tokens.clear();
    Ok(())
}

/// Signs a user out everywhere: what erasing or disabling them needs.
pub async fn end_all(db: &impl ConnectionTrait, user: UserId) -> Result<(), AppError> {
    web_session::Entity::delete_many()
        .filter(web_session::Column::UserId.eq(user.0))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes the sessions past their time; returns how many.
pub async fn prune(db: &impl ConnectionTrait) -> Result<u64, AppError> {
    Ok(web_session::Entity::delete_many()
        .filter(web_session::Column::ExpiresAt.lt(Utc::now()))
        .exec(db)
        .await?
        .rows_affected)
}
