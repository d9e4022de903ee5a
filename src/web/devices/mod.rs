//! `/d/{tag}`: the page a label's QR code opens. Staff get the device with
//! its media, history and next actions as buttons; anyone else a public
//! card (kind, model, OS, the workshop) with nothing personal.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;

use super::certificates::CertificateLine;
use super::erasure;
use super::session::Session;
use super::{error_page, page};
use crate::devices::Action;
use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::DeviceId;
use crate::principal::Permission;
use crate::scan::{ItemType, ScanResult, resolve_with};
use crate::state::AppState;

mod actions;
mod card;
mod history;
mod list;
mod work;

pub use actions::record;
use actions::{act, label};
pub use card::PublicCard;
use card::public_card;
pub use history::HistoryLine;
use history::history_of;
use work::work;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/devices", get(list::list))
        .route("/d/{tag}", get(show).post(act))
        .route("/d/{tag}/label", get(label))
        .route("/d/{tag}/work", axum::routing::post(work))
}

/// A button: an action and whether it needs more than a press.
pub struct ActionButton {
    pub action: &'static str,
    pub label: String,
    /// `os`, `checklist`, `note` or `reason`: the input shown with the button.
    pub input: Option<&'static str>,
    /// Ends the device's life here: shown apart, below the others.
    pub terminal: bool,
}

#[derive(Template)]
#[template(path = "device.html")]
pub struct DevicePage<'a> {
    pub lang: Language,
    pub signed_in: Option<&'a Session>,
    pub item: ScanResult,
    pub title: String,
    pub state_name: String,
    pub site: String,
    pub actions: Vec<ActionButton>,
    pub history: Vec<HistoryLine>,
    pub error: Option<String>,
    /// The label stocks to reprint on.
    pub stocks: Vec<(&'static str, &'static str)>,
    /// Why a device may come back, for the return button.
    pub reasons: Vec<(&'static str, String)>,
    /// Whether refurbishing work may be recorded on it now, by this user.
    pub can_work: bool,
    /// Harvested parts free to fit: id and description with their origin.
    pub parts: Vec<(uuid::Uuid, String)>,
    /// The bench's erasure forms, for someone who may erase.
    pub bench: Option<erasure::Panel>,
    /// How each medium was erased or destroyed, newest first.
    pub erasures: Vec<erasure::RecordLine>,
    /// What an nwipe log just did.
    pub log: Option<erasure::LogView>,
    /// The device's erasure certificates.
    pub certificates: Vec<CertificateLine>,
    /// Whether this user may issue its erasure certificate now.
    pub can_certify: bool,
}

/// What the device page adds after a form: why it was refused, or what an
/// nwipe log just did.
#[derive(Default)]
pub struct Shown {
    pub error: Option<String>,
    pub log: Option<erasure::LogView>,
}

impl Shown {
    /// The page again after its form was refused.
    pub fn refused(refusal: String) -> Self {
        Self {
            error: Some(refusal),
            ..Self::default()
        }
    }
}

async fn show(
    State(state): State<AppState>,
    session: Option<Session>,
    headers: HeaderMap,
    Path(tag): Path<String>,
) -> Response {
    match session {
        Some(session) => match device_page(&state, &session, &tag, Shown::default()).await {
            Ok(page_data) => page(StatusCode::OK, &page_data),
            Err(err) => error_page(session.language, Some(&session), &err),
        },
        None => {
            let lang = Language::negotiate(&headers);
            match public_card(&state, lang, &tag).await {
                Ok(card) => page(StatusCode::OK, &card),
                Err(err) => error_page(lang, None, &err),
            }
        }
    }
}

