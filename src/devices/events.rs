//! What the ledger records about devices, and how it lands in the `devices`
//! table. These types are the contract with every later release: they are
//! never the API's request or response types, and change only by a new version.

use entities::device;
use sea_orm::DbErr;
use serde::{Deserialize, Serialize};

use super::{Action, DeviceKind, DeviceState, Grade};
use crate::db::conn::Conn;
use crate::ids::{LotId, SiteId};
use crate::ledger::payload::{earlier, entry};
use crate::ledger::{Entry, Event, Payload, SubjectType, projection};
use crate::patch::Patch;

pub const SUBJECT: SubjectType = SubjectType("device");

/// A device's hardware as recorded, each part optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Specs {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ram_mib: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub battery_health_percent: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screen_inches: Option<f64>,
}

/// The quality-control checklist a `pass_qc` recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    pub boot: bool,
    pub keyboard: bool,
    pub screen: bool,
    pub battery: bool,
    pub network: bool,
    pub os: bool,
}

/// `device.registered`: everything the new row holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Registered {
    pub site_id: SiteId,
    pub lot_id: Option<LotId>,
    pub asset_tag: String,
    pub kind: DeviceKind,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub donor_asset_number: Option<String>,
    pub specs: Specs,
    pub weight_kg: Option<f64>,
    pub grade: Option<Grade>,
    pub state: DeviceState,
}

impl Registered {
    /// The device row this event's projection inserts: what the writer
    /// answers without reading the row back.
    pub fn row(&self, event: &Event) -> Result<device::Model, DbErr> {
        Ok(device::Model {
            id: event.subject_id,
            site_id: self.site_id.0,
            lot_id: self.lot_id.map(|l| l.0),
            asset_tag: self.asset_tag.clone(),
            kind: self.kind.as_str().to_owned(),
            manufacturer: self.manufacturer.clone(),
            model: self.model.clone(),
            serial_number: self.serial_number.clone(),
            donor_asset_number: self.donor_asset_number.clone(),
            specs: serde_json::to_value(&self.specs).map_err(|e| DbErr::Json(e.to_string()))?,
            weight_kg: self.weight_kg,
            grade: self.grade.map(|g| format!("{g:?}")),
            os: None,
            state: self.state.as_str().to_owned(),
            version: 1,
            created_at: event.at,
            updated_at: event.at,
        })
    }
}

impl Payload for Registered {
    const KIND: &'static str = "device.registered";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        let device = self.row(event)?;
        super::tallies::registered(conn, &device).await?;
        conn.insert(device::ActiveModel::from(device)).await?;
        crate::sites::events::note_tag_used(conn, self.site_id.0, &self.asset_tag).await
    }
}

/// The changes `device.updated` records.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Changes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<DeviceKind>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub manufacturer: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub model: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub serial_number: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub donor_asset_number: Patch<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specs: Option<Specs>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub weight_kg: Patch<f64>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub grade: Patch<Grade>,
}

impl projection::Changes for Changes {
    const KIND: &'static str = "device.updated";
    type Entity = device::Entity;

    async fn follow(
        conn: &Conn,
        before: &device::Model,
        after: &device::Model,
    ) -> Result<(), DbErr> {
        super::tallies::corrected(conn, before, after).await
    }
}

/// `device.updated`.
pub type Updated = crate::ledger::Updated<Changes>;

/// `device.transitioned`: one step of the lifecycle.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Transitioned {
    /// The action asked for; `null` when the server moved the device itself.
    pub action: Option<Action>,
    pub from: DeviceState,
    pub to: DeviceState,
    pub version: i64,
    /// True when the server moved the device itself (the last medium sanitized).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub automatic: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checklist: Option<Checklist>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Transitioned {
    /// The device row as this event's projection leaves it: what the
    /// writer answers without reading the row back. The projection below is
    /// the same change as one `UPDATE`.
    pub fn applied_to(&self, row: device::Model, event: &Event) -> device::Model {
        device::Model {
            state: self.to.as_str().to_owned(),
            version: self.version,
            updated_at: event.at,
            os: self.os.clone().or(row.os),
            ..row
        }
    }
}

impl Payload for Transitioned {
    const KIND: &'static str = "device.transitioned";
    const VERSION: u32 = 2;
    const PERSONAL: &'static [&'static str] = &["note", "reason"];

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        // One statement, not read-then-write: transitions are the hot path of the writer.
        let mut values = vec![
            (device::Column::State, self.to.as_str().into()),
            (device::Column::Version, self.version.into()),
            (device::Column::UpdatedAt, event.at.into()),
        ];
        if let Some(os) = &self.os {
            values.push((device::Column::Os, os.clone().into()));
        }
        let changed = conn
            .update_by::<device::Entity>(device::Column::Id, event.subject_id, values)
            .await?;
        if changed == 1 {
            let site = event.site_id.unwrap_or_default();
            let step = super::departures::Step {
                from: self.from,
                to: self.to,
            };
            super::departures::follow(conn, event.seq, event.subject_id, site, event.at, step).await
        } else {
            Err(DbErr::RecordNotFound(format!(
                "device {}",
                event.subject_id
            )))
        }
    }
}

pub const KINDS: &[Entry] = &[
    entry::<Registered>(),
    entry::<Updated>(),
    earlier::<Transitioned>(1),
    entry::<Transitioned>(),
];

/// The free strings of these kinds that say nothing of people (every other
/// free string is personal: `catalogue`). Hardware: the tag, the system installed (the forms ask for the
/// hardware, not the people).
pub const NOT_ABOUT_PEOPLE: &[(&str, &[&str])] = &[
    ("device.registered", &["asset_tag"]),
    ("device.transitioned", &["os"]),
];
