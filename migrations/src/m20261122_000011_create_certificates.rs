//! Certificates, and the documents store that keeps their bytes. A document
//! is kept by its SHA-256, which the ledger records: the bytes live outside
//! the ledger but cannot change without the change being seen.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let documents = Table::create()
            .table("documents")
            .col(string("sha256").primary_key())
            .col(string("content_type"))
            .col(blob("bytes"))
            .col(timestamp_with_time_zone("created_at"))
            .to_owned();
        manager.create_table(documents).await?;

        let mut certificates = Table::create();
        certificates
            .table("certificates")
            .col(pk_uuid("id"))
            .col(string_uniq("number"))
            .col(string("kind"))
            .col(integer("revision"))
            .col(string_null("supersedes"))
            .col(uuid("site_id"))
            .col(uuid("subject_id"))
            .col(string("language"))
            .col(string("holder"))
            .col(integer("device_count"))
            .col(timestamp_with_time_zone("issued_at"))
            .col(string("file_sha256"))
            .col(string("content_sha256"))
            .col(string("signature"))
            .col(string("key_id"))
            .foreign_key(&mut crate::foreign_key("certificates", "site_id", "sites"));
        manager
            .create_table(crate::with_versioning(&mut certificates).to_owned())
            .await?;
        manager
            .create_index(crate::index(
                "certificates",
                "idx_certificates_subject",
                &["subject_id"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("certificates").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("documents").to_owned())
            .await
    }
}
