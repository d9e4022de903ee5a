//! `/api/v1/donors`: coordinators register and edit donors; everyone with
//! inventory access reads them, viewers without contact details.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{Donor, DonorChanges, DonorKind, NewDonor, queries, service};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey, expected_version};
use crate::ids::DonorId;
use crate::pagination::{Page, PageParams};
use crate::principal::Principal;
use crate::state::AppState;
use crate::write::{Written, created};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_donor, list_donors))
        .routes(routes!(get_donor, update_donor))
        .routes(routes!(erase_donor_personal_data))
}

#[utoipa::path(
    post, path = "/api/v1/donors", tag = "donors",
    request_body = NewDonor,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key replay the first answer")),
    responses(
        (status = 201, body = Donor),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn create_donor(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppJson(new): AppJson<NewDonor>,
) -> Result<(StatusCode, Written<Donor>), AppError> {
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
struct DonorFilter {
    kind: Option<DonorKind>,
    /// Part of the name, or the SIRET.
    q: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/donors", tag = "donors",
    params(DonorFilter, PageParams),
    responses((status = 200, body = Page<Donor>)),
    security(("bearer" = []))
)]
async fn list_donors(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(filter): AppQuery<DonorFilter>,
    AppQuery(page): AppQuery<PageParams>,
) -> Result<AppJson<Page<Donor>>, AppError> {
    let filter = queries::Filter {
        kind: filter.kind,
        q: filter.q,
    };
    Ok(AppJson(
        queries::list(&state.db, &principal, &filter, &page).await?,
    ))
}

#[utoipa::path(
    get, path = "/api/v1/donors/{id}", tag = "donors",
    params(("id" = DonorId, Path)),
    responses((status = 200, body = Donor), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn get_donor(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<DonorId>,
) -> Result<AppJson<Donor>, AppError> {
    Ok(AppJson(queries::get(&state.db, &principal, id).await?))
}

#[utoipa::path(
    patch, path = "/api/v1/donors/{id}", tag = "donors",
    params(("id" = DonorId, Path), ("If-Match" = Option<String>, Header, description = "The version expected, instead of `expected_version`")),
    request_body = DonorChanges,
    responses(
        (status = 200, body = Donor),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn update_donor(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    key: IdempotencyKey,
    AppPath(id): AppPath<DonorId>,
    AppJson(changes): AppJson<DonorChanges>,
) -> Result<Written<Donor>, AppError> {
    let expected = expected_version(&headers, changes.expected_version)?;
    let key = key.for_body(&(&changes, expected));
    state
        .write(&principal, key, move |tx, who| {
            Box::pin(service::update(tx, who, id, expected, changes))
        })
        .await
}

#[utoipa::path(
    delete, path = "/api/v1/donors/{id}/personal-data", tag = "donors",
    params(("id" = DonorId, Path)),
    responses(
        (status = 200, description = "The donor without its contact people (an individual donor without its identity, under its reference), erased everywhere Retrace held them", body = Donor),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn erase_donor_personal_data(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<DonorId>,
) -> Result<Written<Donor>, AppError> {
    let erased = state
        .write(&principal, None, move |tx, who| {
            Box::pin(service::erase_personal_data(tx, who, id))
        })
        .await?;
    service::scrub(&state.db).await?;
    Ok(erased)
}
