//! `/api/v1/lots`: coordinators register the donations their site receives.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{Lot, LotChanges, NewLot, queries, service};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey, expected_version};
use crate::ids::{DonorId, LotId, SiteId};
use crate::pagination::{Page, PageParams};
use crate::principal::Principal;
use crate::state::AppState;
use crate::write::{Written, created};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_lot, list_lots))
        .routes(routes!(get_lot, update_lot))
}

#[utoipa::path(
    post, path = "/api/v1/lots", tag = "lots",
    request_body = NewLot,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key replay the first answer")),
    responses(
        (status = 201, body = Lot),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn create_lot(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppJson(new): AppJson<NewLot>,
) -> Result<(StatusCode, Written<Lot>), AppError> {
    let key = key.for_body(&new);
    state
        .write(&principal, key, move |tx, who| {
            Box::pin(service::create(tx, who, new))
        })
        .await
        .map(created)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct LotFilter {
    donor_id: Option<DonorId>,
    site_id: Option<SiteId>,
}

#[utoipa::path(
    get, path = "/api/v1/lots", tag = "lots",
    params(LotFilter, PageParams),
    responses((status = 200, body = Page<Lot>)),
    security(("bearer" = []))
)]
async fn list_lots(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(filter): AppQuery<LotFilter>,
    AppQuery(page): AppQuery<PageParams>,
) -> Result<AppJson<Page<Lot>>, AppError> {
    let filter = queries::Filter {
        donor_id: filter.donor_id,
        site_id: filter.site_id,
    };
    Ok(AppJson(
        queries::list(&state.db, &principal, &filter, &page).await?,
    ))
}

#[utoipa::path(
    get, path = "/api/v1/lots/{id}", tag = "lots",
    params(("id" = LotId, Path)),
    responses((status = 200, body = Lot), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn get_lot(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<LotId>,
) -> Result<AppJson<Lot>, AppError> {
    Ok(AppJson(queries::get(&state.db, &principal, id).await?))
}

#[utoipa::path(
    patch, path = "/api/v1/lots/{id}", tag = "lots",
    params(("id" = LotId, Path), ("If-Match" = Option<String>, Header, description = "The version expected, instead of `expected_version`")),
    request_body = LotChanges,
    responses(
        (status = 200, body = Lot),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn update_lot(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    key: IdempotencyKey,
    AppPath(id): AppPath<LotId>,
    AppJson(changes): AppJson<LotChanges>,
) -> Result<Written<Lot>, AppError> {
    let expected = expected_version(&headers, changes.expected_version)?;
    let key = key.for_body(&(&changes, expected));
    state
        .write(&principal, key, move |tx, who| {
            Box::pin(service::update(tx, who, id, expected, changes))
        })
        .await
}
