use super::*;
use DeviceState as S;

fn medium(state: MediumState) -> MediumFact {
    MediumFact {
        id: uuid::Uuid::nil(),
        asset_tag: "BRE-000002-X".into(),
        serial_number: Some("S1".into()),
        state,
    }
}

const PASSING: QcChecklist = QcChecklist {
    boot: true,
    keyboard: true,
    screen: true,
    battery: true,
    network: true,
    os: true,
};

/// The whole transition table, written out once, independently of the code.
fn expected(state: DeviceState, action: Action) -> Option<DeviceState> {
    use Action as A;
    if state.is_terminal() {
        return None;
    }
    match (state, action) {
        (S::Received, A::Audit) => Some(S::Inventoried),
        (S::Inventoried, A::StartErasure) => Some(S::Erasing),
        (S::Inventoried, A::SanitizeNotApplicable) => Some(S::Sanitized),
        (S::Sanitized, A::StartRefurbish) => Some(S::Refurbishing),
        (S::Refurbishing, A::InstallOs) => Some(S::SoftwareInstalled),
        (S::SoftwareInstalled, A::PassQc) => Some(S::Ready),
        (S::Ready, A::Reserve) => Some(S::Reserved),
        (S::Reserved, A::Release) => Some(S::Ready),
        (S::Reserved, A::Deliver) => Some(S::Delivered),
        (S::Delivered, A::Return) => Some(S::Received),
        (_, A::Dismantle) => Some(S::Dismantled),
        (_, A::Recycle) => Some(S::Recycled),
        (_, A::DeclareLost) => Some(S::Lost),
        _ => None,
    }
}

#[test]
fn every_state_and_action_follows_the_table_when_the_facts_allow() {
    for state in DeviceState::ALL {
        for action in Action::ALL.into_iter().filter(|a| *a != Action::Correct) {
            let facts = Facts {
                media: &[],
                note: Some("n"),
                os: Some("Debian 13"),
                checklist: Some(&PASSING),
                target: None,
            };
            let got = transition(state, action, &facts);
            match expected(state, action) {
                Some(next) => assert_eq!(got, Ok(next), "{state:?} × {action:?}"),
                None if state.is_terminal() => assert_eq!(
                    got,
                    Err(Refusal::Terminal { state }),
                    "{state:?} × {action:?}"
                ),
                None => assert_eq!(
                    got,
                    Err(Refusal::NotAllowed {
                        from: state,
                        action
                    }),
                    "{state:?} × {action:?}"
                ),
            }
        }
    }
}

#[test]
fn every_transition_into_a_gated_state_is_blocked_by_any_unsafe_medium() {
    for unsafe_state in [
        MediumState::Present,
        MediumState::Removed,
        MediumState::SanitizationFailed,
    ] {
        let media = [medium(MediumState::Sanitized), medium(unsafe_state)];
        for state in DeviceState::ALL {
            for action in Action::ALL.into_iter().filter(|a| *a != Action::Correct) {
                let Some(next) = expected(state, action) else {
                    continue;
                };
                let facts = Facts {
                    media: &media,
                    note: Some("n"),
                    os: Some("x"),
                    checklist: Some(&PASSING),
                    target: None,
                };
                let got = transition(state, action, &facts);
                if action == Action::SanitizeNotApplicable {
                    assert_eq!(got, Err(Refusal::HasMedia { count: 2 }));
                } else if next.is_gated() {
                    assert_eq!(
                        got,
                        Err(Refusal::MediaNotSanitized {
                            blocking: vec![medium(unsafe_state)]
                        }),
                        "{state:?} × {action:?}"
                    );
                } else {
                    assert_eq!(got, Ok(next), "{state:?} × {action:?}");
                }
            }
        }
    }
}

#[test]
fn sanitized_and_destroyed_media_open_every_gate() {
    let media = [
        medium(MediumState::Sanitized),
        medium(MediumState::Destroyed),
    ];
    let facts = Facts {
        media: &media,
        ..Facts::default()
    };
    assert_eq!(
        transition(S::Ready, Action::Reserve, &facts),
        Ok(S::Reserved)
    );
    assert_eq!(
        transition(S::Reserved, Action::Deliver, &facts),
        Ok(S::Delivered)
    );
    assert_eq!(
        transition(S::Erasing, Action::Recycle, &facts),
        Ok(S::Recycled)
    );
    assert_eq!(
        transition(S::Received, Action::Dismantle, &facts),
        Ok(S::Dismantled)
    );
}

