//! Storage media: the data-bearing parts, tracked in and out of their devices.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut table = Table::create();
        table
            .table("media")
            .col(pk_uuid("id"))
            .col(uuid("site_id"))
            // Where the medium is now (none once pulled out) and where it came from.
            .col(uuid_null("device_id"))
            .col(uuid_null("source_device_id"))
            .col(string_uniq("asset_tag"))
            .col(string("kind"))
            .col(string_null("manufacturer"))
            .col(string_null("model"))
            .col(string_null("serial_number"))
            .col(big_integer_null("capacity_bytes"))
            .col(string_null("interface"))
            .col(string("state"))
            .foreign_key(&mut crate::foreign_key("media", "site_id", "sites"))
            .foreign_key(&mut crate::foreign_key("media", "device_id", "devices"))
            .foreign_key(&mut crate::foreign_key(
                "media",
                "source_device_id",
                "devices",
            ));
        manager
            .create_table(crate::with_versioning(&mut table).to_owned())
            .await?;
        manager
            .create_index(crate::index("media", "idx_media_device", &["device_id"]))
            .await?;
        manager
            .create_index(crate::index(
                "media",
                "idx_media_serial",
                &["serial_number"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("media").to_owned())
            .await
    }
}
