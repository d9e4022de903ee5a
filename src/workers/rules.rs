//! A contract's rules: what its dates and its exit must say to hold together.

use chrono::NaiveDate;

use super::{ContractKind, ExitOutcome};

/// Why a contract's dates and outcome do not hold together, if they do not.
pub fn contract_problem(
    kind: ContractKind,
    started_on: NaiveDate,
    ended_on: Option<NaiveDate>,
    exit_outcome: Option<ExitOutcome>,
) -> Option<(&'static str, &'static str)> {
    if ended_on.is_some_and(|end| end < started_on) {
        return Some(("ended_on", "must not be before started_on"));
    }
    if exit_outcome.is_some() && ended_on.is_none() {
        return Some((
            "exit_outcome",
            "is recorded when the contract ends (ended_on)",
        ));
    }
    if exit_outcome.is_some() && kind != ContractKind::Insertion {
        return Some(("exit_outcome", "is counted for insertion contracts only"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn an_exit_needs_an_end_and_an_insertion_contract() {
        use ContractKind::*;
        use ExitOutcome::*;
        let start = day("2026-01-05");
        assert_eq!(contract_problem(Insertion, start, None, None), None);
        assert_eq!(
            contract_problem(
                Insertion,
                start,
                Some(day("2026-10-30")),
                Some(DurableEmployment)
            ),
            None
        );
        assert_eq!(
            contract_problem(Insertion, start, None, Some(OtherExit)).map(|p| p.0),
            Some("exit_outcome")
        );
        assert_eq!(
            contract_problem(
                Permanent,
                start,
                Some(day("2026-10-30")),
                Some(PositiveExit)
            )
            .map(|p| p.0),
            Some("exit_outcome")
        );
        assert_eq!(
            contract_problem(Volunteer, start, Some(day("2025-10-30")), None).map(|p| p.0),
            Some("ended_on")
        );
        assert!(
            DurableEmployment.is_dynamic() && !OtherExit.is_dynamic() && !Withdrawn.is_dynamic()
        );
    }
}
