//! The public card a label opens for someone not signed in: what the
//! device is and whom to ask, nothing personal.

use askama::Template;

use crate::error::AppError;
use crate::i18n::Language;
use crate::state::AppState;
use crate::web::session::Session;

#[derive(Template)]
#[template(path = "public_device.html")]
pub struct PublicCard<'a> {
    pub lang: Language,
    pub signed_in: Option<&'a Session>,
    pub asset_tag: String,
    pub title: String,
    pub os: Option<String>,
    pub workshop: String,
    pub address: Option<String>,
}

/// What a beneficiary finds a year later: what the device is and whom to ask.
pub(super) async fn public_card(
    state: &AppState,
    lang: Language,
    tag: &str,
) -> Result<PublicCard<'static>, AppError> {
    let item = crate::devices::queries::public_item(&state.db, tag).await?;
    let title = if item.is_medium {
        lang.medium_title(&item.kind, item.model.as_deref(), item.capacity_bytes, None)
    } else {
        lang.device_title(
            &item.kind,
            item.manufacturer.as_deref(),
            item.model.as_deref(),
        )
    };
    let workshop = crate::sites::queries::workshop(&state.db, item.site_id).await?;
    let (tag, os) = (item.asset_tag, item.os);
    Ok(PublicCard {
        lang,
        signed_in: None,
        asset_tag: tag,
        title,
        os,
        workshop: workshop.name,
        address: workshop.address,
    })
}
