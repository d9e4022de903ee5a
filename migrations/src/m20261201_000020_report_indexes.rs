//! Indexes for the impact report at a million devices: the daily tallies
//! by measure then day, holding every figure (so the stock at a date is a
//! sum over one index range); the deliveries' days in the workshop alone
//! (what the median sorts), instead of every departure's snapshot; and the
//! departures by lot, so a donor's statement reads only its lots'.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &str, &[&str]); 3] = [
    (
        "daily_tallies",
        "idx_tallies_measure",
        &[
            "measure",
            "day",
            "site_id",
            "kind",
            "donor_kind",
            "count",
            "recorded_g",
            "weighed",
        ],
    ),
    (
        "device_departures",
        "idx_departures_delivery_days",
        &[
            "outcome",
            "at",
            "returned_at",
            "site_id",
            "days_in_workshop",
            "lot_id",
        ],
    ),
    (
        "device_departures",
        "idx_departures_lot",
        &[
            "lot_id",
            "outcome",
            "at",
            "returned_at",
            "kind",
            "weight_kg",
            "site_id",
            "days_in_workshop",
        ],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, name, cols) in INDEXES {
            manager
                .create_index(crate::index(table, name, cols))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, name, _) in INDEXES {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
