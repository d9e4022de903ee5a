//! Finding what a code names: an asset tag, or a serial.

use entities::{device, medium};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{MatchedBy, ScanResult, answer};
use crate::error::AppError;
use crate::principal::Principal;

/// What a code matched.
pub enum Found {
    Device(device::Model),
    Medium(medium::Model),
}

impl Found {
    pub(super) fn site_id(&self) -> uuid::Uuid {
        match self {
            Self::Device(d) => d.site_id,
            Self::Medium(m) => m.site_id,
        }
    }
}

/// What the answer needs beside the item: a device's media, or the device a medium is in.
pub enum Related {
    Media(Vec<medium::Model>),
    Holder(Option<Box<device::Model>>),
}

pub(super) async fn by_tag(
    db: &impl ConnectionTrait,
    principal: &Principal,
    tag: &str,
) -> Result<Option<Found>, AppError> {
    let row = device::Entity::find()
        .filter(device::Column::AssetTag.eq(tag))
        .one(db)
        .await?;
    if let Some(row) = row.filter(|d| principal.can_see_site(d.site_id)) {
        return Ok(Some(Found::Device(row)));
    }
    let row = medium::Entity::find()
        .filter(medium::Column::AssetTag.eq(tag))
        .one(db)
        .await?;
    Ok(row
        .filter(|m| principal.can_see_site(m.site_id))
        .map(Found::Medium))
}

pub(super) async fn by_serial(
    db: &impl ConnectionTrait,
    principal: &Principal,
    code: &str,
    serial: &str,
) -> Result<Option<ScanResult>, AppError> {
    let Some(serial) = crate::devices::normalize_serial(Some(serial.to_owned())) else {
        return Ok(None);
    };
    let mut devices = device::Entity::find().filter(device::Column::SerialNumber.eq(&serial));
    if let Some(own) = principal.site_scope() {
        devices = devices.filter(device::Column::SiteId.eq(own));
    }
    let mut devices = devices
        .order_by_desc(device::Column::UpdatedAt)
        .limit(20)
        .all(db)
        .await?;
    if !devices.is_empty() {
        let first = devices.remove(0);
        let others = devices.into_iter().map(|d| d.asset_tag).collect();
        return answer(
            db,
            principal,
            code,
            MatchedBy::SerialNumber,
            Found::Device(first),
            others,
        )
        .await
        .map(Some);
    }
    let mut media = medium::Entity::find().filter(medium::Column::SerialNumber.eq(&serial));
    if let Some(own) = principal.site_scope() {
        media = media.filter(medium::Column::SiteId.eq(own));
    }
    let mut media = media
        .order_by_desc(medium::Column::UpdatedAt)
        .limit(20)
        .all(db)
        .await?;
    if media.is_empty() {
        return Ok(None);
    }
    let first = media.remove(0);
    let others = media.into_iter().map(|m| m.asset_tag).collect();
    answer(
        db,
        principal,
        code,
        MatchedBy::SerialNumber,
        Found::Medium(first),
        others,
    )
    .await
    .map(Some)
}
