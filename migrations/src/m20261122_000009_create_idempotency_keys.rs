//! Idempotency keys: the first answer to a request, replayed when a flaky
//! workshop network makes a client send it again.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table("idempotency_keys")
            .col(uuid("user_id"))
            .col(string("key"))
            .col(string("request_sha256"))
            .col(integer("status"))
            .col(text("body"))
            .col(timestamp_with_time_zone("created_at"))
            .primary_key(Index::create().col("user_id").col("key"))
            .to_owned();
        manager.create_table(table).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("idempotency_keys").to_owned())
            .await
    }
}
