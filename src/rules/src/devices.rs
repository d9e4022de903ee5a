//! The device lifecycle as a pure function: a state, an action and the facts
//! it depends on give the next state or the reason for refusal. No database,
//! no clock: the same inputs always give the same answer, which is what lets
//! it be tested exhaustively and the ledger be replayed.
//!
//! ```text
//! received ─audit→ inventoried ─start_erasure→ erasing ─(all media sanitized)→ sanitized
//! inventoried ─sanitize_not_applicable→ sanitized            (no medium on record)
//! sanitized ─start_refurbish→ refurbishing ─install_os→ software_installed ─pass_qc→ ready
//! ready ─reserve→ reserved ─deliver→ delivered ─return→ received
//! reserved ─release→ ready
//! any non-terminal ─dismantle | recycle | declare_lost→ dismantled | recycled | lost
//! ```

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::media::MediumState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeviceState {
    Received,
    Inventoried,
    Erasing,
    Sanitized,
    Refurbishing,
    SoftwareInstalled,
    Ready,
    Reserved,
    Delivered,
    Dismantled,
    Recycled,
    Lost,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Audit,
    StartErasure,
    SanitizeNotApplicable,
    StartRefurbish,
    InstallOs,
    PassQc,
    Reserve,
    Release,
    Deliver,
    Return,
    Dismantle,
    Recycle,
    DeclareLost,
    /// An admin's correction: any state to any state, with a mandatory note.
    Correct,
}

impl DeviceState {
    pub const ALL: [DeviceState; 12] = [
        Self::Received,
        Self::Inventoried,
        Self::Erasing,
        Self::Sanitized,
        Self::Refurbishing,
        Self::SoftwareInstalled,
        Self::Ready,
        Self::Reserved,
        Self::Delivered,
        Self::Dismantled,
        Self::Recycled,
        Self::Lost,
    ];

    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Dismantled | Self::Recycled | Self::Lost)
    }

    /// Still in the workshop: neither handed over (reserved, delivered) nor
    /// gone for good. Only such a device takes work, parts and new media.
    pub fn is_in_workshop(self) -> bool {
        !self.is_terminal() && !matches!(self, Self::Reserved | Self::Delivered)
    }

    /// States in which the device has left the workshop or its data-bearing
    /// parts are out of control: entering them needs every medium sanitized.
    pub fn is_gated(self) -> bool {
        matches!(
            self,
            Self::Reserved | Self::Delivered | Self::Recycled | Self::Dismantled
        )
    }

    pub fn as_str(self) -> &'static str {
        crate::words::word(&self)
    }

    pub fn parse(text: &str) -> Option<Self> {
        crate::words::from_word(text)
    }
}

impl Action {
    pub const ALL: [Action; 14] = [
        Self::Audit,
        Self::StartErasure,
        Self::SanitizeNotApplicable,
        Self::StartRefurbish,
        Self::InstallOs,
        Self::PassQc,
        Self::Reserve,
        Self::Release,
        Self::Deliver,
        Self::Return,
        Self::Dismantle,
        Self::Recycle,
        Self::DeclareLost,
        Self::Correct,
    ];

    pub fn as_str(self) -> &'static str {
        crate::words::word(&self)
    }
}

/// The quality-control checklist; `pass_qc` needs every item true.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QcChecklist {
    pub boot: bool,
    pub keyboard: bool,
    pub screen: bool,
    pub battery: bool,
    pub network: bool,
    pub os: bool,
}

impl QcChecklist {
    /// The names of the items that did not pass.
    pub fn failing(&self) -> Vec<&'static str> {
        [
            ("boot", self.boot),
            ("keyboard", self.keyboard),
            ("screen", self.screen),
            ("battery", self.battery),
            ("network", self.network),
            ("os", self.os),
        ]
        .into_iter()
        .filter(|(_, ok)| !ok)
        .map(|(name, _)| name)
        .collect()
    }
}

/// A medium in the device, as far as the gates care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediumFact {
    pub id: uuid::Uuid,
    pub asset_tag: String,
    pub serial_number: Option<String>,
    pub state: MediumState,
}

/// Everything besides state and action that a transition may depend on.
#[derive(Debug, Clone, Default)]
pub struct Facts<'a> {
    /// The media currently in the device.
    pub media: &'a [MediumFact],
    pub note: Option<&'a str>,
    pub os: Option<&'a str>,
    pub checklist: Option<&'a QcChecklist>,
    /// For `correct`: the state to set.
    pub target: Option<DeviceState>,
}

