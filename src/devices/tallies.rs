//! The daily tallies projection: devices collected, and departed by
//! outcome, counted a day, a site, a kind and a kind of donor at a time.
//! A year's report adds up a few thousand of these rows where it would
//! otherwise group every device registered and every departure.
//!
//! A tally is always what the devices and departures tables say now:
//! a device's kind or weight corrected moves its count from one row to the
//! other, a donor's kind corrected moves its devices' counts. Returns are
//! not tallied: the report takes them from the departures that came back.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entities::{daily_tally, device, device_departure, donor, lot};
use futures::TryStreamExt;
use sea_orm::sea_query::SelectStatement;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect,
    StreamTrait, TransactionTrait,
};
use uuid::Uuid;

use crate::db::conn::Conn;

/// The projection's name in `pending_rebuilds`.
const NAME: &str = "daily_tallies";
/// The measure of a registration; departures are measured by their outcome.
pub const COLLECTED: &str = "collected";
/// The donor kind of a device that came without a lot.
pub const NO_DONOR: &str = "none";

/// One row's key: the day, site, measure, device kind and donor kind.
type Key = (NaiveDate, Uuid, String, String, String);
/// A device as the tallies read it: site, kind, lot, weight, registration.
type DeviceRow = (Uuid, String, Option<Uuid>, Option<f64>, DateTime<Utc>);
/// A departure as the tallies read it: site, outcome, kind, lot, weight, time.
type DepartureRow = (
    Uuid,
    String,
    String,
    Option<Uuid>,
    Option<f64>,
    DateTime<Utc>,
);

/// What one or more devices add to a row (negative to take them out).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Amount {
    pub count: i64,
    pub recorded_g: i64,
    pub weighed: i64,
}

impl Amount {
    /// One device of `weight_kg`, counted `sign` times (1 or −1).
    pub fn device(weight_kg: Option<f64>, sign: i64) -> Self {
        Self {
            count: sign,
            recorded_g: weight_kg.map_or(0, grams) * sign,
            weighed: i64::from(weight_kg.is_some()) * sign,
        }
    }

    /// The same devices taken back out.
    fn negated(self) -> Self {
        Self {
            count: -self.count,
            recorded_g: -self.recorded_g,
            weighed: -self.weighed,
        }
    }

    fn add(&mut self, other: Amount) {
        self.count += other.count;
        self.recorded_g += other.recorded_g;
        self.weighed += other.weighed;
    }
}

/// A weight in whole grams: what the tallies add, exactly.
pub fn grams(kg: f64) -> i64 {
    (kg * 1000.0).round() as i64
}

/// The kind of the donor of `lot`, `none` without one.
pub async fn donor_kind(conn: &impl ConnectionTrait, lot: Option<Uuid>) -> Result<String, DbErr> {
    let Some(lot) = lot else {
        return Ok(NO_DONOR.to_owned());
    };
    let kind: Option<String> = donor::Entity::find()
        .select_only()
        .column(donor::Column::Kind)
        .filter(
            donor::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(lot::Column::DonorId)
                    .from(lot::Entity)
                    .and_where(lot::Column::Id.eq(lot))
                    .to_owned(),
            ),
        )
        .into_tuple()
        .one(conn)
        .await?;
    Ok(kind.unwrap_or_else(|| NO_DONOR.to_owned()))
}

/// Adds `amount` to the row of `key`; a row that falls to nothing is
/// removed, so the table holds what a derivation from scratch would.
async fn add(conn: &Conn, key: Key, amount: Amount) -> Result<(), DbErr> {
    let (day, site_id, measure, kind, donor_kind) = key;
    // Every registration and departure comes here.
    conn.add_to(daily_tally::ActiveModel {
        day: sea_orm::Set(day),
        site_id: sea_orm::Set(site_id),
        measure: sea_orm::Set(measure.clone()),
        kind: sea_orm::Set(kind.clone()),
        donor_kind: sea_orm::Set(donor_kind.clone()),
        count: sea_orm::Set(amount.count),
        recorded_g: sea_orm::Set(amount.recorded_g),
        weighed: sea_orm::Set(amount.weighed),
    })
    .await?;
    if amount.count < 0 {
        daily_tally::Entity::delete_many()
            .filter(daily_tally::Column::Day.eq(day))
            .filter(daily_tally::Column::SiteId.eq(site_id))
            .filter(daily_tally::Column::Measure.eq(measure))
            .filter(daily_tally::Column::Kind.eq(kind))
            .filter(daily_tally::Column::DonorKind.eq(donor_kind))
            .filter(daily_tally::Column::Count.eq(0))
            .exec(conn)
            .await?;
    }
    Ok(())
}

