//! The figures of a period, read from the projections — and, for what
//! happened to devices when, from the ledger's `device.transitioned` events,
//! which say exactly that.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entities::{allocation, beneficiary, device, donor, event, lot, timesheet_entry, worker};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::{
    Beneficiaries, Co2e, Devices, Figures, ImpactReport, Period, Quality, Weights, Workforce,
    departement,
};
use crate::auth::{Permission, Principal};
use crate::beneficiaries::Category;
use crate::devices::{DeviceKind, DeviceState};
use crate::error::AppError;
use crate::ids::SiteId;
use crate::impact::{CO2E_SOURCE, co2e_avoided_kg, default_weight_kg};
use crate::workers::ExitOutcome;

/// The hours of a full-time post in a year: the French legal 1,607.
pub const FULL_TIME_HOURS: f64 = 1607.0;

fn bounds(period: Period) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = period
        .from
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let end = period
        .to
        .succ_opt()
        .unwrap_or(period.to)
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc();
    (start, end)
}

/// The report for `period` (and the one before), over `site` or every site
/// `principal` sees.
pub async fn report(
    db: &impl ConnectionTrait,
    principal: &Principal,
    period: Period,
    site: Option<SiteId>,
) -> Result<ImpactReport, AppError> {
    principal.require(Permission::ReadInventory)?;
    if period.to < period.from {
        return Err(AppError::field("to", "must not be before `from`"));
    }
    if period.days() > 3660 {
        return Err(AppError::field("from", "a report covers ten years at most"));
    }
    let scope = match (principal.site_scope(), site) {
        (Some(own), Some(asked)) if own != asked.0 => return Err(AppError::NotFound),
        (Some(own), _) => Some(own),
        (None, asked) => asked.map(|s| s.0),
    };
    // The devices and their donors are read once, for both periods.
    let mut select = device::Entity::find();
    if let Some(site) = scope {
        select = select.filter(device::Column::SiteId.eq(site));
    }
    let devices = select.all(db).await?;
    let donor_kinds = donor_kinds(db).await?;
    let held = Held {
        devices: &devices,
        donor_kinds: &donor_kinds,
    };
    Ok(ImpactReport {
        site_id: scope.map(SiteId),
        current: figures(db, principal, period, scope, &held).await?,
        previous: figures(db, principal, period.previous(), scope, &held).await?,
    })
}

/// What both periods' figures are read from: the scope's devices, and each
/// lot's donor kind.
struct Held<'a> {
    devices: &'a [device::Model],
    donor_kinds: &'a HashMap<Uuid, String>,
}

/// What became of a device in the period: its last terminal or delivered
/// step, and when.
struct Step {
    to: DeviceState,
    at: DateTime<Utc>,
}

async fn figures(
    db: &impl ConnectionTrait,
    principal: &Principal,
    period: Period,
    scope: Option<Uuid>,
    held: &Held<'_>,
) -> Result<Figures, AppError> {
    let (start, end) = bounds(period);
    let Held {
        devices,
        donor_kinds,
    } = *held;
    let by_id: HashMap<Uuid, &device::Model> = devices.iter().map(|d| (d.id, d)).collect();

    // What happened to devices, from the ledger: the period's departures,
    // and each device's state as the period ended.
    let mut steps: HashMap<Uuid, Step> = HashMap::new();
    let mut state_at_end: HashMap<Uuid, DeviceState> = HashMap::new();
    let mut transitions = event::Entity::find()
        .filter(event::Column::Kind.eq("device.transitioned"))
        .filter(event::Column::At.lt(end));
    if let Some(site) = scope {
        transitions = transitions.filter(event::Column::SiteId.eq(site));
    }
    let transitions = transitions.order_by_asc(event::Column::Seq).all(db).await?;
    for row in transitions {
        let Ok(payload) = serde_json::from_str::<serde_json::Value>(&row.payload) else {
            continue;
        };
        let Some(to) = payload["to"].as_str().and_then(DeviceState::parse) else {
            continue;
        };
        state_at_end.insert(row.subject_id, to);
        let departure = matches!(
            to,
            DeviceState::Delivered
                | DeviceState::Recycled
                | DeviceState::Dismantled
                | DeviceState::Lost
        );
        if departure && row.at >= start {
            steps.insert(row.subject_id, Step { to, at: row.at });
        }
    }

    let weight = |d: &device::Model| {
        d.weight_kg.unwrap_or_else(|| {
            default_weight_kg(DeviceKind::parse(&d.kind).unwrap_or(DeviceKind::Other))
        })
    };
    let mut figures = Devices::default();
    let mut weights = Weights::default();
    let mut co2e = Co2e {
        source: CO2E_SOURCE.to_owned(),
        factors: DeviceKind::ALL
            .into_iter()
            .filter_map(|k| co2e_avoided_kg(k).map(|f| (k.as_str().to_owned(), f)))
            .collect(),
        ..Default::default()
    };
    let mut days_to_delivery = Vec::new();
    for d in devices {
        let kind = d.kind.clone();
        let donor_kind = d
            .lot_id
            .and_then(|lot| donor_kinds.get(&lot).cloned())
            .unwrap_or_else(|| "none".to_owned());
        if d.created_at >= start && d.created_at < end {
            figures.collected += 1;
            weights.collected += weight(d);
            figures.by_kind.entry(kind.clone()).or_default().collected += 1;
            figures
                .by_donor_kind
                .entry(donor_kind.clone())
                .or_default()
                .collected += 1;
        }
        // In the workshop as the period ended: registered, not gone.
        let gone = state_at_end
            .get(&d.id)
            .is_some_and(|s| s.is_terminal() || *s == DeviceState::Delivered);
        if d.created_at < end && !gone {
            figures.in_stock += 1;
        }
    }
    for (id, step) in &steps {
        let Some(d) = by_id.get(id) else { continue };
        let kind = DeviceKind::parse(&d.kind).unwrap_or(DeviceKind::Other);
        let donor_kind = d
            .lot_id
            .and_then(|lot| donor_kinds.get(&lot).cloned())
            .unwrap_or_else(|| "none".to_owned());
        match step.to {
            DeviceState::Delivered => {
                figures.reused += 1;
                weights.reused += weight(d);
                figures.by_kind.entry(d.kind.clone()).or_default().reused += 1;
                figures.by_donor_kind.entry(donor_kind).or_default().reused += 1;
                match co2e_avoided_kg(kind) {
                    Some(factor) => co2e.avoided_kg += factor,
                    None => co2e.not_estimated += 1,
                }
                days_to_delivery.push((step.at - d.created_at).num_seconds() as f64 / 86_400.0);
            }
            DeviceState::Recycled => {
                figures.recycled += 1;
                weights.recycled += weight(d);
                figures.by_kind.entry(d.kind.clone()).or_default().recycled += 1;
                figures
                    .by_donor_kind
                    .entry(donor_kind)
                    .or_default()
                    .recycled += 1;
            }
            DeviceState::Dismantled => figures.dismantled += 1,
            DeviceState::Lost => figures.lost += 1,
            _ => {}
        }
    }
    co2e.avoided_kg = round(co2e.avoided_kg, 1);
    weights = Weights {
        collected: round(weights.collected, 1),
        reused: round(weights.reused, 1),
        recycled: round(weights.recycled, 1),
    };

    let quality =
        crate::allocations::queries::non_conformity(db, principal, period.from, period.to).await?;
    Ok(Figures {
        period,
        devices: figures,
        median_days_to_delivery: median(&mut days_to_delivery).map(|d| round(d, 1)),
        weight_kg: weights,
        co2e_avoided_kg: co2e,
        beneficiaries: beneficiaries(db, scope, start, end).await?,
        workforce: workforce(db, scope, period).await?,
        quality: Quality {
            non_conformity_rate: quality.rate.map(|r| round(r, 4)),
            deliveries: quality.deliveries,
            returns_under_warranty: quality.returns_under_warranty,
        },
    })
}

