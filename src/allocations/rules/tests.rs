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

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

#[test]
fn an_answer_is_due_eight_working_days_later() {
    // Monday 2026-11-30: the 8th working day is Thursday 2026-12-10.
    assert_eq!(working_days_after(day("2026-11-30"), 8), day("2026-12-10"));
    // Received on a Saturday: counted from the Monday.
    assert_eq!(working_days_after(day("2026-12-05"), 8), day("2026-12-16"));
}

#[test]
fn a_warranty_ends_the_day_before_its_anniversary() {
    assert_eq!(warranty_until(day("2026-01-31"), 6), day("2026-07-30"));
    assert_eq!(warranty_until(day("2026-03-15"), 12), day("2027-03-14"));
    assert_eq!(warranty_until(day("2026-03-15"), 0), day("2026-03-14"));
}
