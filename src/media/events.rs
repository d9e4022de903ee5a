//! What the ledger records about storage media, and how it lands in the
//! `media` table.

use entities::medium;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DbErr};
use serde::{Deserialize, Serialize};

use super::{ErasureOutcome, MediumAction, MediumKind, MediumState};
use crate::db::conn::Conn;
use crate::ids::{DeviceId, SiteId};
use crate::ledger::payload::{earlier, entry};
use crate::ledger::{Entry, Event, Payload, SubjectType, projection};
use crate::patch::Patch;

pub const SUBJECT: SubjectType = SubjectType("medium");

/// `medium.added`: everything the new row holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Added {
    pub site_id: SiteId,
    pub device_id: Option<DeviceId>,
    pub asset_tag: String,
    pub kind: MediumKind,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub capacity_bytes: Option<i64>,
    pub interface: Option<String>,
    pub state: MediumState,
}

impl Payload for Added {
    const KIND: &'static str = "medium.added";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        medium::ActiveModel {
            id: Set(event.subject_id),
            site_id: Set(self.site_id.0),
            device_id: Set(self.device_id.map(|d| d.0)),
            source_device_id: Set(self.device_id.map(|d| d.0)),
            asset_tag: Set(self.asset_tag.clone()),
            kind: Set(self.kind.as_str().to_owned()),
            manufacturer: Set(self.manufacturer.clone()),
            model: Set(self.model.clone()),
            serial_number: Set(self.serial_number.clone()),
            capacity_bytes: Set(self.capacity_bytes),
            interface: Set(self.interface.clone()),
            state: Set(self.state.as_str().to_owned()),
            version: Set(1),
            created_at: Set(event.at),
            updated_at: Set(event.at),
        }
        .insert(conn)
        .await?;
        crate::sites::events::note_tag_used(conn, self.site_id.0, &self.asset_tag).await
    }
}

/// The changes `medium.updated` records.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Changes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<MediumKind>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub manufacturer: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub model: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub serial_number: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub capacity_bytes: Patch<i64>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub interface: Patch<String>,
}

impl projection::Changes for Changes {
    const KIND: &'static str = "medium.updated";
    type Entity = medium::Entity;
}

/// `medium.updated`.
pub type Updated = crate::ledger::Updated<Changes>;

/// `medium.transitioned`, version 2: a change of what is known of the data
/// on a medium, or of where it is. Version 2 says where the medium was
/// before (`from_device_id`) as well as where it is after: reading a removal,
/// an auditor — and the policy that settles devices — knows which device it
/// left without going back through the medium's history.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Transitioned {
    pub action: MediumAction,
    pub from: MediumState,
    pub to: MediumState,
    /// The device it was in before; `null` when it was loose.
    pub from_device_id: Option<DeviceId>,
    /// Where the medium is afterwards; `null` when loose.
    pub device_id: Option<DeviceId>,
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<ErasureOutcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub witness: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The erasure record behind a `record_erasure` or `destroy`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erasure_id: Option<uuid::Uuid>,
}

impl Payload for Transitioned {
    const KIND: &'static str = "medium.transitioned";
    const VERSION: u32 = 3;
    const PERSONAL: &'static [&'static str] = &["witness", "note"];

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        let row = projection::row::<medium::Entity>(conn, event.subject_id).await?;
        let mut row: medium::ActiveModel = row.into();
        row.state = Set(self.to.as_str().to_owned());
        row.device_id = Set(self.device_id.map(|d| d.0));
        row.version = Set(self.version);
        row.updated_at = Set(event.at);
        row.update(conn).await?;
        Ok(())
    }
}

/// Earlier versions of the payloads, readable forever.
pub mod v1 {
    use super::*;

    /// `medium.transitioned`, version 1 (release 0.1.0): without `from_device_id`.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    pub struct Transitioned {
        pub action: MediumAction,
        pub from: MediumState,
        pub to: MediumState,
        pub device_id: Option<DeviceId>,
        pub version: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub outcome: Option<ErasureOutcome>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub method: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub witness: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub note: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub erasure_id: Option<uuid::Uuid>,
    }

    /// What version 1 says, in version 2's words: where the medium was
    /// before is not known from the event alone.
    impl From<Transitioned> for super::Transitioned {
        fn from(v1: Transitioned) -> Self {
            Self {
                action: v1.action,
                from: v1.from,
                to: v1.to,
                from_device_id: None,
                device_id: v1.device_id,
                version: v1.version,
                outcome: v1.outcome,
                method: v1.method,
                witness: v1.witness,
                note: v1.note,
                erasure_id: v1.erasure_id,
            }
        }
    }

    impl Payload for Transitioned {
        const KIND: &'static str = "medium.transitioned";
        const VERSION: u32 = 1;
        const PERSONAL: &'static [&'static str] = &["witness", "note"];

        async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
            super::Transitioned::from(self.clone())
                .project(conn, event)
                .await
        }
    }
}

pub const KINDS: &[Entry] = &[
    entry::<Added>(),
    entry::<Updated>(),
    entry::<v1::Transitioned>(),
    earlier::<Transitioned>(2),
    entry::<Transitioned>(),
];

/// The free strings of these kinds that say nothing of people (every other
/// free string is personal: `catalogue`). Hardware: tags, serial numbers, interfaces.
pub const NOT_ABOUT_PEOPLE: &[(&str, &[&str])] = &[
    ("medium.added", &["asset_tag", "serial_number"]),
    ("medium.updated", &["changes.interface"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_1_transition_reads_as_the_current_version_without_its_former_device() {
        let stored = serde_json::json!({
            "action": "remove", "from": "present", "to": "removed",
            "device_id": null, "version": 2
        });
        let v1: v1::Transitioned = serde_json::from_value(stored).unwrap();
        let now = Transitioned::from(v1);
        assert_eq!(now.from_device_id, None);
        assert_eq!(now.to, MediumState::Removed);
        let written = crate::ledger::payload::to_stored(&now).unwrap();
        assert_eq!(written["v"], Transitioned::VERSION);
        assert!(written.as_object().unwrap().contains_key("from_device_id"));
    }
}
