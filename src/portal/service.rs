//! Creating, opening and revoking portal links: each a ledger event.

use entities::portal_link;
use sea_orm::EntityTrait;
use validator::Validate;

use super::events::{self, SUBJECT};
use super::{NewPortalLink, PortalLink, SECRET_PREFIX, queries};
use crate::error::{AppError, check_version};
use crate::ids::{LotId, PortalLinkId, SiteId};
use crate::ledger::Subject;
use crate::patch::clean;
use crate::principal::{Permission, Principal};
use crate::state::Tx;

/// Creates a link to `lot`; answers it with its secret, which is kept
/// nowhere (the ledger and the table hold its SHA-256). Without a last day,
/// it opens for `link_days` (`[portal]`).
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, lot = %lot))]
pub async fn create(
    tx: &mut Tx,
    principal: &Principal,
    lot: LotId,
    new: NewPortalLink,
    link_days: u32,
) -> Result<(PortalLink, String), AppError> {
    new.validate()?;
    let lot = queries::shareable_lot(tx.conn(), principal, lot).await?;
    let today = tx.now().date_naive();
    if new.expires_on.is_some_and(|last| last < today) {
        return Err(AppError::field("expires_on", "must not be in the past"));
    }
    let secret = crate::auth::tokens::secret(SECRET_PREFIX)?;
    let id = PortalLinkId::generate();
    let site = SiteId(lot.site_id);
    tx.record(
        Some(site),
        Subject::new(SUBJECT, id.0),
        events::Created {
            lot_id: LotId(lot.id),
            site_id: site,
            secret_sha256: crate::auth::tokens::digest(&secret),
            label: clean(new.label),
            expires_on: Some(new.expires_on.unwrap_or_else(|| {
                today
                    .checked_add_days(chrono::Days::new(u64::from(link_days)))
                    .unwrap_or(today)
            })),
        },
    )
    .await?;
    Ok((load(tx, id).await?, secret))
}

/// Revokes a link: from now on it answers as if it never existed.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, portal_link = %id))]
pub async fn revoke(
    tx: &mut Tx,
    principal: &Principal,
    id: PortalLinkId,
    expected: i64,
) -> Result<PortalLink, AppError> {
    principal.require(Permission::IssueCertificates)?;
    let row = portal_link::Entity::find_by_id(id.0)
        .one(tx.conn())
        .await?
        .filter(|l| principal.can_see_site(l.site_id))
        .ok_or(AppError::NotFound)?;
    check_version(row.version, expected)?;
    if row.revoked_at.is_some() {
        return Err(AppError::Conflict("the link is already revoked".into()));
    }
    tx.record(
        Some(SiteId(row.site_id)),
        Subject::new(SUBJECT, id.0),
        events::Revoked {
            version: row.version + 1,
        },
    )
    .await?;
    load(tx, id).await
}

/// The donor opens the portal, if the link opens today: recorded once a
/// day at most — a link-preview bot or a reloading browser would otherwise
/// grow a ledger that never shrinks.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn open(tx: &mut Tx, secret: &str) -> Result<portal_link::Model, AppError> {
    let today = tx.now().date_naive();
    let row = queries::open_link(tx.conn(), secret, today).await?;
    if row.last_opened_at.is_none_or(|at| at.date_naive() != today) {
        tx.record(
            Some(SiteId(row.site_id)),
            Subject::new(SUBJECT, row.id),
            events::Opened {},
        )
        .await?;
    }
    Ok(row)
}

async fn load(tx: &Tx, id: PortalLinkId) -> Result<PortalLink, AppError> {
    let today = tx.now().date_naive();
    portal_link::Entity::find_by_id(id.0)
        .one(tx.conn())
        .await?
        .map(|row| queries::to_api(row, today))
        .ok_or(AppError::NotFound)
}
