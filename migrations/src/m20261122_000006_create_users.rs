//! Users: who signs in, with one role and, except network roles, one site.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut table = Table::create();
        table
            .table("users")
            .col(pk_uuid("id"))
            .col(string_uniq("email"))
            .col(string("display_name"))
            .col(string("role"))
            .col(uuid_null("site_id"))
            .col(string("locale"))
            .col(boolean("disabled"))
            // A credential, not a projection: the ledger records that it changed, never its value.
            .col(string_null("password_hash"))
            .foreign_key(&mut crate::foreign_key("users", "site_id", "sites"));
        manager
            .create_table(crate::with_versioning(&mut table).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("users").to_owned())
            .await
    }
}
