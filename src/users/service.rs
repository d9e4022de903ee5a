//! Account commands: creating users (from the API and the command line),
//! changing them, and setting passwords.

use entities::user;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use validator::Validate;

use super::events::{self, SUBJECT};
use super::refusals::EmailTaken;
use super::rules::{check_manages, check_role_site};
use super::{NewUser, User, UserChanges};
use crate::auth::password;
use crate::error::AppError;
use crate::ids::{SiteId, UserId};
use crate::ledger::writer::Idempotency;
use crate::ledger::{Subject, projection};
use crate::patch::Patch;
use crate::patch::record_changes;
use crate::principal::{Principal, Role};
use crate::state::{AppState, Tx};
use crate::write::Written;

/// Hashes a password from a request, after checking its length. Done before
/// the write job: Argon2 is slow on purpose, and the writer must not wait.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn hash_new_password(password: Option<String>) -> Result<Option<String>, AppError> {
    match password {
        None => Ok(None),
        Some(p) => {
            password::validate(&p)?;
            password::hash(p).await.map(Some)
        }
    }
}

/// Creates a user: `actor` must manage this role and site; the password,
/// if any, was hashed by [`hash_new_password`].
#[tracing::instrument(level = "debug", skip_all, fields(user = %actor.user_id))]
pub async fn create(
    tx: &mut Tx,
    actor: &Principal,
    new: NewUser,
    password_hash: Option<String>,
) -> Result<User, AppError> {
    check_manages(actor, new.role, new.site_id)?;
    new.validate()?;
    let email = new.email.trim().to_lowercase();
    check_role_site(new.role, new.site_id)?;
    if let Some(site) = new.site_id
        && !crate::sites::queries::exists(tx.conn(), site).await?
    {
        return Err(AppError::field("site_id", "no such site"));
    }
    if super::queries::by_email(tx.conn(), &email).await?.is_some() {
        return Err(EmailTaken { email }.into());
    }
    let id = UserId::generate();
    let created = events::Created {
        display_name: new
            .display_name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map_or_else(
                || email.split('@').next().unwrap_or_default().to_owned(),
                str::to_owned,
            ),
        email,
        role: new.role,
        site_id: new.site_id,
        locale: new.locale.clone().unwrap_or_else(|| "fr".into()),
    };
    tx.record(new.site_id, Subject::new(SUBJECT, id), created)
        .await?;
    if let Some(hash) = password_hash {
        set_password_hash(tx, id, new.site_id, hash).await?;
    }
    projection::row::<user::Entity>(tx.conn(), id.0)
        .await?
        .try_into()
}

/// Stores a new password hash and records that it changed.
#[tracing::instrument(level = "debug", skip_all, fields(user = %id))]
pub async fn set_password_hash(
    tx: &mut Tx,
    id: UserId,
    site: Option<SiteId>,
    hash: String,
) -> Result<(), AppError> {
    tx.record(site, Subject::new(SUBJECT, id), events::PasswordSet {})
        .await?;
    let row = projection::row::<user::Entity>(tx.conn(), id.0).await?;
    let mut row: user::ActiveModel = row.into();
    row.password_hash = Set(Some(hash));
    row.update(tx.conn()).await?;
    Ok(())
}

/// A new account and its first token, in one transaction: how the
/// demo, the benchmarks and the tests get a client that can call the API.
/// `actor` must manage the account's role and site, as for any account.
#[tracing::instrument(level = "debug", skip_all, fields(user = %actor.user_id))]
pub async fn enrol(
    tx: &mut Tx,
    actor: &Principal,
    new: NewUser,
    password_hash: Option<String>,
    token: Token<'_>,
) -> Result<(User, crate::auth::IssuedToken), AppError> {
    let user = create(tx, actor, new, password_hash).await?;
    let issued = crate::auth::service::issue(tx, user.id, token.name.into(), token.days).await?;
    Ok((user, issued))
}

/// What a token is called and how many days it lasts.
#[derive(Debug, Clone, Copy)]
pub struct Token<'a> {
    pub name: &'a str,
    pub days: u32,
}

