//! `/api/v1/timesheets`: hours worked, one at a time, a week at a time, or
//! from a spreadsheet.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{EntryChanges, NewEntries, NewEntry, TimesheetEntry, queries, service};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey, expected_version};
use crate::ids::TimesheetEntryId;
use crate::principal::Principal;
use crate::state::AppState;
use crate::write::{Written, created};

/// The largest spreadsheet of hours taken: years of a large team.
pub const MAX_BYTES: usize = 4 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(record_entry, list_entries))
        .routes(routes!(record_entries))
        .routes(routes!(update_entry))
        .routes(routes!(import_entries))
        .layer(DefaultBodyLimit::max(MAX_BYTES))
}

#[utoipa::path(
    post, path = "/api/v1/timesheets", tag = "timesheets",
    request_body = NewEntry,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key replay the first answer")),
    responses(
        (status = 201, body = TimesheetEntry),
        (status = 422, description = "Outside the contract, not in quarters of an hour, or a day over 24 hours", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn record_entry(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppJson(new): AppJson<NewEntry>,
) -> Result<(StatusCode, Written<TimesheetEntry>), AppError> {
    let key = key.for_body(&new);
    state
        .write(&principal, key, move |tx, who| {
            Box::pin(async move {
                let entries = NewEntries { entries: vec![new] };
                let mut recorded = service::record(tx, who, entries).await?;
                recorded
                    .pop()
                    .ok_or_else(|| AppError::internal("one entry recorded, none answered"))
            })
        })
        .await
        .map(created)
}

#[utoipa::path(
    post, path = "/api/v1/timesheets/batch", tag = "timesheets",
    request_body = NewEntries,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key replay the first answer")),
    responses(
        (status = 201, description = "Every entry recorded", body = Vec<TimesheetEntry>),
        (status = 422, description = "A problem in one entry (`entries[i].field`): nothing recorded", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn record_entries(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppJson(new): AppJson<NewEntries>,
) -> Result<(StatusCode, Written<Vec<TimesheetEntry>>), AppError> {
    let key = key.for_body(&new);
    state
        .write(&principal, key, move |tx, who| {
            Box::pin(service::record(tx, who, new))
        })
        .await
        .map(created)
}

#[utoipa::path(
    get, path = "/api/v1/timesheets", tag = "timesheets",
    params(queries::Filter),
    responses((status = 200, description = "Entries by day, at most 10,000", body = Vec<TimesheetEntry>), (status = 403, description = "A viewer: a person's record is the workshop's", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn list_entries(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(filter): AppQuery<queries::Filter>,
) -> Result<AppJson<Vec<TimesheetEntry>>, AppError> {
    Ok(AppJson(
        queries::list(&state.db, &principal, &filter).await?,
    ))
}

#[utoipa::path(
    patch, path = "/api/v1/timesheets/{id}", tag = "timesheets",
    params(("id" = TimesheetEntryId, Path)),
    request_body = EntryChanges,
    responses((status = 200, body = TimesheetEntry), (status = 409, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn update_entry(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    AppPath(id): AppPath<TimesheetEntryId>,
    AppJson(changes): AppJson<EntryChanges>,
) -> Result<Written<TimesheetEntry>, AppError> {
    let expected = expected_version(&headers, changes.expected_version)?;
    state
        .write(&principal, None, move |tx, who| {
            Box::pin(service::update(tx, who, id, expected, changes))
        })
        .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ImportOptions {
    /// Read and check only: answer what would be recorded, write nothing.
    #[serde(default)]
    dry_run: bool,
}

#[utoipa::path(
    post, path = "/api/v1/timesheets/import", tag = "timesheets",
    params(ImportOptions),
    request_body(content = Vec<u8>, content_type = "text/csv", description = "Columns for the worker (reference or name), the date, the hours and the activity, in French or English"),
    responses(
        (status = 201, description = "Every line recorded", body = Vec<NewEntry>),
        (status = 200, description = "Dry run: what would be recorded", body = Vec<NewEntry>),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Problems by line (`lines[n].field`): nothing recorded", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn import_entries(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(options): AppQuery<ImportOptions>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<(StatusCode, AppJson<Vec<NewEntry>>), AppError> {
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else {
            AppError::BadRequest(rejection.body_text())
        }
    })?;
    let entries = service::import(&state, &principal, &bytes, options.dry_run).await?;
    let status = if options.dry_run {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, AppJson(entries)))
}
