//! The departures projection: each time a device left the workshop
//! (delivered, recycled, dismantled, lost) and when it came back, if it did.
//! The impact report counts from it instead of reading every transition of
//! the ledger, which at a million devices would take seconds.

use chrono::{DateTime, Utc};
use entities::{device, device_departure, event};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::DeviceState;
use crate::db::conn::Conn;

/// The kind of event it follows (`events::Transitioned`).
const KIND: &str = "device.transitioned";
/// The projection's name in `pending_rebuilds`.
const NAME: &str = "device_departures";
/// Transitions read per page when deriving the rows of an older ledger.
const PAGE: u64 = 5_000;

/// Whether reaching `state` means the device left the workshop.
pub fn is_departure(state: DeviceState) -> bool {
    state == DeviceState::Delivered || state.is_terminal()
}

/// One transition, as this projection reads it from `device.transitioned`.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
pub struct Step {
    pub from: DeviceState,
    pub to: DeviceState,
}

/// Applies one transition: a departure opens a row; leaving a departure
/// state (a return, a correction) closes the device's open row.
pub async fn follow(
    conn: &Conn,
    seq: i64,
    device: Uuid,
    site: Uuid,
    at: DateTime<Utc>,
    step: Step,
) -> Result<(), DbErr> {
    if step.from == step.to {
        return Ok(());
    }
    if is_departure(step.from) {
        device_departure::Entity::update_many()
            .col_expr(device_departure::Column::ReturnedAt, Expr::value(at))
            .filter(device_departure::Column::DeviceId.eq(device))
            .filter(device_departure::Column::ReturnedAt.is_null())
            .exec(conn)
            .await?;
    }
    if is_departure(step.to) {
        // The device as it leaves; its row is already moved by this event.
        let Some(device) = device::Entity::find_by_id(device).one(conn).await? else {
            return Err(DbErr::RecordNotFound(format!("device {device}")));
        };
        let departure = device_departure::ActiveModel {
            seq: Set(seq),
            device_id: Set(device.id),
            site_id: Set(site),
            outcome: Set(step.to.as_str().to_owned()),
            at: Set(at),
            returned_at: Set(None),
            kind: Set(device.kind),
            lot_id: Set(device.lot_id),
            weight_kg: Set(device.weight_kg),
            registered_at: Set(device.created_at),
            days_in_workshop: Set((at - device.created_at).num_seconds() as f64 / 86_400.0),
        }
        .insert(conn)
        .await?;
        super::tallies::departed(conn, &departure).await?;
    }
    Ok(())
}

/// Derives the rows from the ledger's transitions if a migration asked for
/// it (the table is new on an instance that already had events); a no-op
/// otherwise. Runs in one transaction: the rows are all there, or none.
pub async fn rebuild_if_pending(db: &DatabaseConnection) -> Result<(), DbErr> {
    if !crate::ledger::projection::rebuild_pending(db, NAME).await? {
        return Ok(());
    }
    // `follow` writes through a `Conn`, as every projection does; this one
    // has no inline connection, so sea-orm builds the statements.
    let conn = Conn::new(db.begin().await?, None);
    device_departure::Entity::delete_many().exec(&conn).await?;
    let mut after = 0;
    loop {
        let rows = event::Entity::find()
            .filter(event::Column::Kind.eq(KIND))
            .filter(event::Column::Seq.gt(after))
            .order_by_asc(event::Column::Seq)
            .limit(PAGE)
            .all(&conn)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.seq;
        for row in rows {
            let step: Step = serde_json::from_str(&row.payload)
                .map_err(|e| DbErr::Custom(format!("seq {}: {e}", row.seq)))?;
            let site = row.site_id.unwrap_or_default();
            follow(&conn, row.seq, row.subject_id, site, row.at, step).await?;
        }
    }
    crate::ledger::projection::rebuilt(conn.transaction(), NAME).await?;
    conn.into_transaction().commit().await
}

#[cfg(test)]
mod tests {
    use crate::ledger::Payload;

    #[test]
    fn the_projection_follows_the_kind_of_a_transition() {
        assert_eq!(
            super::KIND,
            <super::super::events::Transitioned as Payload>::KIND
        );
    }
}
