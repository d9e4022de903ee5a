//! `/api/v1/media` and `/api/v1/devices/{id}/media`: storage media, their
//! removal, reinstallation, erasure results and destruction.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::service::{self, MediumTransitionOutcome};
use super::{Medium, MediumChanges, MediumState, MediumTransitionRequest, NewMedium, queries};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey, expected_version};
use crate::ids::{DeviceId, MediumId, SiteId};
use crate::ledger::history::History;
use crate::pagination::{HistoryPage, Page, PageParams};
use crate::principal::Principal;
use crate::state::AppState;
use crate::write::{Written, created};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(add_medium, device_media))
        .routes(routes!(list_media))
        .routes(routes!(get_medium, update_medium))
        .routes(routes!(record_medium_event, medium_history))
}

#[utoipa::path(
    post, path = "/api/v1/devices/{id}/media", tag = "media",
    params(("id" = DeviceId, Path), ("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key replay the first answer")),
    request_body = NewMedium,
    responses(
        (status = 201, description = "Added, `present`, with its own asset tag", body = Medium),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn add_medium(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppPath(device): AppPath<DeviceId>,
    AppJson(new): AppJson<NewMedium>,
) -> Result<(StatusCode, Written<Medium>), AppError> {
    let key = key.for_body(&new);
    state
        .write(&principal, key, move |tx, who| {
            Box::pin(service::add(tx, who, device, new))
        })
        .await
        .map(created)
}

#[utoipa::path(
    get, path = "/api/v1/devices/{id}/media", tag = "media",
    params(("id" = DeviceId, Path)),
    responses((status = 200, description = "Media in the device now, and those removed from it", body = Page<Medium>),
              (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn device_media(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(device): AppPath<DeviceId>,
) -> Result<AppJson<Page<Medium>>, AppError> {
    crate::devices::queries::visible(&state.db, &principal, device).await?;
    Ok(AppJson(Page {
        items: queries::of_device(&state.db, device).await?,
        next_cursor: None,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct MediumFilter {
    state: Option<MediumState>,
    device_id: Option<DeviceId>,
    site_id: Option<SiteId>,
    /// Only media out of any device.
    loose: Option<bool>,
    /// Part of a serial number or asset tag.
    q: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/media", tag = "media",
    params(MediumFilter, PageParams),
    responses((status = 200, body = Page<Medium>)),
    security(("bearer" = []))
)]
async fn list_media(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(filter): AppQuery<MediumFilter>,
    AppQuery(page): AppQuery<PageParams>,
) -> Result<AppJson<Page<Medium>>, AppError> {
    let filter = queries::Filter {
        state: filter.state,
        device_id: filter.device_id,
        site_id: filter.site_id,
        loose: filter.loose == Some(true),
        q: filter.q,
    };
    Ok(AppJson(
        queries::list(&state.db, &principal, &filter, &page).await?,
    ))
}

#[utoipa::path(
    get, path = "/api/v1/media/{id}", tag = "media",
    params(("id" = MediumId, Path)),
    responses((status = 200, body = Medium), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn get_medium(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<MediumId>,
) -> Result<AppJson<Medium>, AppError> {
    Ok(AppJson(queries::get(&state.db, &principal, id).await?))
}

#[utoipa::path(
    patch, path = "/api/v1/media/{id}", tag = "media",
    params(("id" = MediumId, Path), ("If-Match" = Option<String>, Header, description = "The version expected, instead of `expected_version`")),
    request_body = MediumChanges,
    responses(
        (status = 200, body = Medium),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn update_medium(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    key: IdempotencyKey,
    AppPath(id): AppPath<MediumId>,
    AppJson(changes): AppJson<MediumChanges>,
) -> Result<Written<Medium>, AppError> {
    let expected = expected_version(&headers, changes.expected_version)?;
    let key = key.for_body(&(&changes, expected));
    state
        .write(&principal, key, move |tx, who| {
            Box::pin(service::update(tx, who, id, expected, changes))
        })
        .await
}

#[utoipa::path(
    post, path = "/api/v1/media/{id}/events", tag = "media",
    params(
        ("id" = MediumId, Path),
        ("If-Match" = Option<String>, Header, description = "The version expected, instead of `expected_version`"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key replay the first answer"),
    ),
    request_body = MediumTransitionRequest,
    responses(
        (status = 201, description = "Recorded: the event, the medium after it, and device events it caused", body = MediumTransitionOutcome),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn record_medium_event(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    key: IdempotencyKey,
    AppPath(id): AppPath<MediumId>,
    AppJson(request): AppJson<MediumTransitionRequest>,
) -> Result<(StatusCode, Written<MediumTransitionOutcome>), AppError> {
    let expected = expected_version(&headers, request.expected_version)?;
    let key = key.for_body(&(&request, expected));
    state
        .write(&principal, key, move |tx, who| {
            Box::pin(service::transition(tx, who, id, expected, request))
        })
        .await
        .map(created)
}

#[utoipa::path(
    get, path = "/api/v1/media/{id}/events", tag = "media",
    params(("id" = MediumId, Path), HistoryPage),
    responses((status = 200, body = History), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn medium_history(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<MediumId>,
    AppQuery(page): AppQuery<HistoryPage>,
) -> Result<AppJson<History>, AppError> {
    queries::visible(&state.db, &principal, id).await?;
    let history = page.fetch(&state.db, Some(vec![id.0])).await?;
    Ok(AppJson(crate::catalogue::as_read_by(&principal, history)))
}
