//! What the ledger records about lots, and how it lands in the `lots` table.

use chrono::NaiveDate;
use entities::lot;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DbErr};
use serde::{Deserialize, Serialize};

use crate::db::conn::Conn;
use crate::ids::{DonorId, SiteId};
use crate::ledger::payload::{earlier, entry};
use crate::ledger::{Entry, Event, Payload, SubjectType, projection};
use crate::patch::Patch;

pub const SUBJECT: SubjectType = SubjectType("lot");

/// `lot.created`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Created {
    pub donor_id: DonorId,
    pub site_id: SiteId,
    pub received_on: NaiveDate,
    pub donor_reference: Option<String>,
    pub declared_count: Option<i32>,
    pub weight_kg: Option<f64>,
    pub notes: Option<String>,
}

impl Payload for Created {
    const KIND: &'static str = "lot.created";
    const VERSION: u32 = 2;
    const PERSONAL: &'static [&'static str] = &["notes"];

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        lot::ActiveModel {
            id: Set(event.subject_id),
            donor_id: Set(self.donor_id.0),
            site_id: Set(self.site_id.0),
            received_on: Set(self.received_on),
            donor_reference: Set(self.donor_reference.clone()),
            declared_count: Set(self.declared_count),
            weight_kg: Set(self.weight_kg),
            notes: Set(self.notes.clone()),
            version: Set(1),
            created_at: Set(event.at),
            updated_at: Set(event.at),
        }
        .insert(conn)
        .await?;
        Ok(())
    }
}

/// The changes `lot.updated` records.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Changes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub donor_reference: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub declared_count: Patch<i32>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub weight_kg: Patch<f64>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub notes: Patch<String>,
}

impl projection::Changes for Changes {
    const KIND: &'static str = "lot.updated";
    const VERSION: u32 = 2;
    const PERSONAL: &'static [&'static str] = &["changes.notes"];
    type Entity = lot::Entity;
}

/// `lot.updated`.
pub type Updated = crate::ledger::Updated<Changes>;

pub const KINDS: &[Entry] = &[
    earlier::<Created>(1),
    entry::<Created>(),
    earlier::<Updated>(1),
    entry::<Updated>(),
];
