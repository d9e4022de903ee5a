//! `/users`: the workshop's accounts — invited with a first password to
//! hand over, given a role, a site and a language, disabled when someone
//! leaves, a forgotten password set again, a name erased on request. Who
//! may manage whom is the users rules' to decide (a coordinator: the
//! technicians and viewers of their own site).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;
use validator::Validate;

use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::{SiteId, UserId};
use crate::pagination::PageParams;
use crate::patch::Patch;
use crate::principal::{Permission, Role};
use crate::state::AppState;
use crate::users::{NewUser, User, UserChanges, queries, service};
use crate::web::form::{NoFields, PageForm};
use crate::web::page;
use crate::web::session::Session;

/// A choice of a `<select>`: its value and its words.
type Choice = (String, String);

/// The roles this person may give, and the sites they may give them in.
fn grantable(state_sites: Vec<(Uuid, String)>, session: &Session) -> (Vec<Choice>, Vec<Choice>) {
    let lang = session.language;
    let principal = &session.principal;
    let roles: &[Role] = if principal.role == Role::Admin {
        &[
            Role::Technician,
            Role::Viewer,
            Role::Coordinator,
            Role::Admin,
        ]
    } else {
        &[Role::Technician, Role::Viewer]
    };
    let roles = roles
        .iter()
        .map(|r| {
            (
                r.as_str().to_owned(),
                lang.word("account", &format!("role_{}", r.as_str())),
            )
        })
        .collect();
    let sites = state_sites
        .into_iter()
        .filter(|(id, _)| principal.site_id.is_none_or(|own| own.0 == *id))
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    (roles, sites)
}

fn languages() -> Vec<Choice> {
    vec![
        ("fr".into(), "Français".into()),
        ("en".into(), "English".into()),
    ]
}

#[derive(Template)]
#[template(path = "users.html")]
struct ListPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    users: Vec<UserLine>,
    roles: Vec<Choice>,
    sites: Vec<Choice>,
    languages: Vec<Choice>,
    /// Admins may leave an account without a site (a network-wide viewer).
    site_optional: bool,
    typed: InviteForm,
    error: Option<String>,
}

pub struct UserLine {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: String,
    pub site: String,
    pub disabled: bool,
}

async fn list_page(
    state: &AppState,
    session: &Session,
    typed: InviteForm,
    error: Option<String>,
) -> Result<Response, AppError> {
    let lang = session.language;
    let principal = &session.principal;
    let all = PageParams {
        limit: Some(500),
        cursor: None,
    };
    let sites = crate::sites::queries::names(&state.db, principal).await?;
    let mut found = queries::list(&state.db, principal, &Default::default(), &all)
        .await?
        .items;
    found.sort_by_key(|u| (u.disabled, u.display_name.to_lowercase()));
    let users = found
        .into_iter()
        .map(|u| UserLine {
            id: u.id.0,
            role: lang.word("account", &format!("role_{}", u.role.as_str())),
            site: u
                .site_id
                .and_then(|s| sites.iter().find(|(id, _)| *id == s.0))
                .map(|(_, name)| name.clone())
                .unwrap_or_default(),
            name: u.display_name,
            email: u.email,
            disabled: u.disabled,
        })
        .collect();
    let (roles, sites) = grantable(sites, session);
    Ok(page(
        StatusCode::OK,
        &ListPage {
            lang,
            signed_in: Some(session),
            users,
            roles,
            sites,
            languages: languages(),
            site_optional: principal.role == Role::Admin,
            typed,
            error,
        },
    ))
}

pub(super) async fn list(State(state): State<AppState>, session: Session) -> Response {
    let shown = list_page(&state, &session, InviteForm::default(), None).await;
    session.page(shown)
}

/// An invitation: the account, and the first password the person is given
/// (they change it on their account page).
#[derive(Debug, Default, Deserialize)]
pub(super) struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    site_id: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    password: String,
}

fn role_of(word: &str) -> Result<Role, AppError> {
    Role::parse(word).ok_or_else(|| AppError::field("role", "choose a role"))
}

fn site_of(text: &str) -> Result<Option<SiteId>, AppError> {
    match text.trim() {
        "" => Ok(None),
        id => id
            .parse()
            .map(|id| Some(SiteId(id)))
            .map_err(|_| AppError::field("site_id", "no such site")),
    }
}

impl InviteForm {
    fn new_user(&self) -> Result<NewUser, AppError> {
        let new = NewUser {
            email: self.email.trim().to_owned(),
            display_name: Some(self.display_name.trim().to_owned()).filter(|n| !n.is_empty()),
            role: role_of(&self.role)?,
            site_id: site_of(&self.site_id)?,
            locale: Some(
                Language::parse(&self.language)
                    .unwrap_or_default()
                    .as_str()
                    .to_owned(),
            ),
            password: Some(self.password.clone()),
        };
        new.validate()?;
        Ok(new)
    }
}

