//! What the devices' rules refuse, and how each refusal reads.

use serde_json::json;

use super::lifecycle::{Action, DeviceState, Refusal as Why};
use crate::error::{Refusal, Refused};
use crate::i18n::Language;

#[derive(Debug, Clone, PartialEq)]
pub enum DeviceRefused {
    /// The lifecycle refused an action (what it allows now is listed).
    Transition {
        why: Why,
        state: DeviceState,
        action: Action,
        allowed: Vec<Action>,
    },
    /// A dismantled, recycled or lost device takes no new media and no audit.
    Closed {
        asset_tag: String,
        state: DeviceState,
    },
    /// Another device of the lot, or medium of the device, has this serial number.
    SerialTaken { serial: String, asset_tag: String },
}

impl Refusal for DeviceRefused {
    fn problem(&self) -> Refused {
        match self {
            Self::Transition {
                why,
                state,
                action,
                allowed,
            } => transition_problem(why, *state, *action, allowed),
            Self::Closed { asset_tag, state } => Refused::new(
                "device-closed",
                "Device out of the workshop",
                format!(
                    "device {asset_tag} is {} and takes no new media or audit",
                    state.as_str()
                ),
            )
            .with("asset_tag", asset_tag)
            .with("state", state),
            Self::SerialTaken { serial, asset_tag } => Refused::new(
                "serial-taken",
                "Serial number already recorded",
                format!("{asset_tag} already has serial number {serial}"),
            )
            .with("serial_number", serial)
            .with("asset_tag", asset_tag),
        }
    }

    fn explain(&self, lang: Language) -> String {
        let not_allowed = |state: DeviceState, action: Action| {
            lang.problem(
                "transition_not_allowed",
                &[
                    ("state", &lang.word("state", state.as_str())),
                    ("action", &lang.word("action", action.as_str())),
                ],
            )
        };
        match self {
            Self::Transition {
                why, state, action, ..
            } => match why {
                Why::NotAllowed { from, action } => not_allowed(*from, *action),
                Why::Terminal { state } => lang.problem(
                    "terminal_state",
                    &[("state", &lang.word("state", state.as_str()))],
                ),
                Why::MediaNotSanitized { blocking } => {
                    let tags: Vec<&str> = blocking.iter().map(|m| m.asset_tag.as_str()).collect();
                    lang.problem("media_not_sanitized", &[("tags", &tags.join(", "))])
                }
                Why::HasMedia { count } => {
                    lang.problem("device_has_media", &[("count", &count.to_string())])
                }
                Why::Missing { .. } | Why::QcFailed { .. } => not_allowed(*state, *action),
            },
            Self::Closed { asset_tag, state } => lang.problem(
                "device_closed",
                &[
                    ("tag", asset_tag),
                    ("state", &lang.word("state", state.as_str())),
                ],
            ),
            Self::SerialTaken { serial, asset_tag } => {
                lang.problem("serial_taken", &[("serial", serial), ("tag", asset_tag)])
            }
        }
    }
}

fn transition_problem(
    why: &Why,
    state: DeviceState,
    action: Action,
    allowed: &[Action],
) -> Refused {
    let allowed: Vec<&str> = allowed.iter().map(|a| a.as_str()).collect();
    match why {
        Why::NotAllowed { from, action } => Refused::new(
            "transition-not-allowed",
            "Transition not allowed",
            format!(
                "A device in state `{}` cannot `{}`.",
                from.as_str(),
                action.as_str()
            ),
        )
        .with("state", from)
        .with("action", action)
        .with("allowed_actions", allowed),
        Why::Terminal { state } => Refused::new(
            "terminal-state",
            "Device is in a terminal state",
            format!(
                "A device in state `{}` takes no more events except an admin's correction.",
                state.as_str()
            ),
        )
        .with("state", state)
        .with("action", action),
        Why::MediaNotSanitized { blocking } => Refused::new(
            "media-not-sanitized",
            "Storage media not sanitized",
            format!(
                "{} storage medium(s) in this device must be sanitized or destroyed first: {}.",
                blocking.len(),
                blocking
                    .iter()
                    .map(|m| m.asset_tag.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .with(
            "blocking_media",
            blocking
                .iter()
                .map(|m| {
                    json!({"id": m.id, "asset_tag": m.asset_tag, "serial_number": m.serial_number, "state": m.state})
                })
                .collect::<Vec<_>>(),
        ),
        Why::HasMedia { count } => Refused::new(
            "device-has-media",
            "Device has storage media",
            format!(
                "This device has {count} storage medium(s) on record: they must be sanitized, not skipped."
            ),
        )
        .with("media_count", count),
        // Missing fields and a failed checklist are validation problems, made by
        // the devices service; as a refusal they still read sensibly.
        Why::Missing { .. } | Why::QcFailed { .. } => Refused::new(
            "transition-not-allowed",
            "Transition not allowed",
            format!(
                "A device in state `{}` cannot `{}` yet.",
                state.as_str(),
                action.as_str()
            ),
        )
        .with("state", state)
        .with("action", action),
    }
}
