//! What the media's rules refuse, and how each refusal reads.

use super::lifecycle::{MediumAction, MediumRefusal as Why, MediumState};
use crate::error::{Refusal, Refused};
use crate::i18n::Language;

#[derive(Debug, Clone, PartialEq)]
pub enum MediumRefused {
    /// The medium's lifecycle refused an action.
    Transition {
        why: Why,
        state: MediumState,
        action: MediumAction,
    },
    /// A destroyed medium has nothing left to erase.
    Destroyed { asset_tag: String },
}

impl Refusal for MediumRefused {
    fn problem(&self) -> Refused {
        match self {
            Self::Transition { why, state, action } => {
                let (slug, title, detail) = match why {
                    Why::NotAllowed { from, action } => (
                        "transition-not-allowed",
                        "Transition not allowed",
                        format!(
                            "A medium in state `{}` cannot `{}`.",
                            from.as_str(),
                            action.as_str()
                        ),
                    ),
                    Why::NotInDevice => (
                        "medium-not-in-device",
                        "Medium not in a device",
                        "This medium is not in a device.".into(),
                    ),
                    Why::AlreadyInDevice => (
                        "medium-in-device",
                        "Medium already in a device",
                        "Remove the medium before putting it in another device.".into(),
                    ),
                    Why::NotSanitized { state } => (
                        "media-not-sanitized",
                        "Storage medium not sanitized",
                        format!(
                            "A medium goes back into a device only once sanitized; this one is `{}`.",
                            state.as_str()
                        ),
                    ),
                    Why::Missing { field } => (
                        "transition-not-allowed",
                        "Transition not allowed",
                        format!("`{field}` is required to `{}` a medium.", action.as_str()),
                    ),
                };
                Refused::new(slug, title, detail)
                    .with("state", state)
                    .with("action", action)
            }
            Self::Destroyed { asset_tag } => Refused::new(
                "medium-destroyed",
                "Medium destroyed",
                format!("medium {asset_tag} is destroyed: there is nothing left to erase"),
            )
            .with("asset_tag", asset_tag),
        }
    }

    fn explain(&self, lang: Language) -> String {
        match self {
            Self::Transition { why, state, action } => match why {
                Why::NotSanitized { state } => lang.problem(
                    "medium_not_sanitized",
                    &[("state", &lang.word("medium_state", state.as_str()))],
                ),
                Why::NotInDevice => lang.problem("medium_not_in_device", &[]),
                Why::AlreadyInDevice => lang.problem("medium_in_device", &[]),
                Why::NotAllowed { .. } | Why::Missing { .. } => lang.problem(
                    "medium_transition_not_allowed",
                    &[
                        ("state", &lang.word("medium_state", state.as_str())),
                        ("action", &lang.word("medium_action", action.as_str())),
                    ],
                ),
            },
            Self::Destroyed { asset_tag } => {
                lang.problem("medium_destroyed", &[("tag", asset_tag)])
            }
        }
    }
}
