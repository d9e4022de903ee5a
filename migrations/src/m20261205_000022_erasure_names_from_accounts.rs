//! An erasure record names its operator and validator by account, and their
//! names are read from the accounts: the copies the records kept go, so that
//! a name lives in one place (and, once erasable, goes from one place).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE erasure_records SET operator_name = '', validator_name = NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, _: &SchemaManager) -> Result<(), DbErr> {
        // The names are the accounts' and the ledger's: nothing to put back.
        Ok(())
    }
}
