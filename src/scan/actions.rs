//! What the person who scanned may do to the item now.

use crate::devices::DeviceState;
use crate::devices::lifecycle::{self, Facts, MediumFact};
use crate::devices::service::permission_for;
use crate::media::lifecycle::Location;
use crate::media::{Medium, MediumAction};
use crate::principal::{Permission, Principal};

/// The device actions the lifecycle accepts now and the principal may record.
pub fn device_actions(principal: &Principal, state: DeviceState, media: &[Medium]) -> Vec<String> {
    let facts: Vec<MediumFact> = media
        .iter()
        .map(|m| MediumFact {
            id: m.id.0,
            asset_tag: m.asset_tag.clone(),
            serial_number: m.serial_number.clone(),
            state: m.state,
        })
        .collect();
    let facts = Facts {
        media: &facts,
        note: None,
        os: None,
        checklist: None,
        target: None,
    };
    lifecycle::allowed_actions(state, &facts)
        .into_iter()
        .filter(|a| principal.role.allows(permission_for(*a)))
        .map(|a| a.as_str().to_owned())
        .collect()
}

/// The medium actions a person can record now (`device_returned` is the server's own).
pub fn medium_actions(principal: &Principal, medium: &Medium) -> Vec<String> {
    if !principal.role.allows(Permission::WorkshopActions) {
        return Vec::new();
    }
    let location = if medium.device_id.is_some() {
        Location::InDevice
    } else {
        Location::Loose
    };
    MediumAction::ALL
        .into_iter()
        .filter(|a| *a != MediumAction::DeviceReturned)
        .filter(|a| {
            crate::media::lifecycle::transition(medium.state, location, *a, Some(true)).is_ok()
        })
        .map(|a| a.as_str().to_owned())
        .collect()
}
