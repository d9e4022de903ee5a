//! Drops three indexes that are the first columns of a covering one made
//! later: `devices (created_at)` of `(created_at, kind, lot_id, weight_kg)`,
//! `devices (site_id, created_at)` of the same prefixed by site, and
//! `allocations (delivered_at)` of `(delivered_at, site_id,
//! beneficiary_id)`. Every query the smaller one served, the covering one
//! serves. Every device registered wrote nine indexes of `devices`, now seven.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &str, &[&str]); 3] = [
    ("devices", "idx_devices_created", &["created_at"]),
    (
        "devices",
        "idx_devices_site_created",
        &["site_id", "created_at"],
    ),
    (
        "allocations",
        "idx_allocations_delivered",
        &["delivered_at"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, name, _) in INDEXES {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, name, cols) in INDEXES {
            manager
                .create_index(crate::index(table, name, cols))
                .await?;
        }
        Ok(())
    }
}
