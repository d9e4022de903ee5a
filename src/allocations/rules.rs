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
mod tests {
    use super::*;
    use crate::allocations::AllocationState::Released;

    const STATES: [AllocationState; 4] = [Reserved, Delivered, Released, Returned];

    #[test]
    fn each_step_is_allowed_from_its_states_only() {
        let allowed: Vec<(&str, Vec<&str>)> = Step::ALL
            .into_iter()
            .map(|step| {
                let from = STATES
                    .into_iter()
                    .filter(|state| check(*state, step).is_ok())
                    .map(AllocationState::as_str)
                    .collect();
                (step.as_str(), from)
            })
            .collect();
        assert_eq!(
            allowed,
            [
                ("deliver", vec!["reserved"]),
                ("release", vec!["reserved"]),
                ("return", vec!["delivered"]),
                ("accept", vec!["reserved", "delivered"]),
                ("complain", vec!["delivered", "returned"]),
            ]
        );
    }

    #[test]
    fn a_refusal_names_the_state_and_the_step() {
        assert_eq!(
            check(Released, Step::Deliver),
            Err(AllocationRefused::State {
                state: Released,
                action: "deliver"
            })
        );
    }

    #[test]
    fn only_a_device_s_handover_steps_move_its_allocation() {
        assert_eq!(Step::of_device_action(Action::Deliver), Some(Step::Deliver));
        assert_eq!(Step::of_device_action(Action::Release), Some(Step::Release));
        assert_eq!(Step::of_device_action(Action::Return), Some(Step::Return));
        assert_eq!(Step::of_device_action(Action::Reserve), None);
        assert_eq!(Step::of_device_action(Action::Recycle), None);
    }

    #[test]
    fn a_reserved_or_delivered_allocation_holds_its_device() {
        let open: Vec<_> = STATES.into_iter().filter(|s| is_open(*s)).collect();
        assert_eq!(open, [Reserved, Delivered]);
    }
}
