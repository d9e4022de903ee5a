//! `/shipments`: waste leaving for a recycler — the tags scanned one a line,
//! the recycler and codes typed once — and the outgoing waste register to
//! download for the national register.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use uuid::Uuid;

use super::form::PageForm;
use super::session::Session;
use super::{error_page, page};
use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::SiteId;
use crate::pagination::PageParams;
use crate::principal::Permission;
use crate::scan::{ItemType, resolve};
use crate::sites;
use crate::state::AppState;
use crate::waste::{self, NewShipment, Party, Shipment, ShipmentItem, service};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/shipments", get(list).post(dispatch))
        .route("/shipments/register", get(register))
        .route("/shipments/{id}", get(show))
}

#[derive(Template)]
#[template(path = "shipments.html")]
struct ListPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    shipments: Vec<Shipment>,
    codes: Vec<(&'static str, &'static str)>,
    sites: Vec<(Uuid, String)>,
    can_dispatch: bool,
    error: Option<String>,
    today: String,
    year_start: String,
    /// Devices taken back at their end of life, waiting for a shipment.
    waiting: Vec<crate::allocations::queries::TakenBack>,
    /// Their tags, one a line, ready for the shipment's list.
    waiting_tags: String,
}

async fn list_page(
    state: &AppState,
    session: &Session,
    error: Option<String>,
) -> Result<Response, AppError> {
    let mut shipments = waste::queries::list(
        &state.db,
        &session.principal,
        &PageParams {
            limit: Some(200),
            cursor: None,
        },
    )
    .await?
    .items;
    shipments.reverse();
    let sites = sites::queries::names(&state.db, &session.principal).await?;
    let waiting =
        crate::allocations::queries::taken_back_for_recycling(&state.db, &session.principal)
            .await?;
    let waiting_tags = waiting
        .iter()
        .filter(|w| w.may_leave)
        .map(|w| w.asset_tag.clone())
        .collect::<Vec<_>>()
        .join("\n");
    let today = chrono::Utc::now().date_naive();
    let status = if error.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    Ok(page(
        status,
        &ListPage {
            lang: session.language,
            signed_in: Some(session),
            shipments,
            codes: waste::codes::WASTE_CODES.to_vec(),
            sites: if session.principal.site_id.is_none() {
                sites
            } else {
                Vec::new()
            },
            can_dispatch: session
                .principal
                .role
                .allows(Permission::ManageBeneficiaries),
            error,
            today: today.to_string(),
            year_start: NaiveDate::from_ymd_opt(today.year(), 1, 1)
                .unwrap_or(today)
                .to_string(),
            waiting,
            waiting_tags,
        },
    ))
}

async fn list(State(state): State<AppState>, session: Session) -> Response {
    session.page(list_page(&state, &session, None).await)
}

#[derive(Deserialize)]
struct DispatchForm {
    site_id: Option<Uuid>,
    dispatched_on: NaiveDate,
    recycler_name: String,
    #[serde(default)]
    recycler_siret: String,
    #[serde(default)]
    recycler_address: String,
    #[serde(default)]
    recycler_postcode: String,
    #[serde(default)]
    recycler_city: String,
    #[serde(default)]
    eco_name: String,
    #[serde(default)]
    eco_siret: String,
    #[serde(default)]
    transporter_name: String,
    #[serde(default)]
    transporter_siret: String,
    #[serde(default)]
    transporter_receipt: String,
    waste_code: String,
    treatment_code: String,
    #[serde(default)]
    weight_kg: String,
    #[serde(default)]
    trackdechets_number: String,
    tags: String,
}

fn given(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

fn party(name: &str, siret: &str) -> Party {
    Party {
        name: name.trim().to_owned(),
        siret: given(siret),
        address: None,
        postcode: None,
        city: None,
        country: None,
        receipt_number: None,
    }
}

async fn dispatch(
    State(state): State<AppState>,
    PageForm(session, form): PageForm<DispatchForm>,
) -> Response {
    let work = async {
        // Each scanned line names a device or a loose drive.
        let mut items = Vec::new();
        for code in form.tags.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let found = resolve(&state.db, &session.principal, code).await?;
            items.push(match (found.item_type, &found.medium, &found.device) {
                (ItemType::Medium, Some(m), _) => ShipmentItem {
                    device_id: None,
                    medium_id: Some(m.id),
                    waste_code: None,
                },
                (_, _, Some(d)) => ShipmentItem {
                    device_id: Some(d.id),
                    medium_id: None,
                    waste_code: None,
                },
                _ => return Err(AppError::field("tags", "a tag matches nothing")),
            });
        }
        let mut recycler = party(&form.recycler_name, &form.recycler_siret);
        recycler.address = given(&form.recycler_address);
        recycler.postcode = given(&form.recycler_postcode);
        recycler.city = given(&form.recycler_city);
        let transporter = given(&form.transporter_name).map(|name| {
            let mut t = party(&name, &form.transporter_siret);
            t.receipt_number = given(&form.transporter_receipt);
            t
        });
        let new = NewShipment {
            site_id: form.site_id.map(SiteId),
            dispatched_on: form.dispatched_on,
            recycler,
            recipient_kind: None,
            eco_organism: given(&form.eco_name).map(|name| party(&name, &form.eco_siret)),
            transporter,
            waste_code: form.waste_code,
            treatment_code: form.treatment_code,
            treatment_mode: None,
            weight_kg: match given(&form.weight_kg) {
                Some(w) => Some(
                    w.replace(',', ".")
                        .parse()
                        .map_err(|_| AppError::field("weight_kg", "a weight in kg"))?,
                ),
                None => None,
            },
            trackdechets_number: given(&form.trackdechets_number),
            items,
        };
        let principal = session.principal.clone();
        state
            .write_now(&principal, move |tx, who| {
                Box::pin(service::dispatch(tx, who, new))
            })
            .await?;
        Ok::<_, AppError>(Redirect::to("/shipments").into_response())
    };
    session
        .answer(work, |refusal| list_page(&state, &session, Some(refusal)))
        .await
}

#[derive(Deserialize)]
struct RegisterQuery {
    from: NaiveDate,
    to: NaiveDate,
}

async fn register(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<RegisterQuery>,
) -> Response {
    match waste::queries::register(&state.db, &session.principal, query.from, query.to, None).await
    {
        Ok(file) => {
            waste::routes::csv_response(file, &waste::register::file_name(query.from, query.to))
        }
        Err(err) => error_page(session.language, Some(&session), &err),
    }
}

#[derive(Template)]
#[template(path = "shipment.html")]
struct ShipmentPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    shipment: Shipment,
    mode: String,
}

/// One shipment as the register holds it: who took what, under which codes,
/// weighed how, and every tag that left with it.
async fn show(State(state): State<AppState>, session: Session, Path(id): Path<Uuid>) -> Response {
    let lang = session.language;
    let result = waste::queries::get(
        &state.db,
        &session.principal,
        crate::ids::WasteShipmentId(id),
    )
    .await
    .map(|shipment| {
        page(
            StatusCode::OK,
            &ShipmentPage {
                lang,
                signed_in: Some(&session),
                mode: lang.word(
                    "shipment",
                    &format!("mode_{}", crate::words::word(&shipment.treatment_mode)),
                ),
                shipment,
            },
        )
    });
    session.page(result)
}
