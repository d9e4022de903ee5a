//! An allocation's life as pure rules: the state each step needs, the day
//! a complaint's answer is due and the last day of a warranty. The service
//! reads the allocation and records; what may happen is decided here, once.

use chrono::NaiveDate;

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

/// The `n`th working day (Monday to Friday) after `day`.
pub fn working_days_after(day: NaiveDate, n: u32) -> NaiveDate {
    use chrono::{Datelike, Weekday};
    let mut current = day;
    let mut left = n;
    while left > 0 {
        current = current.succ_opt().unwrap_or(current);
        if !matches!(current.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    current
}

/// The last day under a warranty of `months` from `delivered`.
pub fn warranty_until(delivered: NaiveDate, months: u8) -> NaiveDate {
    delivered
        .checked_add_months(chrono::Months::new(u32::from(months)))
        .and_then(|d| d.pred_opt())
        .unwrap_or(delivered)
}

#[cfg(test)]
mod tests;
