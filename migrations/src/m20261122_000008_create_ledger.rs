//! The ledger: the append-only, hash-chained list of every change, and the row
//! that holds the head of the chain (the writer locks it, so two processes
//! sharing a PostgreSQL database still append one after the other).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The `prev_hash` of the very first event.
const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let events = Table::create()
            .table("events")
            .col(big_integer("seq").primary_key())
            .col(uuid_uniq("id"))
            .col(timestamp_with_time_zone("at"))
            .col(uuid_null("actor_id"))
            .col(uuid_null("site_id"))
            .col(string("subject_type"))
            .col(uuid("subject_id"))
            .col(string("kind"))
            // Text, not jsonb: the stored bytes are the canonical form that was hashed.
            .col(text("payload"))
            .col(string("prev_hash"))
            .col(string("hash"))
            .to_owned();
        manager.create_table(events).await?;
        manager
            .create_index(crate::index(
                "events",
                "idx_events_subject",
                &["subject_id", "seq"],
            ))
            .await?;
        manager
            .create_index(crate::index("events", "idx_events_kind", &["kind", "seq"]))
            .await?;

        let head = Table::create()
            .table("ledger_head")
            .col(integer("id").primary_key())
            .col(big_integer("seq"))
            .col(string("hash"))
            .to_owned();
        manager.create_table(head).await?;
        let genesis = Query::insert()
            .into_table("ledger_head")
            .columns(["id", "seq", "hash"])
            .values_panic([1.into(), 0i64.into(), GENESIS_HASH.into()])
            .to_owned();
        manager.exec_stmt(genesis).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("ledger_head").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("events").to_owned())
            .await
    }
}
