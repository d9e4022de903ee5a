//! An allocation's life as pure rules: the state each step needs. The
//! service reads the allocation and records; what may happen is decided
//! here, once.

use super::AllocationState::{self, Delivered, Reserved, Returned};
use super::refusals::AllocationRefused;
use crate::devices::Action;

/// What can be done to an allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Deliver,
    Release,
    Return,
    /// The beneficiary's acceptance (signed, or on paper).
    Accept,
    Complain,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::Deliver,
        Step::Release,
        Step::Return,
        Step::Accept,
        Step::Complain,
    ];

    /// The step's word, as the refusals and the pages name it.
    pub fn as_str(self) -> &'static str {
        crate::words::word(&self)
    }

    /// The states an allocation may be in for this step: a reservation is
    /// delivered or released, a delivery returned; the acceptance is signed
    /// at the handover or just before; a complaint is about a device given.
    pub fn allowed_from(self) -> &'static [AllocationState] {
        match self {
            Self::Deliver | Self::Release => &[Reserved],
            Self::Return => &[Delivered],
            Self::Accept => &[Reserved, Delivered],
            Self::Complain => &[Delivered, Returned],
        }
    }

    /// The allocation's step a device's own action is: a `deliver`,
    /// `release` or `return` sent to the device moves its allocation too.
    pub fn of_device_action(action: Action) -> Option<Self> {
        match action {
            Action::Deliver => Some(Self::Deliver),
            Action::Release => Some(Self::Release),
            Action::Return => Some(Self::Return),
            _ => None,
        }
    }
}

/// Refuses `step` for an allocation in `state`.
pub fn check(state: AllocationState, step: Step) -> Result<(), AllocationRefused> {
    if step.allowed_from().contains(&state) {
        Ok(())
    } else {
        Err(AllocationRefused::State {
            state,
            action: step.as_str(),
        })
    }
}

/// The states in which an allocation holds its device.
pub const OPEN: [AllocationState; 2] = [Reserved, Delivered];

/// Whether an allocation in `state` still holds its device.
pub fn is_open(state: AllocationState) -> bool {
    OPEN.contains(&state)
}

#[cfg(test)]
mod tests;
