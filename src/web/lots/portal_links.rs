//! The lot page's donor portal links: created (the address shown once), revoked, and the reconciliation file.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::{Shown, lot_page};
use crate::error::AppError;
use crate::ids::LotId;
use crate::lots;
use crate::state::AppState;
use crate::web::form::PageForm;
use crate::web::session::Session;

#[derive(Deserialize)]
pub(super) struct LinkForm {
    #[serde(default)]
    label: String,
    #[serde(default)]
    expires_on: String,
}

/// Creates a portal link and shows its address, once.
pub(super) async fn create_link(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    PageForm(session, form): PageForm<LinkForm>,
) -> Response {
    let work = async {
        let expires_on =
            match form.expires_on.trim() {
                "" => None,
                text => Some(text.parse().map_err(|_| {
                    AppError::field("expires_on", "must be a date such as 2027-06-30")
                })?),
            };
        let new = crate::portal::NewPortalLink {
            label: Some(form.label),
            expires_on,
        };
        let days = state.settings.portal.link_days;
        let (_, secret) = state
            .write_now(&session.principal, move |tx, who| {
                Box::pin(crate::portal::service::create(
                    tx,
                    who,
                    LotId(id),
                    new,
                    days,
                ))
            })
            .await?;
        let issued = format!("{}/portal/{secret}", state.settings.public_url);
        lot_page(
            &state,
            &session,
            id,
            Shown {
                issued: Some(issued),
                ..Shown::default()
            },
        )
        .await
    };
    session
        .answer(work, |refusal| {
            lot_page(&state, &session, id, Shown::link_refused(refusal))
        })
        .await
}

#[derive(Deserialize)]
pub(super) struct RevokeForm {
    version: i64,
}

pub(super) async fn revoke_link(
    State(state): State<AppState>,
    Path((id, link)): Path<(Uuid, Uuid)>,
    PageForm(session, form): PageForm<RevokeForm>,
) -> Response {
    let _lang = session.language;
    let result = async {
        let principal = session.principal.clone();
        state
            .write_now(&principal, move |tx, who| {
                Box::pin(crate::portal::service::revoke(
                    tx,
                    who,
                    crate::ids::PortalLinkId(link),
                    form.version,
                ))
            })
            .await?;
        Ok::<_, AppError>(Redirect::to(&format!("/lots/{id}")).into_response())
    }
    .await;
    session.page(result)
}

/// The reconciliation file, for a coordinator to send or check.
pub(super) async fn reconciliation(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
) -> Response {
    let _lang = session.language;
    let result = async {
        let lot = lots::queries::get(&state.db, &session.principal, LotId(id)).await?;
        let lines = crate::portal::reconciliation::lines(
            &state.db,
            lot.id.0,
            &state.settings.public_url,
            &state.key,
        )
        .await?;
        Ok::<_, AppError>(crate::waste::routes::csv_response(
            crate::portal::reconciliation::write(&lines)?,
            &crate::portal::reconciliation::file_name(lot.received_on),
        ))
    }
    .await;
    session.page(result)
}
