//! People's accounts in the browser: one's own (`/account`: language,
//! password, API tokens) and, for those who manage them, the workshop's
//! (`/users`).

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

mod account;
mod people;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account", get(account::show))
        .route("/account/password", post(account::change))
        .route("/account/language", post(account::language))
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/revoke", post(account::revoke_token))
        .route("/users", get(people::list).post(people::invite))
        .route("/users/{id}", get(people::show).post(people::edit))
        .route("/users/{id}/password", post(people::reset))
        .route("/users/{id}/erase", post(people::erase))
}
