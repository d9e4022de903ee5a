//! The workshop's team: workers (pseudonymous; their names in a table of
//! their own, erasable) and the hours they work.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut workers = Table::create();
        workers
            .table("workers")
            .col(pk_uuid("id"))
            .col(uuid("site_id"))
            .col(string_uniq("reference"))
            .col(string("contract_kind"))
            .col(date("started_on"))
            .col(date_null("ended_on"))
            .col(string_null("exit_outcome"))
            .col(double("weekly_hours"))
            .col(uuid_null("user_id"))
            .col(boolean("has_personal_data"))
            .foreign_key(&mut crate::foreign_key("workers", "site_id", "sites"));
        manager
            .create_table(crate::with_versioning(&mut workers).to_owned())
            .await?;
        // Not a projection: never in the ledger, deleted for good on request.
        let personal = Table::create()
            .table("worker_personal_data")
            .col(pk_uuid("worker_id"))
            .col(string("display_name"))
            .col(timestamp_with_time_zone("recorded_at"))
            .foreign_key(&mut crate::foreign_key(
                "worker_personal_data",
                "worker_id",
                "workers",
            ))
            .to_owned();
        manager.create_table(personal).await?;

        let mut entries = Table::create();
        entries
            .table("timesheet_entries")
            .col(pk_uuid("id"))
            .col(uuid("worker_id"))
            .col(uuid("site_id"))
            .col(date("worked_on"))
            .col(double("hours"))
            .col(string("activity"))
            .foreign_key(&mut crate::foreign_key(
                "timesheet_entries",
                "worker_id",
                "workers",
            ));
        manager
            .create_table(crate::with_versioning(&mut entries).to_owned())
            .await?;
        manager
            .create_index(crate::index(
                "timesheet_entries",
                "idx_timesheet_entries_worker_day",
                &["worker_id", "worked_on"],
            ))
            .await?;
        manager
            .create_index(crate::index(
                "timesheet_entries",
                "idx_timesheet_entries_day",
                &["worked_on"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["timesheet_entries", "worker_personal_data", "workers"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
