//! The device page's work forms: a repair, a grade, a battery, an installed system.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Redirect, Response};
use serde::Deserialize;

use super::{Shown, device_of, device_page};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::form::PageForm;
use crate::web::page;

/// The work forms of the device page: one kind of work each.
#[derive(Debug, Deserialize)]
pub struct WorkForm {
    expected_version: i64,
    work_type: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    part: String,
    #[serde(default)]
    part_id: String,
    #[serde(default)]
    grade: String,
    #[serde(default)]
    health_percent: String,
    #[serde(default)]
    distribution: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    image_id: String,
}

impl WorkForm {
    fn work(&self) -> Result<crate::refurbishment::Work, AppError> {
        use crate::refurbishment::{ReplacedPart, Work};
        let given = |t: &str| Some(t.trim().to_owned()).filter(|t| !t.is_empty());
        Ok(match self.work_type.as_str() {
            "repair" => Work::Repair {
                description: self.description.trim().to_owned(),
                parts: given(&self.part)
                    .map(|description| ReplacedPart {
                        description,
                        part_id: self.part_id.parse().ok().map(crate::ids::PartId),
                    })
                    .into_iter()
                    .collect(),
            },
            "grade" => Work::Grade {
                grade: match self.grade.as_str() {
                    "A" => crate::devices::Grade::A,
                    "B" => crate::devices::Grade::B,
                    "C" => crate::devices::Grade::C,
                    _ => return Err(AppError::field("work.grade", "A, B or C")),
                },
            },
            "battery" => Work::Battery {
                health_percent: self
                    .health_percent
                    .trim()
                    .parse()
                    .map_err(|_| AppError::field("work.health_percent", "must be 0 to 100"))?,
                cycle_count: None,
            },
            "os" => Work::Os {
                distribution: self.distribution.trim().to_owned(),
                version: given(&self.version),
                image_id: given(&self.image_id),
            },
            _ => return Err(AppError::field("work", "unknown work")),
        })
    }
}

/// Records a piece of work, then shows the page again.
pub(super) async fn work(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    PageForm(session, form): PageForm<WorkForm>,
) -> Response {
    let work = async {
        let id = device_of(&state, &session, &tag).await?;
        let new = crate::refurbishment::NewWork {
            expected_version: Some(form.expected_version),
            work: form.work()?,
        };
        let expected = form.expected_version;
        let principal = session.principal.clone();
        state
            .write_now(&principal, move |tx, who| {
                Box::pin(crate::refurbishment::service::record_work(
                    tx, who, id, expected, new,
                ))
            })
            .await?;
        Ok::<_, AppError>(Redirect::to(&format!("/d/{tag}")))
    };
    session
        .answer(work, |refusal| async {
            let data = device_page(&state, &session, &tag, Shown::refused(refusal)).await?;
            Ok(page(StatusCode::OK, &data))
        })
        .await
}
