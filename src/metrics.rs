//! What the instance does, counted for Prometheus (`/metrics`).
//!
//! One registry for the process: requests by route, the ledger writer's
//! batches and queue, events by kind, erasures by result, and the time
//! documents take. The counters live as long as the process, as Prometheus
//! expects (it computes rates from their growth, and notices restarts).
//!
//! `/metrics` answers an administrator's API token on the main address; a
//! Prometheus on the same host may instead read a second, local address
//! without a token (`RETRACE_METRICS_BIND`), which is never the public one.

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Registry, Unit};

use crate::error::AppError;
use crate::principal::{Permission, Principal};

type Labels<const N: usize> = [(&'static str, String); N];

/// Every series Retrace exports, registered once.
struct Metrics {
    registry: Registry,
    requests: Family<Labels<3>, Histogram>,
    events: Family<Labels<1>, Counter>,
    batch_jobs: Histogram,
    queue: Gauge,
    erasures: Family<Labels<1>, Counter>,
    documents: Family<Labels<1>, Histogram>,
}

/// Buckets from 100 µs to about 26 s, doubling.
fn seconds() -> Histogram {
    Histogram::new(exponential_buckets(0.000_1, 2.0, 19))
}

static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let mut registry = Registry::with_prefix("retrace");
    let requests = Family::<Labels<3>, Histogram>::new_with_constructor(seconds as fn() -> _);
    registry.register_with_unit(
        "http_request_duration",
        "HTTP requests by method, route template and status, from routing to the answer's headers",
        Unit::Seconds,
        requests.clone(),
    );
    let events = Family::<Labels<1>, Counter>::default();
    registry.register(
        "ledger_events",
        "Events durably appended to the ledger, by kind",
        events.clone(),
    );
    let batch_jobs = Histogram::new(exponential_buckets(1.0, 2.0, 10));
    registry.register(
        "ledger_batch_jobs",
        "Writes committed together by one durable commit of the ledger writer",
        batch_jobs.clone(),
    );
    let queue = Gauge::default();
    registry.register(
        "ledger_queue_depth",
        "Writes waiting for the ledger writer when its last batch began",
        queue.clone(),
    );
    let erasures = Family::<Labels<1>, Counter>::default();
    registry.register(
        "erasures",
        "Erasure and destruction records committed, by result",
        erasures.clone(),
    );
    let documents = Family::<Labels<1>, Histogram>::new_with_constructor(seconds as fn() -> _);
    registry.register_with_unit(
        "document_duration",
        "Time to read and lay out a document (certificate, statement, report, labels), by kind",
        Unit::Seconds,
        documents.clone(),
    );
    Metrics {
        registry,
        requests,
        events,
        batch_jobs,
        queue,
        erasures,
        documents,
    }
});

/// Times every request, by its route's template (`/api/v1/devices/{id}`,
/// never the path itself: the series stay as few as the routes).
pub async fn timed(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    METRICS
        .requests
        .get_or_create(&[("method", method), ("route", route), ("status", status)])
        .observe(started.elapsed().as_secs_f64());
    response
}

/// A batch of the ledger writer is durable: `jobs` writes committed
/// together, `waiting` more queued when it began, events of these `kinds`.
pub fn batch_committed<'k>(jobs: usize, waiting: usize, kinds: impl Iterator<Item = &'k str>) {
    METRICS.batch_jobs.observe(jobs as f64);
    METRICS
        .queue
        .set(i64::try_from(waiting).unwrap_or(i64::MAX));
    for kind in kinds {
        METRICS
            .events
            .get_or_create(&[("kind", kind.to_owned())])
            .inc();
    }
}

/// An erasure or destruction record with this result is durable.
pub fn erasure(result: &str) {
    METRICS
        .erasures
        .get_or_create(&[("result", result.to_owned())])
        .inc();
}

/// A document of `kind` took `elapsed` to read and lay out.
pub fn document(kind: &'static str, elapsed: Duration) {
    METRICS
        .documents
        .get_or_create(&[("kind", kind.to_owned())])
        .observe(elapsed.as_secs_f64());
}

/// The registry in Prometheus's text format.
fn exposition() -> Result<String, AppError> {
    let mut text = String::new();
    encode(&mut text, &METRICS.registry).map_err(AppError::internal)?;
    Ok(text)
}

fn answer(text: String) -> Response {
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        text,
    )
        .into_response()
}

/// `GET /metrics` on the main address: an administrator's API token.
pub async fn handler(principal: Principal) -> Result<Response, AppError> {
    principal.require(Permission::ReadOperations)?;
    Ok(answer(exposition()?))
}

/// `GET /metrics` on the local metrics address, which only this host reaches.
pub async fn local() -> Result<Response, AppError> {
    Ok(answer(exposition()?))
}
