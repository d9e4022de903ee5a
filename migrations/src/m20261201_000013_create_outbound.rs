//! Where devices go: refurbishment work and harvested parts, beneficiaries
//! (with their personal data in a table of its own, erasable), allocations
//! and their complaints, waste shipments; and a site's identity as a waste
//! holder, which the outgoing waste register needs.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["siret", "postcode", "city"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("sites")
                        .add_column(string_null(column))
                        .to_owned(),
                )
                .await?;
        }

        let work = Table::create()
            .table("device_work")
            .col(pk_uuid("id"))
            .col(uuid("device_id"))
            .col(uuid("site_id"))
            .col(string("work_type"))
            .col(json("details"))
            .col(uuid_null("actor_id"))
            .col(timestamp_with_time_zone("recorded_at"))
            .foreign_key(&mut crate::foreign_key(
                "device_work",
                "device_id",
                "devices",
            ))
            .to_owned();
        manager.create_table(work).await?;
        manager
            .create_index(crate::index(
                "device_work",
                "idx_device_work_device",
                &["device_id"],
            ))
            .await?;

        let mut parts = Table::create();
        parts
            .table("parts")
            .col(pk_uuid("id"))
            .col(uuid("site_id"))
            .col(uuid("origin_device_id"))
            .col(string("description"))
            .col(uuid_null("fitted_in_device_id"))
            .foreign_key(&mut crate::foreign_key(
                "parts",
                "origin_device_id",
                "devices",
            ));
        manager
            .create_table(crate::with_versioning(&mut parts).to_owned())
            .await?;

        let mut beneficiaries = Table::create();
        beneficiaries
            .table("beneficiaries")
            .col(pk_uuid("id"))
            .col(uuid("site_id"))
            .col(string_uniq("reference"))
            .col(string("category"))
            .col(string_null("postcode"))
            .col(string_null("referring_partner"))
            .col(boolean("has_personal_data"))
            .foreign_key(&mut crate::foreign_key("beneficiaries", "site_id", "sites"));
        manager
            .create_table(crate::with_versioning(&mut beneficiaries).to_owned())
            .await?;
        // Not a projection: the ledger never holds these, and erasing them
        // deletes the row for good.
        let personal = Table::create()
            .table("beneficiary_personal_data")
            .col(pk_uuid("beneficiary_id"))
            .col(string_null("name"))
            .col(string_null("email"))
            .col(string_null("phone"))
            .col(timestamp_with_time_zone("recorded_at"))
            .foreign_key(&mut crate::foreign_key(
                "beneficiary_personal_data",
                "beneficiary_id",
                "beneficiaries",
            ))
            .to_owned();
        manager.create_table(personal).await?;

        let mut allocations = Table::create();
        allocations
            .table("allocations")
            .col(pk_uuid("id"))
            .col(uuid("site_id"))
            .col(uuid("device_id"))
            .col(uuid("beneficiary_id"))
            .col(string("state"))
            .col(json("conditions"))
            .col(integer("warranty_months"))
            .col(timestamp_with_time_zone_null("delivered_at"))
            .col(timestamp_with_time_zone_null("closed_at"))
            .col(json_null("return_details"))
            .col(string("acceptance"))
            .col(string_null("signature_sha256"))
            .col(timestamp_with_time_zone_null("accepted_at"))
            .foreign_key(&mut crate::foreign_key(
                "allocations",
                "device_id",
                "devices",
            ))
            .foreign_key(&mut crate::foreign_key(
                "allocations",
                "beneficiary_id",
                "beneficiaries",
            ));
        manager
            .create_table(crate::with_versioning(&mut allocations).to_owned())
            .await?;
        manager
            .create_index(crate::index(
                "allocations",
                "idx_allocations_device",
                &["device_id"],
            ))
            .await?;
        manager
            .create_index(crate::index(
                "allocations",
                "idx_allocations_beneficiary",
                &["beneficiary_id"],
            ))
            .await?;
        // A drawn signature is the beneficiary's: kept beside the ledger (which
        // holds its SHA-256 only) and erased with their personal data.
        let signatures = Table::create()
            .table("allocation_signatures")
            .col(pk_uuid("allocation_id"))
            .col(json("strokes"))
            .col(timestamp_with_time_zone("signed_at"))
            .foreign_key(&mut crate::foreign_key(
                "allocation_signatures",
                "allocation_id",
                "allocations",
            ))
            .to_owned();
        manager.create_table(signatures).await?;

        let mut complaints = Table::create();
        complaints
            .table("complaints")
            .col(pk_uuid("id"))
            .col(uuid("site_id"))
            .col(uuid("allocation_id"))
            .col(date("received_on"))
            .col(string("description"))
            .col(date_null("answered_on"))
            .col(string_null("answer"))
            .foreign_key(&mut crate::foreign_key(
                "complaints",
                "allocation_id",
                "allocations",
            ));
        manager
            .create_table(crate::with_versioning(&mut complaints).to_owned())
            .await?;

        let mut shipments = Table::create();
        shipments
            .table("waste_shipments")
            .col(pk_uuid("id"))
            .col(uuid("site_id"))
            .col(string_uniq("number"))
            .col(date("dispatched_on"))
            .col(json("details"))
            .col(json("lines"))
            .foreign_key(&mut crate::foreign_key(
                "waste_shipments",
                "site_id",
                "sites",
            ));
        manager
            .create_table(crate::with_versioning(&mut shipments).to_owned())
            .await?;
        manager
            .create_index(crate::index(
                "waste_shipments",
                "idx_waste_shipments_dispatched",
                &["dispatched_on"],
            ))
            .await?;
        let items = Table::create()
            .table("waste_shipment_items")
            .col(uuid("shipment_id"))
            .col(string("item_type"))
            .col(uuid("item_id"))
            .col(string("asset_tag"))
            .col(string("waste_code"))
            .col(double("weight_kg"))
            .primary_key(Index::create().col("shipment_id").col("item_id"))
            .foreign_key(&mut crate::foreign_key(
                "waste_shipment_items",
                "shipment_id",
                "waste_shipments",
            ))
            .to_owned();
        manager.create_table(items).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_waste_shipment_items_item")
                    .table("waste_shipment_items")
                    .col("item_id")
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "waste_shipment_items",
            "waste_shipments",
            "complaints",
            "allocation_signatures",
            "allocations",
            "beneficiary_personal_data",
            "beneficiaries",
            "parts",
            "device_work",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
