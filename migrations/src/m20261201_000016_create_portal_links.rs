//! Donor portal links: a secret link per lot that a donor opens without an
//! account. Only the secret's SHA-256 is stored.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut links = Table::create();
        links
            .table("portal_links")
            .col(pk_uuid("id"))
            .col(uuid("lot_id"))
            .col(uuid("site_id"))
            .col(string_uniq("secret_sha256"))
            .col(string_null("label"))
            .col(date_null("expires_on"))
            .col(timestamp_with_time_zone_null("revoked_at"))
            .col(big_integer("opened_count"))
            .col(timestamp_with_time_zone_null("last_opened_at"))
            .foreign_key(&mut crate::foreign_key("portal_links", "lot_id", "lots"));
        manager
            .create_table(crate::with_versioning(&mut links).to_owned())
            .await?;
        manager
            .create_index(crate::index(
                "portal_links",
                "idx_portal_links_lot",
                &["lot_id"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("portal_links").to_owned())
            .await
    }
}
