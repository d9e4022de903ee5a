//! Timesheets: the hours each worker worked, by day and activity — what the
//! report turns into hours, full-time equivalents and training hours.
//!
//! - [`events`]: `timesheet.recorded`, `timesheet.updated`;
//! - [`service`]: recording a day's or a whole team's week, all or nothing;
//! - [`queries`]: entries by worker and period;
//! - [`import`]: hours from a spreadsheet (CSV);
//! - [`routes`]: the HTTP API.

pub mod events;
pub mod import;
pub mod queries;
pub mod routes;
pub mod rules;
pub mod service;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::{Domain, Tag};
use crate::ids::{SiteId, TimesheetEntryId, WorkerId};

pub use rules::is_quarter_hours;

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain = Domain::new(routes::router)
    .tags(&[Tag::described(
        "timesheets",
        "Hours worked, by day and activity",
    )])
    .kinds(events::KINDS);

/// What the hours were spent on.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    Intake,
    Erasure,
    Repair,
    Install,
    Qc,
    Logistics,
    Training,
    Other,
}

impl Activity {
    pub const ALL: [Activity; 8] = [
        Self::Intake,
        Self::Erasure,
        Self::Repair,
        Self::Install,
        Self::Qc,
        Self::Logistics,
        Self::Training,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        crate::words::word(&self)
    }

    pub fn parse(text: &str) -> Option<Self> {
        crate::words::from_word(text)
    }
}

/// One entry as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TimesheetEntry {
    pub id: TimesheetEntryId,
    pub worker_id: WorkerId,
    pub site_id: SiteId,
    pub date: NaiveDate,
    pub hours: f64,
    pub activity: Activity,
    pub version: i64,
}

/// `POST /api/v1/timesheets`: hours of one worker on one day.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEntry {
    pub worker_id: WorkerId,
    pub date: NaiveDate,
    /// In quarters of an hour: 0.25 to 24.
    #[validate(range(min = 0.25, max = 24.0))]
    #[schema(minimum = 0.25, maximum = 24.0)]
    pub hours: f64,
    pub activity: Activity,
}

/// `POST /api/v1/timesheets/batch`: a team's week, recorded all or nothing.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEntries {
    #[validate(length(min = 1, max = 5000), nested)]
    #[schema(min_items = 1, max_items = 5000)]
    pub entries: Vec<NewEntry>,
}

/// `PATCH /api/v1/timesheets/{id}`: a correction.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryChanges {
    #[serde(default, skip_serializing_if = "crate::input::request_only")]
    pub expected_version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 0.25, max = 24.0))]
    #[schema(minimum = 0.25, maximum = 24.0)]
    pub hours: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<Activity>,
}
