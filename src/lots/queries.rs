//! Reading lots: a site's users see their site's donations, network-wide
//! users every site's.

use entities::lot;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::Lot;
use crate::error::AppError;
use crate::ids::{DonorId, LotId, SiteId};
use crate::pagination::{self, Page, PageParams};
use crate::principal::{Permission, Principal};

/// A lot as `principal` may read it: its notes (who brought it, what they
/// said) are the workshop's, not a funder's.
pub fn shown(principal: &Principal, mut lot: Lot) -> Lot {
    if !principal.role.allows(Permission::ReadNotes) {
        lot.notes = None;
    }
    lot
}

#[derive(Debug, Default)]
pub struct Filter {
    pub donor_id: Option<DonorId>,
    pub site_id: Option<SiteId>,
}

pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: &Filter,
    page: &PageParams,
) -> Result<Page<Lot>, AppError> {
    principal.require(Permission::ReadInventory)?;
    let mut select = lot::Entity::find();
    if let Some(own) = principal.site_scope() {
        select = select.filter(lot::Column::SiteId.eq(own));
    }
    if let Some(site) = filter.site_id {
        select = select.filter(lot::Column::SiteId.eq(site.0));
    }
    if let Some(donor) = filter.donor_id {
        select = select.filter(lot::Column::DonorId.eq(donor.0));
    }
    let page = pagination::fetch(db, select, lot::Column::Id, page, |m| m.id).await?;
    Ok(page.map(|row| shown(principal, Lot::from(row))))
}

/// The latest lots `principal` may see, newest first (the lots page).
pub async fn latest(
    db: &impl ConnectionTrait,
    principal: &Principal,
    count: u64,
) -> Result<Vec<Lot>, AppError> {
    principal.require(Permission::ReadInventory)?;
    let mut select = lot::Entity::find();
    if let Some(own) = principal.site_scope() {
        select = select.filter(lot::Column::SiteId.eq(own));
    }
    Ok(select
        .order_by_desc(lot::Column::Id)
        .limit(count)
        .all(db)
        .await?
        .into_iter()
        .map(|row| shown(principal, Lot::from(row)))
        .collect())
}

/// A lot the principal may see.
pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: LotId,
) -> Result<Lot, AppError> {
    principal.require(Permission::ReadInventory)?;
    let row = lot::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    principal.check_site(row.site_id)?;
    Ok(shown(principal, row.into()))
}
