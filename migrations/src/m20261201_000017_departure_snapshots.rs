//! Each departure keeps the device as it was when it left — its kind, lot,
//! weight, registration time and days in the workshop — and the report's period scans read
//! covering indexes only. At a million devices, joining every departure of
//! a year to its device cost the report seconds. The rows are derived again
//! from the ledger at the next start-up (`pending_rebuilds`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("device_departures").to_owned())
            .await?;
        let departures = Table::create()
            .table("device_departures")
            .col(big_integer("seq").primary_key())
            .col(uuid("device_id"))
            .col(uuid("site_id"))
            .col(string("outcome"))
            .col(timestamp_with_time_zone("at"))
            .col(timestamp_with_time_zone_null("returned_at"))
            .col(string("kind"))
            .col(uuid_null("lot_id"))
            .col(double_null("weight_kg"))
            .col(timestamp_with_time_zone("registered_at"))
            .col(double("days_in_workshop"))
            .foreign_key(&mut crate::foreign_key(
                "device_departures",
                "device_id",
                "devices",
            ))
            .to_owned();
        manager.create_table(departures).await?;
        let covering = [
            "at",
            "returned_at",
            "outcome",
            "kind",
            "lot_id",
            "weight_kg",
            "registered_at",
            "days_in_workshop",
        ];
        let with_site: Vec<&'static str> = std::iter::once("site_id").chain(covering).collect();
        for (name, cols) in [
            ("idx_departures_device", &["device_id"][..]),
            ("idx_departures_period", &covering[..]),
            ("idx_departures_site_period", &with_site[..]),
        ] {
            manager
                .create_index(crate::index("device_departures", name, cols))
                .await?;
        }
        for (table, name, cols) in [
            (
                "devices",
                "idx_devices_collected",
                &["created_at", "kind", "lot_id", "weight_kg"][..],
            ),
            (
                "devices",
                "idx_devices_site_collected",
                &["site_id", "created_at", "kind", "lot_id", "weight_kg"],
            ),
            (
                "allocations",
                "idx_allocations_served",
                &["delivered_at", "site_id", "beneficiary_id"],
            ),
        ] {
            manager
                .create_index(crate::index(table, name, cols))
                .await?;
        }
        manager
            .exec_stmt(crate::rebuild_at_start("device_departures"))
            .await
    }

    async fn down(&self, _: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "the departures' snapshots are not undone: restore a backup instead".into(),
        ))
    }
}
