//! `/audits`: a stock audit from a phone — start it, scan the shelves one
//! label after the other, close it and read what is missing or out of place.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use uuid::Uuid;

use super::form::PageForm;
use super::page;
use super::session::Session;
use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::{SiteId, StockAuditId};
use crate::principal::Permission;
use crate::state::AppState;
use crate::stock_audits::service::{self, ScanAnswer};
use crate::stock_audits::{AuditState, NewAudit, NewScan, StockAudit};
use crate::{sites, stock_audits};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/audits", get(list).post(start))
        .route("/audits/{id}", get(show))
        .route("/audits/{id}/scan", post(scan))
        .route("/audits/{id}/close", post(close))
}

pub struct AuditLine {
    pub id: Uuid,
    pub site: String,
    pub started_at: String,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "audits.html")]
struct AuditsPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    audits: Vec<AuditLine>,
    /// For users without a site of their own: which site to audit.
    sites: Vec<(Uuid, String)>,
    can_start: bool,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    audit: StockAudit,
    site: String,
    open: bool,
    last: Option<ScanAnswer>,
    error: Option<String>,
}

async fn list(State(state): State<AppState>, session: Session) -> Response {
    let result = async {
        let rows = stock_audits::queries::latest(&state.db, &session.principal, 50).await?;
        let sites = sites::queries::names(&state.db, &session.principal).await?;
        let name = |id: Uuid| {
            sites
                .iter()
                .find(|(s, _)| *s == id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default()
        };
        let audits = rows
            .into_iter()
            .map(|a| AuditLine {
                id: a.id.0,
                site: name(a.site_id.0),
                started_at: crate::i18n::format::moment(session.language, a.started_at),
                open: a.state == AuditState::Open,
            })
            .collect();
        Ok::<_, AppError>((audits, sites))
    }
    .await;
    session.page(result.map(|(audits, sites)| {
        page(
            StatusCode::OK,
            &AuditsPage {
                lang: session.language,
                signed_in: Some(&session),
                audits,
                sites: if session.principal.site_id.is_none() {
                    sites
                } else {
                    Vec::new()
                },
                can_start: session.principal.role.allows(Permission::WorkshopActions),
            },
        )
    }))
}

#[derive(Deserialize)]
struct StartForm {
    site_id: Option<Uuid>,
}

async fn start(
    State(state): State<AppState>,
    PageForm(session, form): PageForm<StartForm>,
) -> Response {
    let _lang = session.language;
    let result = async {
        let principal = session.principal.clone();
        let new = NewAudit {
            site_id: form.site_id.map(SiteId),
        };
        let written = state
            .write_now(&principal, move |tx, who| {
                Box::pin(service::start(tx, who, new))
            })
            .await?;
        let id = written.id;
        Ok(Redirect::to(&format!("/audits/{id}")).into_response())
    }
    .await;
    session.page(result)
}

async fn audit_page(
    state: &AppState,
    session: &Session,
    id: Uuid,
    last: Option<ScanAnswer>,
    error: Option<String>,
) -> Result<Response, AppError> {
    let audit = stock_audits::queries::get(&state.db, &session.principal, StockAuditId(id)).await?;
    let site = sites::queries::get(&state.db, &session.principal, audit.site_id)
        .await?
        .name;
    let status = if error.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    Ok(page(
        status,
        &AuditPage {
            lang: session.language,
            signed_in: Some(session),
            open: audit.state == AuditState::Open,
            audit,
            site,
            last,
            error,
        },
    ))
}

async fn show(State(state): State<AppState>, session: Session, Path(id): Path<Uuid>) -> Response {
    session.page(audit_page(&state, &session, id, None, None).await)
}

#[derive(Deserialize)]
struct ScanForm {
    code: String,
}

async fn scan(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    PageForm(session, form): PageForm<ScanForm>,
) -> Response {
    let work = async {
        let new = NewScan { code: form.code };
        let scanned = service::scan(&state, &session.principal, StockAuditId(id), new, None).await;
        let last = scanned.and_then(crate::write::Written::fresh)?;
        audit_page(&state, &session, id, Some(last), None).await
    };
    session
        .answer(work, |refusal| {
            audit_page(&state, &session, id, None, Some(refusal))
        })
        .await
}

#[derive(Deserialize)]
struct CloseForm {
    expected_version: i64,
}

async fn close(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    PageForm(session, form): PageForm<CloseForm>,
) -> Response {
    let _lang = session.language;
    let result = async {
        let expected = form.expected_version;
        state
            .write_now(&session.principal, move |tx, who| {
                Box::pin(service::close(tx, who, StockAuditId(id), expected))
            })
            .await?;
        Ok(Redirect::to(&format!("/audits/{id}")).into_response())
    }
    .await;
    session.page(result)
}
