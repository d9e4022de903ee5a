//! What the ledger records about donors, and how it lands in the `donors` table.

use entities::donor;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DbErr};
use serde::{Deserialize, Serialize};

use super::DonorKind;
use crate::db::conn::Conn;
use crate::ledger::payload::{earlier, entry};
use crate::ledger::{Entry, Event, Payload, SubjectType, projection};
use crate::patch::Patch;

pub const SUBJECT: SubjectType = SubjectType("donor");

/// `donor.created`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Created {
    /// Held beside the chain (an individual's name is theirs); empty once erased.
    #[serde(default)]
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
    const VERSION: u32 = 2;
    const PERSONAL: &'static [&'static str] = &[
        "name",
        "contact_name",
        "contact_email",
        "contact_phone",
        "address",
    ];

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        donor::ActiveModel {
            id: Set(event.subject_id),
            name: Set(if self.name.is_empty() {
                crate::pseudonym::of_record('D', event.subject_id)
            } else {
                self.name.clone()
            }),
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
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub siret: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub address: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub contact_name: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub contact_email: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub contact_phone: Patch<String>,
}

impl projection::Changes for Changes {
    const KIND: &'static str = "donor.updated";
    const VERSION: u32 = 2;
    const PERSONAL: &'static [&'static str] = &[
        "changes.name",
        "changes.contact_name",
        "changes.contact_email",
        "changes.contact_phone",
        "changes.address",
    ];
    type Entity = donor::Entity;

    /// The report's daily tallies count devices by their donor's kind.
    async fn follow(conn: &Conn, before: &donor::Model, after: &donor::Model) -> Result<(), DbErr> {
        crate::devices::tallies::donor_kind_changed(conn, after.id, &before.kind, &after.kind).await
    }
}

/// `donor.updated`.
pub type Updated = crate::ledger::Updated<Changes>;

/// `donor.personal_data_erased`: on request, the donor's contact people were
/// erased — and, for an individual, their whole identity (name, address) —
/// with the labels of the portal links to its lots, which often name a
/// contact. The donor stays, under its reference (`D-…`) if it was a person.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PersonalDataErased {
    pub version: i64,
    /// True for an individual donor: the name and address went too.
    pub identity: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub portal_links: Vec<uuid::Uuid>,
}

impl Payload for PersonalDataErased {
    const KIND: &'static str = "donor.personal_data_erased";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        let row = projection::row::<donor::Entity>(conn, event.subject_id).await?;
        let mut row: donor::ActiveModel = row.into();
        row.contact_name = Set(None);
        row.contact_email = Set(None);
        row.contact_phone = Set(None);
        if self.identity {
            row.name = Set(crate::pseudonym::of_record('D', event.subject_id));
            row.address = Set(None);
        }
        row.version = Set(self.version);
        row.updated_at = Set(event.at);
        row.update(conn).await?;
        if !self.portal_links.is_empty() {
            entities::portal_link::Entity::update_many()
                .col_expr(
                    entities::portal_link::Column::Label,
                    Expr::value(Option::<String>::None),
                )
                .filter(entities::portal_link::Column::Id.is_in(self.portal_links.clone()))
                .exec(conn)
                .await?;
        }
        Ok(())
    }
}

pub const KINDS: &[Entry] = &[
    earlier::<Created>(1),
    entry::<Created>(),
    earlier::<Updated>(1),
    entry::<Updated>(),
    entry::<PersonalDataErased>(),
];

/// The free strings of these kinds that say nothing of people (every other
/// free string is personal: `catalogue`). An organisation's registration number (individuals have none).
pub const NOT_ABOUT_PEOPLE: &[(&str, &[&str])] = &[("donor.created", &["siret"])];
