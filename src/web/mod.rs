//! The web interface: server-rendered pages from `templates/` (Askama), in
//! French or English, made for a phone in the workshop. Forms post back to
//! the same services the API uses, through the ledger writer.

pub mod allocations;
pub mod answer;
pub mod auth;
pub mod beneficiaries;
pub mod certificates;
pub mod dashboard;
pub mod devices;
pub mod donors;
pub mod erasure;
pub mod errors;
pub mod form;
pub mod labels;
pub mod lots;
pub mod nav;
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
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use crate::error::AppError;
use crate::state::AppState;

pub use answer::error_page;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard::show))
        .route("/static/retrace.css", get(stylesheet))
        .route("/static/scan.js", get(scan_script))
        .merge(auth::router())
        .merge(users::router())
        .merge(scan::router())
        .merge(devices::router())
        .merge(erasure::router())
        .merge(donors::router())
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
