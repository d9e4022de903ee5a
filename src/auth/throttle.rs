//! Slowing down password guessing: after a few failed sign-ins for one email,
//! each further attempt must wait twice as long as the one before (up to 15
//! minutes), and is refused unread until then. Kept in memory: a restart
//! forgives, which is fine for a deterrent that works in seconds.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed before any waiting.
const FREE_ATTEMPTS: u32 = 3;
const LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);
/// Past this many tracked emails, entries older than the longest wait are dropped.
const CAPACITY: usize = 100_000;

#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, Failures>>,
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

fn wait_after(count: u32) -> Duration {
    if count < FREE_ATTEMPTS {
        return Duration::ZERO;
    }
    let exponent = (count - FREE_ATTEMPTS).min(20);
    Duration::from_secs(1u64 << exponent).min(LONGEST_WAIT)
}

impl LoginThrottle {
    /// How long `who` must still wait before an attempt is even checked.
    pub fn wait_for(&self, who: &str) -> Option<Duration> {
        self.wait_at(who, Instant::now())
    }

    fn wait_at(&self, who: &str, now: Instant) -> Option<Duration> {
        let failures = self.failures.lock().ok()?;
        let entry = failures.get(who)?;
        let ready_at = entry.last + wait_after(entry.count);
        (ready_at > now).then(|| ready_at - now)
    }

    pub fn failed(&self, who: &str) {
        self.failed_at(who, Instant::now());
    }

    fn failed_at(&self, who: &str, now: Instant) {
        if let Ok(mut failures) = self.failures.lock() {
            if failures.len() >= CAPACITY {
                failures.retain(|_, f| now.duration_since(f.last) < LONGEST_WAIT);
            }
            let entry = failures.entry(who.to_owned()).or_insert(Failures {
                count: 0,
                last: now,
            });
            entry.count = entry.count.saturating_add(1);
            entry.last = now;
        }
    }

    pub fn succeeded(&self, who: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(who);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_failures_are_free_then_waits_double_up_to_a_ceiling() {
        let waits: Vec<u64> = (0..16).map(|n| wait_after(n).as_secs()).collect();
        assert_eq!(&waits[..8], &[0, 0, 0, 1, 2, 4, 8, 16]);
        assert_eq!(wait_after(40), LONGEST_WAIT);
    }

    #[test]
    fn an_email_waits_after_repeated_failures_and_is_forgiven_on_success() {
        let throttle = LoginThrottle::default();
        let start = Instant::now();
        for _ in 0..FREE_ATTEMPTS {
            assert_eq!(throttle.wait_at("a@x", start), None);
            throttle.failed_at("a@x", start);
        }
        assert_eq!(throttle.wait_at("a@x", start), Some(Duration::from_secs(1)));
        assert_eq!(
            throttle.wait_at("a@x", start + Duration::from_secs(1)),
            None
        );
        assert_eq!(
            throttle.wait_at("b@x", start),
            None,
            "others are not affected"
        );
        throttle.succeeded("a@x");
        assert_eq!(throttle.wait_at("a@x", start), None);
    }
}
