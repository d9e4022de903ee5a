//! The web interface: server-rendered pages from `templates/` (Askama), in
//! French or English, made for a phone in the workshop. Forms post back to
//! the same services the API uses, through the ledger writer.

pub mod allocations;
pub mod auth;
pub mod beneficiaries;
pub mod devices;
pub mod form;
pub mod labels;
pub mod lots;
pub mod portal;
pub mod problems;
pub mod reports;
pub mod scan;
pub mod session;
pub mod stock;
pub mod stock_audits;
pub mod timesheets;
pub mod upload;
pub mod users;
pub mod waste;
pub mod workers;

use askama::Template;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::error::AppError;
use crate::i18n::Language;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/scan") }))
        .route("/static/retrace.css", get(stylesheet))
        .route("/static/scan.js", get(scan_script))
        .merge(auth::router())
        .merge(users::router())
        .merge(scan::router())
        .merge(devices::router())
        .merge(lots::router())
        .merge(stock_audits::router())
        .merge(stock::router())
        .merge(beneficiaries::router())
        .merge(allocations::router())
        .merge(waste::router())
        .merge(workers::router())
        .merge(timesheets::router())
        .merge(reports::router())
        .merge(portal::router())
}

/// A rendered page with its status.
pub fn page(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(err) => AppError::internal(err).into_response(),
    }
}

/// A short page for what went wrong, in the reader's language.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub lang: Language,
    pub signed_in: Option<&'a session::Session>,
    pub title: String,
    pub detail: String,
}

/// Turns an application error into a page a person can read.
pub fn error_page(
    lang: Language,
    signed_in: Option<&session::Session>,
    error: &AppError,
) -> Response {
    let status = error.status();
    let title = match status {
        StatusCode::NOT_FOUND => lang.text("error.not_found").to_owned(),
        StatusCode::FORBIDDEN => lang.text("error.forbidden").to_owned(),
        StatusCode::CONFLICT => lang.text("error.conflict").to_owned(),
        s if s.is_server_error() => lang.text("error.server").to_owned(),
        _ => lang.text("error.invalid").to_owned(),
    };
    let detail = if status.is_server_error() {
        tracing::error!(error = %error, "page failed");
        String::new()
    } else {
        problems::explain(lang, error)
    };
    page(
        status,
        &ErrorPage {
            lang,
            signed_in,
            title,
            detail,
        },
    )
}

/// The answer to a form that was refused: a person's mistake (any 4xx but
/// a 404) shows the page again through `again`, with the refusal in the
/// reader's words and its status (403 for a role or a stale form, 409 for a
/// conflict, 422 for a field); anything else is an error page.
pub async fn show_again<F, Fut>(session: &session::Session, err: AppError, again: F) -> Response
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = Result<Response, AppError>>,
{
    let lang = session.language;
    let status = err.status();
    if status.is_client_error() && status != StatusCode::NOT_FOUND {
        match again(problems::explain(lang, &err)).await {
            Ok(mut page) => {
                *page.status_mut() = status;
                page
            }
            Err(again) => error_page(lang, Some(session), &again),
        }
    } else {
        error_page(lang, Some(session), &err)
    }
}

async fn stylesheet() -> Response {
    static_file(
        include_str!("../../templates/static/retrace.css"),
        "text/css; charset=utf-8",
    )
}

async fn scan_script() -> Response {
    static_file(
        include_str!("../../templates/static/scan.js"),
        "text/javascript; charset=utf-8",
    )
}

pub fn static_file(body: &'static str, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}
