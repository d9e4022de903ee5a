//! `/lots`: the donations of the site, each with its devices, label
//! printing and the import of the donor's asset list.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::Datelike;
use uuid::Uuid;

use super::certificates::CertificateLine;
use super::labels::PrintForm;
use super::session::Session;
use super::{error_page, page};
use crate::asset_list::MAX_BYTES;
use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::LotId;
use crate::principal::Permission;
use crate::state::AppState;
use crate::{devices, donors, lots};

mod import;
mod list;
mod new;
mod portal_links;
mod statements;

use import::{import, serde_plain};
use list::list;
use portal_links::{create_link, reconciliation, revoke_link};
use statements::{certificate_file, issue_certificate, issue_statement};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/lots", get(list).post(new::create))
        .route("/lots/new", get(new::new_form))
        .route("/lots/{id}", get(show))
        .route("/lots/{id}/labels", get(labels))
        .route("/lots/{id}/portal-links", post(create_link))
        .route("/lots/{id}/portal-links/{link}/revoke", post(revoke_link))
        .route("/lots/{id}/reconciliation.csv", get(reconciliation))
        .route("/lots/{id}/statements", post(issue_statement))
        .route("/lots/{id}/certificates", post(issue_certificate))
        .route("/certificates/{number}/pdf", get(certificate_file))
        .route(
            "/lots/{id}/import",
            post(import).layer(axum::extract::DefaultBodyLimit::max(MAX_BYTES + 64 * 1024)),
        )
}

pub struct LotLine {
    pub id: Uuid,
    pub donor_id: Uuid,
    pub received_on: String,
    pub donor: String,
    pub reference: String,
}

pub struct DeviceLine {
    pub id: Uuid,
    pub asset_tag: String,
    pub title: String,
    pub serial: String,
    pub state: String,
}

/// An import's outcome, as the page shows it.
pub struct ImportView {
    pub dry_run: bool,
    /// When the first device it created was registered: the labels of the
    /// devices registered since are the new ones.
    pub since: Option<String>,
    pub read: usize,
    pub created: usize,
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

#[derive(Template)]
#[template(path = "lot.html")]
struct LotPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    lot: LotLine,
    declared: Option<i32>,
    devices: Vec<DeviceLine>,
    formats: Vec<(&'static str, &'static str)>,
    can_import: bool,
    import: Option<ImportView>,
    /// Portal links, if this user may share the lot with its donor.
    links: Option<Vec<LinkLine>>,
    /// The address of a link just created: shown this once.
    issued: Option<String>,
    /// Why a link could not be created.
    link_error: Option<String>,
    /// The lot's certificates and its donor's year statements.
    certificates: Vec<CertificateLine>,
    /// Whether this user may issue an impact statement.
    can_issue: bool,
    /// The year a donor's statement is offered for: the last full one.
    last_year: i32,
    /// Why a statement could not be issued.
    statement_error: Option<String>,
    /// The lot's devices past erasure and not yet certified: an erasure
    /// certificate may be issued for each.
    uncertified: Vec<(Uuid, String)>,
}

impl Shown {
    /// The lot page again after its portal-link form was refused.
    fn link_refused(refusal: String) -> Self {
        Self {
            link_error: Some(refusal),
            ..Self::default()
        }
    }

    /// The lot page again after its statement form was refused.
    fn statement_refused(refusal: String) -> Self {
        Self {
            statement_error: Some(refusal),
            ..Self::default()
        }
    }
}

pub struct LinkLine {
    pub id: Uuid,
    pub label: String,
    pub status: String,
    pub active: bool,
    pub opened: String,
    pub expires_on: String,
    pub version: i64,
}

pub fn line(lang: Language, lot: lots::Lot, donor: String) -> LotLine {
    LotLine {
        id: lot.id.0,
        donor_id: lot.donor_id.0,
        received_on: crate::i18n::format::date(lang, lot.received_on),
        donor,
        reference: lot.donor_reference.unwrap_or_default(),
    }
}

/// What the lot page adds after a form: an import's outcome, a link just
/// created, or why one was not.
#[derive(Default)]
struct Shown {
    import: Option<ImportView>,
    issued: Option<String>,
    link_error: Option<String>,
    statement_error: Option<String>,
}

