//! The donor portal as a page: what a donor opens on their phone from the
//! link a coordinator sent, with no account. It shows what
//! `portal::queries::view` decides, nothing more.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::{error_page, page};
use crate::i18n::Language;
use crate::portal::{PortalView, Stage};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/portal/{secret}", get(show))
}

#[derive(Template)]
#[template(path = "portal.html")]
pub struct PortalPage<'a> {
    pub lang: Language,
    pub signed_in: Option<&'a super::session::Session>,
    pub secret: String,
    pub view: PortalView,
    pub received_on: String,
    /// Each stage: its word for `wire`, its count, its name in the address.
    pub stages: Vec<(String, u64, &'static str)>,
    /// The devices asked for: none until a stage, a search or "all" is.
    pub devices: Vec<DeviceLine>,
    pub certificates: Vec<(String, String, String)>,
    /// What the donor asked the list for: shown back in the search.
    pub stage: String,
    pub q: String,
    /// Whether a list was asked for (a stage, a search, or all).
    pub listed: bool,
}

pub struct DeviceLine {
    pub asset_tag: String,
    pub title: String,
    pub serial: String,
    pub donor_asset_number: String,
    pub stage: String,
    pub erased: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Choice {
    lang: Option<String>,
    /// The devices at one stage only.
    stage: Option<String>,
    /// A piece of a tag, a serial or the donor's own inventory number.
    q: Option<String>,
    /// Every device, listed.
    all: Option<String>,
}

/// What `count` devices at a stage are: « perdu », « perdus ».
fn stage_name(lang: Language, stage: Stage, count: u64) -> String {
    lang.count(&format!("portal.stage_{}", stage.as_str()), count as f64)
}

async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(secret): Path<String>,
    Query(choice): Query<Choice>,
) -> Response {
    let lang = choice
        .lang
        .as_deref()
        .and_then(Language::parse)
        .unwrap_or_else(|| Language::negotiate(&headers));
    let view = match crate::portal::routes::open(&state, secret.clone()).await {
        Ok(view) => view,
        Err(err) => return error_page(lang, None, &err),
    };
    let date = |d: chrono::NaiveDate| lang.date(d);
    // Summary first: a lot of ninety devices is counted by stage, and its
    // devices are listed only as the donor asks (a stage, a search, all).
    let stage = choice.stage.unwrap_or_default();
    let q = choice.q.unwrap_or_default();
    let needle = q.trim().to_lowercase();
    let listed = choice.all.is_some() || !stage.is_empty() || !needle.is_empty();
    let devices = view
        .devices
        .iter()
        .filter(|_| listed)
        .filter(|d| stage.is_empty() || d.stage.as_str() == stage)
        .filter(|d| {
            needle.is_empty()
                || [
                    Some(&d.asset_tag),
                    d.serial_number.as_ref(),
                    d.donor_asset_number.as_ref(),
                ]
                .into_iter()
                .flatten()
                .any(|text| text.to_lowercase().contains(&needle))
        })
        .map(|d| DeviceLine {
            asset_tag: d.asset_tag.clone(),
            title: lang.device_title(&d.kind, d.manufacturer.as_deref(), d.model.as_deref()),
            serial: d.serial_number.clone().unwrap_or_default(),
            donor_asset_number: d.donor_asset_number.clone().unwrap_or_default(),
            stage: stage_name(lang, d.stage, 1),
            erased: d.erased.then(|| {
                d.erased_at
                    .map(|at| date(at.date_naive()))
                    .unwrap_or_default()
            }),
        })
        .collect();
    let certificates = view
        .certificates
        .iter()
        .map(|c| {
            (
                c.number.clone(),
                lang.text(&format!("portal.certificate_{}", c.kind))
                    .to_owned(),
                c.verify_url.clone(),
            )
        })
        .collect();
    let stages = view
        .stages
        .iter()
        .map(|s| {
            (
                stage_name(lang, s.stage, s.count),
                s.count,
                s.stage.as_str(),
            )
        })
        .collect();
    page(
        StatusCode::OK,
        &PortalPage {
            lang,
            signed_in: None,
            secret,
            received_on: date(view.received_on),
            view,
            stages,
            devices,
            certificates,
            stage,
            q,
            listed,
        },
    )
}
