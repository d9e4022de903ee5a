//! `/api/v1/devices/{id}/work`, `/api/v1/devices/{id}/dismantle`, `/api/v1/parts`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::queries::{self, PartFilter};
use super::{Dismantling, NewWork, Part, WorkRecord, service};
use crate::devices::Device;
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, expected_version};
use crate::ids::DeviceId;
use crate::principal::Principal;
use crate::state::AppState;
use crate::write::{Written, created};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(record_work, list_work))
        .routes(routes!(dismantle))
        .routes(routes!(list_parts))
}

#[utoipa::path(
    post, path = "/api/v1/devices/{id}/work", tag = "refurbishment",
    params(("id" = DeviceId, Path)),
    request_body = NewWork,
    responses(
        (status = 201, description = "Recorded, in the device's history; the device as it is now", body = Device),
        (status = 409, description = "The device is out of the workshop, or a stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn record_work(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    AppPath(id): AppPath<DeviceId>,
    AppJson(new): AppJson<NewWork>,
) -> Result<(StatusCode, Written<Device>), AppError> {
    let expected = expected_version(&headers, new.expected_version)?;
    state
        .write(&principal, None, move |tx, who| {
            Box::pin(service::record_work(tx, who, id, expected, new))
        })
        .await
        .map(created)
}

#[utoipa::path(
    get, path = "/api/v1/devices/{id}/work", tag = "refurbishment",
    params(("id" = DeviceId, Path)),
    responses((status = 200, body = Vec<WorkRecord>), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn list_work(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<DeviceId>,
) -> Result<AppJson<Vec<WorkRecord>>, AppError> {
    Ok(AppJson(queries::work_of(&state.db, &principal, id).await?))
}

/// A dismantled device and the parts kept from it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Dismantled {
    pub device: Device,
    pub parts: Vec<Part>,
}

#[utoipa::path(
    post, path = "/api/v1/devices/{id}/dismantle", tag = "refurbishment",
    params(("id" = DeviceId, Path)),
    request_body = Dismantling,
    responses(
        (status = 200, description = "Dismantled; each part kept is traceable to it", body = Dismantled),
        (status = 409, description = "A drive is not sanitized, or the device is closed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn dismantle(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    AppPath(id): AppPath<DeviceId>,
    AppJson(dismantling): AppJson<Dismantling>,
) -> Result<Written<Dismantled>, AppError> {
    let expected = expected_version(&headers, dismantling.expected_version)?;
    state
        .write(&principal, None, move |tx, who| {
            Box::pin(async move {
                let (device, parts) =
                    service::dismantle(tx, who, id, expected, dismantling).await?;
                Ok(Dismantled { device, parts })
            })
        })
        .await
}

#[utoipa::path(
    get, path = "/api/v1/parts", tag = "refurbishment",
    params(PartFilter),
    responses((status = 200, description = "Harvested parts, newest first", body = Vec<Part>)),
    security(("bearer" = []))
)]
async fn list_parts(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(filter): AppQuery<PartFilter>,
) -> Result<AppJson<Vec<Part>>, AppError> {
    Ok(AppJson(
        queries::parts(&state.db, &principal, &filter).await?,
    ))
}
