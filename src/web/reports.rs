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
use crate::reports::chart::{Bar, bars};
use crate::reports::{Figures, Period, impact};
use crate::sites;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/reports", get(show))
}

/// A line of the figures table: what, this period, the previous one.
pub struct Line {
    pub label: String,
    pub current: String,
    pub previous: String,
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

fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

fn lines(lang: Language, now: &Figures, before: &Figures) -> Vec<Line> {
    let rate = |f: &Figures| {
        f.quality
            .non_conformity_rate
            .map_or_else(|| "—".to_owned(), |r| format!("{:.1} %", r * 100.0))
    };
    let rows: Vec<(&str, f64, f64)> = vec![
        (
            "collected",
            now.devices.collected as f64,
            before.devices.collected as f64,
        ),
        (
            "reused",
            now.devices.reused as f64,
            before.devices.reused as f64,
        ),
        (
            "recycled",
            now.devices.recycled as f64,
            before.devices.recycled as f64,
        ),
        (
            "dismantled",
            now.devices.dismantled as f64,
            before.devices.dismantled as f64,
        ),
        ("lost", now.devices.lost as f64, before.devices.lost as f64),
        (
            "in_stock",
            now.devices.in_stock as f64,
            before.devices.in_stock as f64,
        ),
        (
            "kg_collected",
            now.weight_kg.collected,
            before.weight_kg.collected,
        ),
        ("kg_reused", now.weight_kg.reused, before.weight_kg.reused),
        (
            "kg_recycled",
            now.weight_kg.recycled,
            before.weight_kg.recycled,
        ),
        (
            "co2e",
            now.co2e_avoided_kg.avoided_kg,
            before.co2e_avoided_kg.avoided_kg,
        ),
        (
            "individuals",
            now.beneficiaries.individuals as f64,
            before.beneficiaries.individuals as f64,
        ),
        (
            "organisations",
            now.beneficiaries.organisations as f64,
            before.beneficiaries.organisations as f64,
        ),
        ("hours", now.workforce.hours, before.workforce.hours),
        ("fte", now.workforce.fte, before.workforce.fte),
        (
            "jobs_created",
            now.workforce.jobs_created as f64,
            before.workforce.jobs_created as f64,
        ),
        (
            "dynamic_exits",
            now.workforce.dynamic_exits as f64,
            before.workforce.dynamic_exits as f64,
        ),
        (
            "training_hours",
            now.workforce.training_hours,
            before.workforce.training_hours,
        ),
    ];
    let mut out: Vec<Line> = rows
        .into_iter()
        .map(|(key, a, b)| Line {
            label: lang.text(&format!("report.{key}")).to_owned(),
            current: number(a),
            previous: number(b),
        })
        .collect();
    out.push(Line {
        label: lang.text("report.median_days").to_owned(),
        current: now
            .median_days_to_delivery
            .map_or_else(|| "—".to_owned(), number),
        previous: before
            .median_days_to_delivery
            .map_or_else(|| "—".to_owned(), number),
    });
    out.push(Line {
        label: lang.text("report.non_conformity").to_owned(),
        current: rate(now),
        previous: rate(before),
    });
    out
}

fn charts(lang: Language, now: &Figures, before: &Figures, legend: (&str, &str)) -> Vec<String> {
    let outcomes = ["collected", "reused", "recycled", "dismantled", "lost"]
        .into_iter()
        .map(|key| {
            let pick = |f: &Figures| match key {
                "collected" => f.devices.collected,
                "reused" => f.devices.reused,
                "recycled" => f.devices.recycled,
                "dismantled" => f.devices.dismantled,
                _ => f.devices.lost,
            } as f64;
            Bar {
                label: lang.text(&format!("report.{key}")).to_owned(),
                current: pick(now),
                previous: pick(before),
            }
        })
        .collect::<Vec<_>>();
    let breakdown = |section: &str,
                     a: &std::collections::BTreeMap<String, u64>,
                     b: &std::collections::BTreeMap<String, u64>| {
        let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .map(|k| Bar {
                label: lang.text(&format!("{section}.{k}")).to_owned(),
                current: a.get(k).copied().unwrap_or(0) as f64,
                previous: b.get(k).copied().unwrap_or(0) as f64,
            })
            .collect::<Vec<_>>()
    };
    vec![
        bars(lang.text("report.chart_devices"), &outcomes, legend),
        bars(
            lang.text("report.chart_beneficiaries"),
            &breakdown(
                "category",
                &now.beneficiaries.by_category,
                &before.beneficiaries.by_category,
            ),
            legend,
        ),
        bars(
            lang.text("report.chart_workers"),
            &breakdown(
                "contract",
                &now.workforce.workers_by_contract_kind,
                &before.workforce.workers_by_contract_kind,
            ),
            legend,
        ),
    ]
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
        let report = impact::report(&state.db, &session.principal, period, site).await?;
        let sites = sites::queries::names(&state.db, &session.principal).await?;
        let (now, before) = (&report.current, &report.previous);
        let legend_now = format!("{} → {}", period.from, period.to);
        let previous = period.previous();
        let legend_before = format!("{} → {}", previous.from, previous.to);
        let mut departements: Vec<(String, u64, u64)> = now
            .beneficiaries
            .by_departement
            .keys()
            .chain(before.beneficiaries.by_departement.keys())
            .map(|k| {
                (
                    k.clone(),
                    now.beneficiaries
                        .by_departement
                        .get(k)
                        .copied()
                        .unwrap_or(0),
                    before
                        .beneficiaries
                        .by_departement
                        .get(k)
                        .copied()
                        .unwrap_or(0),
                )
            })
            .collect();
        departements.sort();
        departements.dedup();
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
            lines: lines(lang, now, before),
            charts: charts(lang, now, before, (&legend_now, &legend_before)),
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
    match result {
        Ok(data) => page(StatusCode::OK, &data),
        Err(err) => error_page(lang, Some(&session), &err),
    }
}
