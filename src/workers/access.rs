//! A worker's right of access (GDPR art. 15): everything Retrace holds about
//! them, in one answer, made from their record and their skills passport.

use sea_orm::{ConnectionTrait, EntityTrait};
use serde::Serialize;
use utoipa::ToSchema;

use super::Worker;
use crate::error::AppError;
use crate::ids::WorkerId;
use crate::principal::{Permission, Principal};

/// Everything Retrace holds about a worker (GDPR art. 15): their record and
/// name, the account they sign in with, their hours, what their account
/// did (counted as in the skills passport) and every ledger event about
/// them or their hours — for the coordinators of their site and the admins.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkerAccess {
    pub worker: Worker,
    pub account: Option<WorkerAccount>,
    pub timesheets: Vec<crate::timesheets::TimesheetEntry>,
    /// Operations their account recorded, by kind, all time.
    pub operations: std::collections::BTreeMap<String, u64>,
    /// Oldest first.
    pub events: Vec<crate::ledger::Event>,
    pub generated_at: chrono::DateTime<chrono::Utc>,
}

/// The account a worker signs in with.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkerAccount {
    pub email: String,
    pub display_name: String,
}

pub async fn access(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: WorkerId,
) -> Result<WorkerAccess, AppError> {
    principal.require(Permission::ReadPersonalData)?;
    // The passport reads the worker (as `principal` may) and counts their
    // operations over all time.
    let earliest = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default();
    let today = chrono::Utc::now().date_naive();
    let passport = super::passport::prepare(
        db,
        principal,
        id,
        earliest,
        today,
        crate::i18n::Language::En,
        "",
    )
    .await?;
    let worker = passport.worker;
    let operations = passport
        .operations
        .into_iter()
        .map(|(operation, count)| (operation.words(crate::i18n::Language::En).to_owned(), count))
        .collect();
    let account = match worker.user_id {
        Some(user) => entities::user::Entity::find_by_id(user.0)
            .one(db)
            .await?
            .map(|u| WorkerAccount {
                email: u.email,
                display_name: u.display_name,
            }),
        None => None,
    };
    let timesheets = crate::timesheets::queries::list(
        db,
        principal,
        &crate::timesheets::queries::Filter {
            worker_id: Some(id),
            ..Default::default()
        },
    )
    .await?;
    let subjects: Vec<uuid::Uuid> = std::iter::once(id.0)
        .chain(timesheets.iter().map(|t| t.id.0))
        .collect();
    let events = crate::ledger::history::all_about(db, subjects).await?;
    Ok(WorkerAccess {
        worker,
        account,
        timesheets,
        operations,
        events,
        generated_at: chrono::Utc::now(),
    })
}
