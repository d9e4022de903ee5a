//! A code that names nothing: said plainly, with the tag it was likely
//! meant to be.

use entities::{device, medium};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use super::refusals::ScanRefused;
use crate::error::AppError;
use crate::principal::Principal;
use crate::tags::AssetTag;

pub(super) fn not_found(code: &str) -> AppError {
    ScanRefused::UnknownCode {
        code: code.to_owned(),
    }
    .into()
}

/// A tag whose check character fails: say so, and offer the tags one typo away that exist.
pub(super) async fn mistyped(
    db: &impl ConnectionTrait,
    principal: &Principal,
    typed: &str,
) -> Result<AppError, AppError> {
    let candidates: Vec<String> = AssetTag::corrections(typed)
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut suggestions = Vec::new();
    if !candidates.is_empty() {
        let mut devices =
            device::Entity::find().filter(device::Column::AssetTag.is_in(candidates.clone()));
        let mut media = medium::Entity::find().filter(medium::Column::AssetTag.is_in(candidates));
        if let Some(own) = principal.site_scope() {
            devices = devices.filter(device::Column::SiteId.eq(own));
            media = media.filter(medium::Column::SiteId.eq(own));
        }
        for d in devices
            .order_by_asc(device::Column::AssetTag)
            .all(db)
            .await?
        {
            suggestions.push(json!({"asset_tag": d.asset_tag, "item_type": "device", "kind": d.kind, "model": d.model, "state": d.state}));
        }
        for m in media.order_by_asc(medium::Column::AssetTag).all(db).await? {
            suggestions.push(json!({"asset_tag": m.asset_tag, "item_type": "medium", "kind": m.kind, "model": m.model, "state": m.state}));
        }
    }
    Ok(ScanRefused::MistypedTag {
        code: typed.to_owned(),
        suggestions,
    }
    .into())
}
