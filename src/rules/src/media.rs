//! The storage-medium lifecycle as a pure function. A medium's state says
//! what is known of the data on it; where it is (in a device or on its own)
//! is separate, because a drive pulled out at a bulk wiping station is held
//! by the same gate as one still in its laptop.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MediumState {
    /// In its device, data presumed present.
    Present,
    /// Pulled out of its device, data presumed present.
    Removed,
    Sanitized,
    /// The last erasure failed: erase again or destroy.
    SanitizationFailed,
    Destroyed,
}

impl MediumState {
    pub const ALL: [MediumState; 5] = [
        Self::Present,
        Self::Removed,
        Self::Sanitized,
        Self::SanitizationFailed,
        Self::Destroyed,
    ];

    /// Whether the data on it is gone: the only states that open the gates.
    pub fn is_safe(self) -> bool {
        matches!(self, Self::Sanitized | Self::Destroyed)
    }

    pub fn as_str(self) -> &'static str {
        crate::words::word(&self)
    }

    pub fn parse(text: &str) -> Option<Self> {
        crate::words::from_word(text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MediumAction {
    /// Pull the medium out of its device; it is tracked on its own.
    Remove,
    /// Put a sanitized medium (back) into a device.
    Reinstall,
    /// Record the result of an erasure: `outcome` passed or failed.
    RecordErasure,
    /// Physical destruction (shredding, drilling…).
    Destroy,
    /// The device it is in came back from a beneficiary: data presumed present again.
    DeviceReturned,
}

impl MediumAction {
    pub const ALL: [MediumAction; 5] = [
        Self::Remove,
        Self::Reinstall,
        Self::RecordErasure,
        Self::Destroy,
        Self::DeviceReturned,
    ];

    /// The `action` value of the API.
    pub fn as_str(self) -> &'static str {
        crate::words::word(&self)
    }
}

/// Where the medium is, as far as the rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    InDevice,
    Loose,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediumRefusal {
    NotAllowed {
        from: MediumState,
        action: MediumAction,
    },
    NotInDevice,
    AlreadyInDevice,
    /// Reinstalling needs a sanitized medium.
    NotSanitized {
        state: MediumState,
    },
    Missing {
        field: &'static str,
    },
}

/// The state and location after `action`. `erasure_passed` is the outcome of
/// a `record_erasure`.
pub fn transition(
    state: MediumState,
    location: Location,
    action: MediumAction,
    erasure_passed: Option<bool>,
) -> Result<(MediumState, Location), MediumRefusal> {
    use MediumAction as A;
    use MediumState as S;
    if state == S::Destroyed {
        return Err(MediumRefusal::NotAllowed {
            from: state,
            action,
        });
    }
    match action {
        A::RecordErasure => {
            let passed = erasure_passed.ok_or(MediumRefusal::Missing { field: "outcome" })?;
            Ok((
                if passed {
                    S::Sanitized
                } else {
                    S::SanitizationFailed
                },
                location,
            ))
        }
        A::Destroy => Ok((S::Destroyed, location)),
        A::Remove => match location {
            Location::Loose => Err(MediumRefusal::NotInDevice),
            Location::InDevice => Ok((
                if state == S::Present {
                    S::Removed
                } else {
                    state
                },
                Location::Loose,
            )),
        },
        A::Reinstall => match (location, state) {
            (Location::InDevice, _) => Err(MediumRefusal::AlreadyInDevice),
            (Location::Loose, S::Sanitized) => Ok((S::Sanitized, Location::InDevice)),
            (Location::Loose, state) => Err(MediumRefusal::NotSanitized { state }),
        },
        A::DeviceReturned => match location {
            Location::InDevice => Ok((S::Present, location)),
            Location::Loose => Err(MediumRefusal::NotInDevice),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Location::*;
    use MediumAction as A;
    use MediumState as S;

    #[test]
    fn state_names_are_the_api_names_and_read_back() {
        for state in MediumState::ALL {
            let json = serde_json::to_value(state).unwrap();
            assert_eq!(json, state.as_str(), "{state:?}");
            assert_eq!(MediumState::parse(state.as_str()), Some(state));
        }
        assert_eq!(MediumState::parse("shredded"), None);
    }

    #[test]
    fn action_names_are_the_api_names() {
        for action in MediumAction::ALL {
            assert_eq!(serde_json::to_value(action).unwrap(), action.as_str());
        }
    }

    #[test]
    fn every_state_location_and_action_has_the_documented_outcome() {
        for state in MediumState::ALL {
            for location in [InDevice, Loose] {
                for action in MediumAction::ALL {
                    for passed in [Some(true), Some(false), None] {
                        let got = transition(state, location, action, passed);
                        let want = match (state, location, action, passed) {
                            (S::Destroyed, _, _, _) => Err(MediumRefusal::NotAllowed {
                                from: state,
                                action,
                            }),
                            (_, _, A::RecordErasure, None) => {
                                Err(MediumRefusal::Missing { field: "outcome" })
                            }
                            (_, _, A::RecordErasure, Some(true)) => Ok((S::Sanitized, location)),
                            (_, _, A::RecordErasure, Some(false)) => {
                                Ok((S::SanitizationFailed, location))
                            }
                            (_, _, A::Destroy, _) => Ok((S::Destroyed, location)),
                            (_, Loose, A::Remove, _) => Err(MediumRefusal::NotInDevice),
                            (S::Present, InDevice, A::Remove, _) => Ok((S::Removed, Loose)),
                            (_, InDevice, A::Remove, _) => Ok((state, Loose)),
                            (_, InDevice, A::Reinstall, _) => Err(MediumRefusal::AlreadyInDevice),
                            (S::Sanitized, Loose, A::Reinstall, _) => Ok((S::Sanitized, InDevice)),
                            (_, Loose, A::Reinstall, _) => {
                                Err(MediumRefusal::NotSanitized { state })
                            }
                            (_, InDevice, A::DeviceReturned, _) => Ok((S::Present, InDevice)),
                            (_, Loose, A::DeviceReturned, _) => Err(MediumRefusal::NotInDevice),
                        };
                        assert_eq!(got, want, "{state:?} {location:?} {action:?} {passed:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn only_sanitized_and_destroyed_are_safe() {
        let safe: Vec<_> = MediumState::ALL
            .into_iter()
            .filter(|s| s.is_safe())
            .collect();
        assert_eq!(safe, vec![S::Sanitized, S::Destroyed]);
    }
}
