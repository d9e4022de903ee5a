//! The figures of a period, read from the projections: what happened to
//! devices when from the departures projection (`devices::departures`), the
//! rest from the tables of each domain. Everything is counted by the
//! database, grouped; nothing is read a device at a time.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entities::{
    allocation, beneficiary, daily_tally, device, device_departure, donor, lot, timesheet_entry,
    worker,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::{
    Beneficiaries, Co2e, Devices, Donation, Figures, Focus, ImpactReport, Period, Quality,
    Supported, Weights, Workforce, departement,
};
use crate::beneficiaries::Category;
use crate::devices::{DeviceKind, DeviceState, tallies};
use crate::error::AppError;
use crate::ids::SiteId;
use crate::impact::{Factors, default_weight_kg};
use crate::principal::{Permission, Principal};
use crate::workers::{ContractKind, ExitOutcome};

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

/// Devices counted together: their number, and their weight as recorded
/// (`weighed` of them have one).
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    count: i64,
    recorded_kg: f64,
    weighed: i64,
}

impl Tally {
    /// Adds `other` `times` times (−1 takes it out).
    fn add(&mut self, other: Tally, times: i64) {
        self.count += other.count * times;
        self.recorded_kg += other.recorded_kg * times as f64;
        self.weighed += other.weighed * times;
    }

    /// The weight, each device without one counted at its kind's typical weight.
    fn weight_kg(self, kind: DeviceKind) -> f64 {
        self.recorded_kg + (self.count - self.weighed) as f64 * default_weight_kg(kind)
    }
}

/// The devices registered in `[start, end)`, by kind and donor kind: from
/// the daily tallies, or for one donation from the devices themselves.
async fn collected(
    db: &impl ConnectionTrait,
    scope: Option<Uuid>,
    donation: Option<Donation>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    donor_kinds: &HashMap<Uuid, String>,
) -> Result<Vec<(String, String, Tally)>, AppError> {
    if donation.is_none() {
        let rows = tallied(db, scope, &[tallies::COLLECTED], start, end).await?;
        return Ok(rows
            .into_iter()
            .map(|(_, kind, donor_kind, tally)| (kind, donor_kind, tally))
            .collect());
    }
    Ok(collected_devices(db, scope, donation, start, end)
        .await?
        .into_iter()
        .map(|(kind, lot, tally)| (kind, donor_kind_of(donor_kinds, lot), tally))
        .collect())
}

/// The kind of the donor of `lot`, as the tallies name it.
fn donor_kind_of(donor_kinds: &HashMap<Uuid, String>, lot: Option<Uuid>) -> String {
    lot.and_then(|lot| donor_kinds.get(&lot).cloned())
        .unwrap_or_else(|| tallies::NO_DONOR.to_owned())
}

