//! `/api/v1/audits`: stock audits of a site's shelves.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use validator::Validate;

use super::queries;
use super::service::{self, ScanAnswer};
use super::{NewAudit, NewScan, StockAudit};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey, expected_version};
use crate::ids::StockAuditId;
use crate::pagination::{Page, PageParams};
use crate::principal::Principal;
use crate::state::AppState;
use crate::write::{Written, created};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start_audit, list_audits))
        .routes(routes!(get_audit))
        .routes(routes!(scan_item))
        .routes(routes!(close_audit))
}

#[utoipa::path(
    post, path = "/api/v1/audits", tag = "audits",
    request_body = NewAudit,
    responses(
        (status = 201, description = "Started; scan items into it", body = StockAudit),
        (status = 409, description = "An audit of this site is still open", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]

async fn start_audit(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppJson(new): AppJson<NewAudit>,
) -> Result<(StatusCode, Written<StockAudit>), AppError> {
    let key = key.for_body(&new);
    state
        .write(&principal, key, move |tx, who| {
            Box::pin(service::start(tx, who, new))
        })
        .await
        .map(created)
}

#[utoipa::path(
    get, path = "/api/v1/audits", tag = "audits",
    params(PageParams),
    responses((status = 200, body = Page<StockAudit>)),
    security(("bearer" = []))
)]
async fn list_audits(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(page): AppQuery<PageParams>,
) -> Result<AppJson<Page<StockAudit>>, AppError> {
    Ok(AppJson(queries::list(&state.db, &principal, &page).await?))
}

#[utoipa::path(
    get, path = "/api/v1/audits/{id}", tag = "audits",
    params(("id" = StockAuditId, Path)),
    responses((status = 200, description = "With its report once closed", body = StockAudit), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn get_audit(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<StockAuditId>,
) -> Result<AppJson<StockAudit>, AppError> {
    Ok(AppJson(queries::get(&state.db, &principal, id).await?))
}

#[utoipa::path(
    post, path = "/api/v1/audits/{id}/scans", tag = "audits",
    params(("id" = StockAuditId, Path)),
    request_body = NewScan,
    responses(
        (status = 201, description = "Recorded, with what the code is and whether it was expected here", body = ScanAnswer),
        (status = 409, description = "The audit is closed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn scan_item(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppPath(id): AppPath<StockAuditId>,
    AppJson(new): AppJson<NewScan>,
) -> Result<(StatusCode, Written<ScanAnswer>), AppError> {
    let key = key.for_body(&(&new, id));
    service::scan(&state, &principal, id, new, key)
        .await
        .map(created)
}

/// `POST /api/v1/audits/{id}/close`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseAudit {
    pub expected_version: Option<i64>,
}

#[utoipa::path(
    post, path = "/api/v1/audits/{id}/close", tag = "audits",
    params(("id" = StockAuditId, Path)),
    request_body = CloseAudit,
    responses(
        (status = 200, description = "Closed, with its report: missing and unexpected items", body = StockAudit),
        (status = 409, description = "Already closed, or a stale version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn close_audit(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    AppPath(id): AppPath<StockAuditId>,
    AppJson(body): AppJson<CloseAudit>,
) -> Result<Written<StockAudit>, AppError> {
    let expected = expected_version(&headers, body.expected_version)?;
    state
        .write(&principal, None, move |tx, who| {
            Box::pin(service::close(tx, who, id, expected))
        })
        .await
}