/// Changes a user. Changing one's own role, site or access is someone
/// else's job: whoever manages both the account as it is and as it will be.
#[tracing::instrument(level = "debug", skip_all, fields(user = %actor.user_id, user = %id))]
pub async fn update(
    tx: &mut Tx,
    actor: &Principal,
    id: UserId,
    expected: i64,
    changes: UserChanges,
) -> Result<User, AppError> {
    changes.validate()?;
    let current = super::queries::visible(tx.conn(), actor, id).await?;
    let current_role =
        Role::parse(&current.role).ok_or_else(|| AppError::internal("unknown role"))?;
    let role = changes.role.unwrap_or(current_role);
    let site = changes.site_id.or(current.site_id.map(SiteId));
    if current.id != actor.user_id.0
        || changes.role.is_some()
        || changes.site_id.is_sent()
        || changes.disabled.is_some()
    {
        check_manages(actor, role, site)?;
        check_manages(actor, current_role, current.site_id.map(SiteId))?;
    }
    check_role_site(role, site)?;
    if let Patch::Set(site) = changes.site_id
        && !crate::sites::queries::exists(tx.conn(), site).await?
    {
        return Err(AppError::field("site_id", "no such site"));
    }
    let changes = events::Changes {
        display_name: changes.display_name.map(|n| n.trim().to_owned()),
        role: changes.role,
        site_id: changes.site_id,
        locale: changes.locale,
        disabled: changes.disabled,
    };
    record_changes(tx, Subject::new(SUBJECT, id), expected, changes, |_| {
        Ok(site)
    })
    .await?
    .try_into()
}

/// Erases an account's name and e-mail on request (GDPR art. 17): from the
/// account, from beside the chain, and from the events written before they
/// were held beside it — the erasure records of version 1 that name it as
/// operator or validator included. The account is disabled and its
/// operations stay under its reference (`U-…`). Whoever manages the account
/// may; no one erases their own. Erasing an erased account records nothing.
#[tracing::instrument(level = "debug", skip_all, fields(user = %actor.user_id, user = %id))]
pub async fn erase_personal_data(
    tx: &mut Tx,
    actor: &Principal,
    id: UserId,
) -> Result<User, AppError> {
    let current = super::queries::visible(tx.conn(), actor, id).await?;
    let role = Role::parse(&current.role).ok_or_else(|| AppError::internal("unknown role"))?;
    check_manages(actor, role, current.site_id.map(SiteId))?;
    if current.id == actor.user_id.0 {
        return Err(AppError::Forbidden(
            "no one erases their own account: another manager of it does".into(),
        ));
    }
    let naming = crate::erasure::queries::events_naming(tx.conn(), id).await?;
    let mut taken = crate::privacy::take(tx, &[id.0], None).await?;
    for (event, field) in naming {
        taken = taken.and_from(tx, &[event], &[field]).await?;
    }
    let already = current.email == super::erased_email(id.0);
    crate::auth::sessions::end_all(tx.conn(), id).await?;
    if !already || !taken.is_empty() {
        tx.record(
            current.site_id.map(SiteId),
            Subject::new(SUBJECT, id),
            events::PersonalDataErased {
                version: current.version + 1,
            },
        )
        .await?;
    }
    taken.record(tx).await?;
    projection::row::<user::Entity>(tx.conn(), id.0)
        .await?
        .try_into()
}

/// Sets a password whose hash was made (and, for a change, whose current
/// password was checked) before the job: the account's web sessions end,
/// so that whoever knew the old password is signed out everywhere.
async fn replace_password(
    tx: &mut Tx,
    id: UserId,
    site: Option<SiteId>,
    hash: String,
) -> Result<User, AppError> {
    set_password_hash(tx, id, site, hash).await?;
    crate::auth::sessions::end_all(tx.conn(), id).await?;
    projection::row::<user::Entity>(tx.conn(), id.0)
        .await?
        .try_into()
}

/// One's own password, changed (the current one was checked by the route,
/// before the writer: Argon2 is slow on purpose).
#[tracing::instrument(level = "debug", skip_all, fields(user = %actor.user_id))]
pub async fn change_password(
    tx: &mut Tx,
    actor: &Principal,
    hash: String,
) -> Result<User, AppError> {
    let current = super::queries::visible(tx.conn(), actor, actor.user_id).await?;
    replace_password(tx, actor.user_id, current.site_id.map(SiteId), hash).await
}

