//! What the impact report reads instead of scanning the ledger: each time a
//! device left (delivered, recycled, dismantled, lost) and, if it came back,
//! when. A projection like the others; the rows of a ledger written before
//! this table existed are derived from its events at the next start-up
//! (`pending_rebuilds` names what is to be derived).
//!
//! The indexes serve the report's period scans: devices collected by date,
//! deliveries and returns by date.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let departures = Table::create()
            .table("device_departures")
            .col(big_integer("seq").primary_key())
            .col(uuid("device_id"))
            .col(uuid("site_id"))
            .col(string("outcome"))
            .col(timestamp_with_time_zone("at"))
            .col(timestamp_with_time_zone_null("returned_at"))
            .foreign_key(&mut crate::foreign_key(
                "device_departures",
                "device_id",
                "devices",
            ))
            .to_owned();
        manager.create_table(departures).await?;
        for (name, cols) in [
            ("idx_device_departures_device", &["device_id"][..]),
            ("idx_device_departures_at", &["at"]),
            ("idx_device_departures_site_at", &["site_id", "at"]),
        ] {
            manager
                .create_index(crate::index("device_departures", name, cols))
                .await?;
        }
        manager
            .create_index(crate::index(
                "devices",
                "idx_devices_created",
                &["created_at"],
            ))
            .await?;
        manager
            .create_index(crate::index(
                "devices",
                "idx_devices_site_created",
                &["site_id", "created_at"],
            ))
            .await?;
        manager
            .create_index(crate::index(
                "allocations",
                "idx_allocations_delivered",
                &["delivered_at"],
            ))
            .await?;
        manager
            .create_index(crate::index(
                "allocations",
                "idx_allocations_state_closed",
                &["state", "closed_at"],
            ))
            .await?;

        let pending = Table::create()
            .table("pending_rebuilds")
            .col(string("projection").primary_key())
            .to_owned();
        manager.create_table(pending).await?;
        manager
            .exec_stmt(crate::rebuild_at_start("device_departures"))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["pending_rebuilds", "device_departures"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for (table, index) in [
            ("devices", "idx_devices_created"),
            ("devices", "idx_devices_site_created"),
            ("allocations", "idx_allocations_delivered"),
            ("allocations", "idx_allocations_state_closed"),
        ] {
            manager
                .drop_index(Index::drop().table(table).name(index).to_owned())
                .await?;
        }
        Ok(())
    }
}
