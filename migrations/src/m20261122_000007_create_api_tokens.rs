//! API tokens: named, expiring, revocable bearer secrets, stored as SHA-256.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table("api_tokens")
            .col(pk_uuid("id"))
            .col(uuid("user_id"))
            .col(string("name"))
            .col(string_uniq("token_sha256"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("expires_at"))
            .col(timestamp_with_time_zone_null("revoked_at"))
            .foreign_key(&mut crate::foreign_key("api_tokens", "user_id", "users"))
            .to_owned();
        manager.create_table(table).await?;
        manager
            .create_index(crate::index(
                "api_tokens",
                "idx_api_tokens_user",
                &["user_id"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("api_tokens").to_owned())
            .await
    }
}
