//! Rate limits. Here, the one on the pages anyone may open without signing
//! in: a certificate's verification, the donor portal, a label's public
//! card. One client (its address) gets [`PER_MINUTE`] of them a minute; past
//! that, `429` with `Retry-After`. Signed-in people are not counted: a
//! technician scanning a shelf opens `/d/{tag}` all day. Failed sign-ins
//! have their own limit ([`sign_ins`]).

pub mod sign_ins;

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use std::sync::Arc;

use crate::error::AppError;

/// Public pages a client may open in a minute.
pub const PER_MINUTE: usize = 300;
const WINDOW: Duration = Duration::from_secs(60);
/// Past this many tracked clients, the idle ones are dropped.
const CAPACITY: usize = 100_000;

/// The paths anyone may open without signing in.
fn is_public(path: &str) -> bool {
    ["/verify/", "/portal/", "/api/v1/portal/", "/d/"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
}

/// A sliding window of the times something happened: drops those past
/// `window`, and answers how long until the oldest leaves it if `limit` are
/// still in it. The sign-in limits ([`sign_ins`]) count with it too.
pub fn window_wait(
    times: &mut VecDeque<Instant>,
    limit: usize,
    window: Duration,
    now: Instant,
) -> Option<Duration> {
    while times
        .front()
        .is_some_and(|t| now.duration_since(*t) >= window)
    {
        times.pop_front();
    }
    (times.len() >= limit).then(|| window - now.duration_since(times[0]))
}

#[derive(Debug, Default)]
pub struct PublicPages {
    seen: Mutex<HashMap<Option<IpAddr>, VecDeque<Instant>>>,
}

impl PublicPages {
    /// Counts one opening by `client`; how long it must wait if it is past the limit.
    fn take(&self, client: Option<IpAddr>, now: Instant) -> Option<Duration> {
        let mut seen = self.seen.lock().ok()?;
        if seen.len() >= CAPACITY {
            seen.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < WINDOW)
            });
        }
        let times = seen.entry(client).or_default();
        if let Some(wait) = window_wait(times, PER_MINUTE, WINDOW, now) {
            return Some(wait);
        }
        times.push_back(now);
        None
    }
}

/// The middleware, holding the counts of the application's public pages.
pub async fn public(
    State(pages): State<Arc<PublicPages>>,
    request: Request,
    next: Next,
) -> Response {
    let signed_in = request.headers().contains_key(header::AUTHORIZATION)
        || request
            .headers()
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.contains("retrace_session="));
    if !signed_in && is_public(request.uri().path()) {
        let client = request
            .extensions()
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0.ip());
        if let Some(wait) = pages.take(client, Instant::now()) {
            return AppError::TooManyAttempts {
                retry_after_secs: wait.as_secs().max(1),
            }
            .into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_opens_so_many_public_pages_a_minute_and_others_are_not_held_up() {
        let pages = PublicPages::default();
        let here = Some(IpAddr::from([192, 0, 2, 1]));
        let start = Instant::now();
        for _ in 0..PER_MINUTE {
            assert_eq!(pages.take(here, start), None);
        }
        assert!(pages.take(here, start).is_some());
        assert_eq!(pages.take(Some(IpAddr::from([192, 0, 2, 2])), start), None);
        assert_eq!(pages.take(here, start + WINDOW), None);
    }

    #[test]
    fn only_the_pages_without_sign_in_are_public() {
        for path in [
            "/verify/BRE-2026-0001",
            "/portal/rp_x",
            "/api/v1/portal/rp_x",
            "/d/BRE-000001-K",
        ] {
            assert!(is_public(path), "{path}");
        }
        for path in [
            "/scan",
            "/api/v1/devices",
            "/login",
            "/api/v1/portal-links/x/revoke",
        ] {
            assert!(!is_public(path), "{path}");
        }
    }
}
