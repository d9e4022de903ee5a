//! `/api/v1/beneficiaries`: coordinators record who receives devices;
//! everyone with inventory access reads the pseudonymous record.

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{Beneficiary, NewBeneficiary, queries, service};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey};
use crate::ids::BeneficiaryId;
use crate::ledger::{Outcome, Reply};
use crate::pagination::{Page, PageParams};
use crate::principal::Principal;
use crate::state::AppState;

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
) -> Result<Outcome, AppError> {
    let key = key.for_body(&new);
    state
        .ledger
        .submit(Some(principal.user_id), key, move |tx| {
            Box::pin(async move {
                let beneficiary = service::register(tx, &principal, new).await?;
                // The idempotency store keeps answers for a day: it must not
                // keep a copy of a name that may be erased meanwhile.
                let mut withheld = beneficiary.clone();
                withheld.personal_data = None;
                Reply::created::<AppError>(beneficiary)?.kept_as(withheld)
            })
        })
        .await
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
) -> Result<Outcome, AppError> {
    let outcome = state
        .ledger
        .submit(Some(principal.user_id), None, move |tx| {
            Box::pin(
                async move { Reply::ok(service::erase_personal_data(tx, &principal, id).await?) },
            )
        })
        .await?;
    service::scrub(&state.db).await?;
    Ok(outcome)
}
