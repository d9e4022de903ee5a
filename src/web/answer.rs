//! What a page answers when its work fails: the error page in the reader's
//! language, or, for a form a person got wrong, the form's page again with
//! the refusal beside it. Handlers say which in one call
//! ([`Session::answer`], [`Session::page`]); showing a form again needs its
//! page read anew, an async step that an error type's `IntoResponse` could
//! not take.

use std::future::Future;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::{page, problems, session::Session};
use crate::error::AppError;
use crate::i18n::Language;

/// A short page for what went wrong, in the reader's language.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub lang: Language,
    pub signed_in: Option<&'a Session>,
    pub title: String,
    pub detail: String,
}

/// Turns an application error into a page a person can read.
pub fn error_page(lang: Language, signed_in: Option<&Session>, error: &AppError) -> Response {
    let status = error.status();
    let title = match status {
        StatusCode::NOT_FOUND => lang.text("error.not_found").to_owned(),
        StatusCode::FORBIDDEN => lang.text("error.forbidden").to_owned(),
        StatusCode::CONFLICT => lang.text("error.conflict").to_owned(),
        s if s.is_server_error() => lang.text("error.server").to_owned(),
        _ => lang.text("error.invalid").to_owned(),
    };
    let detail = if status.is_server_error() {
        tracing::error!(error = %error, "page failed");
        String::new()
    } else {
        problems::explain(lang, error)
    };
    page(
        status,
        &ErrorPage {
            lang,
            signed_in,
            title,
            detail,
        },
    )
}

impl Session {
    /// The page `shown` answers, or the error page in the reader's language.
    pub fn page(&self, shown: Result<impl IntoResponse, AppError>) -> Response {
        match shown {
            Ok(response) => response.into_response(),
            Err(err) => error_page(self.language, Some(self), &err),
        }
    }

    /// The answer to a form: what `work` answers once done. A person's
    /// mistake (any 4xx but a 404) shows the form's page again through
    /// `again`, with the refusal in the reader's words and its status (403
    /// for a role or a stale form, 409 for a conflict, 422 for a field);
    /// anything else is the error page.
    pub async fn answer<F, Fut>(
        &self,
        work: impl Future<Output = Result<impl IntoResponse, AppError>>,
        again: F,
    ) -> Response
    where
        F: FnOnce(String) -> Fut,
        Fut: Future<Output = Result<Response, AppError>>,
    {
        let err = match work.await {
            Ok(done) => return done.into_response(),
            Err(err) => err,
        };
        let status = err.status();
        if !status.is_client_error() || status == StatusCode::NOT_FOUND {
            return error_page(self.language, Some(self), &err);
        }
        match again(problems::explain(self.language, &err)).await {
            Ok(mut page) => {
                *page.status_mut() = status;
                page
            }
            Err(again) => error_page(self.language, Some(self), &again),
        }
    }
}
