//! `/donors`: who gives, found by name or SIRET, recorded and corrected from
//! the page, each with their donations and statements. Donors are shared by
//! the sites of a network, as on the API; what a reader sees of a contact or
//! an individual donor is the donors queries' to decide.

use askama::Template;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use uuid::Uuid;
use validator::Validate;

use super::certificates::CertificateLine;
use super::form::{NoFields, PageForm};
use super::lots::{LotLine, line};
use super::page;
use super::session::Session;
use crate::donors::{self, Donor, DonorChanges, DonorKind, NewDonor, service};
use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::DonorId;
use crate::pagination::PageParams;
use crate::patch::Patch;
use crate::patch::clean;
use crate::principal::Permission;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/donors", get(list).post(create))
        .route("/donors/{id}", get(show).post(edit))
        .route("/donors/{id}/erase", post(erase))
}

/// The words of each kind of donor, for a choice.
fn kinds(lang: Language) -> Vec<(&'static str, String)> {
    [
        DonorKind::Company,
        DonorKind::PublicBody,
        DonorKind::Association,
        DonorKind::Individual,
    ]
    .into_iter()
    .map(|k| (k.as_str(), lang.word("donor_kind", k.as_str())))
    .collect()
}

#[derive(Template)]
#[template(path = "donors.html")]
struct ListPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    donors: Vec<(Donor, String)>,
    q: String,
    kinds: Vec<(&'static str, String)>,
    can_create: bool,
    /// Why the new donor was refused, and what was typed.
    error: Option<String>,
    typed: DonorForm,
}

#[derive(Debug, Default, Deserialize)]
struct Search {
    #[serde(default)]
    q: String,
}

async fn list_page(
    state: &AppState,
    session: &Session,
    q: String,
    error: Option<String>,
    typed: DonorForm,
) -> Result<Response, AppError> {
    let lang = session.language;
    let principal = &session.principal;
    let filter = donors::queries::Filter {
        kind: None,
        q: Some(q.clone()).filter(|q| !q.trim().is_empty()),
    };
    let page_params = PageParams {
        limit: Some(200),
        cursor: None,
    };
    let mut found = donors::queries::list(&state.db, principal, &filter, &page_params)
        .await?
        .items;
    found.sort_by_key(|d| d.name.to_lowercase());
    let donors = found
        .into_iter()
        .map(|d| {
            let kind = lang.word("donor_kind", d.kind.as_str());
            (d, kind)
        })
        .collect();
    Ok(page(
        StatusCode::OK,
        &ListPage {
            lang,
            signed_in: Some(session),
            donors,
            q,
            kinds: kinds(lang),
            can_create: principal.role.allows(Permission::ManageDonors),
            error,
            typed,
        },
    ))
}

async fn list(
    State(state): State<AppState>,
    session: Session,
    search: Result<Query<Search>, QueryRejection>,
) -> Response {
    let result = async {
        let Query(search) = search.map_err(|e| AppError::BadRequest(e.body_text()))?;
        list_page(&state, &session, search.q, None, DonorForm::default()).await
    }
    .await;
    session.page(result)
}

/// A donor's fields as the form sends them: every text may be left empty.
#[derive(Debug, Default, Deserialize)]
struct DonorForm {
    #[serde(default)]
    name: String,
    kind: Option<DonorKind>,
    #[serde(default)]
    siret: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_email: String,
    #[serde(default)]
    contact_phone: String,
    expected_version: Option<i64>,
}

impl DonorForm {
    /// The kind chosen, as the form's choice names it.
    fn kind_word(&self) -> &'static str {
        self.kind.unwrap_or(DonorKind::Company).as_str()
    }
}

/// An emptied field clears what was recorded; a filled one sets it.
fn patch(text: &str) -> Patch<String> {
    clean(Some(text.to_owned())).map_or(Patch::Clear, Patch::Set)
}

impl DonorForm {
    fn new_donor(&self) -> Result<NewDonor, AppError> {
        let new = NewDonor {
            name: self.name.trim().to_owned(),
            kind: self
                .kind
                .ok_or_else(|| AppError::field("kind", "choose a kind"))?,
            siret: clean(Some(self.siret.clone())),
            address: clean(Some(self.address.clone())),
            contact_name: clean(Some(self.contact_name.clone())),
            contact_email: clean(Some(self.contact_email.clone())),
            contact_phone: clean(Some(self.contact_phone.clone())),
        };
        new.validate()?;
        Ok(new)
    }

