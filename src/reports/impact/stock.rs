//! What happened to devices in a period: collected, departed (and came back), in stock at its end, counted from the daily tallies and the departures projection.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entities::{daily_tally, device, device_departure};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::of_donation;
use crate::devices::{DeviceKind, DeviceState, tallies};
use crate::error::AppError;
use crate::impact::default_weight_kg;
use crate::reports::Donation;

/// Devices counted together: their number, and their weight as recorded
/// (`weighed` of them have one).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Tally {
    pub(super) count: i64,
    recorded_kg: f64,
    weighed: i64,
}

impl Tally {
    /// Adds `other` `times` times (−1 takes it out).
    pub(super) fn add(&mut self, other: Tally, times: i64) {
        self.count += other.count * times;
        self.recorded_kg += other.recorded_kg * times as f64;
        self.weighed += other.weighed * times;
    }

    /// The weight, each device without one counted at its kind's typical weight.
    pub(super) fn weight_kg(self, kind: DeviceKind) -> f64 {
        self.recorded_kg + (self.count - self.weighed) as f64 * default_weight_kg(kind)
    }
}

/// The devices registered in `[start, end)`, by kind and donor kind: from
/// the daily tallies, or for one donation from the devices themselves.
pub(super) async fn collected(
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
pub(super) fn donor_kind_of(donor_kinds: &HashMap<Uuid, String>, lot: Option<Uuid>) -> String {
    lot.and_then(|lot| donor_kinds.get(&lot).cloned())
        .unwrap_or_else(|| tallies::NO_DONOR.to_owned())
}

/// The daily tallies of `measures` over the days of `[start, end)`, added
/// up by measure, kind and donor kind: a few rows a day.
pub(super) async fn tallied(
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
pub(super) async fn tallied_count(
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
pub(super) async fn collected_devices(
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
pub(super) fn kept_departures(
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
pub(super) const OUTCOMES: [&str; 4] = ["delivered", "recycled", "dismantled", "lost"];

/// The period's kept departures, by outcome, kind and donor kind: the
/// daily tallies, less the departures that came back before the period
/// ended (few: they are read one by one); or for one donation, from the
/// departures themselves.
pub(super) async fn departed(
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
pub(super) async fn came_back(
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
pub(super) async fn by_outcome_kind_lot(
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
pub(super) async fn median_days_to_delivery(
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
pub(super) async fn in_stock(
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
