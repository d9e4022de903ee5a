//! `/login` and `/logout`.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use super::form::{NoFields, PageForm};
use super::session::{self, LOGIN_COOKIE, SESSION_COOKIE, SESSION_DAYS, Session};
use super::{error_page, page};
use crate::auth::service::check_password;
use crate::error::AppError;
use crate::i18n::Language;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(form).post(sign_in))
        .route("/logout", post(sign_out))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    csrf: String,
    next: String,
    email: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

/// Only paths of this site: never send a person elsewhere after signing in.
/// Without one, the day starts on the dashboard.
/// A path starts with one `/`, holds no backslash (browsers read `/\` as
/// `//`), and no space or control character: browsers drop tabs and line
/// breaks from a URL, so `/\t/evil.example` would be `//evil.example`.
fn safe_next(next: Option<String>) -> String {
    next.filter(|n| is_local_path(n))
        .unwrap_or_else(|| "/".into())
}

fn is_local_path(next: &str) -> bool {
    next.starts_with('/')
        && !next.starts_with("//")
        && next.len() <= 2048
        && next.chars().all(|c| c.is_ascii_graphic() && c != '\\')
}

fn login_page(
    state: &AppState,
    lang: Language,
    status: StatusCode,
    next: String,
    email: String,
    error: Option<String>,
) -> Result<Response, AppError> {
    let csrf = crate::auth::tokens::generate()?;
    let mut response = page(
        status,
        &LoginPage {
            lang,
            signed_in: None,
            csrf: csrf.clone(),
            next,
            email,
            error,
        },
    );
    response.headers_mut().insert(
        header::SET_COOKIE,
        session::set_cookie(state, LOGIN_COOKIE, &csrf, 3600),
    );
    Ok(response)
}

async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<Next>,
) -> Result<Response, AppError> {
    let lang = Language::negotiate(&headers);
    login_page(
        &state,
        lang,
        StatusCode::OK,
        safe_next(query.next),
        String::new(),
        None,
    )
}

#[derive(Deserialize)]
struct Credentials {
    email: String,
    password: String,
    csrf: String,
    next: Option<String>,
}

async fn sign_in(
    State(state): State<AppState>,
    client: crate::extract::ClientAddr,
    headers: HeaderMap,
    Form(form): Form<Credentials>,
) -> Result<Response, AppError> {
    let lang = Language::negotiate(&headers);
    let next = safe_next(form.next);
    let expected = session::cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !session::constant_time_eq(expected.as_bytes(), form.csrf.as_bytes())
    {
        let error = Some(lang.text("login.expired").to_owned());
        return login_page(&state, lang, StatusCode::FORBIDDEN, next, form.email, error);
    }
    let user = match check_password(&state, client.0, &form.email, form.password).await {
        Ok(user) => user,
        Err(err @ (AppError::WrongCredentials | AppError::TooManyAttempts { .. })) => {
            let error = Some(match err {
                AppError::TooManyAttempts { retry_after_secs } => {
                    format!("{} ({retry_after_secs} s)", lang.text("login.too_many"))
                }
                _ => lang.text("login.wrong").to_owned(),
            });
            return login_page(&state, lang, err.status(), next, form.email, error);
        }
        Err(err) => return Ok(error_page(lang, None, &err)),
    };
    let secret = crate::auth::sessions::open(&state.db, user, SESSION_DAYS).await?;
    let mut response = Redirect::to(&next).into_response();
    let headers = response.headers_mut();
    let max_age = i64::from(SESSION_DAYS) * 24 * 3600;
    headers.append(
        header::SET_COOKIE,
        session::set_cookie(&state, SESSION_COOKIE, &secret, max_age),
    );
    headers.append(
        header::SET_COOKIE,
        session::set_cookie(&state, LOGIN_COOKIE, "", 0),
    );
    Ok(response)
}

/// Ends the session (its row deleted, no event) and forgets the cookie.
async fn sign_out(
    State(state): State<AppState>,
    PageForm(session, NoFields {}): PageForm<NoFields>,
) -> Result<Response, AppError> {
    crate::auth::sessions::close(&state, session.secret()).await?;
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session::set_cookie(&state, SESSION_COOKIE, "", 0),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_signing_in_only_a_path_of_this_site_is_followed() {
        for local in [
            "/scan",
            "/d/BRE-000123-K",
            "/lots?site=BRE&page=2",
            "/%2F/x",
        ] {
            assert_eq!(safe_next(Some(local.into())), local);
        }
        for away in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/ /evil.example",
            "https://evil.example",
            "evil.example",
            "",
            "/\u{a0}/evil.example",
        ] {
            assert_eq!(safe_next(Some(away.into())), "/", "{away:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
