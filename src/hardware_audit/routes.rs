//! `POST /api/v1/devices/{id}/audit`: a hardware audit report for a device.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::lshw;
use super::service::{self, AuditOutcome};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey, expected_version};
use crate::ids::DeviceId;
use crate::principal::Principal;
use crate::state::AppState;
use crate::write::{Written, created};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(audit))
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
) -> Result<(StatusCode, Written<AuditOutcome>), AppError> {
    let expected = expected_version(&headers, query.expected_version)?;
    let hardware = lshw::parse(&report).map_err(|e| AppError::field("body", e.to_string()))?;
    let key = key.for_body(&(&report, expected));
    state
        .write(&principal, key, move |tx, who| {
            Box::pin(service::record(tx, who, id, expected, hardware))
        })
        .await
        .map(created)
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
