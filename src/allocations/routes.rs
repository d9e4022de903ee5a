//! `/api/v1/allocations`, `/api/v1/complaints` and the non-conformity rate.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::queries::{self, NonConformity};
use super::{
    Allocation, AllocationStep, Complaint, ComplaintAnswer, NewAcceptance, NewAllocation,
    NewComplaint, NewReturn, handover, service,
};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey, expected_version};
use crate::i18n::Language;
use crate::ids::{AllocationId, ComplaintId};
use crate::pagination::{Page, PageParams};
use crate::principal::Principal;
use crate::state::AppState;
use crate::write::{Written, created};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(reserve, list_allocations))
        .routes(routes!(get_allocation))
        .routes(routes!(deliver))
        .routes(routes!(release))
        .routes(routes!(return_device))
        .routes(routes!(accept))
        .routes(routes!(handover_form))
        .routes(routes!(log_complaint, list_complaints))
        .routes(routes!(answer_complaint))
        .routes(routes!(non_conformity))
}

#[utoipa::path(
    post, path = "/api/v1/allocations", tag = "allocations",
    request_body = NewAllocation,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key replay the first answer")),
    responses(
        (status = 201, description = "Reserved: the device is `reserved`", body = Allocation),
        (status = 409, description = "The device is not ready, is held for someone else, or a drive blocks it", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn reserve(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppJson(new): AppJson<NewAllocation>,
) -> Result<(StatusCode, Written<Allocation>), AppError> {
    let key = key.for_body(&new);
    state
        .write(&principal, key, move |tx, who| {
            Box::pin(service::reserve(tx, who, new))
        })
        .await
        .map(created)
}

#[utoipa::path(
    get, path = "/api/v1/allocations", tag = "allocations",
    params(queries::Filter, PageParams),
    responses((status = 200, description = "Beneficiaries by reference only", body = Page<Allocation>)),
    security(("bearer" = []))
)]
async fn list_allocations(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(filter): AppQuery<queries::Filter>,
    AppQuery(page): AppQuery<PageParams>,
) -> Result<AppJson<Page<Allocation>>, AppError> {
    Ok(AppJson(
        queries::list(&state.db, &principal, &filter, &page).await?,
    ))
}

