//! The people of a period: the beneficiaries of its deliveries and the workforce, counted by the database.

use chrono::{DateTime, Utc};
use entities::{allocation, beneficiary, device, timesheet_entry, worker};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::{donation_condition, round};
use crate::beneficiaries::Category;
use crate::error::AppError;
use crate::impact::Factors;
use crate::reports::{Beneficiaries, Donation, Period, Workforce, departement};
use crate::workers::{ContractKind, ExitOutcome};

/// The counts of people of `period` over `scope` (`None`: every site), and
/// nothing else (no hours): what the open data's suppression weighs for
/// each file.
pub async fn people(
    db: &impl ConnectionTrait,
    period: Period,
    scope: Option<Uuid>,
) -> Result<(Beneficiaries, Workforce), AppError> {
    let (start, end) = period.bounds();
    let (beneficiaries, workforce) = tokio::try_join!(
        beneficiaries(db, scope, None, start, end),
        team(db, scope, period),
    )?;
    Ok((beneficiaries, workforce))
}

/// The beneficiaries of the period's deliveries, each counted once: counted
/// by the database, by category and postcode, from the period's deliveries.
pub(super) async fn beneficiaries(
    db: &impl ConnectionTrait,
    scope: Option<Uuid>,
    donation: Option<Donation>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Beneficiaries, AppError> {
    let mut served = sea_orm::sea_query::Query::select();
    served
        .column(allocation::Column::BeneficiaryId)
        .from(allocation::Entity)
        .and_where(allocation::Column::DeliveredAt.gte(start))
        .and_where(allocation::Column::DeliveredAt.lt(end));
    if let Some(site) = scope {
        served.and_where(allocation::Column::SiteId.eq(site));
    }
    if let Some(donation) = donation {
        served.cond_where(
            allocation::Column::DeviceId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(device::Column::Id)
                    .from(device::Entity)
                    .cond_where(donation_condition(device::Column::LotId, donation))
                    .to_owned(),
            ),
        );
    }
    let groups = beneficiary::Entity::find()
        .select_only()
        .column(beneficiary::Column::Category)
        .column(beneficiary::Column::Postcode)
        .column_as(beneficiary::Column::Id.count(), "count")
        .filter(beneficiary::Column::Id.in_subquery(served))
        .group_by(beneficiary::Column::Category)
        .group_by(beneficiary::Column::Postcode)
        .into_tuple::<(String, Option<String>, i64)>()
        .all(db)
        .await?;
    let mut out = Beneficiaries::default();
    for (category, postcode, count) in groups {
        let count = count as u64;
        if Category::parse(&category).is_some_and(Category::is_individual) {
            out.individuals += count;
        } else {
            out.organisations += count;
        }
        *out.by_category.entry(category).or_default() += count;
        let dep = postcode
            .as_deref()
            .and_then(departement::of_postcode)
            .unwrap_or_else(|| "unknown".to_owned());
        *out.by_departement.entry(dep).or_default() += count;
    }
    Ok(out)
}

/// The workforce of the period, and the hours worked under insertion contracts.
pub(super) async fn workforce(
    db: &impl ConnectionTrait,
    scope: Option<Uuid>,
    period: Period,
    factors: &Factors,
) -> Result<(Workforce, f64), AppError> {
    let mut out = team(db, scope, period).await?;
    let insertion_hours = hours(db, scope, period, factors, &mut out).await?;
    Ok((out, insertion_hours))
}

/// The people of the workforce: who worked in the period, by contract,
/// who started and who left, and how.
pub(super) async fn team(
    db: &impl ConnectionTrait,
    scope: Option<Uuid>,
    period: Period,
) -> Result<Workforce, AppError> {
    let mut select = worker::Entity::find()
        .filter(worker::Column::StartedOn.lte(period.to))
        .filter(
            sea_orm::Condition::any()
                .add(worker::Column::EndedOn.is_null())
                .add(worker::Column::EndedOn.gte(period.from)),
        );
    if let Some(site) = scope {
        select = select.filter(worker::Column::SiteId.eq(site));
    }
    let mut out = Workforce::default();
    for w in select.all(db).await? {
        *out.workers_by_contract_kind
            .entry(w.contract_kind.clone())
            .or_default() += 1;
        if w.started_on >= period.from {
            out.jobs_created += 1;
        }
        let ended_here = w
            .ended_on
            .is_some_and(|e| e >= period.from && e <= period.to);
        if let (true, Some(outcome)) = (ended_here, w.exit_outcome.as_deref()) {
            *out.exits_by_outcome.entry(outcome.to_owned()).or_default() += 1;
            if ExitOutcome::parse(outcome).is_some_and(ExitOutcome::is_dynamic) {
                out.dynamic_exits += 1;
            }
        }
    }
    Ok(out)
}

/// The hours of the period into `out` (hours, training hours, FTE); answers
/// those worked under insertion contracts.
pub(super) async fn hours(
    db: &impl ConnectionTrait,
    scope: Option<Uuid>,
    period: Period,
    factors: &Factors,
    out: &mut Workforce,
) -> Result<f64, AppError> {
    // Hours by contract kind, for each kind's full-time hours.
    let mut hours = timesheet_entry::Entity::find()
        .select_only()
        .column(worker::Column::ContractKind)
        .column(timesheet_entry::Column::Activity)
        .column_as(timesheet_entry::Column::Hours.sum(), "hours")
        .join(
            JoinType::InnerJoin,
            timesheet_entry::Entity::belongs_to(worker::Entity)
                .from(timesheet_entry::Column::WorkerId)
                .to(worker::Column::Id)
                .into(),
        )
        .filter(timesheet_entry::Column::WorkedOn.gte(period.from))
        .filter(timesheet_entry::Column::WorkedOn.lte(period.to))
        .group_by(worker::Column::ContractKind)
        .group_by(timesheet_entry::Column::Activity);
    if let Some(site) = scope {
        hours = hours.filter(timesheet_entry::Column::SiteId.eq(site));
    }
    // Full-time hours of the period: the year's, pro rata of its days.
    let share_of_year = period.days() as f64 / 365.0;
    let mut fte = 0.0;
    let mut insertion_hours = 0.0;
    for (contract, activity, h) in hours.into_tuple::<(String, String, f64)>().all(db).await? {
        out.hours += h;
        if contract == ContractKind::Insertion.as_str() {
            insertion_hours += h;
        }
        if activity == "training" {
            out.training_hours += h;
        }
        let full_time = ContractKind::parse(&contract)
            .map_or(crate::impact::FULL_TIME_HOURS, |c| {
                factors.full_time_hours(c)
            });
        fte += h / (full_time * share_of_year);
    }
    out.fte = round(fte, 2);
    out.hours = round(out.hours, 2);
    out.training_hours = round(out.training_hours, 2);
    Ok(insertion_hours)
}
