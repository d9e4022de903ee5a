//! `/stock`: the devices ready to give, filtered by kind, grade, RAM and
//! site, each a tap away from its allocation.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use uuid::Uuid;

use super::page;
use super::session::Session;
use crate::devices::{DeviceKind, Grade};
use crate::i18n::Language;
use crate::ids::SiteId;
use crate::principal::Permission;
use crate::sites;
use crate::state::AppState;
use crate::stock::{self, StockFilter};

pub fn router() -> Router<AppState> {
    Router::new().route("/stock", get(show))
}

pub struct StockLine {
    pub id: Uuid,
    pub asset_tag: String,
    pub title: String,
    pub grade: String,
    pub specs: String,
    pub site: String,
}

#[derive(Template)]
#[template(path = "stock.html")]
struct StockPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    lines: Vec<StockLine>,
    counts: Vec<(String, String, String, u64)>,
    total: u64,
    kinds: Vec<(&'static str, String)>,
    sites: Vec<(Uuid, String)>,
    form: FilterForm,
    can_allocate: bool,
}

/// The filter as typed: empty fields mean "any".
#[derive(Debug, Default, Deserialize)]
pub struct FilterForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub grade: String,
    #[serde(default)]
    pub site_id: String,
    #[serde(default)]
    pub min_ram_gb: String,
    #[serde(default)]
    pub q: String,
}

impl FilterForm {
    fn filter(&self) -> StockFilter {
        StockFilter {
            kind: DeviceKind::parse(&self.kind),
            grade: match self.grade.as_str() {
                "A" => Some(Grade::A),
                "B" => Some(Grade::B),
                "C" => Some(Grade::C),
                _ => None,
            },
            site_id: self.site_id.parse().ok().map(SiteId),
            min_ram_gb: self.min_ram_gb.trim().parse().ok(),
            q: Some(self.q.clone()).filter(|q| !q.trim().is_empty()),
        }
    }
}

async fn show(
    State(state): State<AppState>,
    session: Session,
    Query(form): Query<FilterForm>,
) -> Response {
    let lang = session.language;
    let result = async {
        let stock = stock::ready(&state.db, &session.principal, &form.filter()).await?;
        let sites = sites::queries::names(&state.db, &session.principal).await?;
        let site_name = |id: Uuid| {
            sites
                .iter()
                .find(|(s, _)| *s == id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default()
        };
        let grade = |g: Option<Grade>| {
            g.map_or_else(
                || lang.text("stock.ungraded").to_owned(),
                |g| format!("{g:?}"),
            )
        };
        let lines = stock
            .items
            .iter()
            .map(|d| StockLine {
                id: d.id.0,
                asset_tag: d.asset_tag.clone(),
                title: lang.device_title(
                    d.kind.as_str(),
                    d.manufacturer.as_deref(),
                    d.model.as_deref(),
                ),
                grade: grade(d.grade),
                specs: [
                    d.specs.cpu.clone(),
                    d.specs.ram_mib.map(|m| format!("{} GB RAM", m / 1024)),
                    d.specs.storage.clone(),
                    d.os.clone(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · "),
                site: site_name(d.site_id.0),
            })
            .collect();
        let counts = stock
            .counts
            .iter()
            .map(|c| {
                (
                    site_name(c.site_id.0),
                    lang.text(&format!("kind.{}", c.kind.as_str())).to_owned(),
                    grade(c.grade),
                    c.count,
                )
            })
            .collect();
        Ok::<_, crate::error::AppError>(StockPage {
            lang,
            signed_in: Some(&session),
            lines,
            counts,
            total: stock.total,
            kinds: DeviceKind::ALL
                .into_iter()
                .map(|k| {
                    (
                        k.as_str(),
                        lang.text(&format!("kind.{}", k.as_str())).to_owned(),
                    )
                })
                .collect(),
            sites: if session.principal.site_id.is_none() {
                sites.clone()
            } else {
                Vec::new()
            },
            form,
            can_allocate: session
                .principal
                .role
                .allows(Permission::ManageBeneficiaries),
        })
    }
    .await;
    session.page(result.map(|data| page(StatusCode::OK, &data)))
}
