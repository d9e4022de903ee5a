//! What an allocation refuses, and how each refusal reads.

use super::AllocationState;
use crate::error::{Refusal, Refused};
use crate::i18n::Language;

#[derive(Debug, Clone, PartialEq)]
pub enum AllocationRefused {
    /// An allocation not in a state for this step (`action`: deliver, release, …).
    State {
        state: AllocationState,
        action: &'static str,
    },
    /// The device is held under another allocation.
    ReservedForAnother {
        allocation_id: uuid::Uuid,
        beneficiary_reference: String,
    },
    /// The handover form was signed already.
    AlreadyAccepted,
}

impl Refusal for AllocationRefused {
    fn problem(&self) -> Refused {
        match self {
            Self::State { state, action } => Refused::new(
                "allocation-state",
                "Allocation not in a state for this",
                format!(
                    "an allocation in state `{}` cannot `{action}`",
                    state.as_str()
                ),
            )
            .with("state", state)
            .with("action", action),
            Self::ReservedForAnother {
                allocation_id,
                beneficiary_reference,
            } => Refused::new(
                "reserved-for-another",
                "Device reserved for someone else",
                format!(
                    "this device is held under allocation {allocation_id}, for beneficiary {beneficiary_reference}"
                ),
            )
            .with("allocation_id", allocation_id)
            .with("beneficiary_reference", beneficiary_reference),
            Self::AlreadyAccepted => Refused::new(
                "already-accepted",
                "Handover form already signed",
                "the beneficiary's acceptance is recorded already",
            ),
        }
    }

    fn explain(&self, lang: Language) -> String {
        match self {
            Self::State { state, action } => lang.problem(
                "allocation_state",
                &[
                    ("state", &lang.word("allocation_state", state.as_str())),
                    ("action", &lang.word("allocation_action", action)),
                ],
            ),
            Self::ReservedForAnother {
                beneficiary_reference,
                ..
            } => lang.problem(
                "reserved_for_another",
                &[("reference", beneficiary_reference)],
            ),
            Self::AlreadyAccepted => lang.problem("already_accepted", &[]),
        }
    }
}
