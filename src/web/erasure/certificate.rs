//! The device's erasure certificate, issued from its page once every drive
//! is dealt with.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Redirect, Response};
use serde::Deserialize;

use crate::certificates::Kind;
use crate::certificates::service::{self, NewCertificate};
use crate::error::AppError;
use crate::i18n::Language;
use crate::state::AppState;
use crate::web::devices::{Shown, device_of, device_page};
use crate::web::form::PageForm;
use crate::web::page;

#[derive(Debug, Deserialize)]
pub(super) struct CertificateForm {
    /// The certificate's language: the donor's, not necessarily the reader's.
    language: Option<Language>,
}

pub(super) async fn issue(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    PageForm(session, form): PageForm<CertificateForm>,
) -> Response {
    let work = async {
        let device = device_of(&state, &session, &tag).await?;
        let new = NewCertificate {
            kind: Kind::Erasure,
            lot_id: None,
            device_id: Some(device),
            donor_id: None,
            year: None,
            site_id: None,
            language: form.language.unwrap_or(session.language),
            supersedes: None,
        };
        service::issue(&state, &session.principal, new, None).await?;
        Ok::<_, AppError>(Redirect::to(&format!("/d/{tag}#certificates")))
    };
    session
        .answer(work, |refusal| async {
            let data = device_page(&state, &session, &tag, Shown::refused(refusal)).await?;
            Ok(page(StatusCode::OK, &data))
        })
        .await
}
