//! What the ledger records about sites, and how it lands in the `sites` table.

use entities::site;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};
use serde::{Deserialize, Serialize};

use crate::db::conn::Conn;
use crate::ledger::payload::entry;
use crate::ledger::{Entry, Event, Payload, SubjectType, projection};
use crate::patch::Patch;

pub const SUBJECT: SubjectType = SubjectType("site");

/// `site.created`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Created {
    pub name: String,
    pub code: String,
    pub address: Option<String>,
}

impl Payload for Created {
    const KIND: &'static str = "site.created";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        site::ActiveModel {
            id: Set(event.subject_id),
            name: Set(self.name.clone()),
            code: Set(self.code.clone()),
            address: Set(self.address.clone()),
            siret: Set(None),
            postcode: Set(None),
            city: Set(None),
            last_tag_sequence: Set(0),
            version: Set(1),
            created_at: Set(event.at),
            updated_at: Set(event.at),
        }
        .insert(conn)
        .await?;
        Ok(())
    }
}

/// The changes `site.updated` records.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Changes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub address: Patch<String>,
    /// The site's SIRET, postcode and city: the waste holder the outgoing
    /// waste register names.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub siret: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub postcode: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub city: Patch<String>,
}

impl projection::Changes for Changes {
    const KIND: &'static str = "site.updated";
    const VERSION: u32 = 2;
    type Entity = site::Entity;
}

/// `site.updated`.
pub type Updated = crate::ledger::Updated<Changes>;

/// Earlier versions of the payloads, readable forever.
pub mod v1 {
    use super::*;

    /// `site.updated`'s changes, version 1 (release 0.1.0): name and address.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    pub struct Changes {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        #[serde(default, skip_serializing_if = "Patch::is_keep")]
        pub address: Patch<String>,
    }

    impl projection::Changes for Changes {
        const KIND: &'static str = "site.updated";
        type Entity = site::Entity;
    }

    /// `site.updated`, version 1.
    pub type Updated = crate::ledger::Updated<Changes>;
}

pub const KINDS: &[Entry] = &[
    entry::<Created>(),
    entry::<v1::Updated>(),
    entry::<Updated>(),
];

/// The free strings of these kinds that say nothing of people (every other
/// free string is personal: `catalogue`). The workshop's own sites: their names, codes and addresses.
pub const NOT_ABOUT_PEOPLE: &[(&str, &[&str])] = &[
    ("site.created", &["name", "code", "address"]),
    (
        "site.updated",
        &[
            "changes.name",
            "changes.address",
            "changes.siret",
            "changes.postcode",
            "changes.city",
        ],
    ),
];

/// Records that a tag sequence number was used, so the next one is larger:
/// part of the projection of every event that hands out an asset tag.
pub async fn note_tag_used(
    conn: &impl ConnectionTrait,
    site_id: uuid::Uuid,
    tag: &str,
) -> Result<(), DbErr> {
    let sequence = crate::tags::AssetTag::parse(tag).map_or(0, |t| t.sequence() as i64);
    // One statement, not read-then-write: every registration comes here.
    site::Entity::update_many()
        .col_expr(site::Column::LastTagSequence, Expr::value(sequence))
        .filter(site::Column::Id.eq(site_id))
        .filter(site::Column::LastTagSequence.lt(sequence))
        .exec(conn)
        .await?;
    Ok(())
}
