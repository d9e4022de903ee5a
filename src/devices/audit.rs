//! The hardware audit: `lshw -json` output becomes the device's identity and
//! specs and its list of storage media, and a device just received becomes
//! `inventoried` — one scan of the audit tool's report instead of typing.

use entities::{device, medium};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;

use super::lshw::{self, Hardware, Ignored};
use super::service::{self, TransitionOutcome};
use super::{
    Action, Device, DeviceChanges, DeviceState, Specs, TransitionRequest, normalize_serial,
};
use crate::auth::{Permission, Principal};
use crate::error::AppError;
use crate::ids::DeviceId;
use crate::ledger::{Change, Event, Subject, SubjectType, Tx, update};
use crate::media::{Medium, NewMedium};

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditOutcome {
    pub device: Device,
    /// Media created for disks not yet on record (matched by serial number).
    pub media_added: Vec<Medium>,
    /// Disks left out, and why (removable USB storage, empty slots, optical drives).
    #[schema(value_type = Vec<Object>)]
    pub ignored: Vec<Ignored>,
    pub events: Vec<Event>,
}

/// The fields of the device that the audit fills or corrects.
fn changes(row: &device::Model, hardware: &Hardware) -> Result<DeviceChanges, AppError> {
    let differs =
        |current: &Option<String>, found: &Option<String>| found.is_some() && current != found;
    let serial = normalize_serial(hardware.serial_number.clone());
    let mut specs: Specs = serde_json::from_value(row.specs.clone()).map_err(AppError::internal)?;
    let before = specs.clone();
    specs.cpu = hardware.cpu.clone().or(specs.cpu);
    specs.ram_mib = hardware.ram_mib.or(specs.ram_mib);
    specs.storage = lshw::storage_summary(&hardware.disks).or(specs.storage);
    Ok(DeviceChanges {
        manufacturer: differs(&row.manufacturer, &hardware.manufacturer)
            .then(|| hardware.manufacturer.clone()),
        model: differs(&row.model, &hardware.model).then(|| hardware.model.clone()),
        serial_number: differs(&row.serial_number, &serial).then(|| serial.clone()),
        specs: (specs != before).then_some(specs),
        ..DeviceChanges::default()
    })
}

fn is_empty(changes: &DeviceChanges) -> bool {
    changes.manufacturer.is_none()
        && changes.model.is_none()
        && changes.serial_number.is_none()
        && changes.specs.is_none()
}

pub async fn record(
    tx: &mut Tx,
    principal: &Principal,
    id: DeviceId,
    expected: i64,
    hardware: Hardware,
) -> Result<AuditOutcome, AppError> {
    principal.require(Permission::RegisterDevices)?;
    let row = device::Entity::find_by_id(id.0)
        .one(tx.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    principal.check_site(row.site_id)?;
    crate::ledger::check_version(row.version, expected)?;
    let state = DeviceState::parse(&row.state)
        .ok_or_else(|| AppError::internal("unreadable device state"))?;
    if state.is_terminal() {
        return Err(AppError::Conflict(format!(
            "device {} is {} and takes no audit",
            row.asset_tag, row.state
        )));
    }
    let head = tx.head().seq;
    let mut version = row.version;
    let changes = changes(&row, &hardware)?;
    if !is_empty(&changes) {
        let subject = Subject::new(SubjectType::Device, id);
        let site = Some(crate::ids::SiteId(row.site_id));
        version = update::record::<device::Entity, _>(
            tx,
            subject,
            version,
            changes,
            Change::DeviceUpdated,
            |_| Ok(site),
        )
        .await?
        .version;
    }
    let known = medium::Entity::find()
        .filter(
            Condition::any()
                .add(medium::Column::DeviceId.eq(id.0))
                .add(medium::Column::SourceDeviceId.eq(id.0)),
        )
        .all(tx.conn())
        .await?;
    let mut media_added = Vec::new();
    for disk in hardware.disks {
        let serial = normalize_serial(disk.serial_number);
        if serial.is_some() && known.iter().any(|m| m.serial_number == serial) {
            continue;
        }
        let new = NewMedium {
            kind: disk.kind,
            manufacturer: disk.manufacturer,
            model: disk.model,
            serial_number: serial,
            capacity_bytes: disk.capacity_bytes,
            interface: disk.interface,
        };
        media_added.push(crate::media::service::add(tx, principal, id, new).await?);
    }
    if state == DeviceState::Received {
        let audit = TransitionRequest {
            action: Action::Audit,
            expected_version: Some(version),
            note: Some("hardware audit (lshw)".into()),
            os: None,
            checklist: None,
            target_state: None,
            reason: None,
        };
        let TransitionOutcome { .. } =
            service::transition(tx, principal, id, version, audit).await?;
    }
    let events = crate::ledger::history::since(tx.conn(), head).await?;
    Ok(AuditOutcome {
        device: service::load(tx.conn(), id).await?,
        media_added,
        ignored: hardware.ignored,
        events,
    })
}
