//! The bench's forms by hand: a sanitization or a destruction recorded with
//! NIST SP 800-88's fields, a drive of an nwipe log attached to a medium
//! (an existing one, or one added for it), and a drive added to a device.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Redirect, Response};
use serde::Deserialize;
use validator::Validate;

use crate::erasure::{
    Category, Destination, NewErasure, Outcome, Technique, Verification, VerificationResult,
    service,
};
use crate::error::AppError;
use crate::ids::{DeviceId, MediumId};
use crate::media::{MediumKind, NewMedium};
use crate::patch::clean;
use crate::state::AppState;
use crate::web::devices::{Shown, device_page};
use crate::web::form::PageForm;
use crate::web::page;
use crate::web::session::Session;

/// A record by hand: an erasure (`clear` or `purge`) or a destruction.
#[derive(Debug, Deserialize)]
pub(super) struct RecordForm {
    medium_id: uuid::Uuid,
    category: Category,
    technique: Technique,
    #[serde(default)]
    method: String,
    #[serde(default)]
    tool: String,
    #[serde(default)]
    tool_version: String,
    #[serde(default)]
    passes: String,
    /// How the result was checked; a destruction is seen, not verified.
    verification: Option<Verification>,
    /// The one answer a technician gives: did it work. With a verification,
    /// it is the verification's result too.
    outcome: Outcome,
    destination: Destination,
    #[serde(default)]
    errors: String,
    #[serde(default)]
    witness: String,
    #[serde(default)]
    photo_reference: String,
    #[serde(default)]
    notes: String,
}

impl RecordForm {
    fn into_new(self) -> Result<NewErasure, AppError> {
        let verification = self.verification.unwrap_or(Verification::None);
        let passes = match clean(Some(self.passes)) {
            None => None,
            Some(n) => Some(
                n.parse::<i32>()
                    .map_err(|_| AppError::field("passes", "a number from 0 to 100"))?,
            ),
        };
        let new = NewErasure {
            medium_id: MediumId(self.medium_id),
            category: self.category,
            technique: self.technique,
            method: clean(Some(self.method)),
            pattern: None,
            passes,
            rounds: None,
            blanking: None,
            tool: clean(Some(self.tool)),
            tool_version: clean(Some(self.tool_version)),
            verification,
            verification_result: (verification != Verification::None).then_some(
                match self.outcome {
                    Outcome::Passed => VerificationResult::Passed,
                    Outcome::Failed => VerificationResult::Failed,
                },
            ),
            started_at: None,
            ended_at: None,
            bytes_erased: None,
            error_count: 0,
            error_details: clean(Some(self.errors)),
            destination: self.destination,
            validator_id: None,
            outcome: self.outcome,
            witness: clean(Some(self.witness)),
            photo_reference: clean(Some(self.photo_reference)),
            notes: clean(Some(self.notes)),
        };
        new.validate()?;
        Ok(new)
    }
}

/// The device page again, with why the form was refused.
async fn again(
    state: &AppState,
    session: &Session,
    tag: &str,
    refusal: String,
) -> Result<Response, AppError> {
    let data = device_page(state, session, tag, Shown::refused(refusal)).await?;
    Ok(page(StatusCode::OK, &data))
}

/// Records an erasure or a destruction done by hand.
pub(super) async fn record(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    PageForm(session, form): PageForm<RecordForm>,
) -> Response {
    let work = async {
        let new = form.into_new()?;
        state
            .write_now(&session.principal, move |tx, who| {
                Box::pin(service::record(tx, who, new))
            })
            .await?;
        Ok::<_, AppError>(Redirect::to(&format!("/d/{tag}#erasures")))
    };
    session
        .answer(work, |refusal| again(&state, &session, &tag, refusal))
        .await
}