pub(super) async fn invite(
    State(state): State<AppState>,
    PageForm(session, form): PageForm<InviteForm>,
) -> Response {
    let new = form.new_user();
    let work = async {
        let user = service::invite(&state, &session.principal, new?, None)
            .await?
            .fresh()?;
        Ok::<_, AppError>(Redirect::to(&format!("/users/{}", user.id)))
    };
    session
        .answer(work, |refusal| {
            let typed = InviteForm {
                password: String::new(),
                ..form
            };
            list_page(&state, &session, typed, Some(refusal))
        })
        .await
}

#[derive(Template)]
#[template(path = "user.html")]
struct ShowPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    user: User,
    role: String,
    roles: Vec<Choice>,
    sites: Vec<Choice>,
    languages: Vec<Choice>,
    site_optional: bool,
    /// The account's site, as the site choice names it.
    site_value: String,
    /// Whether this person may change the account (not only read it).
    can_manage: bool,
    error: Option<String>,
}

async fn show_page(
    state: &AppState,
    session: &Session,
    id: Uuid,
    error: Option<String>,
) -> Result<Response, AppError> {
    let lang = session.language;
    let principal = &session.principal;
    principal.require(Permission::ManageUsers)?;
    let user = queries::get(&state.db, principal, UserId(id)).await?;
    let sites = crate::sites::queries::names(&state.db, principal).await?;
    let (roles, sites) = grantable(sites, session);
    let can_manage = user.id != principal.user_id
        && crate::users::rules::check_manages(principal, user.role, user.site_id).is_ok();
    Ok(page(
        StatusCode::OK,
        &ShowPage {
            lang,
            signed_in: Some(session),
            role: lang.word("account", &format!("role_{}", user.role.as_str())),
            site_value: user.site_id.map(|s| s.to_string()).unwrap_or_default(),
            user,
            roles,
            sites,
            languages: languages(),
            site_optional: principal.role == Role::Admin,
            can_manage,
            error,
        },
    ))
}

pub(super) async fn show(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
) -> Response {
    let shown = show_page(&state, &session, id, None).await;
    session.page(shown)
}

#[derive(Debug, Deserialize)]
pub(super) struct EditForm {
    expected_version: i64,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    site_id: String,
    #[serde(default)]
    language: String,
    /// A ticked box: the account is disabled.
    disabled: Option<String>,
}

impl EditForm {
    fn changes(&self) -> Result<UserChanges, AppError> {
        let changes = UserChanges {
            expected_version: Some(self.expected_version),
            display_name: Some(self.display_name.trim().to_owned()).filter(|n| !n.is_empty()),
            role: Some(role_of(&self.role)?),
            site_id: site_of(&self.site_id)?.map_or(Patch::Clear, Patch::Set),
            locale: Language::parse(&self.language).map(|l| l.as_str().to_owned()),
            disabled: Some(self.disabled.is_some()),
        };
        changes.validate()?;
        Ok(changes)
    }
}

pub(super) async fn edit(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    PageForm(session, form): PageForm<EditForm>,
) -> Response {
    let work = async {
        let changes = form.changes()?;
        service::change(
            &state,
            &session.principal,
            UserId(id),
            form.expected_version,
            changes,
            None,
        )
        .await?;
        Ok::<_, AppError>(Redirect::to(&format!("/users/{id}")))
    };
    session
        .answer(work, |refusal| {
            show_page(&state, &session, id, Some(refusal))
        })
        .await
}

#[derive(Debug, Deserialize)]
pub(super) struct ResetForm {
    new_password: String,
}

/// A forgotten password set again; the person's sessions end.
pub(super) async fn reset(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    PageForm(session, form): PageForm<ResetForm>,
) -> Response {
    let work = async {
        service::reset_password_now(&state, &session.principal, UserId(id), form.new_password)
            .await?;
        Ok::<_, AppError>(Redirect::to(&format!("/users/{id}")))
    };
    session
        .answer(work, |refusal| {
            show_page(&state, &session, id, Some(refusal))
        })
        .await
}

/// The account's name and e-mail erased on request; it stays, disabled,
/// under its reference.
pub(super) async fn erase(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    PageForm(session, NoFields {}): PageForm<NoFields>,
) -> Response {
    let result = service::erase_now(&state, &session.principal, UserId(id)).await;
    session.page(result.map(|_| Redirect::to(&format!("/users/{id}")).into_response()))
}