#[test]
fn required_fields_are_named() {
    let none = Facts::default();
    assert_eq!(
        transition(S::Refurbishing, Action::InstallOs, &none),
        Err(Refusal::Missing { field: "os" })
    );
    let blank = Facts {
        os: Some("  "),
        ..Facts::default()
    };
    assert_eq!(
        transition(S::Refurbishing, Action::InstallOs, &blank),
        Err(Refusal::Missing { field: "os" })
    );
    assert_eq!(
        transition(S::SoftwareInstalled, Action::PassQc, &none),
        Err(Refusal::Missing { field: "checklist" })
    );
    assert_eq!(
        transition(S::Ready, Action::DeclareLost, &none),
        Err(Refusal::Missing { field: "note" })
    );
}

#[test]
fn qc_names_every_failing_item() {
    let checklist = QcChecklist {
        battery: false,
        os: false,
        ..PASSING
    };
    let facts = Facts {
        checklist: Some(&checklist),
        ..Facts::default()
    };
    assert_eq!(
        transition(S::SoftwareInstalled, Action::PassQc, &facts),
        Err(Refusal::QcFailed {
            failing: vec!["battery", "os"]
        })
    );
}

#[test]
fn corrections_need_a_target_and_a_note_and_still_respect_the_gate() {
    let media = [medium(MediumState::Present)];
    let to_ready = Facts {
        media: &media,
        note: Some("scanned by mistake"),
        target: Some(S::Ready),
        ..Facts::default()
    };
    for state in DeviceState::ALL {
        assert_eq!(
            transition(state, Action::Correct, &to_ready),
            Ok(S::Ready),
            "{state:?}"
        );
    }
    let no_note = Facts {
        target: Some(S::Ready),
        ..Facts::default()
    };
    assert_eq!(
        transition(S::Lost, Action::Correct, &no_note),
        Err(Refusal::Missing { field: "note" })
    );
    let to_delivered = Facts {
        target: Some(S::Delivered),
        ..to_ready.clone()
    };
    assert!(matches!(
        transition(S::Lost, Action::Correct, &to_delivered),
        Err(Refusal::MediaNotSanitized { .. })
    ));
}

#[test]
fn the_last_sanitized_medium_moves_a_waiting_device_to_sanitized() {
    let done = [
        medium(MediumState::Sanitized),
        medium(MediumState::Destroyed),
    ];
    let pending = [
        medium(MediumState::Sanitized),
        medium(MediumState::SanitizationFailed),
    ];
    for state in DeviceState::ALL {
        let waiting = matches!(state, S::Inventoried | S::Erasing);
        assert_eq!(reaches_sanitized(state, &done), waiting, "{state:?}");
        assert!(!reaches_sanitized(state, &pending), "{state:?}");
        assert!(
            !reaches_sanitized(state, &[]),
            "{state:?}: no media is sanitize_not_applicable's job"
        );
    }
}

#[test]
fn allowed_actions_are_the_accepted_ones() {
    assert_eq!(
        allowed_actions(S::Received, &Facts::default()),
        vec![
            Action::Audit,
            Action::Dismantle,
            Action::Recycle,
            Action::DeclareLost
        ]
    );
    let media = [medium(MediumState::Present)];
    let facts = Facts {
        media: &media,
        ..Facts::default()
    };
    assert_eq!(allowed_actions(S::Ready, &facts), vec![Action::DeclareLost]);
    assert!(allowed_actions(S::Lost, &Facts::default()).is_empty());
}

#[test]
fn states_round_trip_through_their_names() {
    for state in DeviceState::ALL {
        assert_eq!(DeviceState::parse(state.as_str()), Some(state));
        assert_eq!(serde_json::to_value(state).unwrap(), state.as_str());
    }
    for action in Action::ALL {
        assert_eq!(serde_json::to_value(action).unwrap(), action.as_str());
    }
}

#[test]
fn a_device_is_in_the_workshop_until_it_is_handed_over_or_gone() {
    let inside: Vec<DeviceState> = DeviceState::ALL
        .into_iter()
        .filter(|s| s.is_in_workshop())
        .collect();
    assert_eq!(
        inside,
        [
            DeviceState::Received,
            DeviceState::Inventoried,
            DeviceState::Erasing,
            DeviceState::Sanitized,
            DeviceState::Refurbishing,
            DeviceState::SoftwareInstalled,
            DeviceState::Ready,
        ]
    );
}
