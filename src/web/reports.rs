//! `/reports`: the impact report as a page — the figures beside the period
//! before, and bar charts the server draws — for a funder's meeting.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use uuid::Uuid;

use super::session::Session;
use super::{error_page, page};
use crate::i18n::Language;
use crate::ids::SiteId;
use crate::reports::chart::bars;
use crate::reports::routes::{self, Format};
use crate::reports::summary::{self, Line};
use crate::reports::{Period, impact};
use crate::sites;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(show))
        .route("/reports/impact.csv", get(csv_file))
        .route("/reports/impact.pdf", get(pdf_file))
}

async fn download(
    state: AppState,
    session: Session,
    query: ReportQuery,
    format: Format,
) -> Response {
    let today = chrono::Utc::now().date_naive();
    let period = Period {
        from: query.from.unwrap_or(today),
        to: query.to.unwrap_or(today),
    };
    let site = query.site_id.parse().ok().map(SiteId);
    match routes::file(
        &state,
        &session.principal,
        period,
        crate::reports::Focus::site(site),
        format,
        session.language,
    )
    .await
    {
        Ok(response) => response,
        Err(err) => error_page(session.language, Some(&session), &err),
    }
}

async fn csv_file(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<ReportQuery>,
) -> Response {
    download(state, session, query, Format::Csv).await
}

async fn pdf_file(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<ReportQuery>,
) -> Response {
    download(state, session, query, Format::Pdf).await
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    period: Period,
    previous: Period,
    site_id: String,
    sites: Vec<(Uuid, String)>,
    lines: Vec<Line>,
    charts: Vec<String>,
    departements: Vec<(String, u64, u64)>,
    query: String,
}

#[derive(Deserialize, Default)]
struct ReportQuery {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    #[serde(default)]
    site_id: String,
}

async fn show(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<ReportQuery>,
) -> Response {
    let lang = session.language;
    let today = chrono::Utc::now().date_naive();
    let period = Period {
        from: query
            .from
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today)),
        to: query.to.unwrap_or(today),
    };
    let site = query.site_id.parse().ok().map(SiteId);
    let result = async {
        let report = impact::report(
            &state.db,
            &session.principal,
            period,
            crate::reports::Focus::site(site),
            &crate::impact::Factors::for_request(&state.settings)?,
        )
        .await?;
        let sites = sites::queries::names(&state.db, &session.principal).await?;
        let (now, before) = (&report.current, &report.previous);
        let legend_now = format!("{} → {}", period.from, period.to);
        let previous = period.previous();
        let legend_before = format!("{} → {}", previous.from, previous.to);
        let departements = crate::reports::summary::departements(now, before);
        Ok::<_, crate::error::AppError>(ReportPage {
            lang,
            signed_in: Some(&session),
            period,
            previous,
            site_id: query.site_id.clone(),
            sites: if session.principal.site_id.is_none() {
                sites
            } else {
                Vec::new()
            },
            lines: summary::lines(lang, now, before),
            charts: summary::series(lang, now, before)
                .into_iter()
                .map(|(title, series)| bars(&title, &series, (&legend_now, &legend_before), lang))
                .collect(),
            departements,
            query: format!(
                "from={}&to={}{}",
                period.from,
                period.to,
                site.map(|s| format!("&site_id={s}")).unwrap_or_default()
            ),
        })
    }
    .await;
    session.page(result.map(|data| page(StatusCode::OK, &data)))
}
