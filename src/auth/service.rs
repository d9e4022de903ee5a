//! Token and sign-in commands: issuing a token (API, web sign-in, command
//! line), revoking one, and checking a password.

use chrono::{Duration, Utc};
use entities::api_token;
use sea_orm::EntityTrait;

use super::IssuedToken;
use super::events::{self, SUBJECT};
use super::{password, tokens};
use crate::error::AppError;
use crate::ids::{TokenId, UserId};
use crate::ledger::{Subject, chain, projection};
use crate::principal::{Principal, Role};
use crate::state::{AppState, Tx};

/// Default and longest lifetime of a token, in days.
pub const DEFAULT_DAYS: u32 = 90;
pub const MAX_DAYS: u32 = 3650;

/// Issues a token for `user` inside the writer; returns it with its secret.
#[tracing::instrument(level = "debug", skip_all, fields(user = %user))]
pub async fn issue(
    tx: &mut Tx,
    user: UserId,
    name: String,
    days: u32,
) -> Result<IssuedToken, AppError> {
    let name = name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::field("name", "must be 1 to 100 characters"));
    }
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(AppError::field(
            "expires_in_days",
            format!("must be between 1 and {MAX_DAYS}"),
        ));
    }
    let secret = tokens::generate()?;
    let id = TokenId::generate();
    let expires_at = chain::truncate_to_micros(Utc::now() + Duration::days(i64::from(days)));
    let created = events::Created {
        user_id: user,
        name,
        token_sha256: tokens::digest(&secret),
        expires_at,
    };
    tx.record(None, Subject::new(SUBJECT, id), created).await?;
    let row = projection::row::<api_token::Entity>(tx.conn(), id.0).await?;
    Ok(IssuedToken {
        token: row.into(),
        secret: Some(secret),
    })
}

/// What is kept of a token's creation for a retry. The secret is shown
/// once: an idempotent retry gets back the token without it, saying so.
pub fn withheld(issued: &IssuedToken) -> IssuedToken {
    IssuedToken {
        token: issued.token.clone(),
        secret: None,
    }
}

/// Revokes a token `principal` owns (admins: any). Revoking twice changes
/// nothing and records nothing.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, token = %id))]
pub async fn revoke(tx: &mut Tx, principal: &Principal, id: TokenId) -> Result<(), AppError> {
    let row = api_token::Entity::find_by_id(id.0)
        .one(tx.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    if row.user_id != principal.user_id.0 && principal.role != Role::Admin {
        return Err(AppError::NotFound);
    }
    if row.revoked_at.is_none() {
        tx.record(None, Subject::new(SUBJECT, id), events::Revoked {})
            .await?;
    }
    Ok(())
}

/// Revokes a token through the writer and forgets cached sign-ins.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, token = %id))]
pub async fn revoke_now(
    state: &AppState,
    principal: &Principal,
    id: TokenId,
) -> Result<(), AppError> {
    state
        .write_now(principal, move |tx, who| Box::pin(revoke(tx, who, id)))
        .await?;
    state.tokens.clear();
    Ok(())
}

/// The user with this email and password, slowed down after repeated failures.
/// Used by the API's `login` and the web sign-in page alike.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn check_password(
    state: &AppState,
    client: Option<std::net::IpAddr>,
    email: &str,
    password: String,
) -> Result<UserId, AppError> {
    let who = email.trim().to_lowercase();
    if let Some(wait) = state.logins.wait_for(client, &who) {
        return Err(AppError::TooManyAttempts {
            retry_after_secs: wait.as_secs().max(1),
        });
    }
    let user = crate::users::queries::by_email(&state.db, &who).await?;
    let stored = user
        .as_ref()
        .filter(|u| !u.disabled)
        .and_then(|u| u.password_hash.clone());
    let verified = match stored {
        Some(hash) => password::verify(password, hash).await?,
        None => {
            // As slow as a real check, so that timing does not tell which emails exist.
            password::hash(password).await?;
            false
        }
    };
    let Some(user) = user.filter(|_| verified) else {
        state.logins.failed(client, &who);
        return Err(AppError::WrongCredentials);
    };
    state.logins.succeeded(client, &who);
    Ok(UserId(user.id))
}