/// The daily tallies of `measures` over the days of `[start, end)`, added
/// up by measure, kind and donor kind: a few rows a day.
async fn tallied(
    db: &impl ConnectionTrait,
    scope: Option<Uuid>,
    measures: &[&str],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<(String, String, String, Tally)>, AppError> {
    // Sums of integers are numeric in PostgreSQL: cast back.
    let sum = |column: &str| Expr::cust(format!(r#"CAST(SUM("{column}") AS BIGINT)"#));
    let mut select = daily_tally::Entity::find()
        .select_only()
        .column(daily_tally::Column::Measure)
        .column(daily_tally::Column::Kind)
        .column(daily_tally::Column::DonorKind)
        .column_as(sum("count"), "count")
        .column_as(sum("recorded_g"), "recorded_g")
        .column_as(sum("weighed"), "weighed")
        .filter(daily_tally::Column::Day.gte(start.date_naive()))
        .filter(daily_tally::Column::Day.lt(end.date_naive()))
        .filter(daily_tally::Column::Measure.is_in(measures.iter().copied()))
        .group_by(daily_tally::Column::Measure)
        .group_by(daily_tally::Column::Kind)
        .group_by(daily_tally::Column::DonorKind);
    if let Some(site) = scope {
        select = select.filter(daily_tally::Column::SiteId.eq(site));
    }
    Ok(select
        .into_tuple::<(String, String, String, i64, i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(measure, kind, donor_kind, count, grams, weighed)| {
            let tally = Tally {
                count,
                recorded_kg: grams as f64 / 1000.0,
                weighed,
            };
            (measure, kind, donor_kind, tally)
        })
        .collect())
}

/// How many devices the daily tallies of `measures` count before `end`:
/// one sum over one index range.
async fn tallied_count(
    db: &impl ConnectionTrait,
    scope: Option<Uuid>,
    measures: &[&str],
    end: DateTime<Utc>,
) -> Result<i64, AppError> {
    let mut select = daily_tally::Entity::find()
        .select_only()
        .column_as(Expr::cust(r#"CAST(SUM("count") AS BIGINT)"#), "count")
        .filter(daily_tally::Column::Measure.is_in(measures.iter().copied()))
        .filter(daily_tally::Column::Day.lt(end.date_naive()));
    if let Some(site) = scope {
        select = select.filter(daily_tally::Column::SiteId.eq(site));
    }
    let sum: Option<Option<i64>> = select.into_tuple().one(db).await?;
    Ok(sum.flatten().unwrap_or(0))
}

/// The devices registered in `[start, end)`, by kind and lot.
async fn collected_devices(
    db: &impl ConnectionTrait,
    scope: Option<Uuid>,
    donation: Option<Donation>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<(String, Option<Uuid>, Tally)>, AppError> {
    let mut select = device::Entity::find()
        .select_only()
        .column(device::Column::Kind)
        .column(device::Column::LotId)
        .column_as(device::Column::Id.count(), "count")
        .column_as(device::Column::WeightKg.sum(), "recorded_kg")
        .column_as(device::Column::WeightKg.count(), "weighed")
        .filter(device::Column::CreatedAt.gte(start))
        .filter(device::Column::CreatedAt.lt(end))
        .group_by(device::Column::Kind)
        .group_by(device::Column::LotId);
    if let Some(site) = scope {
        select = select.filter(device::Column::SiteId.eq(site));
    }
    Ok(of_donation(select, device::Column::LotId, donation)
        .into_tuple::<(String, Option<Uuid>, i64, Option<f64>, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(kind, lot, count, kg, weighed)| {
            let tally = Tally {
                count,
                recorded_kg: kg.unwrap_or(0.0),
                weighed,
            };
            (kind, lot, tally)
        })
        .collect())
}

/// The departures that happened in `[start, end)` and still held when it
/// ended (a device returned before is back in stock, not reused), each
/// with the device as it was when it left: one covering index, no join.
fn kept_departures(
    scope: Option<Uuid>,
    donation: Option<Donation>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> sea_orm::Select<device_departure::Entity> {
    let mut select = device_departure::Entity::find()
        .filter(device_departure::Column::At.gte(start))
        .filter(device_departure::Column::At.lt(end))
        .filter(
            sea_orm::Condition::any()
                .add(device_departure::Column::ReturnedAt.is_null())
                .add(device_departure::Column::ReturnedAt.gte(end)),
        );
    if let Some(site) = scope {
        select = select.filter(device_departure::Column::SiteId.eq(site));
    }
    of_donation(select, device_departure::Column::LotId, donation)
}

/// The outcomes a departure has.
const OUTCOMES: [&str; 4] = ["delivered", "recycled", "dismantled", "lost"];

/// The period's kept departures, by outcome, kind and donor kind: the
/// daily tallies, less the departures that came back before the period
/// ended (few: they are read one by one); or for one donation, from the
/// departures themselves.
async fn departed(
    db: &impl ConnectionTrait,
    scope: Option<Uuid>,
    donation: Option<Donation>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    donor_kinds: &HashMap<Uuid, String>,
) -> Result<Vec<(DeviceState, String, String, Tally)>, AppError> {
    if donation.is_some() {
        return Ok(
            by_outcome_kind_lot(db, kept_departures(scope, donation, start, end))
                .await?
                .into_iter()
                .map(|(outcome, kind, lot, tally)| {
                    (outcome, kind, donor_kind_of(donor_kinds, lot), tally)
                })
                .collect(),
        );
    }
    let (all, back) = tokio::try_join!(
        tallied(db, scope, &OUTCOMES, start, end),
        came_back(db, scope, start, end),
    )?;
    // Each group once, its returns taken out: never below nothing.
    let mut kept: HashMap<(DeviceState, String, String), Tally> = HashMap::new();
    for (outcome, kind, donor_kind, tally) in all {
        if let Some(outcome) = DeviceState::parse(&outcome) {
            kept.entry((outcome, kind, donor_kind))
                .or_default()
                .add(tally, 1);
        }
    }
    for (outcome, kind, lot, tally) in back {
        kept.entry((outcome, kind, donor_kind_of(donor_kinds, lot)))
            .or_default()
            .add(tally, -1);
    }
    Ok(kept
        .into_iter()
        .filter(|(_, tally)| tally.count > 0)
        .map(|((outcome, kind, donor_kind), tally)| (outcome, kind, donor_kind, tally))
        .collect())
}

/// The departures of `[start, end)` that came back before `end`, by
/// outcome, kind and lot.
async fn came_back(
    db: &impl ConnectionTrait,
    scope: Option<Uuid>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<(DeviceState, String, Option<Uuid>, Tally)>, AppError> {
    let mut select = device_departure::Entity::find()
        .filter(device_departure::Column::ReturnedAt.lt(end))
        .filter(device_departure::Column::At.gte(start))
        .filter(device_departure::Column::At.lt(end));
    if let Some(site) = scope {
        select = select.filter(device_departure::Column::SiteId.eq(site));
    }
    by_outcome_kind_lot(db, select).await
}

/// The departures `select` finds, counted and weighed by outcome, kind and lot.
async fn by_outcome_kind_lot(
    db: &impl ConnectionTrait,
    select: sea_orm::Select<device_departure::Entity>,
) -> Result<Vec<(DeviceState, String, Option<Uuid>, Tally)>, AppError> {
    Ok(select
        .select_only()
        .column(device_departure::Column::Outcome)
        .column(device_departure::Column::Kind)
        .column(device_departure::Column::LotId)
        .column_as(device_departure::Column::At.count(), "count")
        .column_as(device_departure::Column::WeightKg.sum(), "recorded_kg")
        .column_as(device_departure::Column::WeightKg.count(), "weighed")
        .group_by(device_departure::Column::Outcome)
        .group_by(device_departure::Column::Kind)
        .group_by(device_departure::Column::LotId)
        .into_tuple::<(String, String, Option<Uuid>, i64, Option<f64>, i64)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(outcome, kind, lot, count, kg, weighed)| {
            let tally = Tally {
                count,
                recorded_kg: kg.unwrap_or(0.0),
                weighed,
            };
            Some((DeviceState::parse(&outcome)?, kind, lot, tally))
        })
        .collect())
}

/// The median of the days from registration to delivery of the devices
/// reused in the period (`reused` of them), found by the database: the
/// middle one or two of them in order.
async fn median_days_to_delivery(
    db: &impl ConnectionTrait,
    scope: Option<Uuid>,
    donation: Option<Donation>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    reused: u64,
) -> Result<Option<f64>, AppError> {
    if reused == 0 {
        return Ok(None);
    }
    let middle: Vec<f64> = kept_departures(scope, donation, start, end)
        .select_only()
        .column(device_departure::Column::DaysInWorkshop)
        .filter(device_departure::Column::Outcome.eq(DeviceState::Delivered.as_str()))
        .order_by_asc(device_departure::Column::DaysInWorkshop)
        .offset((reused - 1) / 2)
        .limit(if reused.is_multiple_of(2) { 2 } else { 1 })
        .into_tuple()
        .all(db)
        .await?;
    Ok((!middle.is_empty()).then(|| middle.iter().sum::<f64>() / middle.len() as f64))
}

/// The devices in the workshop as `end` came: registered before, and not
/// gone (delivered and not returned, recycled, dismantled, lost). Without
/// a donation, from the daily tallies and the departures that came back.
async fn in_stock(
    db: &impl ConnectionTrait,
    scope: Option<Uuid>,
    donation: Option<Donation>,
    end: DateTime<Utc>,
) -> Result<u64, AppError> {
    if donation.is_none() {
        let (registered, departed, back) = tokio::try_join!(
            tallied_count(db, scope, &[tallies::COLLECTED], end),
            tallied_count(db, scope, &OUTCOMES, end),
            async {
                let mut back = device_departure::Entity::find()
                    .filter(device_departure::Column::ReturnedAt.lt(end));
                if let Some(site) = scope {
                    back = back.filter(device_departure::Column::SiteId.eq(site));
                }
                Ok::<_, AppError>(back.count(db).await?)
            },
        )?;
        let gone = departed - i64::try_from(back).unwrap_or(i64::MAX);
        return Ok(u64::try_from(registered - gone).unwrap_or(0));
    }
    let mut registered = device::Entity::find().filter(device::Column::CreatedAt.lt(end));
    let mut gone = device_departure::Entity::find()
        .filter(device_departure::Column::At.lt(end))
        .filter(
            sea_orm::Condition::any()
                .add(device_departure::Column::ReturnedAt.is_null())
                .add(device_departure::Column::ReturnedAt.gte(end)),
        );
    if let Some(site) = scope {
        registered = registered.filter(device::Column::SiteId.eq(site));
        gone = gone.filter(device_departure::Column::SiteId.eq(site));
    }
    let registered = of_donation(registered, device::Column::LotId, donation)
        .count(db)
        .await?;
    let gone = of_donation(gone, device_departure::Column::LotId, donation)
        .count(db)
        .await?;
    Ok(registered.saturating_sub(gone))
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
async fn beneficiaries(
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
async fn workforce(
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
async fn team(
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
async fn hours(
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
