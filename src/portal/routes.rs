//! `/api/v1/lots/{id}/portal-links` for coordinators; `/api/v1/portal/{secret}`
//! for the donor, with no account.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::Response;
use sea_orm::EntityTrait;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{
    IssuedPortalLink, NewPortalLink, PortalLink, PortalView, Revocation, queries, reconciliation,
    service,
};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, IdempotencyKey, expected_version};
use crate::ids::{LotId, PortalLinkId};
use crate::principal::Principal;
use crate::state::AppState;
use crate::write::{Written, created};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_link, list_links))
        .routes(routes!(revoke_link))
        .routes(routes!(portal))
        .routes(routes!(portal_certificate))
        .routes(routes!(lot_reconciliation))
        .routes(routes!(portal_reconciliation))
}

/// The reconciliation file of a lot, as a download.
async fn reconciliation_file(state: &AppState, lot: uuid::Uuid) -> Result<Response, AppError> {
    let lines =
        reconciliation::lines(&state.db, lot, &state.settings.public_url, &state.key).await?;
    let received_on = lines
        .first()
        .map_or_else(|| chrono::Utc::now().date_naive(), |l| l.lot_received_on);
    Ok(crate::waste::routes::csv_response(
        reconciliation::write(&lines)?,
        &reconciliation::file_name(received_on),
    ))
}

#[utoipa::path(
    get, path = "/api/v1/lots/{id}/reconciliation.csv", tag = "donor portal",
    params(("id" = LotId, Path)),
    responses((status = 200, description = "One line per device, for the donor's asset register", content_type = "text/csv", body = String),
              (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn lot_reconciliation(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(lot): AppPath<LotId>,
) -> Result<Response, AppError> {
    let lot = crate::lots::queries::get(&state.db, &principal, lot).await?;
    reconciliation_file(&state, lot.id.0).await
}

#[utoipa::path(
    get, path = "/api/v1/portal/{secret}/reconciliation.csv", tag = "donor portal",
    params(("secret" = String, Path)),
    responses((status = 200, description = "The same file, through the donor's link", content_type = "text/csv", body = String),
              (status = 404, body = Problem, content_type = "application/problem+json"))
)]
async fn portal_reconciliation(
    State(state): State<AppState>,
    AppPath(secret): AppPath<String>,
) -> Result<Response, AppError> {
    let today = state.settings.clock.now().date_naive();
    let link = queries::open_link(&state.db, &secret, today).await?;
    reconciliation_file(&state, link.lot_id).await
}

#[utoipa::path(
    post, path = "/api/v1/lots/{id}/portal-links", tag = "donor portal",
    params(("id" = LotId, Path),
           ("Idempotency-Key" = Option<String>, Header, description = "A retry answers the link without its address, which is never stored")),
    request_body = NewPortalLink,
    responses(
        (status = 201, description = "Created; its address is in this answer only", body = IssuedPortalLink),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn create_link(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppPath(lot): AppPath<LotId>,
    AppJson(new): AppJson<NewPortalLink>,
) -> Result<(StatusCode, Written<IssuedPortalLink>), AppError> {
    let key = key.for_body(&new);
    let base = state.settings.public_url.clone();
    let days = state.settings.portal.link_days;
    // The address holds the secret, shown once: a retry gets the link alone.
    let kept = |issued: &IssuedPortalLink| issued.link.clone();
    state
        .write_withholding(
            &principal,
            key,
            move |tx, who| {
                Box::pin(async move {
                    let (link, secret) = service::create(tx, who, lot, new, days).await?;
                    Ok(IssuedPortalLink {
                        url: format!("{base}/portal/{secret}"),
                        link,
                    })
                })
            },
            kept,
        )
        .await
        .map(created)
}

#[utoipa::path(
    get, path = "/api/v1/lots/{id}/portal-links", tag = "donor portal",
    params(("id" = LotId, Path)),
    responses((status = 200, body = Vec<PortalLink>),
              (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn list_links(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(lot): AppPath<LotId>,
) -> Result<AppJson<Vec<PortalLink>>, AppError> {
    Ok(AppJson(queries::list(&state.db, &principal, lot).await?))
}

#[utoipa::path(
    post, path = "/api/v1/portal-links/{id}/revoke", tag = "donor portal",
    params(("id" = PortalLinkId, Path)),
    request_body = Revocation,
    responses((status = 200, body = PortalLink),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "Already revoked, or a stale version", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn revoke_link(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    AppPath(id): AppPath<PortalLinkId>,
    AppJson(body): AppJson<Revocation>,
) -> Result<Written<PortalLink>, AppError> {
    let expected = expected_version(&headers, body.expected_version)?;
    state
        .write(&principal, None, move |tx, who| {
            Box::pin(service::revoke(tx, who, id, expected))
        })
        .await
}

/// Opens the portal (a ledger event) and reads what it shows.
pub async fn open(state: &AppState, secret: String) -> Result<PortalView, AppError> {
    // Read first: a stranger guessing secrets never reaches the writer.
    queries::open_link(&state.db, &secret, state.settings.clock.now().date_naive()).await?;
    // A donor has no account: the opening is recorded without an actor.
    let link = state
        .write_now(&Principal::instance(), move |tx, _| {
            Box::pin(async move { service::open(tx, &secret).await })
        })
        .await?;
    let row = entities::portal_link::Entity::find_by_id(link.id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    queries::view(&state.db, &row, &state.settings.public_url, &state.key).await
}

#[utoipa::path(
    get, path = "/api/v1/portal/{secret}", tag = "donor portal",
    params(("secret" = String, Path, description = "The secret of the link (`rp_…`)")),
    responses((status = 200, description = "The lot as its donor sees it; nothing personal", body = PortalView),
              (status = 404, description = "Unknown, revoked or expired: the same answer", body = Problem, content_type = "application/problem+json"))
)]
async fn portal(
    State(state): State<AppState>,
    AppPath(secret): AppPath<String>,
) -> Result<AppJson<PortalView>, AppError> {
    Ok(AppJson(open(&state, secret).await?))
}

#[utoipa::path(
    get, path = "/api/v1/portal/{secret}/certificates/{number}", tag = "donor portal",
    params(("secret" = String, Path), ("number" = String, Path)),
    responses((status = 200, description = "One of the lot's certificates, byte for byte", content_type = "application/pdf", body = Vec<u8>),
              (status = 404, body = Problem, content_type = "application/problem+json"))
)]
async fn portal_certificate(
    State(state): State<AppState>,
    AppPath((secret, number)): AppPath<(String, String)>,
) -> Result<Response, AppError> {
    let today = state.settings.clock.now().date_naive();
    let link = queries::open_link(&state.db, &secret, today).await?;
    let pdf = queries::certificate_file(&state.db, &link, &number).await?;
    Ok(crate::allocations::routes::pdf_response(pdf, &number))
}
