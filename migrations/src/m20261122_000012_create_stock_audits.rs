//! Stock audits: a count of what is on a site's shelves, and every scan of it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut audits = Table::create();
        audits
            .table("stock_audits")
            .col(pk_uuid("id"))
            .col(uuid("site_id"))
            .col(string("state"))
            .col(uuid_null("started_by"))
            .col(timestamp_with_time_zone_null("closed_at"))
            .col(json_null("report"))
            .foreign_key(&mut crate::foreign_key("stock_audits", "site_id", "sites"));
        manager
            .create_table(crate::with_versioning(&mut audits).to_owned())
            .await?;
        let scans = Table::create()
            .table("stock_audit_scans")
            .col(pk_uuid("id"))
            .col(uuid("audit_id"))
            .col(string("code"))
            .col(string_null("item_type"))
            .col(uuid_null("item_id"))
            .col(string_null("asset_tag"))
            .col(timestamp_with_time_zone("scanned_at"))
            .foreign_key(&mut crate::foreign_key(
                "stock_audit_scans",
                "audit_id",
                "stock_audits",
            ))
            .to_owned();
        manager.create_table(scans).await?;
        manager
            .create_index(crate::index(
                "stock_audit_scans",
                "idx_stock_audit_scans_audit",
                &["audit_id"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("stock_audit_scans").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("stock_audits").to_owned())
            .await
    }
}
