//! `/allocations`: giving a ready device to a beneficiary from the browser —
//! reserve it, print the handover form, have it signed on the phone (or on
//! paper), hand it over; later a return, a complaint and its answer.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use super::form::PageForm;
use super::session::Session;
use super::{error_page, page};
use crate::allocations::{
    self, Acceptance, Allocation, AllocationState, AllocationStep, Complaint, ComplaintAnswer,
    Conditions, NewAcceptance, NewAllocation, NewComplaint, NewReturn, ReturnReason, service,
};
use crate::beneficiaries::{self, Beneficiary};
use crate::devices::{self, Device};
use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::{AllocationId, BeneficiaryId, ComplaintId, DeviceId};
use crate::principal::Permission;
use crate::state::AppState;

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
        include_str!("../../templates/static/signature.js"),
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
    match result {
        Ok((found, rate)) => page(
            StatusCode::OK,
            &ListPage {
                lang,
                signed_in: Some(&session),
                allocations: found,
                state: query.state,
                quality: (
                    rate.returns_under_warranty,
                    rate.deliveries,
                    rate.rate
                        .map_or_else(|| "—".to_owned(), |r| format!("{:.1} %", r * 100.0)),
                ),
            },
        ),
        Err(err) => error_page(lang, Some(&session), &err),
    }
}

#[derive(Template)]
#[template(path = "allocation_new.html")]
struct NewPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    device: Device,
    title: String,
    beneficiaries: Vec<Beneficiary>,
    error: Option<String>,
}

#[derive(Deserialize)]
struct NewQuery {
    device_id: Uuid,
}

async fn new_page(
    state: &AppState,
    session: &Session,
    device: DeviceId,
    error: Option<String>,
) -> Result<Response, AppError> {
    let lang = session.language;
    let device = devices::queries::get(&state.db, &session.principal, device).await?;
    let mut found =
        beneficiaries::queries::latest(&state.db, &session.principal, &Default::default(), 500)
            .await?;
    found.retain(|b| b.site_id == device.site_id);
    let status = if error.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    Ok(page(
        status,
        &NewPage {
            lang,
            signed_in: Some(session),
            title: lang.device_title(
                device.kind.as_str(),
                device.manufacturer.as_deref(),
                device.model.as_deref(),
            ),
            device,
            beneficiaries: found,
            error,
        },
    ))
}

async fn new_form(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<NewQuery>,
) -> Response {
    new_page(&state, &session, DeviceId(query.device_id), None)
        .await
        .unwrap_or_else(|err| error_page(session.language, Some(&session), &err))
}

#[derive(Deserialize)]
struct ReserveForm {
    device_id: Uuid,
    device_version: i64,
    beneficiary_id: Uuid,
    conditions: String,
    #[serde(default)]
    price_euros: String,
    #[serde(default)]
    loan_until: String,
    warranty_months: u8,
}

impl ReserveForm {
    fn conditions(&self) -> Result<Conditions, AppError> {
        match self.conditions.as_str() {
            "free" => Ok(Conditions::Free),
            "solidarity_price" => {
                let euros: f64 = self
                    .price_euros
                    .trim()
                    .replace(',', ".")
                    .parse()
                    .map_err(|_| AppError::field("conditions.price_cents", "a price in euros"))?;
                if !(0.0..=100_000.0).contains(&euros) {
                    return Err(AppError::field(
                        "conditions.price_cents",
                        "a price in euros",
                    ));
                }
                Ok(Conditions::SolidarityPrice {
                    price_cents: (euros * 100.0).round() as u32,
                })
            }
            "loan" => Ok(Conditions::Loan {
                until: self
                    .loan_until
                    .parse::<NaiveDate>()
                    .map_err(|_| AppError::field("conditions.until", "a date"))?,
            }),
            _ => Err(AppError::field(
                "conditions",
                "free, solidarity price or loan",
            )),
        }
    }
}

