//! `/devices`: every device one may see, found by state, kind, site, or a
//! piece of its tag, serial or model — the dashboard's counts open here.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use crate::devices::{DeviceKind, DeviceState, queries};
use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::SiteId;
use crate::pagination::PageParams;
use crate::state::AppState;
use crate::web::page;
use crate::web::session::Session;

/// How many devices a page lists; the search narrows the rest.
const SHOWN: u64 = 200;

#[derive(Template)]
#[template(path = "devices.html")]
struct DevicesPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    form: Search,
    states: Vec<(&'static str, String)>,
    kinds: Vec<(&'static str, String)>,
    sites: Vec<(Uuid, String)>,
    devices: Vec<Line>,
    /// Whether more devices match than are listed.
    more: bool,
}

struct Line {
    asset_tag: String,
    title: String,
    serial: String,
    state: String,
}

/// The search as typed: an empty field means "any".
#[derive(Debug, Default, Deserialize)]
pub(super) struct Search {
    #[serde(default)]
    state: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    site_id: String,
    #[serde(default)]
    q: String,
}

impl Search {
    fn filter(&self) -> Result<queries::Filter, AppError> {
        let chosen = |text: &str| {
            Some(text.trim())
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
        };
        Ok(queries::Filter {
            state: chosen(&self.state)
                .map(|s| {
                    DeviceState::parse(&s).ok_or_else(|| AppError::field("state", "no such state"))
                })
                .transpose()?,
            kind: chosen(&self.kind)
                .map(|k| {
                    crate::words::from_word::<DeviceKind>(&k)
                        .ok_or_else(|| AppError::field("kind", "no such kind"))
                })
                .transpose()?,
            lot_id: None,
            site_id: chosen(&self.site_id)
                .map(|s| {
                    s.parse()
                        .map(SiteId)
                        .map_err(|_| AppError::field("site_id", "no such site"))
                })
                .transpose()?,
            q: chosen(&self.q),
        })
    }
}

pub(super) async fn list(
    State(state): State<AppState>,
    session: Session,
    search: Result<Query<Search>, QueryRejection>,
) -> Response {
    let lang = session.language;
    let result = async {
        let Query(form) = search.map_err(|e| AppError::BadRequest(e.body_text()))?;
        let principal = &session.principal;
        let filter = form.filter()?;
        let page_params = PageParams {
            limit: Some(SHOWN),
            cursor: None,
        };
        let found = queries::list(&state.db, principal, &filter, &page_params).await?;
        let sites = if principal.site_id.is_none() {
            crate::sites::queries::names(&state.db, principal).await?
        } else {
            Vec::new()
        };
        let devices = found
            .items
            .into_iter()
            .map(|d| Line {
                title: lang.device_title(
                    d.kind.as_str(),
                    d.manufacturer.as_deref(),
                    d.model.as_deref(),
                ),
                serial: d.serial_number.unwrap_or_default(),
                state: lang.word("state", d.state.as_str()),
                asset_tag: d.asset_tag,
            })
            .collect();
        Ok::<_, AppError>(page(
            StatusCode::OK,
            &DevicesPage {
                lang,
                signed_in: Some(&session),
                states: DeviceState::ALL
                    .iter()
                    .map(|s| (s.as_str(), lang.word("state", s.as_str())))
                    .collect(),
                kinds: DeviceKind::ALL
                    .iter()
                    .map(|k| (k.as_str(), lang.word("kind", k.as_str())))
                    .collect(),
                sites,
                devices,
                more: found.next_cursor.is_some(),
                form,
            },
        ))
    }
    .await;
    session.page(result)
}
