//! Donors: the companies and public bodies that give equipment.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut table = Table::create();
        table
            .table("donors")
            .col(pk_uuid("id"))
            .col(string("name"))
            .col(string("kind"))
            .col(string_null("siret"))
            .col(text_null("address"))
            .col(string_null("contact_name"))
            .col(string_null("contact_email"))
            .col(string_null("contact_phone"));
        manager
            .create_table(crate::with_versioning(&mut table).to_owned())
            .await?;
        manager
            .create_index(crate::index("donors", "idx_donors_siret", &["siret"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("donors").to_owned())
            .await
    }
}
