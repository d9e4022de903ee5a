//! The figures of a period, read from the projections: what happened to
//! devices when from the departures projection (`devices::departures`), the
//! rest from the tables of each domain. Everything is counted by the
//! database, grouped; nothing is read a device at a time.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entities::{donor, lot};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::{
    Co2e, Devices, Donation, Figures, Focus, ImpactReport, Period, Quality, Supported, Weights,
};
use crate::devices::{DeviceKind, DeviceState};
use crate::error::AppError;
use crate::ids::SiteId;
use crate::impact::Factors;
use crate::principal::{Permission, Principal};

mod people;
mod stock;

pub use people::people;
use people::{beneficiaries, workforce};
use stock::{collected, departed, in_stock, median_days_to_delivery};

/// Only the rows of the donation's devices, found by their lot `column`.
fn donation_condition(column: impl ColumnTrait, donation: Donation) -> sea_orm::Condition {
    let matching = match donation {
        Donation::Lot(lot) => column.eq(lot.0),
        Donation::Donor(donor) => column.in_subquery(
            sea_orm::sea_query::Query::select()
                .column(lot::Column::Id)
                .from(lot::Entity)
                .and_where(lot::Column::DonorId.eq(donor.0))
                .to_owned(),
        ),
    };
    sea_orm::Condition::all().add(matching)
}

/// `query`, narrowed to the donation's devices if there is one.
fn of_donation<Q: QueryFilter>(
    query: Q,
    column: impl ColumnTrait,
    donation: Option<Donation>,
) -> Q {
    match donation {
        Some(donation) => query.filter(donation_condition(column, donation)),
        None => query,
    }
}

/// The report for `period` (and the one before), over the focus's site or
/// every site `principal` sees, and only its donation's devices if it names one.
pub async fn report(
    db: &impl ConnectionTrait,
    principal: &Principal,
    period: Period,
    focus: Focus,
    factors: &Factors,
) -> Result<ImpactReport, AppError> {
    let (scope, donor_kinds) = readable(db, principal, period, focus).await?;
    let donation = focus.donation;
    // The two periods, and each period's counts, are independent queries:
    // run at once, on connections of their own, they use every core.
    let (current, previous) = tokio::try_join!(
        figures(
            db,
            principal,
            period,
            scope,
            donation,
            &donor_kinds,
            factors
        ),
        figures(
            db,
            principal,
            period.previous(),
            scope,
            donation,
            &donor_kinds,
            factors
        ),
    )?;
    Ok(ImpactReport {
        site_id: scope.map(SiteId),
        donor_id: match donation {
            Some(Donation::Donor(donor)) => Some(donor),
            _ => None,
        },
        lot_id: match donation {
            Some(Donation::Lot(lot)) => Some(lot),
            _ => None,
        },
        current,
        previous,
    })
}

/// The figures of `period` alone, as the report gives them for its
/// current period: what a donor's impact statement quotes.
pub async fn period_figures(
    db: &impl ConnectionTrait,
    principal: &Principal,
    period: Period,
    focus: Focus,
    factors: &Factors,
) -> Result<Figures, AppError> {
    let (scope, donor_kinds) = readable(db, principal, period, focus).await?;
    figures(
        db,
        principal,
        period,
        scope,
        focus.donation,
        &donor_kinds,
        factors,
    )
    .await
}

/// Checks that `principal` may read a report of `period` over `focus`;
/// answers the sites it covers and each lot's donor kind (read once for
/// every period).
async fn readable(
    db: &impl ConnectionTrait,
    principal: &Principal,
    period: Period,
    focus: Focus,
) -> Result<(Option<Uuid>, HashMap<Uuid, String>), AppError> {
    principal.require(Permission::ReadInventory)?;
    if period.to < period.from {
        return Err(AppError::field("to", "must not be before `from`"));
    }
    if period.days() > 3660 {
        return Err(AppError::field("from", "a report covers ten years at most"));
    }
    let scope = principal.read_scope(focus.site)?;
    // A donation the reader cannot see is one they cannot ask about.
    match focus.donation {
        Some(Donation::Donor(donor)) => {
            crate::donors::queries::get(db, principal, donor)
                .await
                .map_err(|_| AppError::field("donor_id", "no such donor"))?;
        }
        Some(Donation::Lot(lot)) => {
            crate::lots::queries::get(db, principal, lot)
                .await
                .map_err(|_| AppError::field("lot_id", "no such lot"))?;
        }
        None => {}
    }
    Ok((scope, donor_kinds(db).await?))
}

