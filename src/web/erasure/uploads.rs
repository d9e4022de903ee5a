//! The bench's files: the hardware report that lists a device's drives, and
//! the nwipe log that erased them — read by the API's own parsers.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{Redirect, Response};

use super::view::log_view;
use crate::erasure::service::{self, ImportOptions};
use crate::erasure::{Destination, nwipe};
use crate::error::AppError;
use crate::hardware_audit::{self, lshw};
use crate::state::AppState;
use crate::web::devices::{Shown, device_of, device_page};
use crate::web::page;
use crate::web::session::Session;
use crate::web::upload::{self, Upload};

/// The file of an upload, checked against the session's form token.
async fn file_of(
    session: &Session,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Upload, AppError> {
    let upload = upload::read(multipart).await?;
    session.check_csrf(&upload.csrf)?;
    if upload.file.is_empty() {
        return Err(AppError::field("file", "no file was chosen"));
    }
    Ok(upload)
}

/// `lshw -json`'s report: the device's specs filled, its drives listed as
/// media, and a device just received inventoried.
pub(super) async fn lshw(
    State(state): State<AppState>,
    session: Session,
    Path(tag): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let work = async {
        let upload = file_of(&session, multipart).await?;
        let id = device_of(&state, &session, &tag).await?;
        let expected: i64 = upload
            .value("expected_version")
            .and_then(|v| v.parse().ok())
            .ok_or(AppError::VersionRequired)?;
        let report: serde_json::Value = serde_json::from_slice(&upload.file)
            .map_err(|e| AppError::field("file", format!("not JSON: {e}")))?;
        let hardware = lshw::parse(&report).map_err(|e| AppError::field("file", e.to_string()))?;
        state
            .write_now(&session.principal, move |tx, who| {
                Box::pin(hardware_audit::service::record(
                    tx, who, id, expected, hardware,
                ))
            })
            .await?;
        Ok::<_, AppError>(Redirect::to(&format!("/d/{tag}#media")))
    };
    session
        .answer(work, |refusal| async {
            let data = device_page(&state, &session, &tag, Shown::refused(refusal)).await?;
            Ok(page(StatusCode::OK, &data))
        })
        .await
}

/// An nwipe log: each drive matched to a medium of this device and
/// recorded, the others shown with the record to attach by hand.
pub(super) async fn nwipe(
    State(state): State<AppState>,
    session: Session,
    Path(tag): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let lang = session.language;
    let work = async {
        let upload = file_of(&session, multipart).await?;
        let id = device_of(&state, &session, &tag).await?;
        let destination = match upload.value("destination") {
            None | Some("") => None,
            Some(word) => Some(
                Destination::parse(word)
                    .ok_or_else(|| AppError::field("destination", "no such destination"))?,
            ),
        };
        let log = nwipe::parse(&upload.file).map_err(|e| AppError::field("file", e.to_string()))?;
        let digest = service::log_digest(&upload.file);
        let options = ImportOptions {
            destination,
            device_id: Some(id),
        };
        let report = state
            .write_now(&session.principal, move |tx, who| {
                Box::pin(service::import(tx, who, log, digest, options))
            })
            .await?;
        let shown = Shown {
            log: Some(log_view(lang, &report)),
            ..Shown::default()
        };
        let data = device_page(&state, &session, &tag, shown).await?;
        Ok::<_, AppError>(page(StatusCode::OK, &data))
    };
    session
        .answer(work, |refusal| async {
            let data = device_page(&state, &session, &tag, Shown::refused(refusal)).await?;
            Ok(page(StatusCode::OK, &data))
        })
        .await
}
