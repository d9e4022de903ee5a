//! `/api/v1/donors`: coordinators register and edit donors; everyone with
//! inventory access reads them, viewers without contact details.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use entities::donor;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{Donor, DonorChanges, DonorKind, NewDonor};
use crate::auth::{Permission, Principal, Role};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey, expected_version};
use crate::ids::DonorId;
use crate::ledger::update;
use crate::ledger::writer::Outcome;
use crate::ledger::{Change, Reply, Subject, SubjectType, projection};
use crate::pagination::{self, Page, PageParams};
use crate::search::contains_ci;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_donor, list_donors))
        .routes(routes!(get_donor, update_donor))
}

fn shown(principal: &Principal, donor: Donor) -> Donor {
    if principal.role == Role::Viewer {
        donor.redacted()
    } else {
        donor
    }
}

#[utoipa::path(
    post, path = "/api/v1/donors", tag = "donors",
    request_body = NewDonor,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key replay the first answer")),
    responses(
        (status = 201, body = Donor),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn create_donor(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppJson(new): AppJson<NewDonor>,
) -> Result<Outcome, AppError> {
    principal.require(Permission::ManageDonors)?;
    let key = key.for_body(&new);
    let new = new.normalized();
    state
        .ledger
        .submit(Some(principal.user_id), key, move |tx| {
            Box::pin(async move {
                let id = DonorId::generate();
                tx.record(
                    None,
                    Subject::new(SubjectType::Donor, id),
                    Change::DonorCreated(new),
                )
                .await?;
                Reply::created(Donor::try_from(
                    projection::row::<donor::Entity>(tx.conn(), id.0).await?,
                )?)
            })
        })
        .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct DonorFilter {
    kind: Option<DonorKind>,
    /// Part of the name, or the SIRET.
    q: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/donors", tag = "donors",
    params(DonorFilter, PageParams),
    responses((status = 200, body = Page<Donor>)),
    security(("bearer" = []))
)]
async fn list_donors(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(filter): AppQuery<DonorFilter>,
    AppQuery(page): AppQuery<PageParams>,
) -> Result<Json<Page<Donor>>, AppError> {
    principal.require(Permission::ReadInventory)?;
    let mut select = donor::Entity::find();
    if let Some(kind) = filter.kind {
        select = select.filter(donor::Column::Kind.eq(kind.as_str()));
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let siret: String = q.chars().filter(|c| !c.is_whitespace()).collect();
        select = select.filter(
            Condition::any()
                .add(contains_ci(donor::Column::Name, q))
                .add(donor::Column::Siret.eq(siret)),
        );
    }
    let page = pagination::fetch(&state.db, select, donor::Column::Id, &page, |m| m.id).await?;
    let items = page
        .items
        .into_iter()
        .map(|m| Donor::try_from(m).map(|d| shown(&principal, d)))
        .collect::<Result<_, _>>()?;
    Ok(Json(Page {
        items,
        next_cursor: page.next_cursor,
    }))
}

#[utoipa::path(
    get, path = "/api/v1/donors/{id}", tag = "donors",
    params(("id" = DonorId, Path)),
    responses((status = 200, body = Donor), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn get_donor(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<DonorId>,
) -> Result<Json<Donor>, AppError> {
    principal.require(Permission::ReadInventory)?;
    let row = donor::Entity::find_by_id(id.0)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(shown(&principal, row.try_into()?)))
}

#[utoipa::path(
    patch, path = "/api/v1/donors/{id}", tag = "donors",
    params(("id" = DonorId, Path), ("If-Match" = Option<String>, Header, description = "The version expected, instead of `expected_version`")),
    request_body = DonorChanges,
    responses(
        (status = 200, body = Donor),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn update_donor(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    key: IdempotencyKey,
    AppPath(id): AppPath<DonorId>,
    AppJson(changes): AppJson<DonorChanges>,
) -> Result<Outcome, AppError> {
    principal.require(Permission::ManageDonors)?;
    let expected = expected_version(&headers, changes.expected_version)?;
    let key = key.for_body(&(&changes, expected));
    let changes = changes.normalized();
    state
        .ledger
        .submit(Some(principal.user_id), key, move |tx| {
            Box::pin(async move {
                let subject = Subject::new(SubjectType::Donor, id);
                let row = update::record::<donor::Entity, _>(
                    tx,
                    subject,
                    expected,
                    changes,
                    Change::DonorUpdated,
                    |_| Ok(None),
                )
                .await?;
                Reply::ok(Donor::try_from(row)?)
            })
        })
        .await
}
