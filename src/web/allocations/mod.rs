//! `/allocations`: giving a ready device to a beneficiary from the browser —
//! reserve it, print the handover form, have it signed on the phone (or on
//! paper), hand it over; later a return, a complaint and its answer.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use super::session::Session;
use super::{error_page, page};
use crate::allocations::{
    self, Acceptance, Allocation, AllocationState, Complaint, Conditions, ReturnReason,
};
use crate::devices::{self};
use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::AllocationId;
use crate::principal::Permission;
use crate::state::AppState;

mod reserve;
mod steps;

use reserve::{new_form, reserve};
use steps::{answer, step};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/allocations", get(list).post(reserve))
        .route("/allocations/new", get(new_form))
        .route("/allocations/{id}", get(show))
        .route("/allocations/{id}/handover.pdf", get(handover))
        .route("/allocations/{id}/{step}", post(step))
        .route("/complaints/{id}/answer", post(answer))
        .route("/static/signature.js", get(signature_script))
}

async fn signature_script() -> Response {
    super::static_file(
        include_str!("../../../templates/static/signature.js"),
        "text/javascript; charset=utf-8",
    )
}

#[derive(Template)]
#[template(path = "allocations.html")]
struct ListPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    allocations: Vec<Allocation>,
    state: String,
    /// This year's non-conformity: returns under warranty, deliveries, the rate in %.
    quality: (u64, u64, String),
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    state: String,
}

async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<ListQuery>,
) -> Response {
    let lang = session.language;
    let wanted = AllocationState::parse(&query.state);
    let result = async {
        let found =
            allocations::queries::latest(&state.db, &session.principal, wanted, 200).await?;
        let today = chrono::Utc::now().date_naive();
        let year = chrono::Datelike::year(&today);
        let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
        let rate =
            allocations::queries::non_conformity(&state.db, &session.principal, start, today, None)
                .await?;
        Ok::<_, AppError>((found, rate))
    }
    .await;
    session.page(result.map(|(found, rate)| {
        page(
            StatusCode::OK,
            &ListPage {
                lang,
                signed_in: Some(&session),
                allocations: found,
                state: query.state,
                quality: (
                    rate.returns_under_warranty,
                    rate.deliveries,
                    rate.rate.map_or_else(
                        || "—".to_owned(),
                        |r| format!("{}\u{a0}%", lang.number(r * 100.0, 1)),
                    ),
                ),
            },
        )
    }))
}

#[derive(Template)]
#[template(path = "allocation.html")]
struct ShowPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    allocation: Allocation,
    title: String,
    terms: String,
    complaints: Vec<Complaint>,
    reasons: Vec<(&'static str, String)>,
    can_dispatch: bool,
    can_return: bool,
    error: Option<String>,
    today: String,
    csrf: String,
    state_name: String,
    acceptance_name: String,
    /// Open and not signed yet.
    can_sign: bool,
    /// Delivered or returned: complaints apply.
    handed_over: bool,
}

fn terms(lang: Language, conditions: &Conditions) -> String {
    match conditions {
        Conditions::Free {} => lang.text("allocation.free").to_owned(),
        Conditions::SolidarityPrice { price_cents } => format!(
            "{} · {}\u{a0}€",
            lang.text("allocation.solidarity_price"),
            lang.number(*price_cents as f64 / 100.0, 2),
        ),
        Conditions::Loan { until } => format!(
            "{} · {} {}",
            lang.text("allocation.loan"),
            lang.text("allocation.loan_until"),
            lang.date(*until)
        ),
    }
}

async fn show_page(
    state: &AppState,
    session: &Session,
    id: AllocationId,
    error: Option<String>,
) -> Result<Response, AppError> {
    let lang = session.language;
    let allocation = allocations::queries::get(&state.db, &session.principal, id).await?;
    let device = devices::queries::load(&state.db, allocation.device_id).await?;
    // Complaints are the workshop's to read: a funder sees the page without them.
    let complaints = match allocations::queries::complaints(&state.db, &session.principal, id).await
    {
        Err(AppError::Forbidden(_)) => Vec::new(),
        other => other?,
    };
    let status = if error.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    let role = session.principal.role;
    Ok(page(
        status,
        &ShowPage {
            lang,
            signed_in: Some(session),
            title: lang.device_title(
                device.kind.as_str(),
                device.manufacturer.as_deref(),
                device.model.as_deref(),
            ),
            terms: terms(lang, &allocation.conditions),
            complaints,
            reasons: ReturnReason::ALL
                .into_iter()
                .map(|r| {
                    (
                        r.as_str(),
                        lang.text(&format!("return_reason.{}", r.as_str()))
                            .to_owned(),
                    )
                })
                .collect(),
            can_dispatch: role.allows(Permission::DispatchActions),
            can_return: role.allows(Permission::WorkshopActions),
            error,
            today: chrono::Utc::now().date_naive().to_string(),
            csrf: session.csrf.clone(),
            state_name: lang
                .text(&format!("allocation_state.{}", allocation.state.as_str()))
                .to_owned(),
            acceptance_name: lang
                .text(&format!("acceptance.{}", allocation.acceptance.as_str()))
                .to_owned(),
            can_sign: allocation.acceptance == Acceptance::Pending
                && matches!(
                    allocation.state,
                    AllocationState::Reserved | AllocationState::Delivered
                ),
            handed_over: matches!(
                allocation.state,
                AllocationState::Delivered | AllocationState::Returned
            ),
            allocation,
        },
    ))
}

async fn show(State(state): State<AppState>, session: Session, Path(id): Path<Uuid>) -> Response {
    session.page(show_page(&state, &session, AllocationId(id), None).await)
}

async fn handover(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
) -> Response {
    let id = AllocationId(id);
    match allocations::routes::handover_pdf(&state, &session.principal, id, session.language).await
    {
        Ok(pdf) => allocations::routes::pdf_response(pdf, &allocations::handover::number(id)),
        Err(err) => error_page(session.language, Some(&session), &err),
    }
}
