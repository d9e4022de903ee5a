//! The principals of the last few seconds, by their secret's digest.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::Principal;

/// Principals recently proven by a secret (an API token, a session
/// cookie), by the secret's digest: a busy scanner or script costs no
/// database lookup per request. An entry lives [`RecentPrincipals::TTL`];
/// revoking a token or changing a user clears this process's cache at once
/// (another process sharing the database sees the change within the TTL).
pub struct RecentPrincipals {
    entries: RwLock<HashMap<String, Cached>>,
}

struct Cached {
    principal: Principal,
    expires_at: DateTime<Utc>,
    fetched: Instant,
}

impl Default for RecentPrincipals {
    fn default() -> Self {
        Self {
            entries: RwLock::new(HashMap::new()),
        }
    }
}

impl RecentPrincipals {
    pub const TTL: Duration = Duration::from_secs(5);
    /// Past this many secrets the cache starts afresh rather than grow.
    const CAPACITY: usize = 10_000;

    /// The principal proven by the secret of this digest, and until when the
    /// secret holds, if proven less than [`Self::TTL`] ago.
    pub fn get(&self, digest: &str) -> Option<(Principal, DateTime<Utc>)> {
        let entries = self.entries.read().ok()?;
        entries
            .get(digest)
            .filter(|c| c.fetched.elapsed() < Self::TTL)
            .map(|c| (c.principal.clone(), c.expires_at))
    }

    pub fn put(&self, digest: String, principal: Principal, expires_at: DateTime<Utc>) {
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= Self::CAPACITY {
                entries.clear();
            }
            entries.insert(
                digest,
                Cached {
                    principal,
                    expires_at,
                    fetched: Instant::now(),
                },
            );
        }
    }

    /// Forgets every cached secret: after a revocation or a change to a user.
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
        }
    }
}
