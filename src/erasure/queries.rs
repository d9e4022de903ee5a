//! Reading erasure records: a site's users see their site's.

use entities::erasure_record;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::StoredErasure;
use crate::auth::{Permission, Principal};
use crate::error::AppError;
use crate::ids::{DeviceId, MediumId};
use crate::pagination::{self, Page, PageParams};

/// A record as `principal` may read it: who erased, checked or witnessed,
/// and the notes, are the workshop's, not a funder's (they keep the ids).
pub fn shown(principal: &Principal, mut erasure: StoredErasure) -> StoredErasure {
    if !principal.role.allows(Permission::ReadNotes) {
        let record = &mut erasure.record;
        record.operator_name = String::new();
        record.validator_name = None;
        record.witness = None;
        record.notes = None;
    }
    erasure
}

#[derive(Debug, Default)]
pub struct Filter {
    pub medium_id: Option<MediumId>,
    pub device_id: Option<DeviceId>,
}

pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: &Filter,
    page: &PageParams,
) -> Result<Page<StoredErasure>, AppError> {
    principal.require(Permission::ReadInventory)?;
    let mut select = erasure_record::Entity::find();
    if let Some(site) = principal.site_scope() {
        select = select.filter(erasure_record::Column::SiteId.eq(site));
    }
    if let Some(medium) = filter.medium_id {
        select = select.filter(erasure_record::Column::MediumId.eq(medium.0));
    }
    if let Some(device) = filter.device_id {
        select = select.filter(erasure_record::Column::DeviceId.eq(device.0));
    }
    let page = pagination::fetch(db, select, erasure_record::Column::Id, page, |m| m.id).await?;
    Ok(Page {
        items: page
            .items
            .into_iter()
            .map(|row| StoredErasure::try_from(row).map(|e| shown(principal, e)))
            .collect::<Result<_, _>>()?,
        next_cursor: page.next_cursor,
    })
}

pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: uuid::Uuid,
) -> Result<StoredErasure, AppError> {
    principal.require(Permission::ReadInventory)?;
    let row = erasure_record::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    principal.check_site(row.site_id)?;
    Ok(shown(principal, row.try_into()?))
}
