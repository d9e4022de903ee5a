//! `/lots/new`: a donation arrives — from which donor, at which site, on
//! which day, how many devices the donor declared and what it weighed.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;
use validator::Validate;

use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::{DonorId, SiteId};
use crate::lots::{NewLot, service};
use crate::pagination::PageParams;
use crate::state::AppState;
use crate::web::form::PageForm;
use crate::web::page;
use crate::web::session::Session;
use crate::{donors, sites};

#[derive(Template)]
#[template(path = "lot_new.html")]
struct NewLotPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    donors: Vec<(Uuid, String)>,
    /// The sites to choose from, for someone not bound to one.
    sites: Vec<(Uuid, String)>,
    typed: LotForm,
    error: Option<String>,
}

/// The form as sent: every field a text, read and bounded here.
#[derive(Debug, Default, Deserialize)]
pub(super) struct LotForm {
    #[serde(default)]
    donor_id: String,
    #[serde(default)]
    site_id: String,
    #[serde(default)]
    received_on: String,
    #[serde(default)]
    donor_reference: String,
    #[serde(default)]
    declared_count: String,
    #[serde(default)]
    weight_kg: String,
    #[serde(default)]
    notes: String,
}

fn given(text: &str) -> Option<&str> {
    Some(text.trim()).filter(|t| !t.is_empty())
}

/// A number typed the French way or the English way: `12,5` or `12.5`.
fn decimal(text: &str) -> Option<f64> {
    text.trim()
        .replace(',', ".")
        .replace(' ', "")
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite())
}

impl LotForm {
    fn new_lot(&self) -> Result<NewLot, AppError> {
        let mut problems = Vec::new();
        let donor_id = self.donor_id.trim().parse().ok().map(DonorId);
        if donor_id.is_none() {
            problems.push(crate::error::FieldError::new("donor_id", "choose a donor"));
        }
        let site_id = match given(&self.site_id) {
            None => None,
            Some(site) => match site.parse() {
                Ok(id) => Some(SiteId(id)),
                Err(_) => {
                    problems.push(crate::error::FieldError::new("site_id", "no such site"));
                    None
                }
            },
        };
        let received_on = NaiveDate::parse_from_str(self.received_on.trim(), "%Y-%m-%d").ok();
        if received_on.is_none() {
            problems.push(crate::error::FieldError::new(
                "received_on",
                "a date such as 2026-12-06",
            ));
        }
        let declared_count = match given(&self.declared_count) {
            None => None,
            Some(n) => n.parse::<i32>().map(Some).unwrap_or_else(|_| {
                problems.push(crate::error::FieldError::new(
                    "declared_count",
                    "a whole number",
                ));
                None
            }),
        };
        let weight_kg = match given(&self.weight_kg) {
            None => None,
            Some(w) => decimal(w).map(Some).unwrap_or_else(|| {
                problems.push(crate::error::FieldError::new("weight_kg", "a weight in kg"));
                None
            }),
        };
        let (Some(donor_id), Some(received_on), true) =
            (donor_id, received_on, problems.is_empty())
        else {
            return Err(AppError::Validation(problems));
        };
        let new = NewLot {
            donor_id,
            site_id,
            received_on,
            donor_reference: given(&self.donor_reference).map(str::to_owned),
            declared_count,
            weight_kg,
            notes: given(&self.notes).map(str::to_owned),
        };
        new.validate()?;
        Ok(new)
    }
}

async fn form_page(
    state: &AppState,
    session: &Session,
    typed: LotForm,
    error: Option<String>,
) -> Result<Response, AppError> {
    let principal = &session.principal;
    let all = PageParams {
        limit: Some(500),
        cursor: None,
    };
    let mut donors: Vec<(Uuid, String)> =
        donors::queries::list(&state.db, principal, &Default::default(), &all)
            .await?
            .items
            .into_iter()
            .map(|d| (d.id.0, d.name))
            .collect();
    donors.sort_by_key(|(_, name)| name.to_lowercase());
    let sites = if principal.site_id.is_none() {
        sites::queries::names(&state.db, principal).await?
    } else {
        Vec::new()
    };
    Ok(page(
        StatusCode::OK,
        &NewLotPage {
            lang: session.language,
            signed_in: Some(session),
            donors,
            sites,
            typed,
            error,
        },
    ))
}

#[derive(Debug, Deserialize)]
pub(super) struct Preset {
    donor_id: Option<Uuid>,
}

/// The empty form: today's date, and the donor whose page it was opened from.
pub(super) async fn new_form(
    State(state): State<AppState>,
    session: Session,
    preset: Result<Query<Preset>, QueryRejection>,
) -> Response {
    let result = async {
        let Query(preset) = preset.map_err(|e| AppError::BadRequest(e.body_text()))?;
        session
            .principal
            .require(crate::principal::Permission::ManageLots)?;
        let typed = LotForm {
            donor_id: preset.donor_id.map(|d| d.to_string()).unwrap_or_default(),
            received_on: state.settings.clock.now().date_naive().to_string(),
            ..LotForm::default()
        };
        form_page(&state, &session, typed, None).await
    }
    .await;
    session.page(result)
}

pub(super) async fn create(
    State(state): State<AppState>,
    PageForm(session, form): PageForm<LotForm>,
) -> Response {
    let new = form.new_lot();
    let work = async {
        let new = new?;
        let lot = state
            .write_now(&session.principal, move |tx, who| {
                Box::pin(service::create(tx, who, new))
            })
            .await?;
        Ok::<_, AppError>(Redirect::to(&format!("/lots/{}", lot.id)))
    };
    session
        .answer(work, |refusal| {
            form_page(&state, &session, form, Some(refusal))
        })
        .await
}
