//! `/timesheets`: a whole team's week in one form — a row a person, a cell a
//! day, the activity of the row — and a spreadsheet of hours to import.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{Datelike, Days, NaiveDate};
use serde::Deserialize;

use super::page;
use super::session::Session;
use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::WorkerId;
use crate::principal::Permission;
use crate::state::AppState;
use crate::timesheets::{self, Activity};
use crate::workers::{self, Worker};

mod hours;

use hours::{import, record};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/timesheets", get(week).post(record))
        .route("/timesheets/import", post(import))
}

/// One person's week: what is recorded, day by day.
pub struct Row {
    pub worker: Worker,
    pub label: String,
    /// Each day of the week, and the hours recorded that day ("" when none).
    pub cells: Vec<(String, String)>,
    pub total: f64,
}

#[derive(Template)]
#[template(path = "timesheets.html")]
struct WeekPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    monday: NaiveDate,
    days: Vec<(String, String)>,
    previous: NaiveDate,
    next: NaiveDate,
    rows: Vec<Row>,
    activities: Vec<(&'static str, String)>,
    /// A worker's lines in the week: each its activity, chosen by default.
    lines: [(usize, &'static str); 2],
    can_record: bool,
    error: Option<String>,
    notice: Option<String>,
}

/// The Monday of `day`'s week.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

#[derive(Deserialize, Default)]
struct WeekQuery {
    week_of: Option<NaiveDate>,
}

async fn week_page(
    state: &AppState,
    session: &Session,
    week_of: NaiveDate,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let lang = session.language;
    let monday = monday_of(week_of);
    let sunday = monday + Days::new(6);
    let mut team =
        workers::queries::list(&state.db, &session.principal, &Default::default()).await?;
    team.retain(|w| w.started_on <= sunday && w.ended_on.is_none_or(|end| end >= monday));
    let filter = timesheets::queries::Filter {
        from: Some(monday),
        to: Some(sunday),
        ..Default::default()
    };
    let entries = timesheets::queries::list(&state.db, &session.principal, &filter).await?;
    let mut hours: HashMap<(WorkerId, NaiveDate), f64> = HashMap::new();
    for entry in entries {
        *hours.entry((entry.worker_id, entry.date)).or_default() += entry.hours;
    }
    let rows = team
        .into_iter()
        .map(|worker| {
            let recorded: Vec<f64> = (0..7)
                .map(|d| {
                    hours
                        .get(&(worker.id, monday + Days::new(d)))
                        .copied()
                        .unwrap_or(0.0)
                })
                .collect();
            Row {
                label: worker
                    .display_name
                    .clone()
                    .unwrap_or_else(|| worker.reference.clone()),
                total: recorded.iter().sum(),
                cells: recorded
                    .iter()
                    .enumerate()
                    .map(|(d, hours)| {
                        let day = monday + Days::new(d as u64);
                        let text = if *hours > 0.0 {
                            lang.figure(*hours)
                        } else {
                            String::new()
                        };
                        (day.to_string(), text)
                    })
                    .collect(),
                worker,
            }
        })
        .collect();
    let names = match lang {
        Language::Fr => ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"],
        Language::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(page(
        status,
        &WeekPage {
            lang,
            signed_in: Some(session),
            monday,
            days: (0..7)
                .map(|d| {
                    let day = monday + Days::new(d);
                    (
                        day.to_string(),
                        format!("{} {}", names[d as usize], day.format("%d/%m")),
                    )
                })
                .collect(),
            previous: monday - Days::new(7),
            next: monday + Days::new(7),
            rows,
            lines: [
                (0, Activity::Repair.as_str()),
                (1, Activity::Training.as_str()),
            ],
            activities: Activity::ALL
                .into_iter()
                .map(|a| {
                    (
                        a.as_str(),
                        lang.text(&format!("activity.{}", a.as_str())).to_owned(),
                    )
                })
                .collect(),
            can_record: session.principal.role.allows(Permission::ManageWorkers),
            error,
            notice,
        },
    ))
}

async fn week(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<WeekQuery>,
) -> Response {
    let day = query
        .week_of
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    session.page(week_page(&state, &session, day, None, None).await)
}
