//! `/api/v1/tokens`: a user's named API tokens. The secret is shown once, in
//! the answer that creates it; the ledger records the token's SHA-256, which
//! reveals nothing of a 256-bit random secret.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use validator::Validate;

use super::service::{self, DEFAULT_DAYS};
use super::{IssuedToken, NewToken, Token, queries};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey};
use crate::ids::{TokenId, UserId};
use crate::pagination::{Page, PageParams};
use crate::principal::Principal;
use crate::state::AppState;
use crate::write::{Written, created};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_token, list_tokens))
        .routes(routes!(revoke_token))
        .routes(routes!(login))
}

#[utoipa::path(
    post, path = "/api/v1/tokens", tag = "tokens",
    request_body = NewToken,
    params(("Idempotency-Key" = Option<String>, Header, description = "A retry with the same key answers the token without its secret, which is never stored")),
    responses((status = 201, description = "Created; the secret is in this answer only", body = IssuedToken),
              (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn create_token(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppJson(new): AppJson<NewToken>,
) -> Result<(StatusCode, Written<IssuedToken>), AppError> {
    let key = key.for_body(&new);
    let days = new.expires_in_days.unwrap_or(DEFAULT_DAYS);
    state
        .write_withholding(
            &principal,
            key,
            move |tx, who| Box::pin(service::issue(tx, who.user_id, new.name, days)),
            service::withheld,
        )
        .await
        .map(created)
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
    Ok(AppJson(
        queries::list(&state.db, &principal, filter.user_id, &page).await?,
    ))
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
    service::revoke_now(&state, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/login`: a password exchanged for an API token.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Login {
    #[validate(length(min = 1, max = 254))]
    #[schema(min_length = 1, max_length = 254)]
    pub email: String,
    #[serde(skip_serializing_if = "crate::input::request_only")]
    #[validate(length(min = 1, max = 1024))]
    #[schema(required = true, min_length = 1, max_length = 1024)]
    pub password: String,
    /// The name of the token to issue (default "sign-in").
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub token_name: Option<String>,
    /// At most 90 days: a password is a person's, a longer-lived token
    /// is made on purpose (`POST /api/v1/tokens`) and can be revoked.
    #[validate(range(min = 1, max = 90))]
    #[schema(minimum = 1, maximum = 90)]
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
    client: crate::extract::ClientAddr,
    AppJson(login): AppJson<Login>,
) -> Result<(StatusCode, Written<IssuedToken>), AppError> {
    let id = service::check_password(&state, client.0, &login.email, login.password).await?;
    let name = login.token_name.unwrap_or_else(|| "sign-in".into());
    let days = login.expires_in_days.unwrap_or(DEFAULT_DAYS);
    let issued = state
        .write_as(id, move |tx| Box::pin(service::issue(tx, id, name, days)))
        .await?;
    Ok((StatusCode::CREATED, Written::Fresh(issued)))
}
