//! `/api/v1/devices`: registering devices, reading and searching them,
//! recording lifecycle events and reading their history.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use entities::{device, medium};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::audit::{self, AuditOutcome};
use super::lshw;
use super::service::{self, TransitionOutcome};
use super::{Device, DeviceChanges, DeviceKind, DeviceState, NewDevice, TransitionRequest};
use crate::auth::{Permission, Principal};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey, expected_version};
use crate::ids::{DeviceId, LotId, SiteId};
use crate::ledger::Reply;
use crate::ledger::history::{self, History, HistoryPage};
use crate::ledger::writer::Outcome;
use crate::pagination::{self, Page, PageParams};
use crate::search::contains_ci;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_device, list_devices))
        .routes(routes!(get_device, update_device))
        .routes(routes!(record_event, history))
        .routes(routes!(audit))
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
) -> Result<Outcome, AppError> {
    principal.require(Permission::RegisterDevices)?;
    let key = key.for_body(&new);
    let actor = principal.user_id;
    state
        .ledger
        .submit(Some(actor), key, move |tx| {
            Box::pin(async move { Reply::created(service::register(tx, &principal, new).await?) })
        })
        .await
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
) -> Result<Json<Page<Device>>, AppError> {
    principal.require(Permission::ReadInventory)?;
    let mut select = device::Entity::find();
    if let Some(own) = principal.site_scope() {
        select = select.filter(device::Column::SiteId.eq(own));
    }
    if let Some(site) = filter.site_id {
        select = select.filter(device::Column::SiteId.eq(site.0));
    }
    if let Some(state) = filter.state {
        select = select.filter(device::Column::State.eq(state.as_str()));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(device::Column::Kind.eq(kind.as_str()));
    }
    if let Some(lot) = filter.lot_id {
        select = select.filter(device::Column::LotId.eq(lot.0));
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        select = select.filter(
            Condition::any()
                .add(contains_ci(device::Column::SerialNumber, q))
                .add(contains_ci(device::Column::AssetTag, q))
                .add(contains_ci(device::Column::Model, q)),
        );
    }
    let page = pagination::fetch(&state.db, select, device::Column::Id, &page, |m| m.id).await?;
    Ok(Json(Page {
        items: page
            .items
            .into_iter()
            .map(Device::try_from)
            .collect::<Result<_, _>>()?,
        next_cursor: page.next_cursor,
    }))
}

/// A device the principal may see.
pub async fn visible(
    state: &AppState,
    principal: &Principal,
    id: DeviceId,
) -> Result<device::Model, AppError> {
    principal.require(Permission::ReadInventory)?;
    let row = device::Entity::find_by_id(id.0)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    principal.check_site(row.site_id)?;
    Ok(row)
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
) -> Result<Json<Device>, AppError> {
    Ok(Json(visible(&state, &principal, id).await?.try_into()?))
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
) -> Result<Outcome, AppError> {
    principal.require(Permission::RegisterDevices)?;
    let expected = expected_version(&headers, changes.expected_version)?;
    let key = key.for_body(&(&changes, expected));
    state
        .ledger
        .submit(Some(principal.user_id), key, move |tx| {
            Box::pin(async move {
                Reply::ok(service::update(tx, &principal, id, expected, changes).await?)
            })
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
) -> Result<Outcome, AppError> {
    let expected = expected_version(&headers, request.expected_version)?;
    let key = key.for_body(&(&request, expected));
    state
        .ledger
        .submit(Some(principal.user_id), key, move |tx| {
            Box::pin(async move {
                Reply::created(service::transition(tx, &principal, id, expected, request).await?)
            })
        })
        .await
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
) -> Result<Json<History>, AppError> {
    visible(&state, &principal, id).await?;
    let media: Vec<uuid::Uuid> = medium::Entity::find()
        .select_only()
        .column(medium::Column::Id)
        .filter(
            Condition::any()
                .add(medium::Column::DeviceId.eq(id.0))
                .add(medium::Column::SourceDeviceId.eq(id.0)),
        )
        .into_tuple()
        .all(&state.db)
        .await?;
    let subjects = std::iter::once(id.0).chain(media).collect();
    Ok(Json(history::of(&state.db, Some(subjects), &page).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct AuditQuery {
    /// The device's version, unless sent as `If-Match`.
    expected_version: Option<i64>,
}

#[utoipa::path(
    post, path = "/api/v1/devices/{id}/audit", tag = "devices",
    params(
        ("id" = DeviceId, Path),
        AuditQuery,
        ("If-Match" = Option<String>, Header, description = "The version expected, instead of `expected_version`"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key replay the first answer"),
    ),
    request_body(content = Object, content_type = "application/json", description = "The output of `lshw -json`"),
    responses(
        (status = 201, description = "Specs filled, disks recorded as media, a received device inventoried", body = AuditOutcome),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not lshw output", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No expected version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn audit(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    key: IdempotencyKey,
    AppPath(id): AppPath<DeviceId>,
    AppQuery(query): AppQuery<AuditQuery>,
    AppJson(LshwReport(report)): AppJson<LshwReport>,
) -> Result<Outcome, AppError> {
    let expected = expected_version(&headers, query.expected_version)?;
    let hardware = lshw::parse(&report).map_err(|e| AppError::field("body", e.to_string()))?;
    let key = key.for_body(&(&report, expected));
    state
        .ledger
        .submit(Some(principal.user_id), key, move |tx| {
            Box::pin(async move {
                Reply::created(audit::record(tx, &principal, id, expected, hardware).await?)
            })
        })
        .await
}

/// Any JSON document: its shape is lshw's business, checked by the parser.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
struct LshwReport(serde_json::Value);

impl validator::Validate for LshwReport {
    fn validate(&self) -> Result<(), validator::ValidationErrors> {
        Ok(())
    }
}