fn day(at: DateTime<Utc>) -> NaiveDate {
    at.date_naive()
}

/// A device registered: one more collected.
pub async fn registered(conn: &Conn, device: &device::Model) -> Result<(), DbErr> {
    let donor_kind = donor_kind(conn, device.lot_id).await?;
    let key = (
        day(device.created_at),
        device.site_id,
        COLLECTED.to_owned(),
        device.kind.clone(),
        donor_kind,
    );
    add(conn, key, Amount::device(device.weight_kg, 1)).await
}

/// A device's record corrected: if its kind or weight changed, its count
/// moves from what it was to what it is.
pub async fn corrected(
    conn: &Conn,
    before: &device::Model,
    after: &device::Model,
) -> Result<(), DbErr> {
    if before.kind == after.kind && before.weight_kg == after.weight_kg {
        return Ok(());
    }
    let donor_kind = donor_kind(conn, before.lot_id).await?;
    let key = |d: &device::Model| {
        (
            day(d.created_at),
            d.site_id,
            COLLECTED.to_owned(),
            d.kind.clone(),
            donor_kind.clone(),
        )
    };
    add(conn, key(before), Amount::device(before.weight_kg, -1)).await?;
    add(conn, key(after), Amount::device(after.weight_kg, 1)).await
}

/// A device left: one more of its outcome, as the departure recorded it.
pub async fn departed(conn: &Conn, departure: &device_departure::Model) -> Result<(), DbErr> {
    let donor_kind = donor_kind(conn, departure.lot_id).await?;
    let key = (
        day(departure.at),
        departure.site_id,
        departure.outcome.clone(),
        departure.kind.clone(),
        donor_kind,
    );
    add(conn, key, Amount::device(departure.weight_kg, 1)).await
}

/// What the devices and departures put in the tallies, by day, site,
/// measure, kind and lot: those of the lots `lots` selects, or all.
/// Read as a stream: a million rows are never held at once.
async fn derive<C: ConnectionTrait + StreamTrait>(
    conn: &C,
    lots: Option<SelectStatement>,
) -> Result<HashMap<(NaiveDate, Uuid, String, String, Option<Uuid>), Amount>, DbErr> {
    let mut derived: HashMap<_, Amount> = HashMap::new();
    let mut devices = device::Entity::find().select_only().columns([
        device::Column::SiteId,
        device::Column::Kind,
        device::Column::LotId,
        device::Column::WeightKg,
        device::Column::CreatedAt,
    ]);
    if let Some(lots) = &lots {
        devices = devices.filter(device::Column::LotId.in_subquery(lots.clone()));
    }
    let mut rows = devices.into_tuple::<DeviceRow>().stream(conn).await?;
    while let Some((site, kind, lot, weight, at)) = rows.try_next().await? {
        derived
            .entry((day(at), site, COLLECTED.to_owned(), kind, lot))
            .or_default()
            .add(Amount::device(weight, 1));
    }
    drop(rows);
    let mut departures = device_departure::Entity::find().select_only().columns([
        device_departure::Column::SiteId,
        device_departure::Column::Outcome,
        device_departure::Column::Kind,
        device_departure::Column::LotId,
        device_departure::Column::WeightKg,
        device_departure::Column::At,
    ]);
    if let Some(lots) = lots {
        departures = departures.filter(device_departure::Column::LotId.in_subquery(lots));
    }
    let mut rows = departures.into_tuple::<DepartureRow>().stream(conn).await?;
    while let Some((site, outcome, kind, lot, weight, at)) = rows.try_next().await? {
        derived
            .entry((day(at), site, outcome, kind, lot))
            .or_default()
            .add(Amount::device(weight, 1));
    }
    Ok(derived)
}