async fn reserve(
    State(state): State<AppState>,
    PageForm(session, form): PageForm<ReserveForm>,
) -> Response {
    let lang = session.language;
    let mut device = None;
    let result = async {
        device = Some(DeviceId(form.device_id));
        let new = NewAllocation {
            device_id: DeviceId(form.device_id),
            beneficiary_id: BeneficiaryId(form.beneficiary_id),
            conditions: form.conditions()?,
            warranty_months: form.warranty_months,
            device_version: Some(form.device_version),
        };
        let principal = session.principal.clone();
        let written = state
            .write_now(&principal, move |tx, who| {
                Box::pin(service::reserve(tx, who, new))
            })
            .await?;
        let id = written.id;
        Ok::<_, AppError>(Redirect::to(&format!("/allocations/{id}")).into_response())
    }
    .await;
    match (result, device) {
        (Ok(response), _) => response,
        (Err(err), Some(device)) => {
            super::show_again(&session, err, |refusal| {
                new_page(&state, &session, device, Some(refusal))
            })
            .await
        }
        (Err(err), None) => error_page(lang, Some(&session), &err),
    }
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
        Conditions::Free => lang.text("allocation.free").to_owned(),
        Conditions::SolidarityPrice { price_cents } => format!(
            "{} · {},{:02} €",
            lang.text("allocation.solidarity_price"),
            price_cents / 100,
            price_cents % 100
        ),
        Conditions::Loan { until } => format!(
            "{} · {} {until}",
            lang.text("allocation.loan"),
            lang.text("allocation.loan_until")
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
    show_page(&state, &session, AllocationId(id), None)
        .await
        .unwrap_or_else(|err| error_page(session.language, Some(&session), &err))
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

/// Every button of the allocation page: which fields each uses.
#[derive(Deserialize)]
struct StepForm {
    expected_version: i64,
    #[serde(default)]
    note: String,
    reason: Option<ReturnReason>,
    #[serde(default)]
    fault_description: String,
    #[serde(default)]
    strokes: String,
    received_on: Option<NaiveDate>,
    #[serde(default)]
    description: String,
}

fn given(text: String) -> Option<String> {
    Some(text).filter(|t| !t.trim().is_empty())
}

async fn step(
    State(state): State<AppState>,
    Path((id, step)): Path<(Uuid, String)>,
    PageForm(session, form): PageForm<StepForm>,
) -> Response {
    let id = AllocationId(id);
    let result = async {
        let principal = session.principal.clone();
        let expected = form.expected_version;
        let note = given(form.note);
        match step.as_str() {
            "deliver" | "release" => {
                let deliver = step == "deliver";
                state
                    .write_now(&principal, move |tx, who| {
                        Box::pin(async move {
                            let step = AllocationStep {
                                expected_version: Some(expected),
                                note,
                            };
                            if deliver {
                                service::deliver(tx, who, id, expected, step).await
                            } else {
                                service::release(tx, who, id, expected, step).await
                            }
                        })
                    })
                    .await?;
            }
            "return" => {
                let new = NewReturn {
                    expected_version: Some(expected),
                    reason: form
                        .reason
                        .ok_or_else(|| AppError::field("reason", "is required"))?,
                    fault_description: given(form.fault_description),
                };
                state
                    .write_now(&principal, move |tx, who| {
                        Box::pin(service::return_device(tx, who, id, expected, new))
                    })
                    .await?;
            }
            "sign" | "paper" => {
                let new = if step == "sign" {
                    let strokes = serde_json::from_str(&form.strokes).map_err(|_| {
                        AppError::field("strokes", "are required to sign on the device")
                    })?;
                    NewAcceptance {
                        expected_version: Some(expected),
                        method: Acceptance::SignedOnDevice,
                        strokes: Some(strokes),
                    }
                } else {
                    NewAcceptance {
                        expected_version: Some(expected),
                        method: Acceptance::SignedOnPaper,
                        strokes: None,
                    }
                };
                state
                    .write_now(&principal, move |tx, who| {
                        Box::pin(service::accept(tx, who, id, expected, new))
                    })
                    .await?;
            }
            "complaint" => {
                let new = NewComplaint {
                    received_on: form
                        .received_on
                        .ok_or_else(|| AppError::field("received_on", "is required"))?,
                    description: form.description,
                };
                state
                    .write_now(&principal, move |tx, who| {
                        Box::pin(service::log_complaint(tx, who, id, new))
                    })
                    .await?;
            }
            _ => return Err(AppError::NotFound),
        }
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&format!("/allocations/{}", id.0)).into_response(),
        Err(err) => {
            super::show_again(&session, err, |refusal| {
                show_page(&state, &session, id, Some(refusal))
            })
            .await
        }
    }
}

#[derive(Deserialize)]
struct AnswerForm {
    expected_version: i64,
    allocation_id: Uuid,
    answered_on: NaiveDate,
    answer: String,
}

async fn answer(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    PageForm(session, form): PageForm<AnswerForm>,
) -> Response {
    let lang = session.language;
    let result = async {
        let principal = session.principal.clone();
        let expected = form.expected_version;
        let answer = ComplaintAnswer {
            expected_version: Some(expected),
            answered_on: form.answered_on,
            answer: form.answer,
        };
        state
            .write_now(&principal, move |tx, who| {
                Box::pin(service::answer_complaint(
                    tx,
                    who,
                    ComplaintId(id),
                    expected,
                    answer,
                ))
            })
            .await?;
        Ok::<_, AppError>(form.allocation_id)
    }
    .await;
    match result {
        Ok(allocation) => Redirect::to(&format!("/allocations/{allocation}")).into_response(),
        Err(err) => error_page(lang, Some(&session), &err),
    }
}
