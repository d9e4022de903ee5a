//! Recording an audit, in one write job: the device's changed fields, a
//! medium for each disk not yet on record, and `audit` for a received device.

use entities::{device, medium};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;

use super::lshw::{self, Hardware, Ignored};
use crate::devices::refusals::DeviceRefused;
use crate::devices::{
    Action, Device, DeviceChanges, DeviceState, Specs, TransitionRequest, normalize_serial,
    queries, service,
};
use crate::error::{AppError, check_version};
use crate::ids::DeviceId;
use crate::ledger::Event;
use crate::media::{Medium, NewMedium};
use crate::principal::{Permission, Principal};
use crate::state::Tx;

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
            .then(|| hardware.manufacturer.clone())
            .into(),
        model: differs(&row.model, &hardware.model)
            .then(|| hardware.model.clone())
            .into(),
        serial_number: differs(&row.serial_number, &serial)
            .then(|| serial.clone())
            .into(),
        specs: (specs != before).then_some(specs),
        ..DeviceChanges::default()
    })
}

#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, device = %id))]
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
    check_version(row.version, expected)?;
    let state = DeviceState::parse(&row.state)
        .ok_or_else(|| AppError::internal("unreadable device state"))?;
    if state.is_terminal() {
        return Err(DeviceRefused::Closed {
            asset_tag: row.asset_tag,
            state,
        }
        .into());
    }
    let first = tx.appended().len();
    let mut version = row.version;
    let changes = changes(&row, &hardware)?;
    if changes.manufacturer.is_sent()
        || changes.model.is_sent()
        || changes.serial_number.is_sent()
        || changes.specs.is_some()
    {
        version = service::update(tx, principal, id, version, changes)
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
        service::transition(tx, principal, id, version, audit).await?;
    }
    let events = tx.appended()[first..].to_vec();
    Ok(AuditOutcome {
        device: queries::load(tx.conn(), id).await?,
        media_added,
        ignored: hardware.ignored,
        events,
    })
}
