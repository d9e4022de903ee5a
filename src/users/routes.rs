//! `/api/v1/users`: accounts, managed by admins and, for their site's
//! technicians and viewers, by coordinators.

use axum::extract::State;
use axum::http::HeaderMap;
use entities::user;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{NewUser, User, UserChanges, check_manages, check_role_site};
use crate::auth::{Permission, Principal, Role};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey, expected_version};
use crate::ids::{SiteId, UserId};
use crate::ledger::update;
use crate::ledger::writer::Outcome;
use crate::ledger::{Change, Reply, Subject, SubjectType};
use crate::pagination::{self, Page, PageParams};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_user, list_users))
        .routes(routes!(me))
        .routes(routes!(get_user, update_user))
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
    AppJson(mut new): AppJson<NewUser>,
) -> Result<Outcome, AppError> {
    check_manages(&principal, new.role, new.site_id)?;
    let password_hash = super::hash_new_password(new.password.take()).await?;
    let key = key.for_body(&new);
    state
        .ledger
        .submit(Some(principal.user_id), key, move |tx| {
            Box::pin(async move { Reply::created(super::create(tx, new, password_hash).await?) })
        })
        .await
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
    principal.require(Permission::ManageUsers)?;
    let mut select = user::Entity::find();
    if let Some(site) = principal.site_scope() {
        select = select.filter(user::Column::SiteId.eq(site));
    }
    if let Some(site) = filter.site_id {
        select = select.filter(user::Column::SiteId.eq(site.0));
    }
    if let Some(role) = filter.role {
        select = select.filter(user::Column::Role.eq(role.as_str()));
    }
    let page = pagination::fetch(&state.db, select, user::Column::Id, &page, |m| m.id).await?;
    Ok(AppJson(Page {
        next_cursor: page.next_cursor,
        items: page
            .items
            .into_iter()
            .map(User::try_from)
            .collect::<Result<_, _>>()?,
    }))
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
    let row = user::Entity::find_by_id(principal.user_id.0)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(AppJson(row.try_into()?))
}

/// A user `principal` may see: themself, or one they manage.
async fn visible(
    state: &AppState,
    principal: &Principal,
    id: UserId,
) -> Result<user::Model, AppError> {
    let row = user::Entity::find_by_id(id.0)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.id == principal.user_id.0 {
        return Ok(row);
    }
    principal.require(Permission::ManageUsers)?;
    match (principal.site_scope(), row.site_id) {
        (None, _) => Ok(row),
        (Some(own), Some(theirs)) if own == theirs => Ok(row),
        _ => Err(AppError::NotFound),
    }
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
    Ok(AppJson(visible(&state, &principal, id).await?.try_into()?))
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
) -> Result<Outcome, AppError> {
    let current = visible(&state, &principal, id).await?;
    let expected = expected_version(&headers, changes.expected_version)?;
    let current_role =
        Role::parse(&current.role).ok_or_else(|| AppError::internal("unknown role"))?;
    let role = changes.role.unwrap_or(current_role);
    let site = changes.site_id.unwrap_or(current.site_id.map(SiteId));
    // Changing one's own role, site or access is an admin's job.
    if current.id != principal.user_id.0
        || changes.role.is_some()
        || changes.site_id.is_some()
        || changes.disabled.is_some()
    {
        check_manages(&principal, role, site)?;
        check_manages(&principal, current_role, current.site_id.map(SiteId))?;
    }
    check_role_site(role, site)?;
    let key = key.for_body(&(&changes, expected));
    let outcome = state
        .ledger
        .submit(Some(principal.user_id), key, move |tx| {
            Box::pin(async move {
                if let Some(Some(site)) = changes.site_id
                    && crate::sites::find(tx.conn(), site).await?.is_none()
                {
                    return Err(AppError::field("site_id", "no such site"));
                }
                let subject = Subject::new(SubjectType::User, id);
                let row = update::record::<user::Entity, _>(
                    tx,
                    subject,
                    expected,
                    changes,
                    Change::UserUpdated,
                    |_| Ok(site),
                )
                .await?;
                Reply::ok(User::try_from(row)?)
            })
        })
        .await?;
    // A disabled user, or one with another role or site, must not ride on a cached token.
    state.tokens.clear();
    Ok(outcome)
}
