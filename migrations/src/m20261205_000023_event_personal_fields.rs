//! The personal fields of events, beside the chain: a name, an e-mail, a
//! witness, a note. The event's hash covers its payload without them, so
//! deleting a row erases a person and leaves the chain whole.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("event_personal_fields")
                    .col(big_integer("seq"))
                    .col(string("path"))
                    .col(uuid("subject_id"))
                    .col(text("value"))
                    .primary_key(Index::create().col("seq").col("path"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(crate::index(
                "event_personal_fields",
                "idx_event_personal_fields_subject_id",
                &["subject_id"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("event_personal_fields").to_owned())
            .await
    }
}