pub async fn device_page<'a>(
    state: &AppState,
    session: &'a Session,
    tag: &str,
    shown: Shown,
) -> Result<DevicePage<'a>, AppError> {
    let lang = session.language;
    let item = resolve_with(
        &state.db,
        state.scan_reader.as_deref(),
        &session.principal,
        tag,
    )
    .await?;
    let (title, state_name, site_id) = match (&item.item_type, &item.device, &item.medium) {
        (ItemType::Medium, _, Some(m)) => (
            lang.medium_title(
                m.kind.as_str(),
                m.model.as_deref(),
                m.capacity_bytes,
                m.serial_number.as_deref(),
            ),
            lang.text(&format!("medium_state.{}", m.state.as_str()))
                .to_owned(),
            m.site_id.0,
        ),
        (_, Some(d), _) => (
            lang.device_title(
                d.kind.as_str(),
                d.manufacturer.as_deref(),
                d.model.as_deref(),
            ),
            lang.text(&format!("state.{}", d.state.as_str())).to_owned(),
            d.site_id.0,
        ),
        _ => return Err(AppError::internal("a scan result without its item")),
    };
    let site = crate::sites::queries::workshop(&state.db, crate::ids::SiteId(site_id))
        .await?
        .name;
    let actions = if item.item_type == ItemType::Device {
        item.allowed_actions
            .iter()
            .filter_map(|a| crate::words::from_word::<Action>(a))
            .map(|action| ActionButton {
                action: action.as_str(),
                label: lang.text(&format!("action.{}", action.as_str())).to_owned(),
                input: match action {
                    Action::InstallOs => Some("os"),
                    Action::PassQc => Some("checklist"),
                    Action::DeclareLost => Some("note"),
                    Action::Return => Some("reason"),
                    Action::Dismantle => Some("parts"),
                    _ => None,
                },
                terminal: matches!(
                    action,
                    Action::Dismantle | Action::Recycle | Action::DeclareLost
                ),
            })
            .collect()
    } else {
        Vec::new()
    };
    let history = history_of(state, &session.principal, &item, lang).await?;
    let in_workshop = item.item_type == ItemType::Device
        && item
            .device
            .as_ref()
            .is_some_and(|d| d.state.is_in_workshop());
    let can_work = in_workshop
        && session
            .principal
            .role
            .allows(crate::principal::Permission::WorkshopActions);
    let parts = if can_work {
        let filter = crate::refurbishment::queries::PartFilter {
            available: Some(true),
        };
        crate::refurbishment::queries::parts(&state.db, &session.principal, &filter)
            .await?
            .into_iter()
            .filter(|p| p.site_id.0 == site_id)
            .map(|p| {
                (
                    p.id.0,
                    format!("{} ({})", p.description, p.origin_asset_tag),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let principal = &session.principal;
    let bench = erasure::view::panel(lang, principal, &item);
    let erasures = erasure::view::records(state, principal, &item, lang).await?;
    // A medium's page lists the certificates of the device it is in: an
    // erasure certificate covers every drive of its device.
    let (certificates, can_certify) = match (&item.item_type, &item.device) {
        (ItemType::Device, Some(device)) => (
            CertificateLine::of_subject(state, principal, device.id.0, lang).await?,
            principal.role.allows(Permission::IssueCertificates)
                && crate::certificates::content::past_erasure(device.state),
        ),
        (ItemType::Medium, Some(holder)) => (
            CertificateLine::of_subject(state, principal, holder.id.0, lang).await?,
            false,
        ),
        _ => (Vec::new(), false),
    };
    Ok(DevicePage {
        bench,
        erasures,
        log: shown.log,
        certificates,
        can_certify,
        reasons: crate::allocations::ReturnReason::ALL
            .into_iter()
            .map(|r| {
                (
                    r.as_str(),
                    lang.text(&format!("return_reason.{}", r.as_str()))
                        .to_owned(),
                )
            })
            .collect(),
        can_work,
        parts,
        lang,
        signed_in: Some(session),
        item,
        title,
        state_name,
        site,
        actions,
        history,
        error: shown.error,
        stocks: super::labels::stocks(),
    })
}

/// The device a page's form was posted for, by the tag in its address, as
/// the signed-in person may see it; a medium's tag is no device (404).
pub(crate) async fn device_of(
    state: &AppState,
    session: &Session,
    tag: &str,
) -> Result<DeviceId, AppError> {
    let item = resolve_with(
        &state.db,
        state.scan_reader.as_deref(),
        &session.principal,
        tag,
    )
    .await?;
    item.device.as_ref().map(|d| d.id).ok_or(AppError::NotFound)
}
