//! Slowing down password guessing, without letting anyone lock a person out.
//!
//! - After a few failed sign-ins for one e-mail *from one client* (its
//!   address), each further attempt from there waits twice as long as the
//!   one before (up to 15 minutes), refused unread until then. Failures
//!   from elsewhere do not make the person wait: a chosen account cannot be
//!   locked out from another machine.
//! - One client gets [`PER_CLIENT`] attempts a minute, whatever the e-mails
//!   (forty e-mails tried from one machine are forty attempts), and the whole
//!   instance [`GLOBAL`] a minute: each attempt costs an Argon2 hash.
//!
//! Kept in memory: a restart forgives, which is fine for a deterrent that
//! works in seconds and minutes.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed before any waiting.
const FREE_ATTEMPTS: u32 = 3;
const LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);
/// Past this many tracked entries, those older than the longest wait are dropped.
const CAPACITY: usize = 100_000;
/// Sign-in attempts a client may make in a minute.
pub const PER_CLIENT: usize = 20;
/// Sign-in attempts the instance takes in a minute, from everyone.
pub const GLOBAL: usize = 300;
const WINDOW: Duration = Duration::from_secs(60);

/// Who is trying: the client's address (`None` when unknown, as for the
/// command line or a test), and the e-mail tried.
type Key = (Option<IpAddr>, String);

#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<Key, Failures>>,
    attempts: Mutex<Attempts>,
}

#[derive(Debug, Default)]
struct Attempts {
    by_client: HashMap<Option<IpAddr>, VecDeque<Instant>>,
    all: VecDeque<Instant>,
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
    /// How long `client` must still wait before an attempt for `email` is
    /// even checked; `None` when it may be checked now, which counts it.
    pub fn wait_for(&self, client: Option<IpAddr>, email: &str) -> Option<Duration> {
        self.wait_at(client, email, Instant::now())
    }

    fn wait_at(&self, client: Option<IpAddr>, email: &str, now: Instant) -> Option<Duration> {
        if let Ok(failures) = self.failures.lock()
            && let Some(entry) = failures.get(&(client, email.to_owned()))
        {
            let ready_at = entry.last + wait_after(entry.count);
            if ready_at > now {
                return Some(ready_at - now);
            }
        }
        let mut attempts = self.attempts.lock().ok()?;
        if let Some(wait) = super::window_wait(&mut attempts.all, GLOBAL, WINDOW, now) {
            return Some(wait);
        }
        if attempts.by_client.len() >= CAPACITY {
            attempts.by_client.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < WINDOW)
            });
        }
        let mine = attempts.by_client.entry(client).or_default();
        if let Some(wait) = super::window_wait(mine, PER_CLIENT, WINDOW, now) {
            return Some(wait);
        }
        mine.push_back(now);
        attempts.all.push_back(now);
        None
    }

    pub fn failed(&self, client: Option<IpAddr>, email: &str) {
        self.failed_at(client, email, Instant::now());
    }

    fn failed_at(&self, client: Option<IpAddr>, email: &str, now: Instant) {
        if let Ok(mut failures) = self.failures.lock() {
            if failures.len() >= CAPACITY {
                failures.retain(|_, f| now.duration_since(f.last) < LONGEST_WAIT);
            }
            let entry = failures
                .entry((client, email.to_owned()))
                .or_insert(Failures {
                    count: 0,
                    last: now,
                });
            entry.count = entry.count.saturating_add(1);
            entry.last = now;
        }
    }

    pub fn succeeded(&self, client: Option<IpAddr>, email: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&(client, email.to_owned()));
        }
    }
}

#[cfg(test)]
mod tests;
