//! Reading workers: the one place where who may read a worker's name is
//! decided — the same rule as a beneficiary's, for the API, the pages and
//! the skills passport.

use entities::{worker, worker_personal_data};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{ContractKind, ExitOutcome, Worker};
use crate::beneficiaries::queries::may_read_personal_data;
use crate::error::AppError;
use crate::ids::{SiteId, UserId, WorkerId};
use crate::principal::{Permission, Principal};

/// A worker as `principal` may see it: the name dropped unless they may read it.
pub fn shown(principal: &Principal, mut worker: Worker, name: Option<String>) -> Worker {
    worker.display_name = name.filter(|_| may_read_personal_data(principal, worker.site_id));
    worker
}

fn from_row(row: worker::Model) -> Result<Worker, AppError> {
    Ok(Worker {
        id: WorkerId(row.id),
        site_id: SiteId(row.site_id),
        reference: row.reference,
        contract_kind: ContractKind::parse(&row.contract_kind)
            .ok_or_else(|| AppError::internal("unreadable contract kind"))?,
        started_on: row.started_on,
        ended_on: row.ended_on,
        exit_outcome: row.exit_outcome.as_deref().and_then(ExitOutcome::parse),
        weekly_hours: row.weekly_hours,
        user_id: row.user_id.map(UserId),
        has_personal_data: row.has_personal_data,
        display_name: None,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// A worker and their name, unchecked (inside a write, or before [`shown`]).
pub async fn load(
    conn: &impl ConnectionTrait,
    id: WorkerId,
) -> Result<(Worker, Option<String>), AppError> {
    let row = worker::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let name = worker_personal_data::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .map(|p| p.display_name);
    Ok((from_row(row)?, name))
}

pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: WorkerId,
) -> Result<Worker, AppError> {
    // A worker's record is a person's (contract, dates, exit): the
    // workshop's to read; a funder reads the report's totals.
    principal.require(Permission::ReadNotes)?;
    let (worker, name) = load(db, id).await?;
    principal.check_site(worker.site_id)?;
    Ok(shown(principal, worker, name))
}

/// What a list of workers may be narrowed to.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Filter {
    pub contract_kind: Option<ContractKind>,
    /// Only those whose contract runs on this day.
    pub active_on: Option<chrono::NaiveDate>,
    pub site_id: Option<SiteId>,
}

/// The workers `principal` sees, by start date (a team is tens of people,
/// a network a few hundred: no pages).
pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: &Filter,
) -> Result<Vec<Worker>, AppError> {
    principal.require(Permission::ReadNotes)?;
    let mut select = worker::Entity::find();
    if let Some(own) = principal.site_scope() {
        select = select.filter(worker::Column::SiteId.eq(own));
    }
    if let Some(site) = filter.site_id {
        select = select.filter(worker::Column::SiteId.eq(site.0));
    }
    if let Some(kind) = filter.contract_kind {
        select = select.filter(worker::Column::ContractKind.eq(kind.as_str()));
    }
    if let Some(day) = filter.active_on {
        select = select.filter(worker::Column::StartedOn.lte(day)).filter(
            sea_orm::Condition::any()
                .add(worker::Column::EndedOn.is_null())
                .add(worker::Column::EndedOn.gte(day)),
        );
    }
    let rows = select
        .order_by_asc(worker::Column::StartedOn)
        .order_by_asc(worker::Column::Id)
        .all(db)
        .await?;
    let names: std::collections::HashMap<uuid::Uuid, String> =
        if principal.role.allows(Permission::ReadPersonalData) {
            worker_personal_data::Entity::find()
                .filter(
                    worker_personal_data::Column::WorkerId
                        .is_in(rows.iter().map(|r| r.id).collect::<Vec<_>>()),
                )
                .all(db)
                .await?
                .into_iter()
                .map(|p| (p.worker_id, p.display_name))
                .collect()
        } else {
            Default::default()
        };
    rows.into_iter()
        .map(|row| {
            let name = names.get(&row.id).cloned();
            from_row(row).map(|w| shown(principal, w, name))
        })
        .collect()
}
