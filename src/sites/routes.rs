//! `/api/v1/sites`: admins create and edit sites; everyone sees their own.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{NewSite, Site, SiteChanges, queries, service};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey, expected_version};
use crate::ids::SiteId;
use crate::pagination::{Page, PageParams};
use crate::principal::Principal;
use crate::state::AppState;
use crate::write::{Written, created};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_site, list_sites))
        .routes(routes!(get_site, update_site))
}

#[utoipa::path(
    post, path = "/api/v1/sites", tag = "sites",
    request_body = NewSite,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key replay the first answer")),
    responses(
        (status = 201, body = Site),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The code is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn create_site(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppJson(new): AppJson<NewSite>,
) -> Result<(StatusCode, Written<Site>), AppError> {
    let key = key.for_body(&new);
    state
        .write(&principal, key, move |tx, who| {
            Box::pin(service::create(tx, who, new))
        })
        .await
        .map(created)
}

#[utoipa::path(
    get, path = "/api/v1/sites", tag = "sites",
    params(PageParams),
    responses((status = 200, body = Page<Site>)),
    security(("bearer" = []))
)]
async fn list_sites(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(page): AppQuery<PageParams>,
) -> Result<AppJson<Page<Site>>, AppError> {
    Ok(AppJson(queries::list(&state.db, &principal, &page).await?))
}

#[utoipa::path(
    get, path = "/api/v1/sites/{id}", tag = "sites",
    params(("id" = SiteId, Path)),
    responses((status = 200, body = Site), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn get_site(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<SiteId>,
) -> Result<AppJson<Site>, AppError> {
    Ok(AppJson(queries::get(&state.db, &principal, id).await?))
}

#[utoipa::path(
    patch, path = "/api/v1/sites/{id}", tag = "sites",
    params(("id" = SiteId, Path), ("If-Match" = Option<String>, Header, description = "The version expected, instead of `expected_version`")),
    request_body = SiteChanges,
    responses(
        (status = 200, body = Site),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn update_site(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    key: IdempotencyKey,
    AppPath(id): AppPath<SiteId>,
    AppJson(changes): AppJson<SiteChanges>,
) -> Result<Written<Site>, AppError> {
    let expected = expected_version(&headers, changes.expected_version)?;
    let key = key.for_body(&(&changes, expected));
    state
        .write(&principal, key, move |tx, who| {
            Box::pin(service::update(tx, who, id, expected, changes))
        })
        .await
}