/// A donor's kind corrected: their devices' counts move to the new kind.
pub async fn donor_kind_changed(
    conn: &Conn,
    donor: Uuid,
    from: &str,
    to: &str,
) -> Result<(), DbErr> {
    if from == to {
        return Ok(());
    }
    let lots = sea_orm::sea_query::Query::select()
        .column(lot::Column::Id)
        .from(lot::Entity)
        .and_where(lot::Column::DonorId.eq(donor))
        .to_owned();
    for ((day, site, measure, kind, _), amount) in derive(conn.transaction(), Some(lots)).await? {
        let key = |donor_kind: &str| {
            (
                day,
                site,
                measure.clone(),
                kind.clone(),
                donor_kind.to_owned(),
            )
        };
        add(conn, key(from), amount.negated()).await?;
        add(conn, key(to), amount).await?;
    }
    Ok(())
}

/// Derives the tallies from the devices and departures if a migration
/// asked for it (the table is new on an instance that already had
/// devices); a no-op otherwise. In one transaction: all rows, or none.
pub async fn rebuild_if_pending(db: &DatabaseConnection) -> Result<(), DbErr> {
    if !crate::ledger::projection::rebuild_pending(db, NAME).await? {
        return Ok(());
    }
    let txn = db.begin().await?;
    daily_tally::Entity::delete_many().exec(&txn).await?;
    let donor_kinds: HashMap<Uuid, String> = donor::Entity::find()
        .select_only()
        .columns([donor::Column::Id, donor::Column::Kind])
        .into_tuple::<(Uuid, String)>()
        .all(&txn)
        .await?
        .into_iter()
        .collect();
    let lot_kinds: HashMap<Uuid, String> = lot::Entity::find()
        .select_only()
        .columns([lot::Column::Id, lot::Column::DonorId])
        .into_tuple::<(Uuid, Uuid)>()
        .all(&txn)
        .await?
        .into_iter()
        .filter_map(|(lot, donor)| donor_kinds.get(&donor).map(|k| (lot, k.clone())))
        .collect();
    let mut tallies: HashMap<Key, Amount> = HashMap::new();
    for ((day, site, measure, kind, lot), amount) in derive(&txn, None).await? {
        let donor_kind = lot
            .and_then(|l| lot_kinds.get(&l).cloned())
            .unwrap_or_else(|| NO_DONOR.to_owned());
        tallies
            .entry((day, site, measure, kind, donor_kind))
            .or_default()
            .add(amount);
    }
    let rows: Vec<daily_tally::ActiveModel> = tallies
        .into_iter()
        .filter(|(_, amount)| amount.count != 0)
        .map(
            |((day, site_id, measure, kind, donor_kind), amount)| daily_tally::ActiveModel {
                day: sea_orm::Set(day),
                site_id: sea_orm::Set(site_id),
                measure: sea_orm::Set(measure),
                kind: sea_orm::Set(kind),
                donor_kind: sea_orm::Set(donor_kind),
                count: sea_orm::Set(amount.count),
                recorded_g: sea_orm::Set(amount.recorded_g),
                weighed: sea_orm::Set(amount.weighed),
            },
        )
        .collect();
    // A few hundred rows a statement: within every database's limit of
    // bound values.
    for chunk in rows.chunks(500) {
        daily_tally::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    crate::ledger::projection::rebuilt(&txn, NAME).await?;
    txn.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_added_and_taken_back_in_whole_grams() {
        let mut total = Amount::default();
        for kg in [0.1, 0.2, 2.35, 7.5] {
            total.add(Amount::device(Some(kg), 1));
        }
        total.add(Amount::device(None, 1));
        total.add(Amount::device(Some(0.2), -1));
        assert_eq!(
            total,
            Amount {
                count: 4,
                recorded_g: 9_950,
                weighed: 3
            }
        );
    }
}
