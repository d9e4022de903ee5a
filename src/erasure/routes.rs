//! `/api/v1/erasures`: erasure records, by hand or imported from nwipe logs.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::queries;
use super::service::{self, ImportOptions, ImportReport, RecordedErasure};
use super::{NewErasure, StoredErasure, nwipe};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey};
use crate::ids::{DeviceId, MediumId};
use crate::pagination::{Page, PageParams};
use crate::principal::{Permission, Principal};
use crate::state::AppState;
use crate::write::{Written, created};

/// Largest nwipe log accepted: a hundred-drive ShredOS run is well under 1 MB.
pub const LOG_LIMIT: usize = 8 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_erasure, list_erasures))
        .routes(routes!(get_erasure))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(import_nwipe))
                .layer(DefaultBodyLimit::max(LOG_LIMIT)),
        )
}

#[utoipa::path(
    post, path = "/api/v1/erasures", tag = "erasures",
    request_body = NewErasure,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key replay the first answer")),
    responses(
        (status = 201, description = "Recorded; the medium (and maybe its device) moved", body = RecordedErasure),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn create_erasure(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppJson(new): AppJson<NewErasure>,
) -> Result<(StatusCode, Written<RecordedErasure>), AppError> {
    let key = key.for_body(&new);
    state
        .write(&principal, key, move |tx, who| {
            Box::pin(service::record(tx, who, new))
        })
        .await
        .map(created)
}

#[utoipa::path(
    post, path = "/api/v1/erasures/nwipe", tag = "erasures",
    params(ImportOptions, ("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key replay the first answer")),
    request_body(content = String, content_type = "text/plain", description = "The log nwipe wrote (`--logfile`), as bytes"),
    responses(
        (status = 201, description = "One record per matched drive; the others listed as unmatched", body = ImportReport),
        (status = 409, description = "This log was already imported", body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an nwipe log, or a verification-only run", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn import_nwipe(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppQuery(options): AppQuery<ImportOptions>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<(StatusCode, Written<ImportReport>), AppError> {
    principal.require(Permission::WorkshopActions)?;
    let bytes = body.map_err(|rejection| {
        if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else {
            AppError::BadRequest(rejection.body_text())
        }
    })?;
    let log = nwipe::parse(&bytes).map_err(|e| AppError::field("body", e.to_string()))?;
    let digest = service::log_digest(&bytes);
    let key = key.for_body(&(&digest, &options));
    state
        .write(&principal, key, move |tx, who| {
            Box::pin(service::import(tx, who, log, digest, options))
        })
        .await
        .map(created)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ErasureFilter {
    medium_id: Option<MediumId>,
    device_id: Option<DeviceId>,
}

#[utoipa::path(
    get, path = "/api/v1/erasures", tag = "erasures",
    params(ErasureFilter, PageParams),
    responses((status = 200, body = Page<StoredErasure>)),
    security(("bearer" = []))
)]
async fn list_erasures(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(filter): AppQuery<ErasureFilter>,
    AppQuery(page): AppQuery<PageParams>,
) -> Result<AppJson<Page<StoredErasure>>, AppError> {
    let filter = queries::Filter {
        medium_id: filter.medium_id,
        device_id: filter.device_id,
    };
    Ok(AppJson(
        queries::list(&state.db, &principal, &filter, &page).await?,
    ))
}

#[utoipa::path(
    get, path = "/api/v1/erasures/{id}", tag = "erasures",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = StoredErasure), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn get_erasure(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<uuid::Uuid>,
) -> Result<AppJson<StoredErasure>, AppError> {
    Ok(AppJson(queries::get(&state.db, &principal, id).await?))
}
