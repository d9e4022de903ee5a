//! Reading certificates: staff see their site's; anyone may verify one by
//! its number, and read nothing personal there.

use entities::{certificate, document};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{Certificate, Kind};
use crate::error::AppError;
use crate::pagination::{self, Page, PageParams};
use crate::principal::{Permission, Principal};

#[derive(Debug, Default)]
pub struct Filter {
    pub kind: Option<Kind>,
    /// The lot or device certified.
    pub subject_id: Option<Uuid>,
}

pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: &Filter,
    page: &PageParams,
) -> Result<Page<Certificate>, AppError> {
    principal.require(Permission::ReadInventory)?;
    let mut select = certificate::Entity::find();
    if let Some(site) = principal.site_scope() {
        select = select.filter(certificate::Column::SiteId.eq(site));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(certificate::Column::Kind.eq(kind.as_str()));
    }
    if let Some(subject) = filter.subject_id {
        select = select.filter(certificate::Column::SubjectId.eq(subject));
    }
    let page = pagination::fetch(db, select, certificate::Column::Id, page, |m| m.id).await?;
    Ok(Page {
        items: page
            .items
            .into_iter()
            .map(Certificate::try_from)
            .collect::<Result<_, _>>()?,
        next_cursor: page.next_cursor,
    })
}

/// A certificate by its number, whoever asks: the public verification page.
pub async fn by_number(
    db: &impl ConnectionTrait,
    number: &str,
) -> Result<certificate::Model, AppError> {
    certificate::Entity::find()
        .filter(certificate::Column::Number.eq(number))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A certificate the principal may see.
pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    number: &str,
) -> Result<certificate::Model, AppError> {
    principal.require(Permission::ReadInventory)?;
    let row = by_number(db, number).await?;
    principal.check_site(row.site_id)?;
    Ok(row)
}

/// The issued file of a certificate, byte for byte, if it is still stored.
pub async fn file(
    db: &impl ConnectionTrait,
    row: &certificate::Model,
) -> Result<Option<Vec<u8>>, AppError> {
    Ok(document::Entity::find_by_id(row.file_sha256.clone())
        .one(db)
        .await?
        .map(|d| d.bytes))
}

/// An issued certificate's file, for a principal who may read it: the
/// files name the workshop's staff (the erasure's operator, its witness),
/// so they are the workshop's and the donor's (through the portal), not a
/// funder's. `/verify/{number}` tells anyone whether a copy is genuine.
pub async fn readable_file(
    db: &impl ConnectionTrait,
    principal: &Principal,
    number: &str,
) -> Result<Vec<u8>, AppError> {
    principal.require(Permission::ReadNotes)?;
    let row = get(db, principal, number).await?;
    file(db, &row).await?.ok_or(AppError::NotFound)
}

/// The number of the revision that replaces this certificate, if any.
pub async fn superseded_by(
    db: &impl ConnectionTrait,
    number: &str,
) -> Result<Option<String>, AppError> {
    Ok(certificate::Entity::find()
        .filter(certificate::Column::Supersedes.eq(number))
        .one(db)
        .await?
        .map(|c| c.number))
}

/// A donor's year statements: theirs to see from any of their lots, on the
/// lot's page and on its portal.
pub fn statements_of_donor(donor: uuid::Uuid) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(certificate::Column::SubjectId.eq(donor))
        .add(certificate::Column::Kind.eq(Kind::ImpactStatement.as_str()))
}

/// The certificates matching `condition` that the principal may see,
/// newest first: what every page's list of certificates reads.
async fn matching(
    db: &impl ConnectionTrait,
    principal: &Principal,
    condition: sea_orm::Condition,
) -> Result<Vec<Certificate>, AppError> {
    use sea_orm::QueryOrder;
    principal.require(Permission::ReadInventory)?;
    let mut select = certificate::Entity::find()
        .filter(condition)
        .order_by_desc(certificate::Column::IssuedAt);
    if let Some(site) = principal.site_scope() {
        select = select.filter(certificate::Column::SiteId.eq(site));
    }
    select
        .all(db)
        .await?
        .into_iter()
        .map(Certificate::try_from)
        .collect()
}

/// The erasure certificates of these devices, as the principal may see them.
pub async fn erasure_of(
    db: &impl ConnectionTrait,
    principal: &Principal,
    devices: &[uuid::Uuid],
) -> Result<Vec<Certificate>, AppError> {
    let condition = sea_orm::Condition::all()
        .add(certificate::Column::Kind.eq(Kind::Erasure.as_str()))
        .add(certificate::Column::SubjectId.is_in(devices.iter().copied()));
    matching(db, principal, condition).await
}

/// What a donor's page lists: the certificates of their lots and their year
/// statements, as the principal may see them, newest first.
pub async fn statements_of(
    db: &impl ConnectionTrait,
    principal: &Principal,
    donor: crate::ids::DonorId,
) -> Result<Vec<Certificate>, AppError> {
    use entities::lot;
    use sea_orm::{Condition, QuerySelect};
    principal.require(Permission::ReadInventory)?;
    let lots: Vec<uuid::Uuid> = lot::Entity::find()
        .select_only()
        .column(lot::Column::Id)
        .filter(lot::Column::DonorId.eq(donor.0))
        .into_tuple()
        .all(db)
        .await?;
    let condition = Condition::any()
        .add(certificate::Column::SubjectId.is_in(lots))
        .add(statements_of_donor(donor.0));
    matching(db, principal, condition).await
}

/// What a lot's page lists: the certificates naming the lot (its donor
/// certificate, its impact statements) and its donor's year statements,
/// as the principal may see them, newest first.
pub async fn of_lot(
    db: &impl ConnectionTrait,
    principal: &Principal,
    lot: uuid::Uuid,
    donor: uuid::Uuid,
) -> Result<Vec<Certificate>, AppError> {
    let condition = sea_orm::Condition::any()
        .add(certificate::Column::SubjectId.eq(lot))
        .add(statements_of_donor(donor));
    matching(db, principal, condition).await
}
