//! Reading accounts: users see themselves; those who manage users see the
//! accounts of their site (admins: every account).

use entities::user;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::User;
use crate::error::AppError;
use crate::ids::{SiteId, UserId};
use crate::pagination::{self, Page, PageParams};
use crate::principal::{Permission, Principal, Role};

#[derive(Debug, Default)]
pub struct Filter {
    pub site_id: Option<SiteId>,
    pub role: Option<Role>,
}

pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: &Filter,
    page: &PageParams,
) -> Result<Page<User>, AppError> {
    principal.require(Permission::ManageUsers)?;
    let mut select = user::Entity::find();
    if let Some(site) = principal.site_scope() {
        select = select.filter(user::Column::SiteId.eq(site));
    }
    if let Some(site) = filter.site_id {
        select = select.filter(user::Column::SiteId.eq(site.0));
    }
    if let Some(role) = filter.role {
        select = select.filter(user::Column::Role.eq(role.as_str()));
    }
    let page = pagination::fetch(db, select, user::Column::Id, page, |m| m.id).await?;
    Ok(Page {
        next_cursor: page.next_cursor,
        items: page
            .items
            .into_iter()
            .map(User::try_from)
            .collect::<Result<_, _>>()?,
    })
}

/// A user `principal` may see: themself, or one they manage.
pub async fn visible(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: UserId,
) -> Result<user::Model, AppError> {
    let row = user::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.id == principal.user_id.0 {
        return Ok(row);
    }
    principal.require(Permission::ManageUsers)?;
    match (principal.site_scope(), row.site_id) {
        (None, _) => Ok(row),
        (Some(own), Some(theirs)) if own == theirs => Ok(row),
        _ => Err(AppError::NotFound),
    }
}

pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: UserId,
) -> Result<User, AppError> {
    visible(db, principal, id).await?.try_into()
}

/// Whoever has this email, for checks inside a write (unique emails).
pub async fn by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<user::Model>, AppError> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email.trim().to_lowercase()))
        .one(db)
        .await?)
}

/// The enabled user with this email: whom the command line's `token create` names.
pub async fn active_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<user::Model>, AppError> {
    Ok(by_email(db, email).await?.filter(|u| !u.disabled))
}

/// The names staff are shown under, by account: who did each step of a
/// history. (An erased account reads as its reference.) The caller decides
/// whether the reader may read staff names at all.
pub async fn names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = uuid::Uuid>,
) -> Result<std::collections::HashMap<uuid::Uuid, String>, AppError> {
    use sea_orm::QuerySelect;
    let ids: Vec<uuid::Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::DisplayName)
        .filter(user::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect())
}
