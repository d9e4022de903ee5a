//! What the ledger records about timesheets.

use chrono::NaiveDate;
use entities::timesheet_entry;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DbErr};
use serde::{Deserialize, Serialize};

use super::Activity;
use crate::db::conn::Conn;
use crate::ids::{SiteId, WorkerId};
use crate::ledger::payload::entry;
use crate::ledger::{Entry, Event, Payload, SubjectType, projection};

pub const SUBJECT: SubjectType = SubjectType("timesheet_entry");

/// `timesheet.recorded`: hours of a worker, by pseudonymous id only.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Recorded {
    pub worker_id: WorkerId,
    pub site_id: SiteId,
    pub date: NaiveDate,
    pub hours: f64,
    pub activity: Activity,
}

impl Payload for Recorded {
    const KIND: &'static str = "timesheet.recorded";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        timesheet_entry::ActiveModel {
            id: Set(event.subject_id),
            worker_id: Set(self.worker_id.0),
            site_id: Set(self.site_id.0),
            worked_on: Set(self.date),
            hours: Set(self.hours),
            activity: Set(self.activity.as_str().to_owned()),
            version: Set(1),
            created_at: Set(event.at),
            updated_at: Set(event.at),
        }
        .insert(conn)
        .await?;
        Ok(())
    }
}

/// The changes `timesheet.updated` records, named as the columns.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Changes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<Activity>,
}

impl projection::Changes for Changes {
    const KIND: &'static str = "timesheet.updated";
    type Entity = timesheet_entry::Entity;
}

/// `timesheet.updated`: a correction.
pub type Updated = crate::ledger::Updated<Changes>;

pub const KINDS: &[Entry] = &[entry::<Recorded>(), entry::<Updated>()];
