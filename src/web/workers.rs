//! `/workers`: the team — who works here on which contract, how it ended —
//! with names only for those the workers queries allow, erasable.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use super::form::{NoFields, PageForm};
use super::page;
use super::session::Session;
use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::{SiteId, WorkerId};
use crate::patch::Patch;
use crate::principal::Permission;
use crate::sites;
use crate::state::AppState;
use crate::workers::{self, ContractKind, ExitOutcome, NewWorker, Worker, WorkerChanges, service};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/workers", get(list).post(create))
        .route("/workers/{id}", get(show).post(end))
        .route("/workers/{id}/erase", post(erase))
        .route("/workers/{id}/passport.pdf", get(passport))
}

/// The skills passport from the start of the contract to today (or its end).
async fn passport(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
) -> Response {
    let lang = session.language;
    let result = async {
        let worker = workers::queries::get(&state.db, &session.principal, WorkerId(id)).await?;
        let today = chrono::Utc::now().date_naive();
        let to = worker.ended_on.map_or(today, |end| end.min(today));
        let from = worker.started_on.min(to);
        workers::routes::passport_pdf(&state, &session.principal, WorkerId(id), from, to, lang)
            .await
    }
    .await;
    session.page(
        result.map(|pdf| crate::allocations::routes::pdf_response(pdf, "passeport-competences")),
    )
}

fn contracts(lang: Language) -> Vec<(&'static str, String)> {
    ContractKind::ALL
        .into_iter()
        .map(|k| {
            (
                k.as_str(),
                lang.text(&format!("contract.{}", k.as_str())).to_owned(),
            )
        })
        .collect()
}

fn exits(lang: Language) -> Vec<(&'static str, String)> {
    ExitOutcome::ALL
        .into_iter()
        .map(|o| {
            (
                o.as_str(),
                lang.text(&format!("exit.{}", o.as_str())).to_owned(),
            )
        })
        .collect()
}

#[derive(Template)]
#[template(path = "workers.html")]
struct ListPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    workers: Vec<Worker>,
    contracts: Vec<(&'static str, String)>,
    sites: Vec<(Uuid, String)>,
    can_manage: bool,
    error: Option<String>,
    today: String,
}

async fn list_page(
    state: &AppState,
    session: &Session,
    error: Option<String>,
) -> Result<Response, AppError> {
    let mut found =
        workers::queries::list(&state.db, &session.principal, &Default::default()).await?;
    // Those still here first, then by start date.
    found.sort_by_key(|w| (w.ended_on.is_some(), w.started_on));
    let sites = sites::queries::names(&state.db, &session.principal).await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(page(
        status,
        &ListPage {
            lang: session.language,
            signed_in: Some(session),
            workers: found,
            contracts: contracts(session.language),
            sites: if session.principal.site_id.is_none() {
                sites
            } else {
                Vec::new()
            },
            can_manage: session.principal.role.allows(Permission::ManageWorkers),
            error,
            today: chrono::Utc::now().date_naive().to_string(),
        },
    ))
}

async fn list(State(state): State<AppState>, session: Session) -> Response {
    session.page(list_page(&state, &session, None).await)
}

#[derive(Deserialize)]
struct CreateForm {
    site_id: Option<Uuid>,
    display_name: String,
    contract_kind: ContractKind,
    started_on: NaiveDate,
    weekly_hours: String,
}

async fn create(
    State(state): State<AppState>,
    PageForm(session, form): PageForm<CreateForm>,
) -> Response {
    let work = async {
        let new = NewWorker {
            site_id: form.site_id.map(SiteId),
            display_name: form.display_name,
            contract_kind: form.contract_kind,
            started_on: form.started_on,
            ended_on: None,
            exit_outcome: None,
            weekly_hours: form
                .weekly_hours
                .trim()
                .replace(',', ".")
                .parse()
                .map_err(|_| AppError::field("weekly_hours", "hours, e.g. 26"))?,
            user_id: None,
        };
        let principal = session.principal.clone();
        let written = state
            .write_now(&principal, move |tx, who| {
                Box::pin(service::register(tx, who, new))
            })
            .await?;
        let id = written.id;
        Ok::<_, AppError>(Redirect::to(&format!("/workers/{id}")).into_response())
    };
    session
        .answer(work, |refusal| list_page(&state, &session, Some(refusal)))
        .await
}

#[derive(Template)]
#[template(path = "worker.html")]
struct ShowPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    worker: Worker,
    contract: String,
    exit: String,
    exits: Vec<(&'static str, String)>,
    can_manage: bool,
    can_erase: bool,
    is_insertion: bool,
    error: Option<String>,
    today: String,
}

async fn show_page(
    state: &AppState,
    session: &Session,
    id: WorkerId,
    error: Option<String>,
) -> Result<Response, AppError> {
    let lang = session.language;
    let worker = workers::queries::get(&state.db, &session.principal, id).await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(page(
        status,
        &ShowPage {
            lang,
            signed_in: Some(session),
            contract: lang
                .text(&format!("contract.{}", worker.contract_kind.as_str()))
                .to_owned(),
            exit: worker
                .exit_outcome
                .map(|o| lang.text(&format!("exit.{}", o.as_str())).to_owned())
                .unwrap_or_default(),
            exits: exits(lang),
            can_manage: session.principal.role.allows(Permission::ManageWorkers),
            can_erase: crate::beneficiaries::queries::may_read_personal_data(
                &session.principal,
                worker.site_id,
            ) && worker.has_personal_data,
            is_insertion: worker.contract_kind == ContractKind::Insertion,
            worker,
            error,
            today: chrono::Utc::now().date_naive().to_string(),
        },
    ))
}

async fn show(State(state): State<AppState>, session: Session, Path(id): Path<Uuid>) -> Response {
    session.page(show_page(&state, &session, WorkerId(id), None).await)
}

#[derive(Deserialize)]
struct EndForm {
    expected_version: i64,
    ended_on: NaiveDate,
    #[serde(default)]
    exit_outcome: String,
}

/// Ends a contract, with its exit for an insertion contract.
async fn end(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    PageForm(session, form): PageForm<EndForm>,
) -> Response {
    let id = WorkerId(id);
    let work = async {
        let changes = WorkerChanges {
            expected_version: Some(form.expected_version),
            ended_on: Patch::Set(form.ended_on),
            exit_outcome: ExitOutcome::parse(&form.exit_outcome).map_or(Patch::Keep, Patch::Set),
            ..Default::default()
        };
        let expected = form.expected_version;
        let principal = session.principal.clone();
        state
            .write_now(&principal, move |tx, who| {
                Box::pin(service::update(tx, who, id, expected, changes))
            })
            .await?;
        Ok::<_, AppError>(Redirect::to(&format!("/workers/{}", id.0)).into_response())
    };
    session
        .answer(work, |refusal| {
            show_page(&state, &session, id, Some(refusal))
        })
        .await
}

async fn erase(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    PageForm(session, NoFields {}): PageForm<NoFields>,
) -> Response {
    let _lang = session.language;
    let result = async {
        let principal = session.principal.clone();
        state
            .write_now(&principal, move |tx, who| {
                Box::pin(service::erase_personal_data(tx, who, WorkerId(id)))
            })
            .await?;
        service::scrub(&state.db).await?;
        Ok::<_, AppError>(Redirect::to(&format!("/workers/{id}")).into_response())
    }
    .await;
    session.page(result)
}
