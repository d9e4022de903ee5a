//! `GET /api/v1/labels`: the labels of a lot, of chosen devices or of
//! chosen media, as a PDF for a sheet or roll, or as ZPL.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use entities::medium;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::{Label, LabelFormat, item_url, sheet, zpl};
use crate::error::{AppError, Problem};
use crate::extract::AppQuery;
use crate::i18n::Language;
use crate::ids::LotId;
use crate::principal::{Permission, Principal};
use crate::state::AppState;
use crate::{devices, media, sites};

/// More labels than this in one document is a mistake, not a print run.
pub const MAX_LABELS: usize = 10_000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(labels))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LabelRequest {
    /// `a4-l7651`, `a4-l7163`, `roll-62x29` (PDF) or `zpl` (text).
    pub format: LabelFormat,
    /// Every device of this lot, by asset tag.
    pub lot_id: Option<LotId>,
    /// Devices, comma-separated ids.
    pub device_ids: Option<String>,
    /// Storage media, comma-separated ids.
    pub media_ids: Option<String>,
    /// Also print the media of the lot's or the listed devices.
    #[serde(default)]
    pub include_media: bool,
    /// Slots already used on the first sheet (fewer than the sheet has:
    /// 65 on the largest).
    #[serde(default)]
    #[param(minimum = 0, maximum = 64)]
    pub skip: usize,
    /// Language of the kind names: `fr` (default) or `en`.
    pub lang: Option<Language>,
}

#[utoipa::path(
    get, path = "/api/v1/labels", tag = "labels",
    params(LabelRequest),
    responses(
        (status = 200, description = "The labels, in the order asked: a PDF sheet, or ZPL for a label printer", content(
            (Vec<u8> = "application/pdf"),
            (String = "text/plain"),
        )),
        (status = 404, description = "No such lot, or not visible to you", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Nothing to print, too many labels, an unknown item or a `skip` past the sheet", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn labels(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(request): AppQuery<LabelRequest>,
) -> Result<Response, AppError> {
    document(&state, &principal, request).await
}

/// The label document asked for; shared with the lot page.
pub async fn document(
    state: &AppState,
    principal: &Principal,
    request: LabelRequest,
) -> Result<Response, AppError> {
    principal.require(Permission::ReadInventory)?;
    let format = request.format;
    if request.skip >= format.per_sheet() {
        return Err(AppError::field(
            "skip",
            format!(
                "a {} sheet has {} labels: skip at most {}",
                format.as_str(),
                format.per_sheet(),
                format.per_sheet() - 1
            ),
        ));
    }
    let started = std::time::Instant::now();
    let language = request.lang.unwrap_or_default();
    let labels = collect(state, principal, &request, language).await?;
    let at = chrono::Utc::now();
    let skip = request.skip;
    let (bytes, content_type, extension) = match format.geometry() {
        Some(geometry) => {
            // Laying out thousands of labels is CPU work: keep it off the async workers.
            let pdf =
                tokio::task::spawn_blocking(move || sheet::render(&geometry, &labels, skip, at))
                    .await
                    .map_err(AppError::internal)??;
            crate::metrics::document("labels", started.elapsed());
            (pdf, "application/pdf", "pdf")
        }
        None => (
            zpl::render(&labels)?.into_bytes(),
            "text/plain; charset=utf-8",
            "zpl",
        ),
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&format!(
        "inline; filename=\"labels-{}.{extension}\"",
        format.as_str()
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

fn ids(field: &str, list: Option<&str>) -> Result<Vec<Uuid>, AppError> {
    list.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            Uuid::parse_str(s).map_err(|_| AppError::field(field, format!("`{s}` is not an id")))
        })
        .collect()
}

/// The labels asked for, devices first, each with its media after it when asked.
async fn collect(
    state: &AppState,
    principal: &Principal,
    request: &LabelRequest,
    language: Language,
) -> Result<Vec<Label>, AppError> {
    let device_ids = ids("device_ids", request.device_ids.as_deref())?;
    let media_ids = ids("media_ids", request.media_ids.as_deref())?;
    let mut devices = Vec::new();
    if let Some(lot) = request.lot_id {
        // Another site's lot is out of sight: a 404, as everywhere.
        crate::lots::queries::get(&state.db, principal, lot).await?;
        devices = devices::queries::rows_of_lot(&state.db, principal, lot).await?;
        if devices.is_empty() {
            return Err(AppError::field("lot_id", "no device of this lot to label"));
        }
    }
    if !device_ids.is_empty() {
        let found = devices::queries::visible_rows(&state.db, principal, &device_ids).await?;
        for id in &device_ids {
            let row = found
                .get(id)
                .ok_or_else(|| AppError::field("device_ids", format!("no such device: {id}")))?;
            devices.push(row.clone());
        }
    }
    let mut media: Vec<medium::Model> = Vec::new();
    if request.include_media && !devices.is_empty() {
        let ids: Vec<Uuid> = devices.iter().map(|d| d.id).collect();
        media.append(&mut media::queries::rows_in_devices(&state.db, &ids).await?);
    }
    if !media_ids.is_empty() {
        let found = media::queries::visible_rows(&state.db, principal, &media_ids).await?;
        for id in &media_ids {
            let row = found
                .get(id)
                .ok_or_else(|| AppError::field("media_ids", format!("no such medium: {id}")))?;
            media.push(row.clone());
        }
    }
    let count = devices.len() + media.len();
    if count == 0 {
        return Err(AppError::field(
            "lot_id",
            "say what to print: lot_id, device_ids or media_ids",
        ));
    }
    if count > MAX_LABELS {
        return Err(AppError::field(
            "device_ids",
            format!("{count} labels asked; at most {MAX_LABELS} a document"),
        ));
    }
    let sites: HashMap<Uuid, String> = sites::queries::names(&state.db, principal)
        .await?
        .into_iter()
        .collect();
    let site_name = |id: Uuid| sites.get(&id).cloned().unwrap_or_default();
    let public_url = &state.settings.public_url;
    let mut labels = Vec::with_capacity(count);
    let media_by_device =
        media
            .iter()
            .fold(HashMap::<Uuid, Vec<&medium::Model>>::new(), |mut map, m| {
                map.entry(m.device_id.unwrap_or(Uuid::nil()))
                    .or_default()
                    .push(m);
                map
            });
    let mut printed_media = std::collections::HashSet::new();
    for d in &devices {
        labels.push(Label {
            url: item_url(public_url, &d.asset_tag),
            asset_tag: d.asset_tag.clone(),
            title: language.device_title(&d.kind, d.manufacturer.as_deref(), d.model.as_deref()),
            site: site_name(d.site_id),
        });
        if request.include_media {
            for m in media_by_device.get(&d.id).into_iter().flatten() {
                if printed_media.insert(m.id) {
                    labels.push(medium_label(m, public_url, site_name(m.site_id), language));
                }
            }
        }
    }
    for m in &media {
        if printed_media.insert(m.id) {
            labels.push(medium_label(m, public_url, site_name(m.site_id), language));
        }
    }
    Ok(labels)
}

fn medium_label(row: &medium::Model, public_url: &str, site: String, language: Language) -> Label {
    Label {
        url: item_url(public_url, &row.asset_tag),
        asset_tag: row.asset_tag.clone(),
        title: language.medium_title(
            &row.kind,
            row.model.as_deref(),
            row.capacity_bytes,
            row.serial_number.as_deref(),
        ),
        site,
    }
}
