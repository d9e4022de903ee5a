//! Reading erasure records: a site's users see their site's.

use entities::{erasure_record, user};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::StoredErasure;
use crate::error::AppError;
use crate::ids::{DeviceId, MediumId};
use crate::pagination::{self, Page, PageParams};
use crate::principal::{Permission, Principal};

/// The records with their operators' and validators' names, read from their
/// accounts (the records hold only the accounts).
pub async fn named(
    db: &impl ConnectionTrait,
    mut erasures: Vec<StoredErasure>,
) -> Result<Vec<StoredErasure>, AppError> {
    let ids: Vec<uuid::Uuid> = erasures
        .iter()
        .flat_map(|e| [e.record.operator_id, e.record.validator_id])
        .flatten()
        .map(|u| u.0)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let names: std::collections::HashMap<uuid::Uuid, String> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::DisplayName)
        .filter(user::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    for erasure in &mut erasures {
        let record = &mut erasure.record;
        if let Some(name) = record.operator_id.and_then(|u| names.get(&u.0)) {
            record.operator_name.clone_from(name);
        }
        record.validator_name = record.validator_id.and_then(|u| names.get(&u.0).cloned());
    }
    Ok(erasures)
}

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
    let items = page
        .items
        .into_iter()
        .map(StoredErasure::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page {
        items: named(db, items)
            .await?
            .into_iter()
            .map(|e| shown(principal, e))
            .collect(),
        next_cursor: page.next_cursor,
    })
}

/// Every record of these media, newest first, as `principal` may read them:
/// what a device's page shows of how its drives were dealt with.
pub async fn of_media(
    db: &impl ConnectionTrait,
    principal: &Principal,
    media: &[MediumId],
) -> Result<Vec<StoredErasure>, AppError> {
    use sea_orm::QueryOrder;
    principal.require(Permission::ReadInventory)?;
    let mut select = erasure_record::Entity::find()
        .filter(erasure_record::Column::MediumId.is_in(media.iter().map(|m| m.0)))
        .order_by_desc(erasure_record::Column::Id);
    if let Some(site) = principal.site_scope() {
        select = select.filter(erasure_record::Column::SiteId.eq(site));
    }
    let items = select
        .all(db)
        .await?
        .into_iter()
        .map(StoredErasure::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(named(db, items)
        .await?
        .into_iter()
        .map(|e| shown(principal, e))
        .collect())
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
    let named = named(db, vec![row.try_into()?]).await?;
    let erasure = named.into_iter().next().ok_or(AppError::NotFound)?;
    Ok(shown(principal, erasure))
}

/// The `erasure.recorded` events of version 1 (written up to 0.2.0, when
/// records still copied names) that name `user` as operator or validator,
/// each with the field that holds the name: what erasing that account
/// redacts. Version 2 on names accounts only.
pub async fn events_naming(
    db: &impl ConnectionTrait,
    user: crate::ids::UserId,
) -> Result<Vec<(crate::ledger::Event, &'static str)>, AppError> {
    use entities::event;
    let rows = event::Entity::find()
        .filter(
            event::Column::Kind.eq(<super::events::v1::Recorded as crate::ledger::Payload>::KIND),
        )
        // The account's id is in the payload of every event that names it:
        // a cheap filter before the JSON is read.
        .filter(event::Column::Payload.contains(user.0.to_string()))
        .all(db)
        .await?;
    let mut naming = Vec::new();
    for event in rows.into_iter().filter_map(crate::ledger::Event::from_row) {
        if event.version() != 1 {
            continue;
        }
        let names = |role: &str| {
            event.payload.get(role).and_then(|v| v.as_str()) == Some(&user.0.to_string())
        };
        let fields: Vec<&'static str> = [
            ("operator_id", "operator_name"),
            ("validator_id", "validator_name"),
        ]
        .into_iter()
        .filter(|(id, _)| names(id))
        .map(|(_, name)| name)
        .collect();
        for field in fields {
            naming.push((event.clone(), field));
        }
    }
    Ok(naming)
}
