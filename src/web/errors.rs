//! A browser never reads an API answer it did not ask for. Whatever went
//! wrong outside `/api/` — an unknown address, a method a link cannot use,
//! a query string that does not parse, an unknown certificate number — a
//! browser (it asks for `text/html`) gets the error page in the site's
//! layout and the reader's language, with the same status; a program keeps
//! the problem+json document the API promises.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use super::answer::ErrorPage;
use super::page;
use super::session::Session;
use crate::i18n::Language;
use crate::state::AppState;

/// Whether a request is a person's browser asking for a page.
fn wants_a_page(path: &str, headers: &HeaderMap) -> bool {
    !path.starts_with("/api/")
        && !path.starts_with("/static/")
        && headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
}

/// Whether an answer is already a page (or a file) rather than an error a
/// program would read.
fn is_a_page(response: &Response) -> bool {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return true;
    }
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"))
}

/// The sentence for a status, in the reader's language.
fn told(lang: Language, status: StatusCode) -> (String, String) {
    let (title, detail) = match status {
        StatusCode::NOT_FOUND => ("error.not_found", "error.not_found_detail"),
        StatusCode::METHOD_NOT_ALLOWED => ("error.invalid", "error.method_detail"),
        StatusCode::BAD_REQUEST => ("error.invalid", "error.bad_request_detail"),
        StatusCode::FORBIDDEN => ("error.forbidden", "problem.forbidden"),
        StatusCode::UNAUTHORIZED => ("error.forbidden", "problem.unauthenticated"),
        StatusCode::PAYLOAD_TOO_LARGE => ("error.invalid", "error.too_large_detail"),
        StatusCode::TOO_MANY_REQUESTS => ("error.invalid", "error.too_many_detail"),
        s if s.is_server_error() => ("error.server", "error.server_detail"),
        _ => ("error.invalid", "error.bad_request_detail"),
    };
    (lang.text(title).to_owned(), lang.text(detail).to_owned())
}

pub async fn as_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !wants_a_page(request.uri().path(), request.headers()) {
        return next.run(request).await;
    }
    let uri = request.uri().clone();
    let headers = request.headers().clone();
    let response = next.run(request).await;
    if is_a_page(&response) {
        return response;
    }
    let status = response.status();
    // The reader's session, if any: the page keeps their navigation and language.
    let mut parts = Request::builder()
        .uri(uri)
        .body(())
        .map(|r| r.into_parts().0)
        .unwrap_or_else(|_| Request::new(()).into_parts().0);
    parts.headers = headers;
    let session = Session::from_request_parts(&mut parts, &state).await.ok();
    let lang = session
        .as_ref()
        .map_or_else(|| Language::negotiate(&parts.headers), |s| s.language);
    let (title, detail) = told(lang, status);
    let mut shown = page(
        status,
        &ErrorPage {
            lang,
            signed_in: session.as_ref(),
            title,
            detail,
        },
    );
    // What the answer said of itself that a browser needs: when to retry.
    if let Some(retry) = response.headers().get(header::RETRY_AFTER) {
        shown
            .headers_mut()
            .insert(header::RETRY_AFTER, retry.clone());
    }
    if let Some(allow) = response.headers().get(header::ALLOW) {
        shown.headers_mut().insert(header::ALLOW, allow.clone());
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_browser_asking_for_a_page_outside_the_api_gets_one() {
        let browser = |accept: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT, accept.parse().unwrap());
            headers
        };
        let chromium = browser("text/html,application/xhtml+xml,*/*;q=0.8");
        assert!(wants_a_page("/nowhere", &chromium));
        assert!(wants_a_page("/verify/CERT-2026-000001", &chromium));
        assert!(!wants_a_page("/api/v1/nowhere", &chromium));
        assert!(!wants_a_page("/static/nothing.css", &chromium));
        assert!(!wants_a_page("/nowhere", &browser("application/json")));
        assert!(!wants_a_page("/nowhere", &HeaderMap::new()));
    }

    #[test]
    fn every_status_has_its_words_in_both_languages() {
        for status in [400, 401, 403, 404, 405, 409, 413, 422, 429, 500, 503] {
            let status = StatusCode::from_u16(status).unwrap();
            for lang in Language::ALL {
                let (title, detail) = told(lang, status);
                assert!(
                    !title.contains('.') || title.contains(' '),
                    "{status}: {title}"
                );
                assert!(
                    !detail.starts_with("error.") && !detail.starts_with("problem."),
                    "{status}: {detail}"
                );
            }
        }
    }
}
