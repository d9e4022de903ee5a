//! Liveness and readiness, for load balancers and systemd.

use axum::extract::State;
use axum::http::StatusCode;
use sea_orm::ConnectionTrait;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
}

/// The process is up. Does no I/O, so it measures the HTTP stack alone.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, description = "Alive", body = String)))]
async fn healthz() -> &'static str {
    "ok"
}

/// The database answers and the ledger writer runs.
#[utoipa::path(
    get, path = "/readyz", tag = "operations",
    responses((status = 200, description = "Ready", body = String), (status = 503, description = "Not ready", body = String))
)]
async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if !state.ledger.is_running() {
        return (StatusCode::SERVICE_UNAVAILABLE, "ledger writer stopped");
    }
    match state.db.execute_unprepared("SELECT 1").await {
        Ok(_) => (StatusCode::OK, "ready"),
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
