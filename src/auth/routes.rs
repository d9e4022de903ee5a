//! `/api/v1/tokens`: a user's named API tokens. The secret is shown once, in
//! the answer that creates it; the ledger records the token's SHA-256, which
//! reveals nothing of a 256-bit random secret.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use entities::{api_token, user};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use validator::Validate;

use super::{Principal, Role, password, tokens};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey};
use crate::ids::{TokenId, UserId};
use crate::ledger::writer::Outcome;
use crate::ledger::{Change, Event, Reply, Subject, SubjectType, Tx};
use crate::pagination::{self, Page, PageParams};
use crate::state::AppState;

/// Default and longest lifetime of a token, in days.
pub const DEFAULT_DAYS: u32 = 90;
pub const MAX_DAYS: u32 = 3650;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_token, list_tokens))
        .routes(routes!(revoke_token))
        .routes(routes!(login))
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
    /// Send as `Authorization: Bearer <secret>`. It cannot be shown again.
    pub secret: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// What the token is for, e.g. "wiping station 2".
    #[validate(length(min = 1, max = 100))]
    pub name: String,
    /// Lifetime in days (default 90, at most 3650).
    #[validate(range(min = 1, max = 3650))]
    pub expires_in_days: Option<u32>,
}

/// The payload of `token.created`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenCreated {
    pub user_id: UserId,
    pub name: String,
    pub token_sha256: String,
    pub expires_at: DateTime<Utc>,
}

/// The payload of `token.revoked`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TokenRevoked {}

/// Issues a token for `user` inside the writer; returns it with its secret.
pub async fn issue(
    tx: &mut Tx,
    user: UserId,
    name: String,
    days: u32,
) -> Result<IssuedToken, AppError> {
    let secret = tokens::generate()?;
    let id = TokenId::generate();
    let expires_at =
        crate::ledger::chain::truncate_to_micros(Utc::now() + Duration::days(i64::from(days)));
    let created = TokenCreated {
        user_id: user,
        name,
        token_sha256: tokens::digest(&secret),
        expires_at,
    };
    tx.record(
        None,
        Subject::new(SubjectType::Token, id),
        Change::TokenCreated(created),
    )
    .await?;
    let row = crate::ledger::projection::row::<api_token::Entity>(tx.conn(), id.0).await?;
    Ok(IssuedToken {
        token: row.into(),
        secret,
    })
}

pub async fn apply_token_created(
    conn: &impl ConnectionTrait,
    event: &Event,
    new: &TokenCreated,
) -> Result<(), DbErr> {
    api_token::ActiveModel {
        id: Set(event.subject_id),
        user_id: Set(new.user_id.0),
        name: Set(new.name.clone()),
        token_sha256: Set(new.token_sha256.clone()),
        created_at: Set(event.at),
        expires_at: Set(new.expires_at),
        revoked_at: Set(None),
    }
    .insert(conn)
    .await?;
    Ok(())
}

pub async fn apply_token_revoked(conn: &impl ConnectionTrait, event: &Event) -> Result<(), DbErr> {
    let row = crate::ledger::projection::row::<api_token::Entity>(conn, event.subject_id).await?;
    let mut row: api_token::ActiveModel = row.into();
    row.revoked_at = Set(Some(event.at));
    row.update(conn).await?;
    Ok(())
}

