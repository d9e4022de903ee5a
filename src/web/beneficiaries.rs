//! `/beneficiaries`: recording who receives devices, with as little about
//! them as the work needs; their name and contact shown only to those the
//! beneficiaries queries allow, and erasable from their page.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use uuid::Uuid;

use super::form::{NoFields, PageForm};
use super::page;
use super::session::Session;
use crate::allocations::{self, Allocation};
use crate::beneficiaries::{self, Beneficiary, Category, NewBeneficiary, service};
use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::{BeneficiaryId, SiteId};
use crate::pagination::PageParams;
use crate::principal::Permission;
use crate::sites;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/beneficiaries", get(list).post(create))
        .route("/beneficiaries/search", post(search))
        .route("/beneficiaries/{id}", get(show))
        .route("/beneficiaries/{id}/erase", post(erase))
}

#[derive(Template)]
#[template(path = "beneficiaries.html")]
struct ListPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    beneficiaries: Vec<Beneficiary>,
    /// The search typed: a reference, a partner — or a name, for coordinators.
    q: String,
    categories: Vec<(&'static str, String)>,
    sites: Vec<(Uuid, String)>,
    can_create: bool,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "beneficiary.html")]
struct ShowPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    beneficiary: Beneficiary,
    category: String,
    allocations: Vec<Allocation>,
    can_erase: bool,
}

pub(super) fn categories(lang: Language) -> Vec<(&'static str, String)> {
    Category::ALL
        .into_iter()
        .map(|c| {
            (
                c.as_str(),
                lang.text(&format!("category.{}", c.as_str())).to_owned(),
            )
        })
        .collect()
}

async fn list_page(
    state: &AppState,
    session: &Session,
    q: String,
    error: Option<String>,
) -> Result<Response, AppError> {
    let filter = beneficiaries::queries::Filter {
        category: None,
        q: Some(q.clone()).filter(|q| !q.trim().is_empty()),
    };
    let found = beneficiaries::queries::latest(&state.db, &session.principal, &filter, 200).await?;
    let sites = sites::queries::names(&state.db, &session.principal).await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(page(
        status,
        &ListPage {
            lang: session.language,
            signed_in: Some(session),
            beneficiaries: found,
            q,
            categories: categories(session.language),
            sites: if session.principal.site_id.is_none() {
                sites
            } else {
                Vec::new()
            },
            can_create: session
                .principal
                .role
                .allows(Permission::ManageBeneficiaries),
            error,
        },
    ))
}

/// A search, posted: a name typed in it stays out of the URL, and so out of
/// the browser's history on a shared workshop PC.
#[derive(Deserialize)]
struct Search {
    #[serde(default)]
    q: String,
}

async fn list(State(state): State<AppState>, session: Session) -> Response {
    session.page(list_page(&state, &session, String::new(), None).await)
}

async fn search(
    State(state): State<AppState>,
    PageForm(session, search): PageForm<Search>,
) -> Response {
    let result = async { list_page(&state, &session, search.q, None).await }.await;
    session.page(result)
}

#[derive(Deserialize)]
struct CreateForm {
    category: Category,
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    referring_partner: String,
    site_id: Option<Uuid>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
}

fn given(text: String) -> Option<String> {
    Some(text).filter(|t| !t.trim().is_empty())
}

async fn create(
    State(state): State<AppState>,
    PageForm(session, form): PageForm<CreateForm>,
) -> Response {
    let work = async {
        let principal = session.principal.clone();
        let new = NewBeneficiary {
            category: form.category,
            postcode: given(form.postcode),
            referring_partner: given(form.referring_partner),
            site_id: form.site_id.map(SiteId),
            name: given(form.name),
            email: given(form.email),
            phone: given(form.phone),
        };
        let written = state
            .write_now(&principal, move |tx, who| {
                Box::pin(service::register(tx, who, new))
            })
            .await?;
        let id = written.id;
        Ok::<_, AppError>(Redirect::to(&format!("/beneficiaries/{id}")).into_response())
    };
    session
        .answer(work, |refusal| {
            list_page(&state, &session, String::new(), Some(refusal))
        })
        .await
}

async fn show(State(state): State<AppState>, session: Session, Path(id): Path<Uuid>) -> Response {
    let lang = session.language;
    let result = async {
        let beneficiary =
            beneficiaries::queries::get(&state.db, &session.principal, BeneficiaryId(id)).await?;
        let filter = allocations::queries::Filter {
            beneficiary_id: Some(BeneficiaryId(id)),
            ..Default::default()
        };
        let found = allocations::queries::list(
            &state.db,
            &session.principal,
            &filter,
            &PageParams {
                limit: Some(500),
                cursor: None,
            },
        )
        .await?
        .items;
        Ok::<_, AppError>(ShowPage {
            lang,
            signed_in: Some(&session),
            category: lang
                .text(&format!("category.{}", beneficiary.category.as_str()))
                .to_owned(),
            can_erase: beneficiaries::queries::may_read_personal_data(
                &session.principal,
                beneficiary.site_id,
            ) && beneficiary.has_personal_data,
            beneficiary,
            allocations: found,
        })
    }
    .await;
    session.page(result.map(|data| page(StatusCode::OK, &data)))
}

async fn erase(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    PageForm(session, NoFields {}): PageForm<NoFields>,
) -> Response {
    let _lang = session.language;
    let result = async {
        let principal = session.principal.clone();
        state
            .write_now(&principal, move |tx, who| {
                Box::pin(service::erase_personal_data(tx, who, BeneficiaryId(id)))
            })
            .await?;
        service::scrub(&state.db).await?;
        Ok::<_, AppError>(Redirect::to(&format!("/beneficiaries/{id}")).into_response())
    }
    .await;
    session.page(result)
}
