//! The ledger over HTTP: the instance's public key (public), and for admins
//! the event list, the head and on-demand checkpoints.

use axum::extract::State;
use axum::http::StatusCode;
use entities::ledger_head;
use sea_orm::EntityTrait;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppQuery};
use crate::ledger::history::History;
use crate::ledger::{Event, checkpoint};
use crate::pagination::HistoryPage;
use crate::principal::{Permission, Principal};
use crate::state::AppState;
use crate::write::{Written, created};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(signing_key))
        .routes(routes!(list_events))
        .routes(routes!(head))
        .routes(routes!(create_checkpoint))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SigningKey {
    /// Always `Ed25519`.
    pub algorithm: &'static str,
    /// The 32-byte public key, base64.
    pub public_key: String,
    /// First 16 hex digits of SHA-256(public key), as named in checkpoints and certificates.
    pub key_id: String,
    pub instance_name: String,
}

#[utoipa::path(
    get, path = "/.well-known/retrace-signing-key", tag = "ledger",
    responses((status = 200, description = "The key that signs checkpoints and certificates", body = SigningKey))
)]
async fn signing_key(State(state): State<AppState>) -> AppJson<SigningKey> {
    AppJson(SigningKey {
        algorithm: "Ed25519",
        public_key: state.key.public_key_base64(),
        key_id: state.key.key_id(),
        instance_name: state.settings.instance_name.clone(),
    })
}

#[utoipa::path(
    get, path = "/api/v1/ledger/events", tag = "ledger",
    params(HistoryPage),
    responses((status = 200, body = History), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn list_events(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(page): AppQuery<HistoryPage>,
) -> Result<AppJson<History>, AppError> {
    principal.require(Permission::ReadLedger)?;
    Ok(AppJson(page.fetch(&state.db, None).await?))
}

#[derive(Debug, Serialize, ToSchema)]
struct LedgerHead {
    seq: i64,
    hash: String,
}

#[utoipa::path(
    get, path = "/api/v1/ledger/head", tag = "ledger",
    responses((status = 200, body = LedgerHead), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn head(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<AppJson<LedgerHead>, AppError> {
    principal.require(Permission::ReadLedger)?;
    let head = ledger_head::Entity::find_by_id(1)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(AppJson(LedgerHead {
        seq: head.seq,
        hash: head.hash,
    }))
}

#[utoipa::path(
    post, path = "/api/v1/ledger/checkpoints", tag = "ledger",
    responses((status = 201, description = "The checkpoint event", body = Event), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn create_checkpoint(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<(StatusCode, Written<Event>), AppError> {
    principal.require(Permission::ReadLedger)?;
    let key = state.key.clone();
    state
        .write(&principal, None, move |tx, _| {
            Box::pin(async move { Ok(checkpoint::record(tx, &key).await?.event) })
        })
        .await
        .map(created)
}
