//! Refurbishment commands, run inside the ledger writer.

use entities::{device, part};
use sea_orm::EntityTrait;
use validator::Validate;

use super::events::{self, PART, PartFitted};
use super::{Dismantling, NewWork, Part, Work};
use crate::devices::refusals::DeviceRefused;
use crate::devices::{Action, Device, DeviceState, TransitionRequest};
use crate::error::{AppError, check_version};
use crate::ids::{DeviceId, PartId, SiteId};
use crate::ledger::Subject;
use crate::patch::clean;
use crate::principal::{Permission, Principal};
use crate::state::Tx;

/// A device in the workshop: not handed over, not gone.
async fn in_workshop(
    tx: &Tx,
    principal: &Principal,
    id: DeviceId,
) -> Result<device::Model, AppError> {
    let row = crate::devices::queries::visible(tx.conn(), principal, id).await?;
    let state = DeviceState::parse(&row.state)
        .ok_or_else(|| AppError::internal("unreadable device state"))?;
    if !state.is_in_workshop() {
        return Err(DeviceRefused::Closed {
            asset_tag: row.asset_tag,
            state,
        }
        .into());
    }
    Ok(row)
}

/// A harvested part that may go into `device`: this site's, still free, and
/// not from the device itself.
async fn free_part(
    tx: &Tx,
    device: &device::Model,
    id: PartId,
    field: &str,
) -> Result<part::Model, AppError> {
    let part = part::Entity::find_by_id(id.0)
        .one(tx.conn())
        .await?
        .filter(|p| p.site_id == device.site_id)
        .ok_or_else(|| AppError::field(field, "no such part in this site"))?;
    if part.fitted_in_device_id.is_some() {
        return Err(AppError::field(
            field,
            "was fitted in another device already",
        ));
    }
    if part.origin_device_id == device.id {
        return Err(AppError::field(field, "comes from this very device"));
    }
    Ok(part)
}

#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, device = %id))]
pub async fn record_work(
    tx: &mut Tx,
    principal: &Principal,
    id: DeviceId,
    expected: i64,
    new: NewWork,
) -> Result<Device, AppError> {
    principal.require(Permission::WorkshopActions)?;
    new.work.check()?;
    let row = in_workshop(tx, principal, id).await?;
    check_version(row.version, expected)?;
    let work = match new.work {
        Work::Repair { description, parts } => {
            let mut fitted = Vec::new();
            for (index, replaced) in parts.into_iter().enumerate() {
                let origin = match replaced.part_id {
                    Some(part) => Some(
                        free_part(tx, &row, part, &format!("work.parts[{index}].part_id"))
                            .await?
                            .origin_device_id,
                    ),
                    None => None,
                };
                if replaced.part_id.is_some()
                    && fitted
                        .iter()
                        .any(|f: &PartFitted| f.part_id == replaced.part_id)
                {
                    return Err(AppError::field(
                        format!("work.parts[{index}].part_id"),
                        "is listed twice",
                    ));
                }
                fitted.push(PartFitted {
                    description: replaced.description.trim().to_owned(),
                    part_id: replaced.part_id,
                    origin_device_id: origin.map(DeviceId),
                });
            }
            events::Work::Repair {
                description: description.trim().to_owned(),
                parts: fitted,
            }
        }
        Work::Grade { grade } => events::Work::Grade { grade },
        Work::Battery {
            health_percent,
            cycle_count,
        } => events::Work::Battery {
            health_percent,
            cycle_count,
        },
        Work::Os {
            distribution,
            version,
            image_id,
        } => events::Work::Os {
            distribution: distribution.trim().to_owned(),
            version: clean(version),
            image_id: clean(image_id),
        },
    };
    tx.record(
        Some(SiteId(row.site_id)),
        Subject::new(crate::devices::events::SUBJECT, id),
        events::WorkRecorded {
            version: row.version + 1,
            work,
        },
    )
    .await?;
    crate::devices::queries::load(tx.conn(), id).await
}

/// Takes a device apart: its `dismantle` (the gate holds: its drives must be
/// sanitized or destroyed), then one traceable part per piece kept.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, device = %id))]
pub async fn dismantle(
    tx: &mut Tx,
    principal: &Principal,
    id: DeviceId,
    expected: i64,
    dismantling: Dismantling,
) -> Result<(Device, Vec<Part>), AppError> {
    principal.require(Permission::WorkshopActions)?;
    dismantling.validate()?;
    for (index, part) in dismantling.parts.iter().enumerate() {
        super::written_text(format!("parts[{index}]"), part, super::PART_MAX_CHARS)?;
    }
    let descriptions: Vec<String> = dismantling
        .parts
        .iter()
        .map(|p| p.trim().to_owned())
        .collect();
    let mut request = TransitionRequest::action(Action::Dismantle);
    request.note = dismantling.note;
    let outcome = crate::devices::service::transition(tx, principal, id, expected, request).await?;
    let site = outcome.device.site_id;
    let mut parts = Vec::new();
    for description in descriptions {
        let part = PartId::generate();
        tx.record(
            Some(site),
            Subject::new(PART, part),
            events::Harvested {
                site_id: site,
                origin_device_id: id,
                description,
            },
        )
        .await?;
        parts.push(super::queries::load_part(tx.conn(), part).await?);
    }
    Ok((outcome.device, parts))
}