async fn lot_page(
    state: &AppState,
    session: &Session,
    id: Uuid,
    shown: Shown,
) -> Result<Response, AppError> {
    let Shown {
        import,
        issued,
        link_error,
        statement_error,
    } = shown;
    let principal = &session.principal;
    let lot = lots::queries::get(&state.db, principal, LotId(id)).await?;
    let declared = lot.declared_count;
    let donor = donors::queries::get(&state.db, principal, lot.donor_id)
        .await?
        .name;
    let lang = session.language;
    let rows = devices::queries::of_lot(&state.db, principal, lot.id).await?;
    let devices = rows
        .iter()
        .map(|d| DeviceLine {
            title: lang.device_title(
                d.kind.as_str(),
                d.manufacturer.as_deref(),
                d.model.as_deref(),
            ),
            id: d.id.0,
            serial: d.serial_number.clone().unwrap_or_default(),
            state: lang.word("state", d.state.as_str()),
            asset_tag: d.asset_tag.clone(),
        })
        .collect();
    let links = if principal.role.allows(Permission::IssueCertificates) {
        let lines = crate::portal::queries::list(&state.db, principal, LotId(id))
            .await?
            .into_iter()
            .map(|l| LinkLine {
                id: l.id.0,
                label: l.label.unwrap_or_default(),
                status: lang
                    .text(&format!("portal.status_{}", serde_plain(&l.status)))
                    .to_owned(),
                active: l.status == crate::portal::LinkStatus::Active,
                opened: format!(
                    "{} {}",
                    crate::i18n::format::number(lang, l.opened_count as f64, 0),
                    lang.count("portal.openings", l.opened_count as f64)
                ),
                expires_on: l
                    .expires_on
                    .map(|d| crate::i18n::format::date(lang, d))
                    .unwrap_or_default(),
                version: l.version,
            })
            .collect();
        Some(lines)
    } else {
        None
    };
    let mut certificates: Vec<CertificateLine> =
        crate::certificates::queries::of_lot(&state.db, principal, lot.id.0, lot.donor_id.0)
            .await?
            .into_iter()
            .map(|c| CertificateLine::of(lang, c))
            .collect();
    let ids: Vec<Uuid> = rows.iter().map(|d| d.id.0).collect();
    let erasure = crate::certificates::queries::erasure_of(&state.db, principal, &ids).await?;
    let uncertified = rows
        .iter()
        .filter(|d| crate::certificates::content::past_erasure(d.state))
        .filter(|d| !erasure.iter().any(|c| c.issued.subject_id == d.id.0))
        .map(|d| {
            let title = lang.device_title(
                d.kind.as_str(),
                d.manufacturer.as_deref(),
                d.model.as_deref(),
            );
            (d.id.0, format!("{} · {title}", d.asset_tag))
        })
        .collect();
    certificates.extend(erasure.into_iter().map(|c| {
        let tag = rows
            .iter()
            .find(|d| d.id.0 == c.issued.subject_id)
            .map(|d| d.asset_tag.clone())
            .unwrap_or_default();
        let mut line = CertificateLine::of(lang, c);
        line.what = format!("{} {tag}", line.what);
        line
    }));
    let status = match (&import, &link_error, &statement_error) {
        (Some(view), _, _) if !view.errors.is_empty() => StatusCode::UNPROCESSABLE_ENTITY,
        (_, Some(_), _) | (_, _, Some(_)) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    let this_year = state.settings.clock.now().date_naive().year();
    Ok(page(
        status,
        &LotPage {
            lang,
            signed_in: Some(session),
            lot: line(lang, lot, donor),
            declared,
            devices,
            formats: super::labels::stocks(),
            can_import: principal.role.allows(Permission::RegisterDevices),
            import,
            links,
            issued,
            link_error,
            certificates,
            can_issue: principal.role.allows(Permission::IssueCertificates),
            last_year: this_year - 1,
            statement_error,
            uncertified,
        },
    ))
}

async fn show(State(state): State<AppState>, session: Session, Path(id): Path<Uuid>) -> Response {
    match lot_page(&state, &session, id, Shown::default()).await {
        Ok(response) => response,
        Err(err) => error_page(session.language, Some(&session), &err),
    }
}

async fn labels(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    form: Result<Query<PrintForm>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let form = form
        .map(|Query(form)| form)
        .map_err(|e| AppError::BadRequest(e.body_text()));
    let since = form.as_ref().ok().and_then(|f| f.since);
    let new_devices = match since {
        None => None,
        Some(since) => {
            match devices::queries::of_lot(&state.db, &session.principal, LotId(id)).await {
                Ok(rows) => Some(
                    rows.into_iter()
                        .filter(|d| d.created_at >= since)
                        .map(|d| d.id.to_string())
                        .collect::<Vec<_>>()
                        .join(","),
                ),
                Err(err) => return session.page(Err::<Response, _>(err)),
            }
        }
    };
    super::labels::print(&state, &session, form, |request| match new_devices {
        // The lot itself is named only to say which devices; the new ones
        // are a list of their own (an empty one has nothing to print).
        Some(ids) => request.device_ids = Some(ids),
        None => request.lot_id = Some(LotId(id)),
    })
    .await
}
