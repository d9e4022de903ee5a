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
pub fn is_public(path: &str) -> bool {
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
mod tests;
