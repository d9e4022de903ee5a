//! Sites: the workshops of the network, each with the prefix of its asset tags.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut table = Table::create();
        table
            .table("sites")
            .col(pk_uuid("id"))
            .col(string("name"))
            .col(string_uniq("code"))
            .col(text_null("address"))
            .col(big_integer("last_tag_sequence"));
        manager
            .create_table(crate::with_versioning(&mut table).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("sites").to_owned())
            .await
    }
}
