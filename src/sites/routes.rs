//! `/api/v1/sites`: admins create and edit sites; everyone sees their own.

use axum::extract::State;
use axum::http::HeaderMap;
use entities::site;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{NewSite, Site, SiteChanges};
use crate::auth::{Permission, Principal};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey, expected_version};
use crate::ids::SiteId;
use crate::ledger::update;
use crate::ledger::writer::Outcome;
use crate::ledger::{Change, Reply, Subject, SubjectType, projection};
use crate::pagination::{self, Page, PageParams};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_site, list_sites))
        .routes(routes!(get_site, update_site))
}

#[utoipa::path(
    post, path = "/api/v1/sites", tag = "sites",
    request_body = NewSite,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key replay the first answer")),
    responses(
        (status = 201, body = Site),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The code is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn create_site(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppJson(new): AppJson<NewSite>,
) -> Result<Outcome, AppError> {
    principal.require(Permission::ManageSites)?;
    let key = key.for_body(&new);
    state
        .ledger
        .submit(Some(principal.user_id), key, move |tx| {
            Box::pin(async move {
                let taken = site::Entity::find()
                    .filter(site::Column::Code.eq(&new.code))
                    .one(tx.conn())
                    .await?;
                if taken.is_some() {
                    return Err(AppError::Conflict(format!(
                        "the site code {} is taken",
                        new.code
                    )));
                }
                let id = SiteId::generate();
                let new = NewSite {
                    name: new.name.trim().to_owned(),
                    address: crate::patch::clean(new.address),
                    ..new
                };
                tx.record(
                    Some(id),
                    Subject::new(SubjectType::Site, id),
                    Change::SiteCreated(new),
                )
                .await?;
                Reply::created(Site::from(
                    projection::row::<site::Entity>(tx.conn(), id.0).await?,
                ))
            })
        })
        .await
}

#[utoipa::path(
    get, path = "/api/v1/sites", tag = "sites",
    params(PageParams),
    responses((status = 200, body = Page<Site>)),
    security(("bearer" = []))
)]
async fn list_sites(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(page): AppQuery<PageParams>,
) -> Result<AppJson<Page<Site>>, AppError> {
    principal.require(Permission::ReadInventory)?;
    let mut select = site::Entity::find();
    if let Some(own) = principal.site_scope() {
        select = select.filter(site::Column::Id.eq(own));
    }
    let page = pagination::fetch(&state.db, select, site::Column::Id, &page, |m| m.id).await?;
    Ok(AppJson(page.map(Site::from)))
}

#[utoipa::path(
    get, path = "/api/v1/sites/{id}", tag = "sites",
    params(("id" = SiteId, Path)),
    responses((status = 200, body = Site), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn get_site(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(id): AppPath<SiteId>,
) -> Result<AppJson<Site>, AppError> {
    principal.require(Permission::ReadInventory)?;
    principal.check_site(id)?;
    let row = super::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(AppJson(row.into()))
}

#[utoipa::path(
    patch, path = "/api/v1/sites/{id}", tag = "sites",
    params(("id" = SiteId, Path), ("If-Match" = Option<String>, Header, description = "The version expected, instead of `expected_version`")),
    request_body = SiteChanges,
    responses(
        (status = 200, body = Site),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale version", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn update_site(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    key: IdempotencyKey,
    AppPath(id): AppPath<SiteId>,
    AppJson(changes): AppJson<SiteChanges>,
) -> Result<Outcome, AppError> {
    principal.require(Permission::ManageSites)?;
    let expected = expected_version(&headers, changes.expected_version)?;
    let key = key.for_body(&(&changes, expected));
    state
        .ledger
        .submit(Some(principal.user_id), key, move |tx| {
            Box::pin(async move {
                let subject = Subject::new(SubjectType::Site, id);
                let row = update::record::<site::Entity, _>(
                    tx,
                    subject,
                    expected,
                    changes,
                    Change::SiteUpdated,
                    |_| Ok(Some(id)),
                )
                .await?;
                Reply::ok(Site::from(row))
            })
        })
        .await
}