async fn figures(
    db: &impl ConnectionTrait,
    principal: &Principal,
    period: Period,
    scope: Option<Uuid>,
    donation: Option<Donation>,
    donor_kinds: &HashMap<Uuid, String>,
    factors: &Factors,
) -> Result<Figures, AppError> {
    let (start, end) = period.bounds();
    let parse_kind = |kind: &str| DeviceKind::parse(kind).unwrap_or(DeviceKind::Other);

    let mut figures = Devices::default();
    let mut weights = Weights::default();
    let mut co2e = Co2e {
        source: factors.co2e_source().to_owned(),
        factors: DeviceKind::ALL
            .into_iter()
            .filter_map(|k| {
                factors
                    .co2e_avoided_kg(k)
                    .map(|f| (k.as_str().to_owned(), f))
            })
            .collect(),
        ..Default::default()
    };
    let (collected, departed, in_stock, quality, beneficiaries, (workforce, insertion_hours)) = tokio::try_join!(
        collected(db, scope, donation, start, end, donor_kinds),
        departed(db, scope, donation, start, end, donor_kinds),
        in_stock(db, scope, donation, end),
        crate::allocations::queries::non_conformity(
            db,
            principal,
            period.from,
            period.to,
            scope.map(SiteId),
        ),
        beneficiaries(db, scope, donation, start, end),
        workforce(db, scope, period, factors),
    )?;
    for (kind, donor_kind, tally) in collected {
        let count = tally.count as u64;
        figures.collected += count;
        weights.collected += tally.weight_kg(parse_kind(&kind));
        figures.by_kind.entry(kind).or_default().collected += count;
        figures
            .by_donor_kind
            .entry(donor_kind.clone())
            .or_default()
            .collected += count;
    }
    for (outcome, kind, donor_kind, tally) in departed {
        let count = tally.count as u64;
        let device_kind = parse_kind(&kind);
        match outcome {
            DeviceState::Delivered => {
                figures.reused += count;
                weights.reused += tally.weight_kg(device_kind);
                figures.by_kind.entry(kind).or_default().reused += count;
                figures
                    .by_donor_kind
                    .entry(donor_kind.clone())
                    .or_default()
                    .reused += count;
                match factors.co2e_avoided_kg(device_kind) {
                    Some(factor) => co2e.avoided_kg += factor * count as f64,
                    None => co2e.not_estimated += count,
                }
            }
            DeviceState::Recycled => {
                figures.recycled += count;
                weights.recycled += tally.weight_kg(device_kind);
                figures.by_kind.entry(kind).or_default().recycled += count;
                figures
                    .by_donor_kind
                    .entry(donor_kind.clone())
                    .or_default()
                    .recycled += count;
            }
            DeviceState::Dismantled => figures.dismantled += count,
            DeviceState::Lost => figures.lost += count,
            _ => {}
        }
    }
    figures.in_stock = in_stock;
    co2e.avoided_kg = round(co2e.avoided_kg, 1);
    weights = Weights {
        collected: round(weights.collected, 1),
        reused: round(weights.reused, 1),
        recycled: round(weights.recycled, 1),
    };

    let median_days =
        median_days_to_delivery(db, scope, donation, start, end, figures.reused).await?;
    let supported = match donation {
        Some(_) => {
            let devices_sent_on = figures.reused + figures.recycled + figures.dismantled;
            Some(
                supported(
                    db,
                    scope,
                    (start, end),
                    donor_kinds,
                    devices_sent_on,
                    insertion_hours,
                )
                .await?,
            )
        }
        None => None,
    };
    Ok(Figures {
        period,
        devices: figures,
        median_days_to_delivery: median_days.map(|d| round(d, 1)),
        weight_kg: weights,
        co2e_avoided_kg: co2e,
        beneficiaries,
        workforce,
        quality: Quality {
            non_conformity_rate: quality.rate.map(|r| round(r, 4)),
            deliveries: quality.deliveries,
            returns_under_warranty: quality.returns_under_warranty,
        },
        supported,
    })
}

/// The outcomes that mean the workshop sent a device on: work done on it.
const SENT_ON: [DeviceState; 3] = [
    DeviceState::Delivered,
    DeviceState::Recycled,
    DeviceState::Dismantled,
];

/// The donation's share of the insertion hours: its devices sent on in the
/// period (`devices_sent_on`) over every device sent on from the same sites
/// (the whole workshop's departures, from the daily tallies).
async fn supported(
    db: &impl ConnectionTrait,
    scope: Option<Uuid>,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    donor_kinds: &HashMap<Uuid, String>,
    devices_sent_on: u64,
    insertion_hours: f64,
) -> Result<Supported, AppError> {
    let all_devices_sent_on: u64 = departed(db, scope, None, start, end, donor_kinds)
        .await?
        .into_iter()
        .filter(|(outcome, ..)| SENT_ON.contains(outcome))
        .map(|(.., tally)| u64::try_from(tally.count).unwrap_or(0))
        .sum();
    let share = if all_devices_sent_on == 0 {
        0.0
    } else {
        devices_sent_on as f64 / all_devices_sent_on as f64
    };
    Ok(Supported {
        devices_sent_on,
        all_devices_sent_on,
        insertion_hours: round(insertion_hours, 2),
        insertion_hours_supported: round(insertion_hours * share, 1),
    })
}

fn round(value: f64, decimals: i32) -> f64 {
    let factor = 10f64.powi(decimals);
    (value * factor).round() / factor
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_and_the_one_before() {
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
