//! The hours a week's form or a spreadsheet brings, recorded all or
//! nothing.

use std::collections::HashMap;

use axum::extract::{Multipart, State};
use axum::response::{Redirect, Response};
use chrono::NaiveDate;

use super::week_page;
use crate::error::AppError;
use crate::ids::WorkerId;
use crate::state::AppState;
use crate::timesheets::{self, Activity, NewEntries, NewEntry, service};
use crate::web::form::PageForm;
use crate::web::session::Session;

/// The week form's cells: `h.<worker>.<line>.<date>` hours and
/// `a.<worker>.<line>` their activity — a worker has several lines, so a
/// day may hold repair in the morning and training in the afternoon.
fn entries_of(form: &HashMap<String, String>) -> Result<Vec<NewEntry>, AppError> {
    let mut entries = Vec::new();
    let mut cells: Vec<(&String, &String)> = form
        .iter()
        .filter(|(name, value)| name.starts_with("h.") && !value.trim().is_empty())
        .collect();
    cells.sort();
    for (name, value) in cells {
        let parts: Vec<&str> = name.splitn(4, '.').skip(1).collect();
        let [worker, line, day] = parts[..] else {
            return Err(AppError::BadRequest("a cell of an unknown line".into()));
        };
        let worker_id = worker
            .parse()
            .map(WorkerId)
            .map_err(|_| AppError::BadRequest("a cell of an unknown person".into()))?;
        let date: NaiveDate = day
            .parse()
            .map_err(|_| AppError::BadRequest("a cell of an unknown day".into()))?;
        let hours = timesheets::import::hours_of(value)
            .ok_or_else(|| AppError::field("hours", "hours such as 7,5 or 7h30"))?;
        let activity = form
            .get(&format!("a.{worker}.{line}"))
            .and_then(|a| Activity::parse(a))
            .unwrap_or(Activity::Other);
        entries.push(NewEntry {
            worker_id,
            date,
            hours,
            activity,
        });
    }
    Ok(entries)
}

pub(super) async fn record(
    State(state): State<AppState>,
    PageForm(session, form): PageForm<HashMap<String, String>>,
) -> Response {
    let week_of = form
        .get("week_of")
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let work = async {
        let entries = entries_of(&form)?;
        if !entries.is_empty() {
            let principal = session.principal.clone();
            state
                .write_now(&principal, move |tx, who| {
                    Box::pin(async move { service::record(tx, who, NewEntries { entries }).await })
                })
                .await?;
        }
        Ok::<_, AppError>(Redirect::to(&format!("/timesheets?week_of={week_of}")))
    };
    session
        .answer(work, |refusal| {
            week_page(&state, &session, week_of, Some(refusal), None)
        })
        .await
}

pub(super) async fn import(
    State(state): State<AppState>,
    session: Session,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let lang = session.language;
    let today = chrono::Utc::now().date_naive();
    let work = async {
        let upload = crate::web::upload::read(multipart).await?;
        session.check_csrf(&upload.csrf)?;
        let dry_run = upload.has("dry_run");
        let entries = service::import(&state, &session.principal, &upload.file, dry_run).await?;
        let key = if dry_run {
            "timesheet.checked"
        } else {
            "timesheet.imported"
        };
        let week = entries.iter().map(|e| e.date).max().unwrap_or(today);
        let notice = format!("{} {}", lang.text(key), entries.len());
        week_page(&state, &session, week, None, Some(notice)).await
    };
    session
        .answer(work, |refusal| {
            week_page(&state, &session, today, Some(refusal), None)
        })
        .await
}
