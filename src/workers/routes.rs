//! `/api/v1/workers`: the team, their contracts and exits.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{NewWorker, Worker, WorkerChanges, access, queries, service};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey, expected_version};
use crate::ids::WorkerId;
use crate::principal::Principal;
use crate::state::AppState;
use crate::write::{Written, created};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_worker, list_workers))
        .routes(routes!(get_worker, update_worker))
        .routes(routes!(
            read_worker_personal_data,
            erase_worker_personal_data
        ))
        .routes(routes!(skills_passport))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PassportQuery {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    /// `fr` (default) or `en`.
    pub lang: Option<crate::i18n::Language>,
}

#[utoipa::path(
    get, path = "/api/v1/workers/{id}/skills-passport.pdf", tag = "workers",
    params(("id" = WorkerId, Path), PassportQuery),
    responses(
        (status = 200, description = "Operations performed by kind, from the ledger's record of their account, and hours by activity", content_type = "application/pdf", body = Vec<u8>),
        (status = 403, description = "A viewer: a person's record is the workshop's", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn skills_passport(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<WorkerId>,
    AppQuery(query): AppQuery<PassportQuery>,
) -> Result<axum::response::Response, AppError> {
    let pdf = passport_pdf(
        &state,
        &principal,
        id,
        query.from,
        query.to,
        query.lang.unwrap_or(crate::i18n::Language::Fr),
    )
    .await?;
    Ok(crate::allocations::routes::pdf_response(
        pdf,
        "passeport-competences",
    ))
}

/// A worker's passport, as `principal` may read it (the API and the pages).
pub async fn passport_pdf(
    state: &AppState,
    principal: &Principal,
    id: WorkerId,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    language: crate::i18n::Language,
) -> Result<Vec<u8>, AppError> {
    let passport = super::passport::prepare(
        &state.db,
        principal,
        id,
        from,
        to,
        language,
        &state.settings.instance_name,
    )
    .await?;
    tokio::task::spawn_blocking(move || super::passport::render(&passport))
        .await
        .map_err(AppError::internal)?
}

#[utoipa::path(
    post, path = "/api/v1/workers", tag = "workers",
    request_body = NewWorker,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key replay the first answer, without the name")),
    responses(
        (status = 201, description = "Registered under a generated pseudonymous reference", body = Worker),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn create_worker(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppJson(new): AppJson<NewWorker>,
) -> Result<(StatusCode, Written<Worker>), AppError> {
    let key = key.for_body(&new);
    // Kept a day for retries: without the name, which may be erased meanwhile.
    let withheld = |worker: &Worker| Worker {
        display_name: None,
        ..worker.clone()
    };
    state
        .write_withholding(
            &principal,
            key,
            move |tx, who| Box::pin(service::register(tx, who, new)),
            withheld,
        )
        .await
        .map(created)
}

#[utoipa::path(
    get, path = "/api/v1/workers", tag = "workers",
    params(queries::Filter),
    responses((status = 200, description = "Names only for the site's coordinators and admins", body = Vec<Worker>), (status = 403, description = "A viewer: a person's record is the workshop's", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn list_workers(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(filter): AppQuery<queries::Filter>,
) -> Result<AppJson<Vec<Worker>>, AppError> {
    Ok(AppJson(
        queries::list(&state.db, &principal, &filter).await?,
    ))
}

#[utoipa::path(
    get, path = "/api/v1/workers/{id}", tag = "workers",
    params(("id" = WorkerId, Path)),
    responses((status = 200, body = Worker), (status = 403, description = "A viewer: a person's record is the workshop's", body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn get_worker(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<WorkerId>,
) -> Result<AppJson<Worker>, AppError> {
    Ok(AppJson(queries::get(&state.db, &principal, id).await?))
}

#[utoipa::path(
    patch, path = "/api/v1/workers/{id}", tag = "workers",
    params(("id" = WorkerId, Path)),
    request_body = WorkerChanges,
    responses(
        (status = 200, description = "The contract as changed: an end date and its exit, say", body = Worker),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn update_worker(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    AppPath(id): AppPath<WorkerId>,
    AppJson(changes): AppJson<WorkerChanges>,
) -> Result<Written<Worker>, AppError> {
    let expected = expected_version(&headers, changes.expected_version)?;
    state
        .write(&principal, None, move |tx, who| {
            Box::pin(service::update(tx, who, id, expected, changes))
        })
        .await
}

#[utoipa::path(
    get, path = "/api/v1/workers/{id}/personal-data", tag = "workers",
    params(("id" = WorkerId, Path)),
    responses(
        (status = 200, description = "Everything Retrace holds about the worker (GDPR art. 15): record, name, account, hours, operations, ledger events", body = access::WorkerAccess),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn read_worker_personal_data(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<WorkerId>,
) -> Result<AppJson<access::WorkerAccess>, AppError> {
    Ok(AppJson(access::access(&state.db, &principal, id).await?))
}

#[utoipa::path(
    delete, path = "/api/v1/workers/{id}/personal-data", tag = "workers",
    params(("id" = WorkerId, Path)),
    responses(
        (status = 200, description = "The name erased for good; contract, hours and operations stay under the reference", body = Worker),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn erase_worker_personal_data(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<WorkerId>,
) -> Result<Written<Worker>, AppError> {
    let outcome = state
        .write(&principal, None, move |tx, who| {
            Box::pin(service::erase_personal_data(tx, who, id))
        })
        .await?;
    service::scrub(&state.db).await?;
    Ok(outcome)
}
