//! `/api/v1/users`: accounts, managed by admins and, for their site's
//! technicians and viewers, by coordinators.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{NewUser, PasswordChange, PasswordReset, User, UserChanges, queries, service};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey, expected_version};
use crate::ids::{SiteId, UserId};
use crate::pagination::{Page, PageParams};
use crate::principal::{Principal, Role};
use crate::state::AppState;
use crate::write::{Written, created};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_user, list_users))
        .routes(routes!(me))
        .routes(routes!(get_user, update_user))
        .routes(routes!(erase_user_personal_data))
        .routes(routes!(change_own_password))
        .routes(routes!(reset_password))
}

#[utoipa::path(
    delete, path = "/api/v1/users/{id}/personal-data", tag = "users",
    params(("id" = UserId, Path)),
    responses(
        (status = 200, description = "The account, disabled, under its reference: its name and e-mail erased everywhere Retrace held them", body = User),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn erase_user_personal_data(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<UserId>,
) -> Result<Written<User>, AppError> {
    service::erase_now(&state, &principal, id).await
}

#[utoipa::path(
    post, path = "/api/v1/users", tag = "users",
    request_body = NewUser,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key replay the first answer")),
    responses(
        (status = 201, description = "Created", body = User),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn create_user(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppJson(new): AppJson<NewUser>,
) -> Result<(StatusCode, Written<User>), AppError> {
    let key = key.for_body(&new);
    service::invite(&state, &principal, new, key)
        .await
        .map(created)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct UserFilter {
    site_id: Option<SiteId>,
    role: Option<Role>,
}

#[utoipa::path(
    get, path = "/api/v1/users", tag = "users",
    params(UserFilter, PageParams),
    responses((status = 200, body = Page<User>), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn list_users(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(filter): AppQuery<UserFilter>,
    AppQuery(page): AppQuery<PageParams>,
) -> Result<AppJson<Page<User>>, AppError> {
    let filter = queries::Filter {
        site_id: filter.site_id,
        role: filter.role,
    };
    Ok(AppJson(
        queries::list(&state.db, &principal, &filter, &page).await?,
    ))
}

#[utoipa::path(
    get, path = "/api/v1/users/me", tag = "users",
    responses((status = 200, body = User), (status = 401, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn me(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<AppJson<User>, AppError> {
    Ok(AppJson(
        queries::get(&state.db, &principal, principal.user_id).await?,
    ))
}

#[utoipa::path(
    get, path = "/api/v1/users/{id}", tag = "users",
    params(("id" = UserId, Path)),
    responses((status = 200, body = User), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn get_user(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<UserId>,
) -> Result<AppJson<User>, AppError> {
    Ok(AppJson(queries::get(&state.db, &principal, id).await?))
}

#[utoipa::path(
    patch, path = "/api/v1/users/{id}", tag = "users",
    params(("id" = UserId, Path), ("If-Match" = Option<String>, Header, description = "The version expected, instead of `expected_version`")),
    request_body = UserChanges,
    responses(
        (status = 200, body = User),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn update_user(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    key: IdempotencyKey,
    AppPath(id): AppPath<UserId>,
    AppJson(changes): AppJson<UserChanges>,
) -> Result<Written<User>, AppError> {
    let expected = expected_version(&headers, changes.expected_version)?;
    let key = key.for_body(&(&changes, expected));
    service::change(&state, &principal, id, expected, changes, key).await
}

#[utoipa::path(
    post, path = "/api/v1/users/me/password", tag = "users",
    request_body = PasswordChange,
    responses(
        (status = 200, description = "Changed; the account's web sessions ended", body = User),
        (status = 401, description = "The current password is not this", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn change_own_password(
    State(state): State<AppState>,
    principal: Principal,
    client: crate::extract::ClientAddr,
    AppJson(change): AppJson<PasswordChange>,
) -> Result<AppJson<User>, AppError> {
    Ok(AppJson(
        service::change_own_password(&state, principal, client.0, change).await?,
    ))
}

#[utoipa::path(
    post, path = "/api/v1/users/{id}/password", tag = "users",
    params(("id" = UserId, Path)),
    request_body = PasswordReset,
    responses(
        (status = 200, description = "Set; the account's web sessions ended", body = User),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn reset_password(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<UserId>,
    AppJson(reset): AppJson<PasswordReset>,
) -> Result<Written<User>, AppError> {
    service::reset_password_now(&state, &principal, id, reset.new_password).await
}
