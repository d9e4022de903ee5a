//! Timesheet commands, run inside the ledger writer: a whole team's week is
//! one job, recorded all or nothing.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::NaiveDate;
use entities::{timesheet_entry, worker};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use validator::Validate;

use super::events::{self, SUBJECT};
use super::queries::{from_row, load};
use super::{EntryChanges, NewEntries, NewEntry, TimesheetEntry, is_quarter_hours};
use crate::error::AppError;
use crate::ids::{SiteId, TimesheetEntryId, WorkerId};
use crate::ledger::Subject;
use crate::patch::record_changes;
use crate::principal::{Permission, Principal};
use crate::state::Tx;

/// Hours already recorded for a worker on a day.
async fn hours_on(
    conn: &impl ConnectionTrait,
    worker: WorkerId,
    day: NaiveDate,
    except: Option<TimesheetEntryId>,
) -> Result<f64, AppError> {
    let mut select = timesheet_entry::Entity::find()
        .select_only()
        .column(timesheet_entry::Column::Hours)
        .filter(timesheet_entry::Column::WorkerId.eq(worker.0))
        .filter(timesheet_entry::Column::WorkedOn.eq(day));
    if let Some(except) = except {
        select = select.filter(timesheet_entry::Column::Id.ne(except.0));
    }
    // A day holds a handful of entries: summed here, alike on every database.
    let hours: Vec<f64> = select.into_tuple().all(conn).await?;
    Ok(hours.iter().sum())
}

/// Records `entries`, or none of them: each worker visible, each day within
/// their contract, hours in quarters, no day over 24 hours.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id))]
pub async fn record(
    tx: &mut Tx,
    principal: &Principal,
    entries: NewEntries,
) -> Result<Vec<TimesheetEntry>, AppError> {
    principal.require(Permission::ManageWorkers)?;
    entries.validate()?;
    let single = entries.entries.len() == 1;
    let field = |index: usize, name: &str| {
        if single {
            name.to_owned()
        } else {
            format!("entries[{index}].{name}")
        }
    };
    let mut workers: HashMap<WorkerId, worker::Model> = HashMap::new();
    let mut days: HashMap<(WorkerId, NaiveDate), f64> = HashMap::new();
    let mut recorded = Vec::new();
    for (index, entry) in entries.entries.into_iter().enumerate() {
        let NewEntry {
            worker_id,
            date,
            hours,
            activity,
        } = entry;
        let worker = match workers.entry(worker_id) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => slot.insert(
                worker::Entity::find_by_id(worker_id.0)
                    .one(tx.conn())
                    .await?
                    .filter(|w| principal.can_see_site(w.site_id))
                    .ok_or_else(|| AppError::field(field(index, "worker_id"), "no such worker"))?,
            ),
        };
        if date < worker.started_on || worker.ended_on.is_some_and(|end| date > end) {
            return Err(AppError::field(
                field(index, "date"),
                "is outside the worker's contract",
            ));
        }
        if !is_quarter_hours(hours) {
            return Err(AppError::field(
                field(index, "hours"),
                "in quarters of an hour, e.g. 3.5 or 7.25",
            ));
        }
        let site = SiteId(worker.site_id);
        let day = match days.get(&(worker_id, date)) {
            Some(total) => *total,
            None => hours_on(tx.conn(), worker_id, date, None).await?,
        };
        if day + hours > 24.0 {
            return Err(AppError::field(
                field(index, "hours"),
                "a day has 24 hours: this worker's would exceed them",
            ));
        }
        days.insert((worker_id, date), day + hours);
        let id = TimesheetEntryId::generate();
        tx.record(
            Some(site),
            Subject::new(SUBJECT, id),
            events::Recorded {
                worker_id,
                site_id: site,
                date,
                hours,
                activity,
            },
        )
        .await?;
        recorded.push(load(tx.conn(), id).await?);
    }
    Ok(recorded)
}

/// Corrects an entry's hours or activity.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, timesheet_entry = %id))]
pub async fn update(
    tx: &mut Tx,
    principal: &Principal,
    id: TimesheetEntryId,
    expected: i64,
    changes: EntryChanges,
) -> Result<TimesheetEntry, AppError> {
    principal.require(Permission::ManageWorkers)?;
    changes.validate()?;
    let row = timesheet_entry::Entity::find_by_id(id.0)
        .one(tx.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    principal.check_site(row.site_id)?;
    if let Some(hours) = changes.hours {
        if !is_quarter_hours(hours) {
            return Err(AppError::field(
                "hours",
                "in quarters of an hour, e.g. 3.5 or 7.25",
            ));
        }
        let others = hours_on(tx.conn(), WorkerId(row.worker_id), row.worked_on, Some(id)).await?;
        if others + hours > 24.0 {
            return Err(AppError::field(
                "hours",
                "a day has 24 hours: this worker's would exceed them",
            ));
        }
    }
    let changes = events::Changes {
        hours: changes.hours,
        activity: changes.activity,
    };
    let row = record_changes(tx, Subject::new(SUBJECT, id), expected, changes, |row| {
        Ok(Some(SiteId(row.site_id)))
    })
    .await?;
    from_row(row)
}

/// Reads a spreadsheet of hours against the workers `principal` may name
/// (from the read pool); `dry_run` stops there, else the entries are
/// recorded in one job, all or nothing.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id))]
pub async fn import(
    state: &crate::state::AppState,
    principal: &Principal,
    bytes: &[u8],
    dry_run: bool,
) -> Result<Vec<super::NewEntry>, AppError> {
    principal.require(Permission::ManageWorkers)?;
    let workers = crate::workers::queries::list(&state.db, principal, &Default::default()).await?;
    let entries = super::import::parse(bytes, &workers)?;
    if dry_run {
        return Ok(entries);
    }
    let batch = NewEntries {
        entries: entries.clone(),
    };
    state
        .write_now(principal, move |tx, who| Box::pin(record(tx, who, batch)))
        .await?;
    Ok(entries)
}
