//! `POST /api/v1/lots/{id}/devices/import`: a donor's asset list, as the
//! file they sent, becomes the lot's devices.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::MAX_BYTES;
use super::import::{self, AssetListReport};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery};
use crate::ids::LotId;
use crate::principal::Principal;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import_devices))
        .layer(DefaultBodyLimit::max(MAX_BYTES))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ImportOptions {
    /// Read and check only: show what would be created, write nothing.
    #[serde(default)]
    dry_run: bool,
}

#[utoipa::path(
    post, path = "/api/v1/lots/{id}/devices/import", tag = "lots",
    params(("id" = LotId, Path), ImportOptions),
    request_body(content = Vec<u8>, content_type = "text/csv", description = "The donor's file as it came: CSV with `,` `;` or tab; UTF-8, UTF-16 with BOM or Windows-1252"),
    responses(
        (status = 201, description = "Every device registered, with its asset tag", body = AssetListReport),
        (status = 200, description = "Dry run: what would be created, and every issue by line", body = AssetListReport),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Errors in the file (listed in `issues`, by line): nothing imported", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn import_devices(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(lot): AppPath<LotId>,
    AppQuery(options): AppQuery<ImportOptions>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<(StatusCode, AppJson<AssetListReport>), AppError> {
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else {
            AppError::BadRequest(rejection.body_text())
        }
    })?;
    if options.dry_run {
        let report = import::check(&state.db, &principal, lot, &bytes).await?;
        Ok((StatusCode::OK, AppJson(report)))
    } else {
        let report = import::import(&state, &principal, lot, &bytes).await?;
        Ok((StatusCode::CREATED, AppJson(report)))
    }
}
