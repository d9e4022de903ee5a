//! Web sessions, beside the ledger: signing in and out is authentication,
//! not traceability (SPEC §8), so a session is a row that lives as long as
//! the session does — not an event, and no working-time trail of the staff.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("web_sessions")
                    .col(string("token_sha256").primary_key())
                    .col(uuid("user_id"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .foreign_key(&mut crate::foreign_key("web_sessions", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                "web_sessions",
                "idx_web_sessions_expires_at",
                &["expires_at"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("web_sessions").to_owned())
            .await
    }
}