fn round(value: f64, decimals: i32) -> f64 {
    let factor = 10f64.powi(decimals);
    (value * factor).round() / factor
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    })
}

/// Each lot's donor kind.
async fn donor_kinds(db: &impl ConnectionTrait) -> Result<HashMap<Uuid, String>, AppError> {
    let kinds: HashMap<Uuid, String> = donor::Entity::find()
        .select_only()
        .column(donor::Column::Id)
        .column(donor::Column::Kind)
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(lot::Entity::find()
        .select_only()
        .column(lot::Column::Id)
        .column(lot::Column::DonorId)
        .into_tuple::<(Uuid, Uuid)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(lot, donor)| kinds.get(&donor).map(|k| (lot, k.clone())))
        .collect())
}

/// The beneficiaries of the period's deliveries, each counted once.
async fn beneficiaries(
    db: &impl ConnectionTrait,
    scope: Option<Uuid>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Beneficiaries, AppError> {
    let mut select = allocation::Entity::find()
        .select_only()
        .column(allocation::Column::BeneficiaryId)
        .filter(allocation::Column::DeliveredAt.gte(start))
        .filter(allocation::Column::DeliveredAt.lt(end));
    if let Some(site) = scope {
        select = select.filter(allocation::Column::SiteId.eq(site));
    }
    let served: HashSet<Uuid> = select
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let rows = beneficiary::Entity::find()
        .filter(beneficiary::Column::Id.is_in(served))
        .all(db)
        .await?;
    let mut out = Beneficiaries::default();
    for row in rows {
        let category = Category::parse(&row.category);
        if category.is_some_and(Category::is_individual) {
            out.individuals += 1;
        } else {
            out.organisations += 1;
        }
        *out.by_category.entry(row.category.clone()).or_default() += 1;
        let dep = row
            .postcode
            .as_deref()
            .and_then(departement::of_postcode)
            .unwrap_or_else(|| "unknown".to_owned());
        *out.by_departement.entry(dep).or_default() += 1;
    }
    Ok(out)
}

async fn workforce(
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
    let mut hours = timesheet_entry::Entity::find()
        .select_only()
        .column(timesheet_entry::Column::Hours)
        .column(timesheet_entry::Column::Activity)
        .filter(timesheet_entry::Column::WorkedOn.gte(period.from))
        .filter(timesheet_entry::Column::WorkedOn.lte(period.to));
    if let Some(site) = scope {
        hours = hours.filter(timesheet_entry::Column::SiteId.eq(site));
    }
    for (h, activity) in hours.into_tuple::<(f64, String)>().all(db).await? {
        out.hours += h;
        if activity == "training" {
            out.training_hours += h;
        }
    }
    // Full-time hours of the period: 1,607 a year, pro rata of its days.
    let full_time = FULL_TIME_HOURS * period.days() as f64 / 365.0;
    out.fte = round(out.hours / full_time, 2);
    out.hours = round(out.hours, 2);
    out.training_hours = round(out.training_hours, 2);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_periods() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        let year = Period {
            from: "2026-01-01".parse().unwrap(),
            to: "2026-12-31".parse().unwrap(),
        };
        assert_eq!(year.days(), 365);
        let before = year.previous();
        assert_eq!(before.from.to_string(), "2025-01-01");
        assert_eq!(before.to.to_string(), "2025-12-31");
    }
}
