//! What a waste shipment refuses, and how each refusal reads.

use crate::error::{Refusal, Refused};
use crate::i18n::Language;
use crate::media::MediumState;

#[derive(Debug, Clone, PartialEq)]
pub enum ShipmentRefused {
    /// A device or medium that left in a waste shipment already.
    AlreadyShipped { asset_tag: String },
    /// A loose medium shipped before it is sanitized or destroyed.
    MediumNotSanitized {
        asset_tag: String,
        state: MediumState,
    },
}

impl Refusal for ShipmentRefused {
    fn problem(&self) -> Refused {
        match self {
            Self::AlreadyShipped { asset_tag } => Refused::new(
                "already-shipped",
                "Already shipped",
                format!("{asset_tag} left in a waste shipment already"),
            )
            .with("asset_tag", asset_tag),
            Self::MediumNotSanitized { asset_tag, state } => Refused::new(
                "media-not-sanitized",
                "Storage medium not sanitized",
                format!(
                    "medium {asset_tag} is `{}`: it must be sanitized or destroyed first",
                    state.as_str()
                ),
            )
            .with(
                "blocking_media",
                [serde_json::json!({"asset_tag": asset_tag, "state": state})],
            ),
        }
    }

    fn explain(&self, lang: Language) -> String {
        match self {
            Self::AlreadyShipped { asset_tag } => {
                lang.problem("already_shipped", &[("tag", asset_tag)])
            }
            Self::MediumNotSanitized { asset_tag, state } => lang.problem(
                "medium_not_sanitized_to_ship",
                &[
                    ("tag", asset_tag),
                    ("state", &lang.word("medium_state", state.as_str())),
                ],
            ),
        }
    }
}
