//! `/account`: who one is signed in as; one's language, one's password, and
//! one's API tokens (the secret of a new one shown this once) — through the
//! same services as `/api/v1/users/me` and `/api/v1/tokens`.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::auth::{self, Token};
use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::TokenId;
use crate::pagination::PageParams;
use crate::state::AppState;
use crate::users::{PasswordChange, User, UserChanges, queries, service};
use crate::web::form::PageForm;
use crate::web::page;
use crate::web::session::Session;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    user: User,
    role: String,
    /// Why the password form was refused.
    error: Option<String>,
    tokens: Vec<TokenLine>,
    /// A token just created: its name and its secret, shown this once.
    issued: Option<(String, String)>,
    /// Why the token form was refused.
    token_error: Option<String>,
}

pub struct TokenLine {
    pub id: uuid::Uuid,
    pub name: String,
    pub created_on: String,
    pub expires_on: String,
    pub revoked: bool,
}

/// What the page adds after a form.
#[derive(Default)]
struct Shown {
    error: Option<String>,
    issued: Option<(String, String)>,
    token_error: Option<String>,
}

async fn account_page(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    shown: Shown,
) -> Result<Response, AppError> {
    let lang = session.language;
    let principal = &session.principal;
    let user = queries::get(&state.db, principal, principal.user_id).await?;
    let all = PageParams {
        limit: Some(500),
        cursor: None,
    };
    let now = state.settings.clock.now();
    let mut tokens: Vec<Token> = auth::queries::list(&state.db, principal, None, &all)
        .await?
        .items;
    tokens.sort_by_key(|t| std::cmp::Reverse(t.created_at));
    let tokens = tokens
        .into_iter()
        .map(|t| TokenLine {
            id: t.id.0,
            revoked: t.revoked_at.is_some() || t.expires_at <= now,
            name: t.name,
            created_on: crate::i18n::format::date(lang, t.created_at.date_naive()),
            expires_on: crate::i18n::format::date(lang, t.expires_at.date_naive()),
        })
        .collect();
    Ok(page(
        status,
        &AccountPage {
            lang,
            signed_in: Some(session),
            role: lang.word("account", &format!("role_{}", user.role.as_str())),
            user,
            error: shown.error,
            tokens,
            issued: shown.issued,
            token_error: shown.token_error,
        },
    ))
}

pub(super) async fn show(State(state): State<AppState>, session: Session) -> Response {
    let shown = account_page(&state, &session, StatusCode::OK, Shown::default()).await;
    session.page(shown)
}

#[derive(Deserialize)]
pub(super) struct ChangeForm {
    current_password: String,
    new_password: String,
}

/// On success every session of the account ends, this one included: the
/// person signs in again with the new password.
pub(super) async fn change(
    State(state): State<AppState>,
    client: crate::extract::ClientAddr,
    PageForm(session, form): PageForm<ChangeForm>,
) -> Response {
    let lang = session.language;
    let change = PasswordChange {
        current_password: form.current_password,
        new_password: form.new_password,
    };
    match service::change_own_password(&state, session.principal.clone(), client.0, change).await {
        Ok(_) => Redirect::to("/login").into_response(),
        Err(err @ (AppError::WrongCredentials | AppError::Validation(_))) => {
            let message = match &err {
                AppError::WrongCredentials => lang.text("account.wrong").to_owned(),
                _ => lang.text("account.too_short").to_owned(),
            };
            let shown = Shown {
                error: Some(message),
                ..Shown::default()
            };
            session.page(account_page(&state, &session, err.status(), shown).await)
        }
        Err(err) => session.page(Err::<Response, _>(err)),
    }
}

#[derive(Deserialize)]
pub(super) struct LanguageForm {
    language: Language,
}

/// One's language: the pages, and the documents made for one, speak it.
pub(super) async fn language(
    State(state): State<AppState>,
    PageForm(session, form): PageForm<LanguageForm>,
) -> Response {
    let work = async {
        let principal = &session.principal;
        let me = queries::get(&state.db, principal, principal.user_id).await?;
        let changes = UserChanges {
            locale: Some(form.language.as_str().to_owned()),
            ..UserChanges::default()
        };
        service::change(&state, principal, me.id, me.version, changes, None).await?;
        Ok::<_, AppError>(Redirect::to("/account"))
    };
    session
        .answer(work, |refusal| {
            let shown = Shown {
                error: Some(refusal),
                ..Shown::default()
            };
            account_page(&state, &session, StatusCode::OK, shown)
        })
        .await
}

#[derive(Deserialize)]
pub(super) struct TokenForm {
    name: String,
    #[serde(default)]
    days: String,
}

/// A new API token for oneself: the page shows its secret this once (it is
/// stored nowhere), and is not cached.
pub(super) async fn create_token(
    State(state): State<AppState>,
    PageForm(session, form): PageForm<TokenForm>,
) -> Response {
    let work = async {
        let days = match form.days.trim() {
            "" => auth::service::DEFAULT_DAYS,
            text => text
                .parse()
                .map_err(|_| AppError::field("expires_in_days", "a number of days"))?,
        };
        let user = session.principal.user_id;
        let name = form.name;
        let issued = state
            .write_now(&session.principal, move |tx, _| {
                Box::pin(auth::service::issue(tx, user, name, days))
            })
            .await?;
        let secret = issued
            .secret
            .ok_or_else(|| AppError::internal("a new token's secret"))?;
        let shown = Shown {
            issued: Some((issued.token.name, secret)),
            ..Shown::default()
        };
        let mut response = account_page(&state, &session, StatusCode::OK, shown).await?;
        response.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
        Ok::<_, AppError>(response)
    };
    session
        .answer(work, |refusal| {
            let shown = Shown {
                token_error: Some(refusal),
                ..Shown::default()
            };
            account_page(&state, &session, StatusCode::OK, shown)
        })
        .await
}

#[derive(Deserialize)]
pub(super) struct RevokeForm {
    token_id: uuid::Uuid,
}

/// One of one's tokens revoked: it opens nothing from now on. (Another
/// person's token is no token of theirs: `404`, as on the API.)
pub(super) async fn revoke_token(
    State(state): State<AppState>,
    PageForm(session, form): PageForm<RevokeForm>,
) -> Response {
    let result =
        auth::service::revoke_now(&state, &session.principal, TokenId(form.token_id)).await;
    session.page(result.map(|()| Redirect::to("/account#tokens")))
}
