//! `/api/v1/beneficiaries`: coordinators record who receives devices;
//! everyone with inventory access reads the pseudonymous record.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{Beneficiary, NewBeneficiary, queries, service};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey};
use crate::ids::BeneficiaryId;
use crate::pagination::{Page, PageParams};
use crate::principal::Principal;
use crate::state::AppState;
use crate::write::{Written, created};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_beneficiary, list_beneficiaries))
        .routes(routes!(get_beneficiary))
        .routes(routes!(
            read_beneficiary_personal_data,
            erase_beneficiary_personal_data
        ))
}

#[utoipa::path(
    post, path = "/api/v1/beneficiaries", tag = "beneficiaries",
    request_body = NewBeneficiary,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key replay the first answer, without the personal data")),
    responses(
        (status = 201, description = "Registered, with a generated pseudonymous reference", body = Beneficiary),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn create_beneficiary(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppJson(new): AppJson<NewBeneficiary>,
) -> Result<(StatusCode, Written<Beneficiary>), AppError> {
    let key = key.for_body(&new);
    // The idempotency store keeps answers for a day: it must not keep a
    // copy of a name that may be erased meanwhile.
    let withheld = |beneficiary: &Beneficiary| Beneficiary {
        personal_data: None,
        ..beneficiary.clone()
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
    get, path = "/api/v1/beneficiaries", tag = "beneficiaries",
    params(queries::Filter, PageParams),
    responses((status = 200, description = "Names and contacts only for the site's coordinators and admins", body = Page<Beneficiary>)),
    security(("bearer" = []))
)]
async fn list_beneficiaries(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(filter): AppQuery<queries::Filter>,
    AppQuery(page): AppQuery<PageParams>,
) -> Result<AppJson<Page<Beneficiary>>, AppError> {
    Ok(AppJson(
        queries::list(&state.db, &principal, &filter, &page).await?,
    ))
}

#[utoipa::path(
    get, path = "/api/v1/beneficiaries/{id}", tag = "beneficiaries",
    params(("id" = BeneficiaryId, Path)),
    responses((status = 200, body = Beneficiary), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn get_beneficiary(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<BeneficiaryId>,
) -> Result<AppJson<Beneficiary>, AppError> {
    Ok(AppJson(queries::get(&state.db, &principal, id).await?))
}

#[utoipa::path(
    get, path = "/api/v1/beneficiaries/{id}/personal-data", tag = "beneficiaries",
    params(("id" = BeneficiaryId, Path)),
    responses(
        (status = 200, description = "Everything Retrace holds about the person (GDPR art. 15): record, contact, allocations, complaints, signatures, ledger events", body = queries::BeneficiaryAccess),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn read_beneficiary_personal_data(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<BeneficiaryId>,
) -> Result<AppJson<queries::BeneficiaryAccess>, AppError> {
    Ok(AppJson(queries::access(&state.db, &principal, id).await?))
}

#[utoipa::path(
    delete, path = "/api/v1/beneficiaries/{id}/personal-data", tag = "beneficiaries",
    params(("id" = BeneficiaryId, Path)),
    responses(
        (status = 200, description = "Name, contact and drawn signatures erased for good; allocations and the ledger keep the reference", body = Beneficiary),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn erase_beneficiary_personal_data(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<BeneficiaryId>,
) -> Result<Written<Beneficiary>, AppError> {
    let erased = state
        .write(&principal, None, move |tx, who| {
            Box::pin(service::erase_personal_data(tx, who, id))
        })
        .await?;
    service::scrub(&state.db).await?;
    Ok(erased)
}
