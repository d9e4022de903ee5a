//! A donor's impact statement covers a calendar year: the certificates
//! table records which, so that a statement for 2026 and one for 2027 are
//! two documents, not revisions of each other.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("certificates")
                    .add_column(integer_null("year"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("certificates")
                    .drop_column("year")
                    .to_owned(),
            )
            .await
    }
}
