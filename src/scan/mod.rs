//! What a scanned or typed code is: an asset tag (device or medium), a label
//! URL, a device serial or a medium serial — resolved to the item, its state
//! and what may be done to it now. The API (`/api/v1/scan/{code}`) and the
//! web scan page share [`resolve`].

pub mod refusals;
pub mod routes;
pub mod sqlite;

mod actions;
mod answer;
mod find;
mod mistyped;

pub use actions::{device_actions, medium_actions};
use answer::{answer, assemble};
pub use find::{Found, Related};
use find::{by_serial, by_tag};
use mistyped::{mistyped, not_found};

use sea_orm::ConnectionTrait;
use serde::Serialize;
use utoipa::ToSchema;

use crate::devices::Device;
use crate::domain::{Domain, Tag};
use crate::error::AppError;
use crate::media::Medium;
use crate::principal::{Permission, Principal};
use crate::tags::AssetTag;

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

#[cfg(test)]
mod tests;