/// Why a transition was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The action does not apply to the current state.
    NotAllowed { from: DeviceState, action: Action },
    /// The device is dismantled, recycled or lost; only an admin correction applies.
    Terminal { state: DeviceState },
    /// Media still in the device are not sanitized or destroyed.
    MediaNotSanitized { blocking: Vec<MediumFact> },
    /// `sanitize_not_applicable` on a device that has media.
    HasMedia { count: usize },
    /// A field the action needs is missing.
    Missing { field: &'static str },
    /// `pass_qc` with checklist items not passed.
    QcFailed { failing: Vec<&'static str> },
}

/// The state after `action`, or why it is refused. Gates are checked after
/// the shape of the transition, so an illegal action is reported as such.
pub fn transition(
    state: DeviceState,
    action: Action,
    facts: &Facts<'_>,
) -> Result<DeviceState, Refusal> {
    use Action as A;
    use DeviceState as S;

    if action == A::Correct {
        let note = facts.note.is_some_and(|n| !n.trim().is_empty());
        let target = facts.target.ok_or(Refusal::Missing {
            field: "target_state",
        })?;
        if !note {
            return Err(Refusal::Missing { field: "note" });
        }
        return gate(target, facts).map(|()| target);
    }
    if state.is_terminal() {
        return Err(Refusal::Terminal { state });
    }
    let next = match (state, action) {
        (S::Received, A::Audit) => S::Inventoried,
        (S::Inventoried, A::StartErasure) => S::Erasing,
        (S::Inventoried, A::SanitizeNotApplicable) => {
            if !facts.media.is_empty() {
                return Err(Refusal::HasMedia {
                    count: facts.media.len(),
                });
            }
            S::Sanitized
        }
        (S::Sanitized, A::StartRefurbish) => S::Refurbishing,
        (S::Refurbishing, A::InstallOs) => {
            if facts.os.is_none_or(|os| os.trim().is_empty()) {
                return Err(Refusal::Missing { field: "os" });
            }
            S::SoftwareInstalled
        }
        (S::SoftwareInstalled, A::PassQc) => {
            let checklist = facts
                .checklist
                .ok_or(Refusal::Missing { field: "checklist" })?;
            let failing = checklist.failing();
            if !failing.is_empty() {
                return Err(Refusal::QcFailed { failing });
            }
            S::Ready
        }
        (S::Ready, A::Reserve) => S::Reserved,
        (S::Reserved, A::Release) => S::Ready,
        (S::Reserved, A::Deliver) => S::Delivered,
        (S::Delivered, A::Return) => S::Received,
        (_, A::Dismantle) => S::Dismantled,
        (_, A::Recycle) => S::Recycled,
        (_, A::DeclareLost) => {
            if facts.note.is_none_or(|n| n.trim().is_empty()) {
                return Err(Refusal::Missing { field: "note" });
            }
            S::Lost
        }
        (from, action) => return Err(Refusal::NotAllowed { from, action }),
    };
    gate(next, facts).map(|()| next)
}

/// A device enters a gated state only with every medium sanitized or destroyed.
fn gate(next: DeviceState, facts: &Facts<'_>) -> Result<(), Refusal> {
    if !next.is_gated() {
        return Ok(());
    }
    let blocking: Vec<MediumFact> = facts
        .media
        .iter()
        .filter(|m| !m.state.is_safe())
        .cloned()
        .collect();
    if blocking.is_empty() {
        Ok(())
    } else {
        Err(Refusal::MediaNotSanitized { blocking })
    }
}

/// Whether a device should move to `sanitized` by itself: it is waiting for
/// erasure and every medium in it is now sanitized or destroyed.
pub fn reaches_sanitized(state: DeviceState, media: &[MediumFact]) -> bool {
    matches!(state, DeviceState::Inventoried | DeviceState::Erasing)
        && !media.is_empty()
        && media.iter().all(|m| m.state.is_safe())
}

/// The actions that would be accepted now, for a client to offer as buttons.
pub fn allowed_actions(state: DeviceState, facts: &Facts<'_>) -> Vec<Action> {
    let permissive = QcChecklist {
        boot: true,
        keyboard: true,
        screen: true,
        battery: true,
        network: true,
        os: true,
    };
    let hypothetical = Facts {
        media: facts.media,
        note: Some("note"),
        os: Some("os"),
        checklist: Some(&permissive),
        target: None,
    };
    Action::ALL
        .into_iter()
        .filter(|a| *a != Action::Correct && transition(state, *a, &hypothetical).is_ok())
        .collect()
}

#[cfg(test)]
mod tests;
