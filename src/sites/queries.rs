//! Which sites a user sees: their own, or every site for network-wide users.

use entities::site;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::Site;
use crate::error::AppError;
use crate::ids::SiteId;
use crate::pagination::{self, Page, PageParams};
use crate::principal::{Permission, Principal};

pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    page: &PageParams,
) -> Result<Page<Site>, AppError> {
    principal.require(Permission::ReadInventory)?;
    let mut select = site::Entity::find();
    if let Some(own) = principal.site_scope() {
        select = select.filter(site::Column::Id.eq(own));
    }
    let page = pagination::fetch(db, select, site::Column::Id, page, |m| m.id).await?;
    Ok(page.map(Site::from))
}

/// A site the principal may see.
pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: SiteId,
) -> Result<Site, AppError> {
    principal.require(Permission::ReadInventory)?;
    principal.check_site(id)?;
    let row = site::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(row.into())
}

/// The site with this code, whoever asks (the command line names sites by code).
pub async fn by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<site::Model>, AppError> {
    Ok(site::Entity::find()
        .filter(site::Column::Code.eq(code.trim().to_uppercase()))
        .one(db)
        .await?)
}

/// A site's name and address, for pages that name the workshop (the public
/// card of a device names it to anyone: it is how a beneficiary finds help).
pub async fn workshop(db: &impl ConnectionTrait, id: SiteId) -> Result<site::Model, AppError> {
    site::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The names of the sites `principal` may see, by name (site pickers).
pub async fn names(
    db: &impl ConnectionTrait,
    principal: &Principal,
) -> Result<Vec<(uuid::Uuid, String)>, AppError> {
    use sea_orm::QueryOrder;
    principal.require(Permission::ReadInventory)?;
    let mut select = site::Entity::find().order_by_asc(site::Column::Name);
    if let Some(own) = principal.site_scope() {
        select = select.filter(site::Column::Id.eq(own));
    }
    Ok(select
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect())
}

/// Whether a site exists: what a write naming one checks first.
pub async fn exists(db: &impl ConnectionTrait, id: SiteId) -> Result<bool, AppError> {
    Ok(site::Entity::find_by_id(id.0).one(db).await?.is_some())
}