    fn changes(&self) -> Result<DonorChanges, AppError> {
        let changes = DonorChanges {
            expected_version: self.expected_version,
            name: Some(self.name.trim().to_owned()),
            kind: self.kind,
            siret: patch(&self.siret),
            address: patch(&self.address),
            contact_name: patch(&self.contact_name),
            contact_email: patch(&self.contact_email),
            contact_phone: patch(&self.contact_phone),
        };
        changes.validate()?;
        Ok(changes)
    }
}

async fn create(
    State(state): State<AppState>,
    PageForm(session, form): PageForm<DonorForm>,
) -> Response {
    let new = form.new_donor();
    let work = async {
        let new = new?;
        let donor = state
            .write_now(&session.principal, move |tx, who| {
                Box::pin(service::create(tx, who, new))
            })
            .await?;
        Ok::<_, AppError>(Redirect::to(&format!("/donors/{}", donor.id)))
    };
    session
        .answer(work, |refusal| {
            list_page(&state, &session, String::new(), Some(refusal), form)
        })
        .await
}

#[derive(Template)]
#[template(path = "donor.html")]
struct ShowPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    donor: Donor,
    kind: String,
    kinds: Vec<(&'static str, String)>,
    lots: Vec<LotLine>,
    statements: Vec<CertificateLine>,
    can_edit: bool,
    can_erase: bool,
    can_add_lot: bool,
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
    let donor = donors::queries::get(&state.db, principal, DonorId(id)).await?;
    let filter = crate::lots::queries::Filter {
        donor_id: Some(donor.id),
        site_id: None,
    };
    let page_params = PageParams {
        limit: Some(200),
        cursor: None,
    };
    let mut lots = crate::lots::queries::list(&state.db, principal, &filter, &page_params)
        .await?
        .items;
    lots.sort_by_key(|l| std::cmp::Reverse(l.received_on));
    let lots = lots
        .into_iter()
        .map(|lot| line(lang, lot, donor.name.clone()))
        .collect();
    let statements = crate::certificates::queries::statements_of(&state.db, principal, donor.id)
        .await?
        .into_iter()
        .map(|c| CertificateLine::of(lang, c))
        .collect();
    let may = |p| principal.role.allows(p);
    Ok(page(
        StatusCode::OK,
        &ShowPage {
            lang,
            signed_in: Some(session),
            kind: lang.word("donor_kind", donor.kind.as_str()),
            kinds: kinds(lang),
            lots,
            statements,
            can_edit: may(Permission::ManageDonors),
            can_erase: may(Permission::ManageDonors)
                && may(Permission::ReadPersonalData)
                && donor.has_personal_data(),
            can_add_lot: may(Permission::ManageLots),
            error,
            donor,
        },
    ))
}

async fn show(State(state): State<AppState>, session: Session, Path(id): Path<Uuid>) -> Response {
    let shown = show_page(&state, &session, id, None).await;
    session.page(shown)
}

async fn edit(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    PageForm(session, form): PageForm<DonorForm>,
) -> Response {
    let work = async {
        let changes = form.changes()?;
        let expected = changes.expected_version.ok_or(AppError::VersionRequired)?;
        state
            .write_now(&session.principal, move |tx, who| {
                Box::pin(service::update(tx, who, DonorId(id), expected, changes))
            })
            .await?;
        Ok::<_, AppError>(Redirect::to(&format!("/donors/{id}")))
    };
    session
        .answer(work, |refusal| {
            show_page(&state, &session, id, Some(refusal))
        })
        .await
}

/// Erases a donor's contact (and an individual donor's identity), as the
/// API's `DELETE …/personal-data` does.
async fn erase(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    PageForm(session, NoFields {}): PageForm<NoFields>,
) -> Response {
    let result = async {
        state
            .write_now(&session.principal, move |tx, who| {
                Box::pin(service::erase_personal_data(tx, who, DonorId(id)))
            })
            .await?;
        service::scrub(&state.db).await?;
        Ok::<_, AppError>(Redirect::to(&format!("/donors/{id}")).into_response())
    }
    .await;
    session.page(result)
}