#[utoipa::path(
    post, path = "/api/v1/tokens", tag = "tokens",
    request_body = NewToken,
    responses((status = 201, description = "Created; the secret is in this answer only", body = IssuedToken),
              (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn create_token(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppJson(new): AppJson<NewToken>,
) -> Result<Outcome, AppError> {
    let key = key.for_body(&new);
    let user = principal.user_id;
    state
        .ledger
        .submit(Some(user), key, move |tx| {
            Box::pin(async move {
                let issued = issue(
                    tx,
                    user,
                    new.name.trim().to_owned(),
                    new.expires_in_days.unwrap_or(DEFAULT_DAYS),
                )
                .await?;
                Reply::created(issued)
            })
        })
        .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct TokenFilter {
    /// Admins only: another user's tokens.
    user_id: Option<UserId>,
}

#[utoipa::path(
    get, path = "/api/v1/tokens", tag = "tokens",
    params(TokenFilter, PageParams),
    responses((status = 200, body = Page<Token>)),
    security(("bearer" = []))
)]
async fn list_tokens(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(filter): AppQuery<TokenFilter>,
    AppQuery(page): AppQuery<PageParams>,
) -> Result<AppJson<Page<Token>>, AppError> {
    let user = match filter.user_id {
        Some(other) if other != principal.user_id => {
            if principal.role != Role::Admin {
                return Err(AppError::Forbidden(
                    "only admins list other users' tokens".into(),
                ));
            }
            other
        }
        _ => principal.user_id,
    };
    let select = api_token::Entity::find().filter(api_token::Column::UserId.eq(user.0));
    let page = pagination::fetch(&state.db, select, api_token::Column::Id, &page, |m| m.id).await?;
    Ok(AppJson(page.map(Token::from)))
}

#[utoipa::path(
    delete, path = "/api/v1/tokens/{id}", tag = "tokens",
    params(("id" = TokenId, Path)),
    responses((status = 204, description = "Revoked"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn revoke_token(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<TokenId>,
) -> Result<StatusCode, AppError> {
    let row = api_token::Entity::find_by_id(id.0)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.user_id != principal.user_id.0 && principal.role != Role::Admin {
        return Err(AppError::NotFound);
    }
    revoke(&state, &principal, TokenId(row.id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Revokes the token whose secret is `secret` (signing out of the web).
pub async fn revoke_own(
    state: &AppState,
    principal: &Principal,
    secret: &str,
) -> Result<(), AppError> {
    let row = api_token::Entity::find()
        .filter(api_token::Column::TokenSha256.eq(tokens::digest(secret)))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    revoke(state, principal, TokenId(row.id)).await
}

async fn revoke(state: &AppState, principal: &Principal, id: TokenId) -> Result<(), AppError> {
    state
        .ledger
        .submit(Some(principal.user_id), None, move |tx| {
            Box::pin(async move {
                let row = api_token::Entity::find_by_id(id.0)
                    .one(tx.conn())
                    .await?
                    .ok_or(AppError::NotFound)?;
                // Revoking twice changes nothing and records nothing.
                if row.revoked_at.is_none() {
                    tx.record(
                        None,
                        Subject::new(SubjectType::Token, id),
                        Change::TokenRevoked(TokenRevoked {}),
                    )
                    .await?;
                }
                Reply::with_status(StatusCode::NO_CONTENT, serde_json::Value::Null)
            })
        })
        .await?;
    state.tokens.clear();
    Ok(())
}

/// `POST /api/v1/login`: a password exchanged for an API token.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Login {
    #[validate(length(min = 1, max = 254))]
    pub email: String,
    #[serde(skip_serializing)]
    #[validate(length(min = 1, max = 1024))]
    pub password: String,
    /// The name of the token to issue (default "sign-in").
    #[validate(length(min = 1, max = 100))]
    pub token_name: Option<String>,
    #[validate(range(min = 1, max = 3650))]
    pub expires_in_days: Option<u32>,
}

#[utoipa::path(
    post, path = "/api/v1/login", tag = "tokens",
    request_body = Login,
    responses(
        (status = 201, description = "Signed in: a new token, shown once", body = IssuedToken),
        (status = 401, description = "Wrong email or password", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn login(
    State(state): State<AppState>,
    AppJson(login): AppJson<Login>,
) -> Result<Outcome, AppError> {
    let id = check_password(&state, &login.email, login.password).await?;
    let name = login.token_name.unwrap_or_else(|| "sign-in".into());
    let days = login.expires_in_days.unwrap_or(DEFAULT_DAYS);
    state
        .ledger
        .submit(Some(id), None, move |tx| {
            Box::pin(async move { Reply::created(issue(tx, id, name, days).await?) })
        })
        .await
}

/// The user with this email and password, slowed down after repeated failures.
/// Used by the API's `login` and the web sign-in page alike.
pub async fn check_password(
    state: &AppState,
    email: &str,
    password: String,
) -> Result<UserId, AppError> {
    let who = email.trim().to_lowercase();
    if let Some(wait) = state.logins.wait_for(&who) {
        return Err(AppError::TooManyAttempts {
            retry_after_secs: wait.as_secs().max(1),
        });
    }
    let user = user::Entity::find()
        .filter(user::Column::Email.eq(&who))
        .one(&state.db)
        .await?;
    let stored = user
        .as_ref()
        .filter(|u| !u.disabled)
        .and_then(|u| u.password_hash.clone());
    let verified = match stored {
        Some(hash) => password::verify(password, hash).await,
        None => {
            // As slow as a real check, so that timing does not tell which emails exist.
            let _ = password::hash(password).await;
            false
        }
    };
    let Some(user) = user.filter(|_| verified) else {
        state.logins.failed(&who);
        return Err(AppError::WrongCredentials);
    };
    state.logins.succeeded(&who);
    Ok(UserId(user.id))
}
