//! What the ledger records about donors, and how it lands in the `donors` table.

use entities::donor;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseTransaction, DbErr};
use serde::{Deserialize, Serialize};

use super::DonorKind;
use crate::ledger::payload::entry;
use crate::ledger::{Entry, Event, Payload, SubjectType, projection};
use crate::patch::double_option;

pub const SUBJECT: SubjectType = SubjectType("donor");

/// `donor.created`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Created {
    pub name: String,
    pub kind: DonorKind,
    /// 14 digits, without spaces.
    pub siret: Option<String>,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
}

impl Payload for Created {
    const KIND: &'static str = "donor.created";
    const VERSION: u32 = 1;
    const PERSONAL: &'static [&'static str] =
        &["contact_name", "contact_email", "contact_phone", "address"];

    async fn project(&self, conn: &DatabaseTransaction, event: &Event) -> Result<(), DbErr> {
        donor::ActiveModel {
            id: Set(event.subject_id),
            name: Set(self.name.clone()),
            kind: Set(self.kind.as_str().to_owned()),
            siret: Set(self.siret.clone()),
            address: Set(self.address.clone()),
            contact_name: Set(self.contact_name.clone()),
            contact_email: Set(self.contact_email.clone()),
            contact_phone: Set(self.contact_phone.clone()),
            version: Set(1),
            created_at: Set(event.at),
            updated_at: Set(event.at),
        }
        .insert(conn)
        .await?;
        Ok(())
    }
}

/// The changes `donor.updated` records.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Changes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<DonorKind>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub siret: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub address: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub contact_name: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub contact_email: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub contact_phone: Option<Option<String>>,
}

impl projection::Changes for Changes {
    const KIND: &'static str = "donor.updated";
    const PERSONAL: &'static [&'static str] = &[
        "changes.contact_name",
        "changes.contact_email",
        "changes.contact_phone",
        "changes.address",
    ];
    type Entity = donor::Entity;

    /// The report's daily tallies count devices by their donor's kind.
    async fn follow(
        conn: &DatabaseTransaction,
        before: &donor::Model,
        after: &donor::Model,
    ) -> Result<(), DbErr> {
        crate::devices::tallies::donor_kind_changed(conn, after.id, &before.kind, &after.kind).await
    }
}

/// `donor.updated`.
pub type Updated = crate::ledger::Updated<Changes>;

pub const KINDS: &[Entry] = &[entry::<Created>(), entry::<Updated>()];
