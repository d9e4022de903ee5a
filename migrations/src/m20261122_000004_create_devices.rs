//! Devices: one donated item each, with its asset tag and lifecycle state.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut table = Table::create();
        table
            .table("devices")
            .col(pk_uuid("id"))
            .col(uuid("site_id"))
            .col(uuid_null("lot_id"))
            .col(string_uniq("asset_tag"))
            .col(string("kind"))
            .col(string_null("manufacturer"))
            .col(string_null("model"))
            .col(string_null("serial_number"))
            .col(string_null("donor_asset_number"))
            .col(json("specs"))
            .col(double_null("weight_kg"))
            .col(string_null("grade"))
            .col(string_null("os"))
            .col(string("state"))
            .foreign_key(&mut crate::foreign_key("devices", "site_id", "sites"))
            .foreign_key(&mut crate::foreign_key("devices", "lot_id", "lots"));
        manager
            .create_table(crate::with_versioning(&mut table).to_owned())
            .await?;
        // Scans resolve serials as often as tags; lists filter by site and state.
        manager
            .create_index(crate::index(
                "devices",
                "idx_devices_serial",
                &["serial_number"],
            ))
            .await?;
        manager
            .create_index(crate::index(
                "devices",
                "idx_devices_site_state",
                &["site_id", "state"],
            ))
            .await?;
        manager
            .create_index(crate::index("devices", "idx_devices_lot", &["lot_id"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("devices").to_owned())
            .await
    }
}
