//! `/account`: who one is signed in as, and one's own password changed —
//! through the same service as `POST /api/v1/users/me/password`.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::form::PageForm;
use super::session::Session;
use super::{error_page, page};
use crate::error::AppError;
use crate::i18n::Language;
use crate::state::AppState;
use crate::users::{PasswordChange, User, queries, service};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account", get(show))
        .route("/account/password", post(change))
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    user: User,
    role: String,
    error: Option<String>,
}

async fn account_page(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    let lang = session.language;
    match queries::get(&state.db, &session.principal, session.principal.user_id).await {
        Ok(user) => page(
            status,
            &AccountPage {
                lang,
                signed_in: Some(session),
                role: lang
                    .text(&format!("account.role_{}", user.role.as_str()))
                    .to_owned(),
                user,
                error,
            },
        ),
        Err(err) => error_page(lang, Some(session), &err),
    }
}

async fn show(State(state): State<AppState>, session: Session) -> Response {
    account_page(&state, &session, StatusCode::OK, None).await
}

#[derive(Deserialize)]
struct ChangeForm {
    current_password: String,
    new_password: String,
}

/// On success every session of the account ends, this one included: the
/// person signs in again with the new password.
async fn change(
    State(state): State<AppState>,
    client: crate::extract::ClientAddr,
    PageForm(session, form): PageForm<ChangeForm>,
) -> Response {
    let lang = session.language;
    let change = PasswordChange {
        current_password: form.current_password,
        new_password: form.new_password,
    };
    match service::change_own_password(&state, session.principal.clone(), client.0, change).await {
        Ok(_) => Redirect::to("/login").into_response(),
        Err(err @ (AppError::WrongCredentials | AppError::Validation(_))) => {
            let message = match &err {
                AppError::WrongCredentials => lang.text("account.wrong").to_owned(),
                _ => lang.text("account.too_short").to_owned(),
            };
            account_page(&state, &session, err.status(), Some(message)).await
        }
        Err(err) => error_page(lang, Some(&session), &err),
    }
}
