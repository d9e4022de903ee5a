//! `/api/v1/waste-shipments` and `/api/v1/registers/outgoing-waste`.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{NewShipment, Shipment, queries, register, service};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey};
use crate::ids::{SiteId, WasteShipmentId};
use crate::pagination::{Page, PageParams};
use crate::principal::Principal;
use crate::state::AppState;
use crate::write::{Written, created};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(dispatch, list_shipments))
        .routes(routes!(get_shipment))
        .routes(routes!(outgoing_register))
}

#[utoipa::path(
    post, path = "/api/v1/waste-shipments", tag = "waste",
    request_body = NewShipment,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key replay the first answer")),
    responses(
        (status = 201, description = "Dispatched: its devices are `recycled`", body = Shipment),
        (status = 409, description = "An item is not sanitized, or left already", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn dispatch(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppJson(new): AppJson<NewShipment>,
) -> Result<(StatusCode, Written<Shipment>), AppError> {
    let key = key.for_body(&new);
    state
        .write(&principal, key, move |tx, who| {
            Box::pin(service::dispatch(tx, who, new))
        })
        .await
        .map(created)
}

#[utoipa::path(
    get, path = "/api/v1/waste-shipments", tag = "waste",
    params(PageParams),
    responses((status = 200, body = Page<Shipment>)),
    security(("bearer" = []))
)]
async fn list_shipments(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(page): AppQuery<PageParams>,
) -> Result<AppJson<Page<Shipment>>, AppError> {
    Ok(AppJson(queries::list(&state.db, &principal, &page).await?))
}

#[utoipa::path(
    get, path = "/api/v1/waste-shipments/{id}", tag = "waste",
    params(("id" = WasteShipmentId, Path)),
    responses((status = 200, body = Shipment), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn get_shipment(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<WasteShipmentId>,
) -> Result<AppJson<Shipment>, AppError> {
    Ok(AppJson(queries::get(&state.db, &principal, id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegisterQuery {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// One site's register (network-wide users); a site's users get their own.
    pub site_id: Option<SiteId>,
}

#[utoipa::path(
    get, path = "/api/v1/registers/outgoing-waste", tag = "waste",
    params(RegisterQuery),
    responses(
        (status = 200, description = "The RNDTS import file for outgoing waste: `;`-separated, UTF-8 with a BOM, one line per shipment and waste code", content_type = "text/csv", body = String),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn outgoing_register(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(query): AppQuery<RegisterQuery>,
) -> Result<Response, AppError> {
    let file =
        queries::register(&state.db, &principal, query.from, query.to, query.site_id).await?;
    Ok(csv_response(
        file,
        &register::file_name(query.from, query.to),
    ))
}

pub fn csv_response(file: Vec<u8>, name: &str) -> Response {
    let mut response = (StatusCode::OK, file).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
