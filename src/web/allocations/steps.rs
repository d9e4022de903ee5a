//! The allocation page's buttons: deliver, release, return, accept, and a complaint's answer.

use axum::extract::{Path, State};
use axum::response::{Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use super::show_page;
use crate::allocations::{
    Acceptance, AllocationStep, ComplaintAnswer, NewAcceptance, NewComplaint, NewReturn,
    ReturnReason, service,
};
use crate::error::AppError;
use crate::ids::{AllocationId, ComplaintId};
use crate::state::AppState;
use crate::web::form::PageForm;

/// Every button of the allocation page: which fields each uses.
#[derive(Deserialize)]
pub(super) struct StepForm {
    expected_version: i64,
    #[serde(default)]
    note: String,
    reason: Option<ReturnReason>,
    #[serde(default)]
    fault_description: String,
    #[serde(default)]
    strokes: String,
    received_on: Option<NaiveDate>,
    #[serde(default)]
    description: String,
    /// Ticked to hand over a device whose handover nobody signed.
    confirm_unsigned: Option<String>,
}

pub(super) fn given(text: String) -> Option<String> {
    Some(text).filter(|t| !t.trim().is_empty())
}

pub(super) async fn step(
    State(state): State<AppState>,
    Path((id, step)): Path<(Uuid, String)>,
    PageForm(session, form): PageForm<StepForm>,
) -> Response {
    let id = AllocationId(id);
    let work = async {
        let principal = session.principal.clone();
        let expected = form.expected_version;
        let note = given(form.note);
        match step.as_str() {
            "deliver" | "release" => {
                let deliver = step == "deliver";
                // A handover nobody signed is the workshop's word alone: the
                // page warns, and asks for it to be meant.
                if deliver && form.confirm_unsigned.is_none() {
                    principal.require(crate::principal::Permission::DispatchActions)?;
                    let allocation =
                        crate::allocations::queries::get(&state.db, &principal, id).await?;
                    if allocation.acceptance == Acceptance::Pending {
                        return Err(AppError::field(
                            "confirm_unsigned",
                            "the handover is not signed: confirm to deliver anyway",
                        ));
                    }
                }
                state
                    .write_now(&principal, move |tx, who| {
                        Box::pin(async move {
                            let step = AllocationStep {
                                expected_version: Some(expected),
                                note,
                            };
                            if deliver {
                                service::deliver(tx, who, id, expected, step).await
                            } else {
                                service::release(tx, who, id, expected, step).await
                            }
                        })
                    })
                    .await?;
            }
            "return" => {
                let new = NewReturn {
                    expected_version: Some(expected),
                    reason: form
                        .reason
                        .ok_or_else(|| AppError::field("reason", "is required"))?,
                    fault_description: given(form.fault_description),
                };
                state
                    .write_now(&principal, move |tx, who| {
                        Box::pin(service::return_device(tx, who, id, expected, new))
                    })
                    .await?;
            }
            "sign" | "paper" => {
                let new = if step == "sign" {
                    let strokes = serde_json::from_str(&form.strokes).map_err(|_| {
                        AppError::field("strokes", "are required to sign on the device")
                    })?;
                    NewAcceptance {
                        expected_version: Some(expected),
                        method: Acceptance::SignedOnDevice,
                        strokes: Some(strokes),
                    }
                } else {
                    NewAcceptance {
                        expected_version: Some(expected),
                        method: Acceptance::SignedOnPaper,
                        strokes: None,
                    }
                };
                state
                    .write_now(&principal, move |tx, who| {
                        Box::pin(service::accept(tx, who, id, expected, new))
                    })
                    .await?;
            }
            "complaint" => {
                let new = NewComplaint {
                    received_on: form
                        .received_on
                        .ok_or_else(|| AppError::field("received_on", "is required"))?,
                    description: form.description,
                };
                state
                    .write_now(&principal, move |tx, who| {
                        Box::pin(service::log_complaint(tx, who, id, new))
                    })
                    .await?;
            }
            _ => return Err(AppError::NotFound),
        }
        Ok::<_, AppError>(Redirect::to(&format!("/allocations/{}", id.0)))
    };
    session
        .answer(work, |refusal| {
            show_page(&state, &session, id, Some(refusal))
        })
        .await
}

#[derive(Deserialize)]
pub(super) struct AnswerForm {
    expected_version: i64,
    allocation_id: Uuid,
    answered_on: NaiveDate,
    answer: String,
}

pub(super) async fn answer(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    PageForm(session, form): PageForm<AnswerForm>,
) -> Response {
    let result = async {
        let principal = session.principal.clone();
        let expected = form.expected_version;
        let answer = ComplaintAnswer {
            expected_version: Some(expected),
            answered_on: form.answered_on,
            answer: form.answer,
        };
        state
            .write_now(&principal, move |tx, who| {
                Box::pin(service::answer_complaint(
                    tx,
                    who,
                    ComplaintId(id),
                    expected,
                    answer,
                ))
            })
            .await?;
        Ok::<_, AppError>(Redirect::to(&format!(
            "/allocations/{}",
            form.allocation_id
        )))
    }
    .await;
    session.page(result)
}
