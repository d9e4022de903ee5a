//! Lots: one pickup or delivery from one donor, what a donor certificate covers.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut table = Table::create();
        table
            .table("lots")
            .col(pk_uuid("id"))
            .col(uuid("donor_id"))
            .col(uuid("site_id"))
            .col(date("received_on"))
            .col(string_null("donor_reference"))
            .col(integer_null("declared_count"))
            .col(double_null("weight_kg"))
            .col(text_null("notes"))
            .foreign_key(&mut crate::foreign_key("lots", "donor_id", "donors"))
            .foreign_key(&mut crate::foreign_key("lots", "site_id", "sites"));
        manager
            .create_table(crate::with_versioning(&mut table).to_owned())
            .await?;
        manager
            .create_index(crate::index("lots", "idx_lots_donor", &["donor_id"]))
            .await?;
        manager
            .create_index(crate::index("lots", "idx_lots_site", &["site_id"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("lots").to_owned())
            .await
    }
}
