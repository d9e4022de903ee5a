//! When events happen: the system's time, or a time set by hand.
//!
//! A manual clock is how a test builds a world spread over past periods, and
//! how the scale generator writes years of history in minutes: the events
//! are stamped with the clock's time and chained as usual. It never goes
//! back, so the ledger's times stay in the order of its sequence.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Utc};

use super::chain;

#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// Microseconds since the epoch, when set by hand.
    manual: Option<Arc<AtomicI64>>,
}

impl Clock {
    /// The system's time.
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock that shows `at` until it is moved.
    pub fn manual(at: DateTime<Utc>) -> Self {
        Self {
            manual: Some(Arc::new(AtomicI64::new(at.timestamp_micros()))),
        }
    }

    /// Now, to the microsecond (what the chain stores).
    pub fn now(&self) -> DateTime<Utc> {
        match &self.manual {
            None => chain::truncate_to_micros(Utc::now()),
            Some(micros) => {
                DateTime::from_timestamp_micros(micros.load(Ordering::Acquire)).unwrap_or_default()
            }
        }
    }

    /// Moves a manual clock forward to `at`; earlier times, and the system
    /// clock, are left as they are. Returns whether the clock shows `at`.
    pub fn set(&self, at: DateTime<Utc>) -> bool {
        let Some(micros) = &self.manual else {
            return false;
        };
        let wanted = at.timestamp_micros();
        micros.fetch_max(wanted, Ordering::AcqRel) <= wanted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_forward_only() {
        let start: DateTime<Utc> = "2025-03-01T09:00:00Z".parse().unwrap();
        let clock = Clock::manual(start);
        assert_eq!(clock.now(), start);
        let later: DateTime<Utc> = "2025-06-01T09:00:00Z".parse().unwrap();
        assert!(clock.set(later));
        assert!(!clock.set(start), "never back");
        assert_eq!(clock.now(), later);
        assert!(!Clock::system().set(later));
        assert!(Clock::system().now() > later);
    }
}
