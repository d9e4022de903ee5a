//! `/scan`: one input that a USB or Bluetooth scanner types into (the code
//! and Enter), the phone camera where the browser has BarcodeDetector, and
//! a batch mode: choose an action, then every scan records it.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::devices::record;
use super::problems::explain;
use super::session::Session;
use super::{error_page, page};
use crate::devices::{Action, TransitionRequest};
use crate::error::AppError;
use crate::i18n::Language;
use crate::scan::resolve_with;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/scan", get(show).post(scan))
}

/// Actions that need nothing but a press: the ones batch mode offers.
pub const BATCH_ACTIONS: [Action; 7] = [
    Action::Audit,
    Action::StartErasure,
    Action::SanitizeNotApplicable,
    Action::StartRefurbish,
    Action::Reserve,
    Action::Release,
    Action::Deliver,
];

pub struct Choice {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

pub struct Outcome {
    pub ok: bool,
    pub text: String,
}

#[derive(Template)]
#[template(path = "scan.html")]
struct ScanPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    choices: Vec<Choice>,
    batch: bool,
    error: Option<String>,
    /// Tags the mistyped code probably was.
    suggestions: Vec<String>,
    /// Batch mode: this scan first, then the earlier ones.
    results: Vec<Outcome>,
}

fn choices(lang: Language, selected: Option<Action>) -> Vec<Choice> {
    BATCH_ACTIONS
        .iter()
        .map(|a| Choice {
            value: a.as_str(),
            label: lang.text(&format!("action.{}", a.as_str())).to_owned(),
            selected: selected == Some(*a),
        })
        .collect()
}

#[derive(Deserialize)]
struct Mode {
    action: Option<String>,
}

fn batch_action(text: Option<&str>) -> Option<Action> {
    BATCH_ACTIONS.into_iter().find(|a| Some(a.as_str()) == text)
}

async fn show(session: Session, Query(mode): Query<Mode>) -> Response {
    let action = batch_action(mode.action.as_deref());
    page(
        StatusCode::OK,
        &ScanPage {
            lang: session.language,
            signed_in: Some(&session),
            choices: choices(session.language, action),
            batch: action.is_some(),
            error: None,
            suggestions: Vec::new(),
            results: Vec::new(),
        },
    )
}

struct Scanned {
    csrf: String,
    code: String,
    action: Option<String>,
    /// Earlier batch results, carried by the page itself: `ok <text>` or `no <text>`.
    log: Vec<String>,
}

/// Opens the scanned item, or in batch mode records the chosen action on it
/// and shows the running list of results.
async fn scan(
    State(state): State<AppState>,
    session: Session,
    body: axum::body::Bytes,
) -> Response {
    let lang = session.language;
    let form: Scanned = match parse_form(&body) {
        Ok(form) => form,
        Err(err) => return error_page(lang, Some(&session), &err),
    };
    if let Err(err) = session.check_csrf(&form.csrf) {
        return error_page(lang, Some(&session), &err);
    }
    let action = batch_action(form.action.as_deref());
    let resolved = resolve_with(
        &state.db,
        state.scan_reader.as_deref(),
        &session.principal,
        &form.code,
    )
    .await;
    let Some(action) = action else {
        return match resolved {
            Ok(item) => Redirect::to(&format!("/d/{}", item.asset_tag)).into_response(),
            Err(err) => not_found_page(&session, err),
        };
    };
    let outcome = match resolved {
        Err(err) => Outcome {
            ok: false,
            text: format!("{} — {}", form.code.trim(), explain(lang, &err)),
        },
        Ok(item) => match &item.device {
            Some(device) if item.item_type == crate::scan::ItemType::Device => {
                let request = TransitionRequest {
                    action,
                    expected_version: Some(device.version),
                    note: None,
                    os: None,
                    checklist: None,
                    target_state: None,
                    reason: None,
                };
                match record(&state, &session, device.id, request).await {
                    Ok(()) => Outcome {
                        ok: true,
                        text: format!(
                            "{} — {}",
                            item.asset_tag,
                            lang.text(&format!("action.{}", action.as_str()))
                        ),
                    },
                    Err(err) => Outcome {
                        ok: false,
                        text: format!("{} — {}", item.asset_tag, explain(lang, &err)),
                    },
                }
            }
            _ => Outcome {
                ok: false,
                text: format!("{} — {}", item.asset_tag, lang.text("scan.not_a_device")),
            },
        },
    };
    let mut results = vec![outcome];
    results.extend(form.log.into_iter().take(49).map(|line| {
        let (ok, text) = match line.split_once(' ') {
            Some(("ok", text)) => (true, text.to_owned()),
            Some((_, text)) => (false, text.to_owned()),
            None => (false, line),
        };
        Outcome { ok, text }
    }));
    let status = if results[0].ok {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page(
        status,
        &ScanPage {
            lang,
            signed_in: Some(&session),
            choices: choices(lang, Some(action)),
            batch: true,
            error: None,
            suggestions: Vec::new(),
            results,
        },
    )
}

fn not_found_page(session: &Session, err: AppError) -> Response {
    let lang = session.language;
    let problem = err.problem();
    let suggestions = problem
        .extra
        .get("suggestions")
        .and_then(|s| s.as_array())
        .map(|list| {
            list.iter()
                .filter_map(|s| s["asset_tag"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    page(
        err.status(),
        &ScanPage {
            lang,
            signed_in: Some(session),
            choices: choices(lang, None),
            batch: false,
            error: Some(explain(lang, &err)),
            suggestions,
            results: Vec::new(),
        },
    )
}

/// An urlencoded form whose `log` key repeats (axum's `Form` takes one value a key).
fn parse_form(body: &[u8]) -> Result<Scanned, AppError> {
    let mut csrf = None;
    let mut code = None;
    let mut action = None;
    let mut log = Vec::new();
    for (key, value) in form_urlencoded::parse(body) {
        match key.as_ref() {
            "csrf" => csrf = Some(value.into_owned()),
            "code" => code = Some(value.into_owned()),
            "action" => action = Some(value.into_owned()).filter(|v| !v.is_empty()),
            "log" => log.push(value.into_owned()),
            _ => {}
        }
    }
    Ok(Scanned {
        csrf: csrf.ok_or_else(|| AppError::field("csrf", "missing"))?,
        code: code.ok_or_else(|| AppError::field("code", "missing"))?,
        action,
        log,
    })
}
