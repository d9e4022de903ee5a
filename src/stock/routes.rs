//! `/api/v1/stock`: the ready devices, counted and listed.

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{Stock, StockFilter, ready};
use crate::error::AppError;
use crate::extract::{AppJson, AppQuery};
use crate::principal::Principal;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(stock))
}

#[utoipa::path(
    get, path = "/api/v1/stock", tag = "allocations",
    params(StockFilter),
    responses((status = 200, description = "Ready devices by site, kind and grade, and the first 500 of them", body = Stock)),
    security(("bearer" = []))
)]
async fn stock(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(filter): AppQuery<StockFilter>,
) -> Result<AppJson<Stock>, AppError> {
    Ok(AppJson(ready(&state.db, &principal, &filter).await?))
}
