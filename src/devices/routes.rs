//! `/api/v1/devices`: registering devices, reading and searching them,
//! recording lifecycle events and reading their history.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::service::{self, TransitionOutcome};
use super::{
    Device, DeviceChanges, DeviceKind, DeviceState, NewDevice, TransitionRequest, queries,
};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey, expected_version};
use crate::ids::{DeviceId, LotId, SiteId};
use crate::ledger::history::History;
use crate::pagination::{HistoryPage, Page, PageParams};
use crate::principal::Principal;
use crate::state::AppState;
use crate::write::{Written, created};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_device, list_devices))
        .routes(routes!(get_device, update_device))
        .routes(routes!(record_event, history))
}

#[utoipa::path(
    post, path = "/api/v1/devices", tag = "devices",
    request_body = NewDevice,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key replay the first answer")),
    responses(
        (status = 201, description = "Registered, in state `received`, with its asset tag", body = Device),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn create_device(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppJson(new): AppJson<NewDevice>,
) -> Result<(StatusCode, Written<Device>), AppError> {
    let key = key.for_body(&new);
    let _actor = principal.user_id;
    state
        .write(&principal, key, move |tx, who| {
            Box::pin(service::register(tx, who, new))
        })
        .await
        .map(created)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct DeviceFilter {
    state: Option<DeviceState>,
    kind: Option<DeviceKind>,
    lot_id: Option<LotId>,
    site_id: Option<SiteId>,
    /// Part of a serial number, asset tag or model.
    q: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/devices", tag = "devices",
    params(DeviceFilter, PageParams),
    responses((status = 200, body = Page<Device>), (status = 400, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn list_devices(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(filter): AppQuery<DeviceFilter>,
    AppQuery(page): AppQuery<PageParams>,
) -> Result<AppJson<Page<Device>>, AppError> {
    let filter = queries::Filter {
        state: filter.state,
        kind: filter.kind,
        lot_id: filter.lot_id,
        site_id: filter.site_id,
        q: filter.q,
    };
    Ok(AppJson(
        queries::list(&state.db, &principal, &filter, &page).await?,
    ))
}

#[utoipa::path(
    get, path = "/api/v1/devices/{id}", tag = "devices",
    params(("id" = DeviceId, Path)),
    responses((status = 200, body = Device), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn get_device(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<DeviceId>,
) -> Result<AppJson<Device>, AppError> {
    Ok(AppJson(
        queries::get_from(&state.db, state.scan_reader.as_deref(), &principal, id).await?,
    ))
}

#[utoipa::path(
    patch, path = "/api/v1/devices/{id}", tag = "devices",
    params(("id" = DeviceId, Path), ("If-Match" = Option<String>, Header, description = "The version expected, instead of `expected_version`")),
    request_body = DeviceChanges,
    responses(
        (status = 200, body = Device),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No expected version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn update_device(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    key: IdempotencyKey,
    AppPath(id): AppPath<DeviceId>,
    AppJson(changes): AppJson<DeviceChanges>,
) -> Result<Written<Device>, AppError> {
    let expected = expected_version(&headers, changes.expected_version)?;
    let key = key.for_body(&(&changes, expected));
    state
        .write(&principal, key, move |tx, who| {
            Box::pin(service::update(tx, who, id, expected, changes))
        })
        .await
}

#[utoipa::path(
    post, path = "/api/v1/devices/{id}/events", tag = "devices",
    params(
        ("id" = DeviceId, Path),
        ("If-Match" = Option<String>, Header, description = "The version expected, instead of `expected_version`"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key replay the first answer"),
    ),
    request_body = TransitionRequest,
    responses(
        (status = 201, description = "Recorded: the event and the device after it", body = TransitionOutcome),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version, illegal transition, or media not sanitized", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field the action needs is missing or failed", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No expected version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn record_event(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    key: IdempotencyKey,
    AppPath(id): AppPath<DeviceId>,
    AppJson(request): AppJson<TransitionRequest>,
) -> Result<(StatusCode, Written<TransitionOutcome>), AppError> {
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
    get, path = "/api/v1/devices/{id}/events", tag = "devices",
    params(("id" = DeviceId, Path), HistoryPage),
    responses((status = 200, body = History), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn history(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<DeviceId>,
    AppQuery(page): AppQuery<HistoryPage>,
) -> Result<AppJson<History>, AppError> {
    queries::visible(&state.db, &principal, id).await?;
    let subjects = queries::history_subjects(&state.db, id).await?;
    let history = page.fetch(&state.db, Some(subjects)).await?;
    Ok(AppJson(crate::catalogue::as_read_by(&principal, history)))
}
