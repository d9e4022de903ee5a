//! The headers every answer carries, set once for the whole application:
//! what a browser on a shared workshop PC, or a page framing Retrace, may do
//! with it (docs/SECURITY.md).

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// Scripts, styles and images from Retrace itself only (no inline code:
/// the pages have none), forms posting back to it, and no framing — a
/// one-click form such as "erase personal data" cannot be put in a frame.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// Served over https (the public URL says so): browsers are told to keep to it.
#[derive(Debug, Clone, Copy)]
pub struct Https(pub bool);

/// Adds the security headers to every answer, and `Cache-Control: no-store`
/// to every answer that does not say how it may be cached (pages, PDFs and
/// CSVs can hold names; only the static assets say otherwise).
pub async fn secure(State(https): State<Https>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // The donor portal's secret is in its URL: it must not leave in a Referer.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if https.0 {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}