/// A drive of an nwipe log that matched no medium, attached to one.
#[derive(Debug, Deserialize)]
pub(super) struct AttachForm {
    /// The record the log stands for, as the import proposed it.
    proposed: String,
    /// A medium of the device, or `new` to add one for the drive.
    medium: String,
    /// For a new medium: what the log says of the drive.
    kind: Option<MediumKind>,
    #[serde(default)]
    serial: String,
    #[serde(default)]
    model: String,
    #[serde(default)]
    capacity_bytes: String,
}

/// Records what the log says of an unmatched drive for the medium chosen,
/// or for a medium added with the drive's serial, model and size — both in
/// one write, so a refused record leaves no medium behind.
pub(super) async fn attach(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    PageForm(session, form): PageForm<AttachForm>,
) -> Response {
    let work = async {
        let mut new: NewErasure = serde_json::from_str(&form.proposed)
            .map_err(|_| AppError::field("proposed", "not a record from an nwipe log"))?;
        let added = if form.medium == "new" {
            let device = crate::web::devices::device_of(&state, &session, &tag).await?;
            let medium = NewMedium {
                kind: form.kind.unwrap_or(MediumKind::Other),
                manufacturer: None,
                model: clean(Some(form.model)),
                serial_number: clean(Some(form.serial)),
                capacity_bytes: clean(Some(form.capacity_bytes)).and_then(|b| b.parse().ok()),
                interface: None,
            };
            medium.validate()?;
            Some((device, medium))
        } else {
            new.medium_id = MediumId(
                form.medium
                    .parse()
                    .map_err(|_| AppError::field("medium_id", "choose a medium"))?,
            );
            None
        };
        new.validate()?;
        state
            .write_now(&session.principal, move |tx, who| {
                Box::pin(async move {
                    if let Some((device, medium)) = added {
                        new.medium_id = crate::media::service::add(tx, who, device, medium)
                            .await?
                            .id;
                    }
                    service::record(tx, who, new).await
                })
            })
            .await?;
        Ok::<_, AppError>(Redirect::to(&format!("/d/{tag}#erasures")))
    };
    session
        .answer(work, |refusal| again(&state, &session, &tag, refusal))
        .await
}

/// A drive added by hand to a device, when no hardware report lists it.
#[derive(Debug, Deserialize)]
pub(super) struct MediumForm {
    kind: MediumKind,
    #[serde(default)]
    serial_number: String,
    #[serde(default)]
    model: String,
    /// In gigabytes, as printed on the drive.
    #[serde(default)]
    capacity_gb: String,
}

/// The largest drive a form may declare: a petabyte is no laptop's.
const MAX_GB: i64 = 1_000_000;

pub(super) async fn add_medium(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    PageForm(session, form): PageForm<MediumForm>,
) -> Response {
    let work = async {
        let device: DeviceId = crate::web::devices::device_of(&state, &session, &tag).await?;
        let capacity_bytes = match clean(Some(form.capacity_gb)) {
            None => None,
            Some(gb) => Some(
                gb.replace(',', ".")
                    .parse::<f64>()
                    .ok()
                    .filter(|gb| gb.is_finite() && (0.0..=MAX_GB as f64).contains(gb))
                    // Bounded above, so the product fits an i64.
                    .map(|gb| (gb * 1e9).round() as i64)
                    .ok_or_else(|| AppError::field("capacity_gb", "a size in GB"))?,
            ),
        };
        let medium = NewMedium {
            kind: form.kind,
            manufacturer: None,
            model: clean(Some(form.model)),
            serial_number: clean(Some(form.serial_number)),
            capacity_bytes,
            interface: None,
        };
        medium.validate()?;
        state
            .write_now(&session.principal, move |tx, who| {
                Box::pin(crate::media::service::add(tx, who, device, medium))
            })
            .await?;
        Ok::<_, AppError>(Redirect::to(&format!("/d/{tag}#media")))
    };
    session
        .answer(work, |refusal| again(&state, &session, &tag, refusal))
        .await
}
