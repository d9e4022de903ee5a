//! Reading donors: the one place where what a user may see of a donor is
//! decided. Viewers read no contact person, and no individual donor's name
//! or address — on the API and on every page alike.

use std::collections::HashMap;

use entities::donor;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{Donor, DonorKind};
use crate::error::AppError;
use crate::ids::DonorId;
use crate::pagination::{self, Page, PageParams};
use crate::principal::{Permission, Principal};
use crate::search::contains_ci;

/// A donor as `principal` may see it.
pub fn shown(principal: &Principal, donor: Donor) -> Donor {
    if reads_contacts(principal) {
        donor
    } else {
        donor.redacted()
    }
}

/// Whether `principal` reads donors' contacts and individual donors'
/// identity: those who may read people's personal data (coordinators and
/// admins), not the bench or a funder.
fn reads_contacts(principal: &Principal) -> bool {
    principal.role.allows(Permission::ReadPersonalData)
}

/// What a list of donors may be narrowed to.
#[derive(Debug, Default)]
pub struct Filter {
    pub kind: Option<DonorKind>,
    /// Part of the name, or the SIRET.
    pub q: Option<String>,
}

pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: &Filter,
    page: &PageParams,
) -> Result<Page<Donor>, AppError> {
    principal.require(Permission::ReadInventory)?;
    let mut select = donor::Entity::find();
    if let Some(kind) = filter.kind {
        select = select.filter(donor::Column::Kind.eq(kind.as_str()));
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let siret: String = q.chars().filter(|c| !c.is_whitespace()).collect();
        // A name hidden from the reader is not searchable by them either:
        // else a viewer would spell an individual donor's name out letter by letter.
        let mut name = Condition::all().add(contains_ci(donor::Column::Name, q));
        if !reads_contacts(principal) {
            name = name.add(donor::Column::Kind.ne(DonorKind::Individual.as_str()));
        }
        select = select.filter(
            Condition::any()
                .add(name)
                .add(donor::Column::Siret.eq(siret)),
        );
    }
    let page = pagination::fetch(db, select, donor::Column::Id, page, |m| m.id).await?;
    let items = page
        .items
        .into_iter()
        .map(|m| Donor::try_from(m).map(|d| shown(principal, d)))
        .collect::<Result<_, _>>()?;
    Ok(Page {
        items,
        next_cursor: page.next_cursor,
    })
}

pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: DonorId,
) -> Result<Donor, AppError> {
    principal.require(Permission::ReadInventory)?;
    let row = donor::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(shown(principal, row.try_into()?))
}

/// The names of these donors as `principal` may read them, in one query.
pub async fn names(
    db: &impl ConnectionTrait,
    principal: &Principal,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, String>, AppError> {
    principal.require(Permission::ReadInventory)?;
    donor::Entity::find()
        .filter(donor::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|row| Ok((row.id, shown(principal, Donor::try_from(row)?).name)))
        .collect()
}

/// Whether a donor exists: what a lot naming one checks first.
pub async fn exists(db: &impl ConnectionTrait, id: DonorId) -> Result<bool, AppError> {
    Ok(donor::Entity::find_by_id(id.0).one(db).await?.is_some())
}
