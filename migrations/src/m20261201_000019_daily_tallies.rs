//! Daily tallies of devices collected and departed, by site, kind and
//! donor kind: the impact report over a year adds up a few thousand rows
//! instead of grouping hundreds of thousands. Derived from the devices and
//! departures at the next start-up (`pending_rebuilds`). Returns are read
//! from the departures themselves, by the time they came back.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("daily_tallies")
                    .col(date("day"))
                    .col(uuid("site_id"))
                    .col(string("measure"))
                    .col(string("kind"))
                    .col(string("donor_kind"))
                    .col(big_integer("count"))
                    .col(big_integer("recorded_g"))
                    .col(big_integer("weighed"))
                    .primary_key(
                        Index::create()
                            .col("day")
                            .col("site_id")
                            .col("measure")
                            .col("kind")
                            .col("donor_kind"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                "device_departures",
                "idx_departures_returned",
                &[
                    "returned_at",
                    "at",
                    "site_id",
                    "outcome",
                    "kind",
                    "lot_id",
                    "weight_kg",
                ],
            ))
            .await?;
        manager
            .exec_stmt(crate::rebuild_at_start("daily_tallies"))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("daily_tallies").to_owned())
            .await
    }
}
