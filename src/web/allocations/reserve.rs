//! A new allocation: the device and the beneficiary chosen, the conditions set, the device reserved.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use crate::allocations::{Conditions, NewAllocation, service};
use crate::beneficiaries::{self, Beneficiary};
use crate::devices::{self, Device};
use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::{BeneficiaryId, DeviceId};
use crate::patch::clean;
use crate::state::AppState;
use crate::web::form::PageForm;
use crate::web::page;
use crate::web::session::Session;

#[derive(Template)]
#[template(path = "allocation_new.html")]
pub(super) struct NewPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    device: Device,
    title: String,
    beneficiaries: Vec<Beneficiary>,
    /// The categories a beneficiary recorded on the spot may have.
    categories: Vec<(&'static str, String)>,
    error: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct NewQuery {
    device_id: Uuid,
}

pub(super) async fn new_page(
    state: &AppState,
    session: &Session,
    device: DeviceId,
    error: Option<String>,
) -> Result<Response, AppError> {
    let lang = session.language;
    let device = devices::queries::get(&state.db, &session.principal, device).await?;
    let mut found =
        beneficiaries::queries::latest(&state.db, &session.principal, &Default::default(), 500)
            .await?;
    found.retain(|b| b.site_id == device.site_id);
    let status = if error.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    Ok(page(
        status,
        &NewPage {
            lang,
            signed_in: Some(session),
            title: lang.device_title(
                device.kind.as_str(),
                device.manufacturer.as_deref(),
                device.model.as_deref(),
            ),
            device,
            beneficiaries: found,
            categories: crate::web::beneficiaries::categories(lang),
            error,
        },
    ))
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<NewQuery>,
) -> Response {
    session.page(new_page(&state, &session, DeviceId(query.device_id), None).await)
}

#[derive(Deserialize)]
pub(super) struct ReserveForm {
    device_id: Uuid,
    device_version: i64,
    /// A beneficiary already recorded, or `new` for the one described below.
    beneficiary_id: String,
    new_category: Option<crate::beneficiaries::Category>,
    #[serde(default)]
    new_postcode: String,
    #[serde(default)]
    new_partner: String,
    #[serde(default)]
    new_name: String,
    #[serde(default)]
    new_email: String,
    #[serde(default)]
    new_phone: String,
    conditions: String,
    #[serde(default)]
    price_euros: String,
    #[serde(default)]
    loan_until: String,
    warranty_months: u8,
}

/// Who receives the device: someone recorded, or someone recorded now.
enum Recipient {
    Known(BeneficiaryId),
    New(beneficiaries::NewBeneficiary),
}

impl ReserveForm {
    /// The beneficiary chosen; one recorded on the spot belongs to the
    /// device's site.
    fn recipient(&self, device: &Device) -> Result<Recipient, AppError> {
        if self.beneficiary_id != "new" {
            return self
                .beneficiary_id
                .parse()
                .map(|id| Recipient::Known(BeneficiaryId(id)))
                .map_err(|_| AppError::field("beneficiary_id", "choose a beneficiary"));
        }
        let new = beneficiaries::NewBeneficiary {
            category: self
                .new_category
                .ok_or_else(|| AppError::field("category", "choose a category"))?,
            postcode: clean(Some(self.new_postcode.clone())),
            referring_partner: clean(Some(self.new_partner.clone())),
            site_id: Some(device.site_id),
            name: clean(Some(self.new_name.clone())),
            email: clean(Some(self.new_email.clone())),
            phone: clean(Some(self.new_phone.clone())),
        };
        validator::Validate::validate(&new)?;
        Ok(Recipient::New(new))
    }

    fn conditions(&self) -> Result<Conditions, AppError> {
        match self.conditions.as_str() {
            "free" => Ok(Conditions::Free {}),
            "solidarity_price" => {
                let euros: f64 = self
                    .price_euros
                    .trim()
                    .replace(',', ".")
                    .parse()
                    .map_err(|_| AppError::field("conditions.price_cents", "a price in euros"))?;
                if !(0.0..=100_000.0).contains(&euros) {
                    return Err(AppError::field(
                        "conditions.price_cents",
                        "a price in euros",
                    ));
                }
                Ok(Conditions::SolidarityPrice {
                    price_cents: (euros * 100.0).round() as u32,
                })
            }
            "loan" => Ok(Conditions::Loan {
                until: self
                    .loan_until
                    .parse::<NaiveDate>()
                    .map_err(|_| AppError::field("conditions.until", "a date"))?,
            }),
            _ => Err(AppError::field(
                "conditions",
                "free, solidarity price or loan",
            )),
        }
    }
}

pub(super) async fn reserve(
    State(state): State<AppState>,
    PageForm(session, form): PageForm<ReserveForm>,
) -> Response {
    let device = DeviceId(form.device_id);
    let work = async {
        let shown = devices::queries::get(&state.db, &session.principal, device).await?;
        let recipient = form.recipient(&shown)?;
        let conditions = form.conditions()?;
        let (warranty_months, device_version) = (form.warranty_months, form.device_version);
        let principal = session.principal.clone();
        // A beneficiary recorded on the spot and the reservation: one write,
        // so a refused reservation leaves no one recorded for nothing.
        let written = state
            .write_now(&principal, move |tx, who| {
                Box::pin(async move {
                    let beneficiary_id = match recipient {
                        Recipient::Known(id) => id,
                        Recipient::New(new) => {
                            beneficiaries::service::register(tx, who, new).await?.id
                        }
                    };
                    let new = NewAllocation {
                        device_id: device,
                        beneficiary_id,
                        conditions,
                        warranty_months,
                        device_version: Some(device_version),
                    };
                    service::reserve(tx, who, new).await
                })
            })
            .await?;
        let id = written.id;
        Ok::<_, AppError>(Redirect::to(&format!("/allocations/{id}")))
    };
    session
        .answer(work, |refusal| {
            new_page(&state, &session, device, Some(refusal))
        })
        .await
}
