//! `/workers`: the team as a list, and a new worker's contract.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use super::contracts;
use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::SiteId;
use crate::principal::Permission;
use crate::sites;
use crate::state::AppState;
use crate::web::form::PageForm;
use crate::web::page;
use crate::web::session::Session;
use crate::workers::{self, ContractKind, NewWorker, Worker, service};

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

pub(super) async fn list_page(
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

pub(super) async fn list(State(state): State<AppState>, session: Session) -> Response {
    session.page(list_page(&state, &session, None).await)
}

#[derive(Deserialize)]
pub(super) struct CreateForm {
    site_id: Option<Uuid>,
    display_name: String,
    contract_kind: ContractKind,
    started_on: NaiveDate,
    weekly_hours: String,
}

pub(super) async fn create(
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
