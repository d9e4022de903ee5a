//! What a scanned or typed code is: an asset tag (device or medium), a label
//! URL, a device serial or a medium serial — resolved to the item, its state
//! and what may be done to it now. The API (`/api/v1/scan/{code}`) and the
//! web scan page share [`resolve`].

pub mod refusals;
pub mod routes;
pub mod sqlite;

use entities::{device, medium};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::devices::lifecycle::{self, Facts, MediumFact};
use crate::devices::service::permission_for;
use crate::devices::{Device, DeviceState};
use crate::domain::{Domain, Tag};
use crate::error::AppError;
use crate::media::lifecycle::Location;
use crate::media::{Medium, MediumAction};
use crate::principal::{Permission, Principal};
use crate::tags::AssetTag;
use refusals::ScanRefused;

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain =
    Domain::new(routes::router).tags(&[Tag::described("scan", "What a scanned code is")]);

/// How the code was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    AssetTag,
    /// A label's URL, `…/d/<asset tag>`.
    Url,
    SerialNumber,
}

/// What a code resolved to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScanResult {
    /// The code as received.
    pub code: String,
    pub matched_by: MatchedBy,
    /// `device` or `medium`.
    pub item_type: ItemType,
    pub asset_tag: String,
    /// The item's state (a device state or a medium state).
    pub state: String,
    /// The device: the one scanned, or the one the scanned medium is in.
    pub device: Option<Device>,
    /// The medium scanned.
    pub medium: Option<Medium>,
    /// For a device: its storage media.
    pub media: Vec<Medium>,
    /// What the caller may record now, as `action` values for `events_url`.
    pub allowed_actions: Vec<String>,
    /// Where to POST those actions.
    pub events_url: String,
    /// Other items carrying the same serial number (a device donated twice…).
    pub other_matches: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemType {
    Device,
    Medium,
}

/// Resolves `code` among the items `principal` may see.
pub async fn resolve(
    db: &impl ConnectionTrait,
    principal: &Principal,
    code: &str,
) -> Result<ScanResult, AppError> {
    resolve_with(db, None, principal, code).await
}

/// [`resolve`], with asset tags looked up through `fast` when there is one
/// (embedded SQLite: see [`sqlite`]).
pub async fn resolve_with(
    db: &impl ConnectionTrait,
    fast: Option<&crate::db::reader::SqliteReader>,
    principal: &Principal,
    code: &str,
) -> Result<ScanResult, AppError> {
    principal.require(Permission::ReadInventory)?;
    let trimmed = code.trim();
    if trimmed.is_empty() || trimmed.len() > 512 {
        return Err(not_found(trimmed));
    }
    let (candidate, by) = match tag_in_url(trimmed) {
        Some(tag) => (tag, MatchedBy::Url),
        None => (trimmed, MatchedBy::AssetTag),
    };
    match AssetTag::parse(candidate) {
        Ok(tag) => {
            let tag = tag.to_string();
            // The fast reader sees the same database: when it finds nothing
            // visible, asking again through the pool would find nothing either.
            if let Some(fast) = fast {
                if let Some((found, related)) = sqlite::by_tag(fast, &tag)?
                    && principal.can_see_site(found.site_id())
                {
                    return assemble(principal, code, by, found, related, Vec::new());
                }
            } else if let Some(found) = by_tag(db, principal, &tag).await? {
                return answer(db, principal, code, by, found, Vec::new()).await;
            }
        }
        Err(crate::tags::TagError::CheckMismatch) => {
            if let Some(found) = by_serial(db, principal, code, trimmed).await? {
                return Ok(found);
            }
            return Err(mistyped(db, principal, candidate).await?);
        }
        Err(crate::tags::TagError::Format) => {}
    }
    if by == MatchedBy::Url {
        return Err(not_found(trimmed));
    }
    by_serial(db, principal, code, trimmed)
        .await?
        .ok_or_else(|| not_found(trimmed))
}

/// The tag at the end of a label URL (`https://…/d/BRE-004217-K`).
fn tag_in_url(code: &str) -> Option<&str> {
    let (_, rest) = code.rsplit_once("/d/")?;
    let tag = rest.split(['?', '#']).next()?.trim_end_matches('/');
    (!tag.is_empty()).then_some(tag)
}

/// What a code matched.
pub enum Found {
    Device(device::Model),
    Medium(medium::Model),
}

impl Found {
    fn site_id(&self) -> uuid::Uuid {
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

async fn by_tag(
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

async fn by_serial(
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

async fn answer(
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
fn assemble(
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

fn not_found(code: &str) -> AppError {
    ScanRefused::UnknownCode {
        code: code.to_owned(),
    }
    .into()
}

/// A tag whose check character fails: say so, and offer the tags one typo away that exist.
async fn mistyped(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tag_is_read_from_a_label_url() {
        assert_eq!(
            tag_in_url("https://a.example/d/BRE-004217-K"),
            Some("BRE-004217-K")
        );
        assert_eq!(
            tag_in_url("http://x/d/BRE-004217-K/?utm=1"),
            Some("BRE-004217-K")
        );
        assert_eq!(tag_in_url("BRE-004217-K"), None);
        assert_eq!(tag_in_url("https://a.example/d/"), None);
    }

    #[test]
    fn a_loose_sanitized_medium_may_be_reinstalled_or_destroyed() {
        use crate::media::MediumState;
        let principal = Principal {
            user_id: crate::ids::UserId(uuid::Uuid::nil()),
            email: "t@x".into(),
            role: crate::principal::Role::Technician,
            site_id: None,
            language: None,
        };
        let medium = Medium {
            id: crate::ids::MediumId(uuid::Uuid::nil()),
            site_id: crate::ids::SiteId(uuid::Uuid::nil()),
            device_id: None,
            source_device_id: None,
            asset_tag: "BRE-000001-X".into(),
            kind: crate::media::MediumKind::Ssd,
            manufacturer: None,
            model: None,
            serial_number: None,
            capacity_bytes: None,
            interface: None,
            state: MediumState::Sanitized,
            version: 1,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        };
        assert_eq!(
            medium_actions(&principal, &medium),
            ["reinstall", "record_erasure", "destroy"]
        );
        let viewer = Principal {
            role: crate::principal::Role::Viewer,
            ..principal
        };
        assert!(medium_actions(&viewer, &medium).is_empty());
    }
}
