//! The lot page's impact statements and certificate files.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::{Shown, lot_page};
use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::LotId;
use crate::lots;
use crate::state::AppState;
use crate::web::form::PageForm;
use crate::web::session::Session;

#[derive(Deserialize)]
pub(super) struct StatementForm {
    /// `lot`, or `year` for every donation of the donor that year.
    scope: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    language: String,
}

/// Issues an impact statement for the lot, or for its donor's year, and
/// shows the lot page with it listed.
pub(super) async fn issue_statement(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    PageForm(session, form): PageForm<StatementForm>,
) -> Response {
    let work = async {
        let principal = &session.principal;
        let lot = lots::queries::get(&state.db, principal, LotId(id)).await?;
        let language = Language::parse(&form.language).unwrap_or(session.language);
        let mut new = crate::certificates::service::NewCertificate {
            kind: crate::certificates::Kind::ImpactStatement,
            lot_id: None,
            device_id: None,
            donor_id: None,
            year: None,
            site_id: None,
            language,
            supersedes: None,
        };
        if form.scope == "year" {
            new.donor_id = Some(lot.donor_id);
            new.year = Some(
                form.year
                    .trim()
                    .parse()
                    .map_err(|_| AppError::field("year", "must be a year such as 2026"))?,
            );
        } else {
            new.lot_id = Some(lot.id);
        }
        crate::certificates::service::issue(&state, principal, new, None).await?;
        Ok::<_, AppError>(Redirect::to(&format!("/lots/{id}#statements")).into_response())
    };
    session
        .answer(work, |refusal| {
            lot_page(&state, &session, id, Shown::statement_refused(refusal))
        })
        .await
}

#[derive(Deserialize)]
pub(super) struct CertificateForm {
    /// `donor` for the lot, or `erasure` for one of its devices.
    kind: crate::certificates::Kind,
    device_id: Option<Uuid>,
    language: Option<Language>,
}

/// Issues the lot's donor certificate, or the erasure certificate of one of
/// its devices, and shows the lot page with it listed.
pub(super) async fn issue_certificate(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    PageForm(session, form): PageForm<CertificateForm>,
) -> Response {
    use crate::certificates::Kind;
    let work = async {
        let principal = &session.principal;
        let lot = lots::queries::get(&state.db, principal, LotId(id)).await?;
        let (lot_id, device_id) = match form.kind {
            Kind::Donor => (Some(lot.id), None),
            Kind::Erasure => {
                let device = form
                    .device_id
                    .ok_or_else(|| AppError::field("device_id", "choose a device"))?;
                let devices = crate::devices::queries::of_lot(&state.db, principal, lot.id).await?;
                let device = devices
                    .iter()
                    .find(|d| d.id.0 == device)
                    .ok_or_else(|| AppError::field("device_id", "no such device in this lot"))?;
                (None, Some(device.id))
            }
            Kind::ImpactStatement => {
                return Err(AppError::field("kind", "a statement has its own form"));
            }
        };
        let new = crate::certificates::service::NewCertificate {
            kind: form.kind,
            lot_id,
            device_id,
            donor_id: None,
            year: None,
            site_id: None,
            language: form.language.unwrap_or(session.language),
            supersedes: None,
        };
        crate::certificates::service::issue(&state, principal, new, None).await?;
        Ok::<_, AppError>(Redirect::to(&format!("/lots/{id}#statements")).into_response())
    };
    session
        .answer(work, |refusal| {
            lot_page(&state, &session, id, Shown::statement_refused(refusal))
        })
        .await
}

/// An issued certificate's file, byte for byte, for a signed-in user who may see it.
pub(super) async fn certificate_file(
    State(state): State<AppState>,
    session: Session,
    Path(number): Path<String>,
) -> Response {
    let result =
        crate::certificates::queries::readable_file(&state.db, &session.principal, &number).await;
    session.page(result.map(|pdf| crate::allocations::routes::pdf_response(pdf, &number)))
}