/// A password set for someone else by whoever manages their account; one's
/// own is changed with the current one, never reset.
#[tracing::instrument(level = "debug", skip_all, fields(user = %actor.user_id, user = %id))]
pub async fn reset_password(
    tx: &mut Tx,
    actor: &Principal,
    id: UserId,
    hash: String,
) -> Result<User, AppError> {
    let current = super::queries::visible(tx.conn(), actor, id).await?;
    let role = Role::parse(&current.role).ok_or_else(|| AppError::internal("unknown role"))?;
    check_manages(actor, role, current.site_id.map(SiteId))?;
    if current.id == actor.user_id.0 {
        return Err(AppError::Forbidden(
            "one's own password is changed with the current one".into(),
        ));
    }
    if current.disabled {
        return Err(AppError::Conflict("the account is disabled".into()));
    }
    replace_password(tx, id, current.site_id.map(SiteId), hash).await
}

/// One's own password, changed, as the API and the account page ask: the
/// new one long enough, the current one checked as a sign-in is (limits
/// included), both before the writer; then [`change_password`].
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id))]
pub async fn change_own_password(
    state: &crate::state::AppState,
    principal: Principal,
    client: Option<std::net::IpAddr>,
    change: super::PasswordChange,
) -> Result<User, AppError> {
    password::validate(&change.new_password)
        .map_err(|_| AppError::field("new_password", "must be at least 10 characters"))?;
    let me = super::queries::get(&state.db, &principal, principal.user_id).await?;
    crate::auth::service::check_password(state, client, &me.email, change.current_password).await?;
    let hash = password::hash(change.new_password).await?;
    let user = state
        .write_now(&principal, move |tx, who| {
            Box::pin(change_password(tx, who, hash))
        })
        .await?;
    state.tokens.clear();
    Ok(user)
}

/// A new account, as `POST /api/v1/users` and the users page ask: whoever
/// may not create it is refused before the deliberately slow password hash.
pub async fn invite(
    state: &AppState,
    principal: &Principal,
    mut new: NewUser,
    idempotency: Option<Idempotency>,
) -> Result<Written<User>, AppError> {
    check_manages(principal, new.role, new.site_id)?;
    let password_hash = hash_new_password(new.password.take()).await?;
    state
        .write(principal, idempotency, move |tx, who| {
            Box::pin(create(tx, who, new, password_hash))
        })
        .await
}

/// An account changed, as `PATCH /api/v1/users/{id}` and the pages ask;
/// then no cached principal outlives its old role, site, language or
/// disabling.
pub async fn change(
    state: &AppState,
    principal: &Principal,
    id: UserId,
    expected: i64,
    changes: UserChanges,
    idempotency: Option<Idempotency>,
) -> Result<Written<User>, AppError> {
    let outcome = state
        .write(principal, idempotency, move |tx, who| {
            Box::pin(update(tx, who, id, expected, changes))
        })
        .await?;
    state.tokens.clear();
    Ok(outcome)
}

/// Someone else's password, set by whoever manages their account: refused
/// before the slow hash, and every session of theirs ended after.
pub async fn reset_password_now(
    state: &AppState,
    principal: &Principal,
    id: UserId,
    new_password: String,
) -> Result<Written<User>, AppError> {
    password::validate(&new_password)
        .map_err(|_| AppError::field("new_password", "must be at least 10 characters"))?;
    let target = super::queries::visible(&state.db, principal, id).await?;
    let role = Role::parse(&target.role).ok_or_else(|| AppError::internal("unknown role"))?;
    check_manages(principal, role, target.site_id.map(SiteId))?;
    let hash = password::hash(new_password).await?;
    let outcome = state
        .write(principal, None, move |tx, who| {
            Box::pin(reset_password(tx, who, id, hash))
        })
        .await?;
    state.tokens.clear();
    Ok(outcome)
}

/// An account's name and e-mail erased ([`erase_personal_data`]), its
/// cached sessions forgotten, and the storage engine's old copies scrubbed.
pub async fn erase_now(
    state: &AppState,
    principal: &Principal,
    id: UserId,
) -> Result<Written<User>, AppError> {
    let outcome = state
        .write(principal, None, move |tx, who| {
            Box::pin(erase_personal_data(tx, who, id))
        })
        .await?;
    state.tokens.clear();
    scrub(&state.db).await?;
    Ok(outcome)
}

/// After an erasure is committed: what the storage engine still keeps of
/// the account's old name and e-mail goes too (see [`crate::privacy::scrub`]).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn scrub(db: &sea_orm::DatabaseConnection) -> Result<(), AppError> {
    crate::privacy::scrub(db, &["users", "web_sessions"]).await
}
