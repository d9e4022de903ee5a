//! `/workers/{id}`: one worker's contract, its end and its erasure.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use super::exits;
use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::WorkerId;
use crate::patch::Patch;
use crate::principal::Permission;
use crate::state::AppState;
use crate::web::form::{NoFields, PageForm};
use crate::web::page;
use crate::web::session::Session;
use crate::workers::{self, ContractKind, ExitOutcome, Worker, WorkerChanges, service};

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

pub(super) async fn show_page(
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

pub(super) async fn show(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
) -> Response {
    session.page(show_page(&state, &session, WorkerId(id), None).await)
}

#[derive(Deserialize)]
pub(super) struct EndForm {
    expected_version: i64,
    ended_on: NaiveDate,
    #[serde(default)]
    exit_outcome: String,
}

/// Ends a contract, with its exit for an insertion contract.
pub(super) async fn end(
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

pub(super) async fn erase(
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
