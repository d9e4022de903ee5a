//! Reading timesheets: a site's users see their site's hours.

use chrono::NaiveDate;
use entities::timesheet_entry;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{Activity, TimesheetEntry};
use crate::error::AppError;
use crate::ids::{SiteId, TimesheetEntryId, WorkerId};
use crate::principal::{Permission, Principal};

/// The most entries one answer lists: a year of a team of twenty.
pub const MAX_ENTRIES: u64 = 10_000;

pub fn from_row(row: timesheet_entry::Model) -> Result<TimesheetEntry, AppError> {
    Ok(TimesheetEntry {
        id: TimesheetEntryId(row.id),
        worker_id: WorkerId(row.worker_id),
        site_id: SiteId(row.site_id),
        date: row.worked_on,
        hours: row.hours,
        activity: Activity::parse(&row.activity)
            .ok_or_else(|| AppError::internal("unreadable activity"))?,
        version: row.version,
    })
}

/// An entry, unchecked (inside a write).
pub async fn load(
    conn: &impl ConnectionTrait,
    id: TimesheetEntryId,
) -> Result<TimesheetEntry, AppError> {
    timesheet_entry::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)
        .and_then(from_row)
}

/// What a list of entries may be narrowed to.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Filter {
    pub worker_id: Option<WorkerId>,
    /// First day, included.
    pub from: Option<NaiveDate>,
    /// Last day, included.
    pub to: Option<NaiveDate>,
    pub site_id: Option<SiteId>,
}

/// Entries by day, at most [`MAX_ENTRIES`].
pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: &Filter,
) -> Result<Vec<TimesheetEntry>, AppError> {
    // Hours per person and day: the workshop's; a funder reads the report's totals.
    principal.require(Permission::ReadNotes)?;
    let mut select = timesheet_entry::Entity::find();
    if let Some(own) = principal.site_scope() {
        select = select.filter(timesheet_entry::Column::SiteId.eq(own));
    }
    if let Some(site) = filter.site_id {
        select = select.filter(timesheet_entry::Column::SiteId.eq(site.0));
    }
    if let Some(worker) = filter.worker_id {
        select = select.filter(timesheet_entry::Column::WorkerId.eq(worker.0));
    }
    if let Some(from) = filter.from {
        select = select.filter(timesheet_entry::Column::WorkedOn.gte(from));
    }
    if let Some(to) = filter.to {
        select = select.filter(timesheet_entry::Column::WorkedOn.lte(to));
    }
    select
        .order_by_asc(timesheet_entry::Column::WorkedOn)
        .order_by_asc(timesheet_entry::Column::Id)
        .limit(MAX_ENTRIES)
        .all(db)
        .await?
        .into_iter()
        .map(from_row)
        .collect()
}
