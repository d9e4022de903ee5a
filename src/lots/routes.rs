//! `/api/v1/lots`: coordinators register the donations their site receives.

use axum::extract::State;
use axum::http::HeaderMap;
use entities::{donor, lot};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{Lot, LotChanges, LotCreated, NewLot};
use crate::auth::{Permission, Principal};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey, expected_version};
use crate::ids::{DonorId, LotId, SiteId};
use crate::ledger::update;
use crate::ledger::writer::Outcome;
use crate::ledger::{Change, Reply, Subject, SubjectType, projection};
use crate::pagination::{self, Page, PageParams};
use crate::patch::clean;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_lot, list_lots))
        .routes(routes!(get_lot, update_lot))
}

#[utoipa::path(
    post, path = "/api/v1/lots", tag = "lots",
    request_body = NewLot,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key replay the first answer")),
    responses(
        (status = 201, body = Lot),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn create_lot(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppJson(new): AppJson<NewLot>,
) -> Result<Outcome, AppError> {
    principal.require(Permission::ManageLots)?;
    let site = principal.target_site(new.site_id)?;
    let key = key.for_body(&new);
    state
        .ledger
        .submit(Some(principal.user_id), key, move |tx| {
            Box::pin(async move {
                if crate::sites::find(tx.conn(), site).await?.is_none() {
                    return Err(AppError::field("site_id", "no such site"));
                }
                if donor::Entity::find_by_id(new.donor_id.0)
                    .one(tx.conn())
                    .await?
                    .is_none()
                {
                    return Err(AppError::field("donor_id", "no such donor"));
                }
                let id = LotId::generate();
                let created = LotCreated {
                    donor_id: new.donor_id,
                    site_id: site,
                    received_on: new.received_on,
                    donor_reference: clean(new.donor_reference),
                    declared_count: new.declared_count,
                    weight_kg: new.weight_kg,
                    notes: clean(new.notes),
                };
                tx.record(
                    Some(site),
                    Subject::new(SubjectType::Lot, id),
                    Change::LotCreated(created),
                )
                .await?;
                Reply::created(Lot::from(
                    projection::row::<lot::Entity>(tx.conn(), id.0).await?,
                ))
            })
        })
        .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct LotFilter {
    donor_id: Option<DonorId>,
    site_id: Option<SiteId>,
}

#[utoipa::path(
    get, path = "/api/v1/lots", tag = "lots",
    params(LotFilter, PageParams),
    responses((status = 200, body = Page<Lot>)),
    security(("bearer" = []))
)]
async fn list_lots(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(filter): AppQuery<LotFilter>,
    AppQuery(page): AppQuery<PageParams>,
) -> Result<AppJson<Page<Lot>>, AppError> {
    principal.require(Permission::ReadInventory)?;
    let mut select = lot::Entity::find();
    if let Some(own) = principal.site_scope() {
        select = select.filter(lot::Column::SiteId.eq(own));
    }
    if let Some(site) = filter.site_id {
        select = select.filter(lot::Column::SiteId.eq(site.0));
    }
    if let Some(donor) = filter.donor_id {
        select = select.filter(lot::Column::DonorId.eq(donor.0));
    }
    let page = pagination::fetch(&state.db, select, lot::Column::Id, &page, |m| m.id).await?;
    Ok(AppJson(page.map(Lot::from)))
}

/// A lot the principal may see.
pub async fn visible(
    state: &AppState,
    principal: &Principal,
    id: LotId,
) -> Result<lot::Model, AppError> {
    let row = lot::Entity::find_by_id(id.0)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    principal.check_site(row.site_id)?;
    Ok(row)
}

#[utoipa::path(
    get, path = "/api/v1/lots/{id}", tag = "lots",
    params(("id" = LotId, Path)),
    responses((status = 200, body = Lot), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn get_lot(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<LotId>,
) -> Result<AppJson<Lot>, AppError> {
    principal.require(Permission::ReadInventory)?;
    Ok(AppJson(visible(&state, &principal, id).await?.into()))
}

#[utoipa::path(
    patch, path = "/api/v1/lots/{id}", tag = "lots",
    params(("id" = LotId, Path), ("If-Match" = Option<String>, Header, description = "The version expected, instead of `expected_version`")),
    request_body = LotChanges,
    responses(
        (status = 200, body = Lot),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn update_lot(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    key: IdempotencyKey,
    AppPath(id): AppPath<LotId>,
    AppJson(changes): AppJson<LotChanges>,
) -> Result<Outcome, AppError> {
    principal.require(Permission::ManageLots)?;
    let site = SiteId(visible(&state, &principal, id).await?.site_id);
    let expected = expected_version(&headers, changes.expected_version)?;
    let key = key.for_body(&(&changes, expected));
    state
        .ledger
        .submit(Some(principal.user_id), key, move |tx| {
            Box::pin(async move {
                let subject = Subject::new(SubjectType::Lot, id);
                let row = update::record::<lot::Entity, _>(
                    tx,
                    subject,
                    expected,
                    changes,
                    Change::LotUpdated,
                    |_| Ok(Some(site)),
                )
                .await?;
                Reply::ok(Lot::from(row))
            })
        })
        .await
}
