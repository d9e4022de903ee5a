//! `GET /api/v1/scan/{code}`.

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{ScanResult, resolve_with};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath};
use crate::principal::Principal;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(scan))
}

#[utoipa::path(
    get, path = "/api/v1/scan/{code}", tag = "scan",
    params(("code" = String, Path, description = "An asset tag (`BRE-004217-K`, any case, hyphens optional), a label URL (percent-encoded), or a device's or medium's serial number")),
    responses(
        (status = 200, description = "The item, its state and the actions allowed now", body = ScanResult),
        (status = 404, description = "Nothing carries this code; for a tag whose check character fails, `suggestions` lists the existing tags one typo away", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn scan(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(code): AppPath<String>,
) -> Result<AppJson<ScanResult>, AppError> {
    Ok(AppJson(
        resolve_with(&state.db, state.scan_reader.as_deref(), &principal, &code).await?,
    ))
}
