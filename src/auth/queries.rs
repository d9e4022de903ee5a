//! Reading tokens: one's own; an admin's, anyone's. Never a secret.

use entities::api_token;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::Token;
use crate::error::AppError;
use crate::ids::UserId;
use crate::pagination::{self, Page, PageParams};
use crate::principal::{Principal, Role};

/// A principal's tokens, or (admins) another user's.
pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    user: Option<UserId>,
    page: &PageParams,
) -> Result<Page<Token>, AppError> {
    let user = match user {
        Some(other) if other != principal.user_id => {
            if principal.role != Role::Admin {
                return Err(AppError::Forbidden(
                    "only admins list other users' tokens".into(),
                ));
            }
            other
        }
        _ => principal.user_id,
    };
    let select = api_token::Entity::find().filter(api_token::Column::UserId.eq(user.0));
    let page = pagination::fetch(db, select, api_token::Column::Id, page, |m| m.id).await?;
    Ok(page.map(Token::from))
}
