//! The device page's buttons: a lifecycle action, a label to print, dismantling.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Redirect, Response};
use serde::Deserialize;

use super::{Shown, device_of, device_page};
use crate::devices::{Action, QcChecklist, TransitionRequest, service};
use crate::error::AppError;
use crate::ids::DeviceId;
use crate::scan::{ItemType, resolve_with};
use crate::state::AppState;
use crate::web::form::PageForm;
use crate::web::labels::PrintForm;
use crate::web::session::Session;
use crate::web::{error_page, page};

/// The form of an action button: the fields any action may carry.
#[derive(Debug, Deserialize)]
pub struct ActionForm {
    action: Action,
    expected_version: i64,
    os: Option<String>,
    note: Option<String>,
    reason: Option<String>,
    #[serde(default)]
    qc_boot: Option<String>,
    #[serde(default)]
    qc_keyboard: Option<String>,
    #[serde(default)]
    qc_screen: Option<String>,
    #[serde(default)]
    qc_battery: Option<String>,
    #[serde(default)]
    qc_network: Option<String>,
    #[serde(default)]
    qc_os: Option<String>,
    /// For `dismantle`: the parts kept, one a line.
    #[serde(default)]
    parts: String,
}

impl ActionForm {
    fn into_request(self) -> TransitionRequest {
        let checklist = (self.action == Action::PassQc).then(|| QcChecklist {
            boot: self.qc_boot.is_some(),
            keyboard: self.qc_keyboard.is_some(),
            screen: self.qc_screen.is_some(),
            battery: self.qc_battery.is_some(),
            network: self.qc_network.is_some(),
            os: self.qc_os.is_some(),
        });
        TransitionRequest {
            action: self.action,
            expected_version: Some(self.expected_version),
            note: self.note.filter(|n| !n.trim().is_empty()),
            os: self.os.filter(|n| !n.trim().is_empty()),
            checklist,
            target_state: None,
            reason: self.reason.filter(|n| !n.trim().is_empty()),
        }
    }
}

/// Records a button's action, then shows the page again (Post/Redirect/Get).
pub(super) async fn act(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    PageForm(session, form): PageForm<ActionForm>,
) -> Response {
    let work = async {
        let id = device_of(&state, &session, &tag).await?;
        if form.action == Action::Dismantle {
            dismantle(&state, &session, id, form).await?;
        } else {
            record(&state, &session, id, form.into_request()).await?;
        }
        Ok::<_, AppError>(Redirect::to(&format!("/d/{tag}")))
    };
    session
        .answer(work, |refusal| async {
            let data = device_page(&state, &session, &tag, Shown::refused(refusal)).await?;
            Ok(page(StatusCode::OK, &data))
        })
        .await
}

/// This item's label again, on the stock chosen.
pub(super) async fn label(
    State(state): State<AppState>,
    session: Session,
    Path(tag): Path<String>,
    form: Result<Query<PrintForm>, QueryRejection>,
) -> Response {
    let scanned = resolve_with(
        &state.db,
        state.scan_reader.as_deref(),
        &session.principal,
        &tag,
    )
    .await;
    let item = match scanned {
        Ok(item) => item,
        Err(err) => return error_page(session.language, Some(&session), &err),
    };
    let form = form
        .map(|Query(form)| form)
        .map_err(|e| AppError::BadRequest(e.body_text()));
    crate::web::labels::print(&state, &session, form, |request| match item.item_type {
        ItemType::Device => request.device_ids = item.device.map(|d| d.id.to_string()),
        ItemType::Medium => request.media_ids = item.medium.map(|m| m.id.to_string()),
    })
    .await
}

/// A transition through the ledger writer, as the API records it.
pub async fn record(
    state: &AppState,
    session: &Session,
    id: DeviceId,
    request: TransitionRequest,
) -> Result<(), AppError> {
    let principal = session.principal.clone();
    let expected = request.expected_version.ok_or(AppError::VersionRequired)?;
    state
        .write_now(&principal, move |tx, who| {
            Box::pin(service::transition(tx, who, id, expected, request))
        })
        .await?;
    Ok(())
}

/// Dismantles from the device page: the parts kept, one a line, each
/// becomes a traceable part.
pub(super) async fn dismantle(
    state: &AppState,
    session: &Session,
    id: DeviceId,
    form: ActionForm,
) -> Result<(), AppError> {
    let principal = session.principal.clone();
    let expected = form.expected_version;
    let dismantling = crate::refurbishment::Dismantling {
        expected_version: Some(expected),
        note: form.note.filter(|n| !n.trim().is_empty()),
        parts: form
            .parts
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
    };
    state
        .write_now(&principal, move |tx, who| {
            Box::pin(crate::refurbishment::service::dismantle(
                tx,
                who,
                id,
                expected,
                dismantling,
            ))
        })
        .await?;
    Ok(())
}
