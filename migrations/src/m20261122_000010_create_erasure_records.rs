//! Erasure records: one sanitization (or destruction) of one medium, with the
//! fields of NIST SP 800-88's sample certificate of sanitization.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut table = Table::create();
        table
            .table("erasure_records")
            .col(pk_uuid("id"))
            .col(uuid("site_id"))
            .col(uuid("medium_id"))
            .col(uuid_null("device_id"))
            // The medium as it was when sanitized: certificates quote this, not today's row.
            .col(string("medium_kind"))
            .col(string_null("medium_manufacturer"))
            .col(string_null("medium_model"))
            .col(string_null("medium_serial"))
            .col(string("category"))
            .col(string("technique"))
            .col(string_null("method"))
            .col(string_null("pattern"))
            .col(integer_null("passes"))
            .col(integer_null("rounds"))
            .col(boolean_null("blanking"))
            .col(string_null("tool"))
            .col(string_null("tool_version"))
            .col(string("verification"))
            .col(string("verification_result"))
            .col(timestamp_with_time_zone_null("started_at"))
            .col(timestamp_with_time_zone_null("ended_at"))
            .col(big_integer_null("bytes_erased"))
            .col(integer("error_count"))
            .col(text_null("errors"))
            .col(string("destination"))
            .col(uuid_null("operator_id"))
            .col(string("operator_name"))
            .col(uuid_null("validator_id"))
            .col(string_null("validator_name"))
            .col(string("outcome"))
            .col(string("source"))
            // For imports: the SHA-256 of the nwipe log, so the same log is not imported twice.
            .col(string_null("source_reference"))
            .col(string_null("raw_serial_hex"))
            .col(string_null("witness"))
            .col(string_null("photo_reference"))
            .col(text_null("notes"))
            .foreign_key(&mut crate::foreign_key(
                "erasure_records",
                "site_id",
                "sites",
            ))
            .foreign_key(&mut crate::foreign_key(
                "erasure_records",
                "medium_id",
                "media",
            ));
        manager
            .create_table(crate::with_versioning(&mut table).to_owned())
            .await?;
        manager
            .create_index(crate::index(
                "erasure_records",
                "idx_erasure_records_medium",
                &["medium_id"],
            ))
            .await?;
        manager
            .create_index(crate::index(
                "erasure_records",
                "idx_erasure_records_device",
                &["device_id"],
            ))
            .await?;
        manager
            .create_index(crate::index(
                "erasure_records",
                "idx_erasure_records_source",
                &["source_reference"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("erasure_records").to_owned())
            .await
    }
}
