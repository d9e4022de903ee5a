//! Worker commands, run inside the ledger writer. The name is written beside
//! the ledger in the same transaction as the event that says it was.

use entities::{site, worker, worker_personal_data};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait};
use validator::Validate;

use super::events::{self, SUBJECT};
use super::queries::{load, shown};
use super::{ContractKind, ExitOutcome, NewWorker, Worker, WorkerChanges, contract_problem};
use crate::error::AppError;
use crate::ids::{SiteId, WorkerId};
use crate::ledger::Subject;
use crate::patch::Patch;
use crate::patch::record_changes;
use crate::principal::{Permission, Principal};
use crate::state::Tx;

#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id))]
pub async fn register(
    tx: &mut Tx,
    principal: &Principal,
    new: NewWorker,
) -> Result<Worker, AppError> {
    principal.require(Permission::ManageWorkers)?;
    new.validate()?;
    let site = principal.target_site(new.site_id)?;
    let code = site::Entity::find_by_id(site.0)
        .one(tx.conn())
        .await?
        .ok_or_else(|| AppError::field("site_id", "no such site"))?
        .code;
    if let Some((field, message)) = contract_problem(
        new.contract_kind,
        new.started_on,
        new.ended_on,
        new.exit_outcome,
    ) {
        return Err(AppError::field(field, message));
    }
    if let Some(user) = new.user_id {
        crate::users::queries::visible(tx.conn(), principal, user)
            .await
            .map_err(|_| AppError::field("user_id", "no such user"))?;
    }
    let id = WorkerId::generate();
    tx.record(
        Some(site),
        Subject::new(SUBJECT, id),
        events::Registered {
            site_id: site,
            reference: crate::pseudonym::reference(&code, 'W'),
            contract_kind: new.contract_kind,
            started_on: new.started_on,
            ended_on: new.ended_on,
            exit_outcome: new.exit_outcome,
            weekly_hours: new.weekly_hours,
            user_id: new.user_id,
        },
    )
    .await?;
    worker_personal_data::ActiveModel {
        worker_id: Set(id.0),
        display_name: Set(new.display_name.trim().to_owned()),
        recorded_at: Set(chrono::Utc::now()),
    }
    .insert(tx.conn())
    .await?;
    tx.record(
        Some(site),
        Subject::new(SUBJECT, id),
        events::PersonalDataRecorded { version: 2 },
    )
    .await?;
    let (worker, name) = load(tx.conn(), id).await?;
    Ok(shown(principal, worker, name))
}

#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, worker = %id))]
pub async fn update(
    tx: &mut Tx,
    principal: &Principal,
    id: WorkerId,
    expected: i64,
    changes: WorkerChanges,
) -> Result<Worker, AppError> {
    principal.require(Permission::ManageWorkers)?;
    changes.validate()?;
    let row = worker::Entity::find_by_id(id.0)
        .one(tx.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    principal.check_site(row.site_id)?;
    // The contract as it would be: its dates and outcome must hold together.
    let kind = changes
        .contract_kind
        .or_else(|| ContractKind::parse(&row.contract_kind))
        .ok_or_else(|| AppError::internal("unreadable contract kind"))?;
    let started_on = changes.started_on.unwrap_or(row.started_on);
    let ended_on = changes.ended_on.or(row.ended_on);
    let exit_outcome = changes
        .exit_outcome
        .or(row.exit_outcome.as_deref().and_then(ExitOutcome::parse));
    if let Some((field, message)) = contract_problem(kind, started_on, ended_on, exit_outcome) {
        return Err(AppError::field(field, message));
    }
    if let Patch::Set(user) = changes.user_id {
        crate::users::queries::visible(tx.conn(), principal, user)
            .await
            .map_err(|_| AppError::field("user_id", "no such user"))?;
    }
    let changes = events::Changes {
        contract_kind: changes.contract_kind,
        started_on: changes.started_on,
        ended_on: changes.ended_on,
        exit_outcome: changes.exit_outcome,
        weekly_hours: changes.weekly_hours,
        user_id: changes.user_id,
    };
    record_changes(tx, Subject::new(SUBJECT, id), expected, changes, |row| {
        Ok(Some(SiteId(row.site_id)))
    })
    .await?;
    let (worker, name) = load(tx.conn(), id).await?;
    Ok(shown(principal, worker, name))
}

/// Erases a worker's name, and whatever the ledger's events about the worker
/// say of them (none of the worker's kinds holds a free text today: the
/// common path keeps it so when one does). Erasing what is already gone
/// records nothing. The account a worker may have is a member of staff's,
/// erased as such (`users::service::erase_personal_data`).
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, worker = %id))]
pub async fn erase_personal_data(
    tx: &mut Tx,
    principal: &Principal,
    id: WorkerId,
) -> Result<Worker, AppError> {
    principal.require(Permission::ReadPersonalData)?;
    let row = worker::Entity::find_by_id(id.0)
        .one(tx.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    principal.check_site(row.site_id)?;
    let deleted = worker_personal_data::Entity::delete_by_id(id.0)
        .exec(tx.conn())
        .await?
        .rows_affected;
    let taken = crate::privacy::take(tx, &[id.0], None).await?;
    if deleted > 0 || row.has_personal_data || !taken.is_empty() {
        tx.record(
            Some(SiteId(row.site_id)),
            Subject::new(SUBJECT, id),
            events::PersonalDataErased {
                version: row.version + 1,
            },
        )
        .await?;
    }
    taken.record(tx).await?;
    let (worker, name) = load(tx.conn(), id).await?;
    Ok(shown(principal, worker, name))
}

/// After an erasure is committed (see [`crate::privacy::scrub`]).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn scrub(db: &DatabaseConnection) -> Result<(), AppError> {
    crate::privacy::scrub(db, &["worker_personal_data"]).await
}
