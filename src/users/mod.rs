//! User accounts: one role each and, for workshop roles, one site. Admins
//! manage everyone; a coordinator manages the technicians and viewers of
//! their own site.

pub mod routes;

use chrono::{DateTime, Utc};
use entities::user;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::auth::{Principal, Role, password};
use crate::error::AppError;
use crate::ids::{SiteId, UserId};
use crate::ledger::{Change, Event, Subject, SubjectType, Tx};
use crate::patch::double_option;

/// A user as the API shows it; never the password hash.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub site_id: Option<SiteId>,
    /// `fr` or `en`.
    pub locale: String,
    pub disabled: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<user::Model> for User {
    type Error = AppError;

    fn try_from(m: user::Model) -> Result<Self, AppError> {
        Ok(Self {
            id: UserId(m.id),
            role: Role::parse(&m.role)
                .ok_or_else(|| AppError::internal(format!("user {} has an unknown role", m.id)))?,
            email: m.email,
            display_name: m.display_name,
            site_id: m.site_id.map(SiteId),
            locale: m.locale,
            disabled: m.disabled,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

pub fn validate_locale(locale: &str) -> Result<(), ValidationError> {
    if matches!(locale, "fr" | "en") {
        Ok(())
    } else {
        Err(ValidationError::new("locale").with_message("must be `fr` or `en`".into()))
    }
}

/// `POST /api/v1/users` (and `retrace user create`).
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    #[validate(email, length(max = 254))]
    pub email: String,
    #[validate(length(min = 1, max = 200))]
    pub display_name: Option<String>,
    pub role: Role,
    /// Required for coordinators and technicians; optional for viewers; none for admins.
    pub site_id: Option<SiteId>,
    #[validate(custom(function = "validate_locale"))]
    pub locale: Option<String>,
    /// For web sign-in; at least 10 characters. API-only users need none.
    #[serde(default, skip_serializing)]
    pub password: Option<String>,
}

/// The payload of `user.created`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserCreated {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub site_id: Option<SiteId>,
    pub locale: String,
}

/// The payload of `user.password_set`: that it happened, nothing of the secret.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PasswordSet {}

/// `PATCH /api/v1/users/{id}`, and the changes `user.updated` records.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChanges {
    #[serde(default, skip_serializing)]
    pub expected_version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 200))]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<SiteId>)]
    pub site_id: Option<Option<SiteId>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "validate_locale"))]
    pub locale: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

/// Checks that a role and a site go together.
pub fn check_role_site(role: Role, site: Option<SiteId>) -> Result<(), AppError> {
    match (role, site) {
        (Role::Admin, Some(_)) => Err(AppError::field(
            "site_id",
            "admins work for the whole network and have no site",
        )),
        (role, None) if role.requires_site() => {
            Err(AppError::field("site_id", "required for this role"))
        }
        _ => Ok(()),
    }
}

/// Whether `actor` may create or change a user with this role and site.
pub fn check_manages(actor: &Principal, role: Role, site: Option<SiteId>) -> Result<(), AppError> {
    actor.require(crate::auth::Permission::ManageUsers)?;
    if actor.role == Role::Admin {
        return Ok(());
    }
    if !matches!(role, Role::Technician | Role::Viewer) || site.is_none() || site != actor.site_id {
        return Err(AppError::Forbidden(
            "coordinators manage technicians and viewers of their own site".into(),
        ));
    }
    Ok(())
}

/// Creates a user inside the writer: validation done, password already hashed.
pub async fn create(
    tx: &mut Tx,
    new: NewUser,
    password_hash: Option<String>,
) -> Result<User, AppError> {
    let email = new.email.trim().to_lowercase();
    check_role_site(new.role, new.site_id)?;
    if let Some(site) = new.site_id
        && crate::sites::find(tx.conn(), site).await?.is_none()
    {
        return Err(AppError::field("site_id", "no such site"));
    }
    if user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(tx.conn())
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(format!(
            "a user with email {email} already exists"
        )));
    }
    let id = UserId::generate();
    let created = UserCreated {
        display_name: new
            .display_name
            .clone()
            .unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_owned()),
        email,
        role: new.role,
        site_id: new.site_id,
        locale: new.locale.clone().unwrap_or_else(|| "fr".into()),
    };
    let subject = Subject::new(SubjectType::User, id);
    tx.record(new.site_id, subject, Change::UserCreated(created))
        .await?;
    if let Some(hash) = password_hash {
        set_password_hash(tx, id, new.site_id, hash).await?;
    }
    crate::ledger::projection::row::<user::Entity>(tx.conn(), id.0)
        .await?
        .try_into()
}

/// Stores a new password hash and records that it changed.
pub async fn set_password_hash(
    tx: &mut Tx,
    id: UserId,
    site: Option<SiteId>,
    hash: String,
) -> Result<(), AppError> {
    tx.record(
        site,
        Subject::new(SubjectType::User, id),
        Change::UserPasswordSet(PasswordSet {}),
    )
    .await?;
    let row = crate::ledger::projection::row::<user::Entity>(tx.conn(), id.0).await?;
    let mut row: user::ActiveModel = row.into();
    row.password_hash = Set(Some(hash));
    row.update(tx.conn()).await?;
    Ok(())
}

/// Hashes a password from a request, after checking its length.
pub async fn hash_new_password(password: Option<String>) -> Result<Option<String>, AppError> {
    match password {
        None => Ok(None),
        Some(p) => {
            password::validate(&p)?;
            password::hash(p).await.map(Some)
        }
    }
}

pub async fn apply_created(
    conn: &impl ConnectionTrait,
    event: &Event,
    new: &UserCreated,
) -> Result<(), DbErr> {
    user::ActiveModel {
        id: Set(event.subject_id),
        email: Set(new.email.clone()),
        display_name: Set(new.display_name.clone()),
        role: Set(new.role.as_str().to_owned()),
        site_id: Set(new.site_id.map(|s| s.0)),
        locale: Set(new.locale.clone()),
        disabled: Set(false),
        password_hash: Set(None),
        version: Set(1),
        created_at: Set(event.at),
        updated_at: Set(event.at),
    }
    .insert(conn)
    .await?;
    Ok(())
}
