//! The answer to a scan: the item, what it holds or is held by, and what
//! may be done to it now.

use entities::{device, medium};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{Found, ItemType, MatchedBy, Related, ScanResult, device_actions, medium_actions};
use crate::devices::Device;
use crate::error::AppError;
use crate::media::Medium;
use crate::principal::Principal;

pub(super) async fn answer(
    db: &impl ConnectionTrait,
    principal: &Principal,
    code: &str,
    matched_by: MatchedBy,
    found: Found,
    other_matches: Vec<String>,
) -> Result<ScanResult, AppError> {
    let related = match &found {
        Found::Device(row) => Related::Media(
            medium::Entity::find()
                .filter(medium::Column::DeviceId.eq(row.id))
                .order_by_asc(medium::Column::AssetTag)
                .all(db)
                .await?,
        ),
        Found::Medium(row) => Related::Holder(match row.device_id {
            Some(id) => device::Entity::find_by_id(id).one(db).await?.map(Box::new),
            None => None,
        }),
    };
    assemble(principal, code, matched_by, found, related, other_matches)
}

/// The answer for an item and what surrounds it, however they were read.
pub(super) fn assemble(
    principal: &Principal,
    code: &str,
    matched_by: MatchedBy,
    found: Found,
    related: Related,
    other_matches: Vec<String>,
) -> Result<ScanResult, AppError> {
    match (found, related) {
        (Found::Device(row), Related::Media(media)) => {
            let media: Vec<Medium> = media
                .into_iter()
                .map(Medium::try_from)
                .collect::<Result<_, _>>()?;
            let device = Device::try_from(row)?;
            Ok(ScanResult {
                code: code.to_owned(),
                matched_by,
                item_type: ItemType::Device,
                asset_tag: device.asset_tag.clone(),
                state: device.state.as_str().to_owned(),
                allowed_actions: device_actions(principal, device.state, &media),
                events_url: format!("/api/v1/devices/{}/events", device.id.0),
                device: Some(device),
                medium: None,
                media,
                other_matches,
            })
        }
        (Found::Medium(row), Related::Holder(holder)) => {
            let holder = holder.map(|d| Device::try_from(*d)).transpose()?;
            let medium = Medium::try_from(row)?;
            Ok(ScanResult {
                code: code.to_owned(),
                matched_by,
                item_type: ItemType::Medium,
                asset_tag: medium.asset_tag.clone(),
                state: medium.state.as_str().to_owned(),
                allowed_actions: medium_actions(principal, &medium),
                events_url: format!("/api/v1/media/{}/events", medium.id.0),
                device: holder,
                medium: Some(medium),
                media: Vec::new(),
                other_matches,
            })
        }
        _ => Err(AppError::internal(
            "a scanned item read with the wrong neighbours",
        )),
    }
}
