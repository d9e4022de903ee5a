//! `/api/v1/reports/impact`: the report as JSON, or as CSV for a spreadsheet.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{Donation, Focus, ImpactReport, Period, impact};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppQuery};
use crate::ids::{DonorId, LotId, SiteId};
use crate::impact::Factors;
use crate::principal::Principal;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(impact_report))
        .routes(routes!(open_data))
}

#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = ReportFormat)]
pub enum Format {
    #[default]
    Json,
    Csv,
    Pdf,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// One site (network-wide users); a site's users get their own.
    pub site_id: Option<SiteId>,
    /// Only the devices this donor gave (the figures of their impact statement).
    pub donor_id: Option<DonorId>,
    /// Only the devices of this lot.
    pub lot_id: Option<LotId>,
    /// `json` (default), `csv` or `pdf`.
    pub format: Option<Format>,
    /// For the PDF: `fr` (default) or `en`.
    pub lang: Option<crate::i18n::Language>,
}

#[utoipa::path(
    get, path = "/api/v1/reports/impact", tag = "reports",
    params(ReportQuery),
    responses(
        (status = 200, description = "Every figure of the period, and of the period of the same length before it (`previous`); as CSV with `format=csv`, as a PDF with its charts with `format=pdf`", content(
            (ImpactReport = "application/json"),
            (String = "text/csv"),
            (Vec<u8> = "application/pdf"),
        )),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn impact_report(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(query): AppQuery<ReportQuery>,
) -> Result<Response, AppError> {
    let period = Period {
        from: query.from,
        to: query.to,
    };
    let language = query.lang.unwrap_or(crate::i18n::Language::Fr);
    let format = query.format.unwrap_or_default();
    let donation = match (query.donor_id, query.lot_id) {
        (Some(_), Some(_)) => {
            return Err(AppError::field("lot_id", "give a donor or a lot, not both"));
        }
        (Some(donor), None) => Some(Donation::Donor(donor)),
        (None, Some(lot)) => Some(Donation::Lot(lot)),
        (None, None) => None,
    };
    let focus = Focus {
        site: query.site_id,
        donation,
    };
    file(&state, &principal, period, focus, format, language).await
}

/// The report in `format`, as `principal` may read it (the API and the pages).
pub async fn file(
    state: &AppState,
    principal: &Principal,
    period: Period,
    focus: Focus,
    format: Format,
    language: crate::i18n::Language,
) -> Result<Response, AppError> {
    let started = std::time::Instant::now();
    let report = impact::report(
        &state.db,
        principal,
        period,
        focus,
        &Factors::for_request(&state.settings)?,
    )
    .await?;
    let name = format!("impact_{}_{}", period.from, period.to);
    Ok(match format {
        Format::Json => AppJson(report).into_response(),
        Format::Csv => {
            crate::waste::routes::csv_response(csv(&report, language)?, &format!("{name}.csv"))
        }
        Format::Pdf => {
            let scope = match report.site_id {
                Some(site) => crate::sites::queries::workshop(&state.db, site).await?.name,
                None => language.text("report.network").to_owned(),
            };
            let instance = state.settings.instance_name.clone();
            let pdf = tokio::task::spawn_blocking(move || {
                super::pdf::render(&report, &instance, &scope, language)
            })
            .await
            .map_err(AppError::internal)??;
            crate::metrics::document("impact_report", started.elapsed());
            crate::allocations::routes::pdf_response(pdf, &name)
        }
    })
}

/// Every figure a line: `figure;current;previous`, the figure named by its
/// JSON path (`devices.by_kind.laptop.reused`), `;`-separated with a BOM for
/// a French spreadsheet; numbers and dates as the reader's language writes
/// them in a cell (`3272,4` and `03/11/2026` in French).
pub fn csv(report: &ImpactReport, language: crate::i18n::Language) -> Result<Vec<u8>, AppError> {
    use crate::i18n::format;
    fn flatten(
        prefix: &str,
        value: &Value,
        out: &mut BTreeMap<String, String>,
        language: crate::i18n::Language,
    ) {
        match value {
            Value::Object(map) => {
                for (key, inner) in map {
                    let path = if prefix.is_empty() {
                        key.clone()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    flatten(&path, inner, out, language);
                }
            }
            Value::Null => {
                out.insert(prefix.to_owned(), String::new());
            }
            Value::String(text) => {
                let shown = match text.parse::<chrono::NaiveDate>() {
                    Ok(day) => format::date(language, day),
                    Err(_) => text.clone(),
                };
                out.insert(prefix.to_owned(), shown);
            }
            Value::Number(n) if !n.is_i64() && !n.is_u64() => {
                let value = n.as_f64().unwrap_or_default();
                out.insert(prefix.to_owned(), format::cell(language, value, 2));
            }
            other => {
                out.insert(prefix.to_owned(), other.to_string());
            }
        }
    }
    let mut current = BTreeMap::new();
    let mut previous = BTreeMap::new();
    flatten(
        "",
        &serde_json::to_value(&report.current).map_err(AppError::internal)?,
        &mut current,
        language,
    );
    flatten(
        "",
        &serde_json::to_value(&report.previous).map_err(AppError::internal)?,
        &mut previous,
        language,
    );
    let mut keys: Vec<&String> = current.keys().chain(previous.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut sheet = crate::spreadsheet::Sheet::new();
    sheet.row(["figure", "current", "previous"])?;
    for key in keys {
        // Counts missing from one period are zero there, not unknown.
        let zero = |map: &BTreeMap<String, String>| {
            map.get(key).cloned().unwrap_or_else(|| "0".to_owned())
        };
        sheet.row([key.as_str(), &zero(&current), &zero(&previous)])?;
    }
    sheet.finish()
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OpenDataQuery {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub site_id: Option<SiteId>,
}

#[utoipa::path(
    get, path = "/api/v1/reports/impact/opendata.csv", tag = "reports",
    params(OpenDataQuery),
    responses(
        (status = 200, description = "Aggregates only, CC-BY-4.0, for an ended calendar quarter or year: counts of 1 to 4 people as `<5`, and figures hidden so that none of them can be worked out from every file of the year together as `secret` (docs/OPENDATA.md)", content_type = "text/csv", body = String),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn open_data(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(query): AppQuery<OpenDataQuery>,
) -> Result<Response, AppError> {
    let period = Period {
        from: query.from,
        to: query.to,
    };
    let today = state.settings.clock.now().date_naive();
    let open = super::opendata::OpenPeriod::of(period, today)?;
    let focus = Focus::site(query.site_id);
    let figures = impact::period_figures(
        &state.db,
        &principal,
        period,
        focus,
        &Factors::for_request(&state.settings)?,
    )
    .await?;
    let scope = principal.read_scope(query.site_id)?;
    let people = super::opendata::decided_for(&state.db, open, scope).await?;
    let file = super::opendata::write(&figures, &state.settings.instance_name, &people)?;
    Ok(crate::waste::routes::csv_response(
        file,
        &format!("impact-opendata_{}_{}.csv", period.from, period.to),
    ))
}