#[utoipa::path(
    get, path = "/api/v1/allocations/{id}", tag = "allocations",
    params(("id" = AllocationId, Path)),
    responses((status = 200, body = Allocation), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn get_allocation(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<AllocationId>,
) -> Result<AppJson<Allocation>, AppError> {
    Ok(AppJson(queries::get(&state.db, &principal, id).await?))
}

#[utoipa::path(
    post, path = "/api/v1/allocations/{id}/deliver", tag = "allocations",
    params(("id" = AllocationId, Path)),
    request_body = AllocationStep,
    responses(
        (status = 200, description = "Handed over: the device is `delivered`", body = Allocation),
        (status = 409, description = "Not reserved (or reserved for someone else), a drive blocks it, or a stale version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn deliver(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    AppPath(id): AppPath<AllocationId>,
    AppJson(step): AppJson<AllocationStep>,
) -> Result<Written<Allocation>, AppError> {
    let expected = expected_version(&headers, step.expected_version)?;
    state
        .write(&principal, None, move |tx, who| {
            Box::pin(service::deliver(tx, who, id, expected, step))
        })
        .await
}

#[utoipa::path(
    post, path = "/api/v1/allocations/{id}/release", tag = "allocations",
    params(("id" = AllocationId, Path)),
    request_body = AllocationStep,
    responses(
        (status = 200, description = "Cancelled: the device is `ready` again", body = Allocation),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn release(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    AppPath(id): AppPath<AllocationId>,
    AppJson(step): AppJson<AllocationStep>,
) -> Result<Written<Allocation>, AppError> {
    let expected = expected_version(&headers, step.expected_version)?;
    state
        .write(&principal, None, move |tx, who| {
            Box::pin(service::release(tx, who, id, expected, step))
        })
        .await
}

#[utoipa::path(
    post, path = "/api/v1/allocations/{id}/return", tag = "allocations",
    params(("id" = AllocationId, Path)),
    request_body = NewReturn,
    responses(
        (status = 200, description = "Returned: the device is `received` again, its media `present`, to be erased again", body = Allocation),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn return_device(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    AppPath(id): AppPath<AllocationId>,
    AppJson(new): AppJson<NewReturn>,
) -> Result<Written<Allocation>, AppError> {
    let expected = expected_version(&headers, new.expected_version)?;
    state
        .write(&principal, None, move |tx, who| {
            Box::pin(service::return_device(tx, who, id, expected, new))
        })
        .await
}

#[utoipa::path(
    post, path = "/api/v1/allocations/{id}/acceptance", tag = "allocations",
    params(("id" = AllocationId, Path)),
    request_body = NewAcceptance,
    responses(
        (status = 200, description = "The beneficiary's acceptance, signed on the device or on paper", body = Allocation),
        (status = 409, description = "Signed already, or the allocation is closed", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn accept(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    AppPath(id): AppPath<AllocationId>,
    AppJson(new): AppJson<NewAcceptance>,
) -> Result<Written<Allocation>, AppError> {
    let expected = expected_version(&headers, new.expected_version)?;
    state
        .write(&principal, None, move |tx, who| {
            Box::pin(service::accept(tx, who, id, expected, new))
        })
        .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct FormQuery {
    /// `fr` (default) or `en`.
    lang: Option<Language>,
}

#[utoipa::path(
    get, path = "/api/v1/allocations/{id}/handover.pdf", tag = "allocations",
    params(("id" = AllocationId, Path), FormQuery),
    responses(
        (status = 200, description = "The handover form, laid out from the records", content_type = "application/pdf", body = Vec<u8>),
        (status = 403, description = "A viewer: a person's record is the workshop's", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn handover_form(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<AllocationId>,
    AppQuery(query): AppQuery<FormQuery>,
) -> Result<Response, AppError> {
    let pdf = handover_pdf(&state, &principal, id, query.lang.unwrap_or(Language::Fr)).await?;
    Ok(pdf_response(pdf, &handover::number(id)))
}

/// The handover form of `id` as `principal` may read it (the API and the pages).
pub async fn handover_pdf(
    state: &AppState,
    principal: &Principal,
    id: AllocationId,
    language: Language,
) -> Result<Vec<u8>, AppError> {
    let form = handover::prepare(
        &state.db,
        principal,
        id,
        language,
        &state.settings.instance_name,
        &state.settings.public_url,
    )
    .await?;
    tokio::task::spawn_blocking(move || handover::render(&form))
        .await
        .map_err(AppError::internal)?
}

pub fn pdf_response(pdf: Vec<u8>, name: &str) -> Response {
    let mut response = (StatusCode::OK, pdf).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("inline; filename=\"{name}.pdf\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

#[utoipa::path(
    post, path = "/api/v1/allocations/{id}/complaints", tag = "allocations",
    params(("id" = AllocationId, Path)),
    request_body = NewComplaint,
    responses(
        (status = 201, description = "Logged, with the date an answer is due", body = Complaint),
        (status = 409, description = "The device was never delivered", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn log_complaint(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppPath(id): AppPath<AllocationId>,
    AppJson(new): AppJson<NewComplaint>,
) -> Result<(StatusCode, Written<Complaint>), AppError> {
    let key = key.for_body(&(&new, id));
    state
        .write(&principal, key, move |tx, who| {
            Box::pin(service::log_complaint(tx, who, id, new))
        })
        .await
        .map(created)
}

#[utoipa::path(
    get, path = "/api/v1/allocations/{id}/complaints", tag = "allocations",
    params(("id" = AllocationId, Path)),
    responses((status = 200, body = Vec<Complaint>), (status = 403, description = "A viewer: a person's record is the workshop's", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn list_complaints(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<AllocationId>,
) -> Result<AppJson<Vec<Complaint>>, AppError> {
    Ok(AppJson(
        queries::complaints(&state.db, &principal, id).await?,
    ))
}

#[utoipa::path(
    post, path = "/api/v1/complaints/{id}/answer", tag = "allocations",
    params(("id" = ComplaintId, Path)),
    request_body = ComplaintAnswer,
    responses((status = 200, body = Complaint), (status = 409, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn answer_complaint(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    AppPath(id): AppPath<ComplaintId>,
    AppJson(answer): AppJson<ComplaintAnswer>,
) -> Result<Written<Complaint>, AppError> {
    let expected = expected_version(&headers, answer.expected_version)?;
    state
        .write(&principal, None, move |tx, who| {
            Box::pin(service::answer_complaint(tx, who, id, expected, answer))
        })
        .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct Period {
    from: NaiveDate,
    to: NaiveDate,
}

#[utoipa::path(
    get, path = "/api/v1/reports/non-conformity", tag = "allocations",
    params(Period),
    responses((status = 200, description = "Returns under warranty over deliveries, and complaints answered within 8 working days", body = NonConformity)),
    security(("bearer" = []))
)]
async fn non_conformity(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(period): AppQuery<Period>,
) -> Result<AppJson<NonConformity>, AppError> {
    Ok(AppJson(
        queries::non_conformity(&state.db, &principal, period.from, period.to, None).await?,
    ))
}
