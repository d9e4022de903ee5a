//! A write in one line. Every change goes through the ledger writer as a
//! job; here a route, a page or a command hands it the service call and gets
//! the service's own typed answer back:
//!
//! ```ignore
//! let device = state
//!     .write(&principal, key, move |tx, who| Box::pin(service::register(tx, who, new)))
//!     .await?;
//! Ok((StatusCode::CREATED, device))
//! ```
//!
//! (`Box::pin` because the job runs on the writer's own thread: its future
//! must be `Send`, which stable Rust cannot yet ask of an async closure.)
//!
//! The job is given the transaction and the principal it runs as; the HTTP
//! status is the route's to choose. A request retried with the same
//! idempotency key is answered with what the first one answered, as kept
//! ([`Written::Replayed`]).

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::future::BoxFuture;
use serde::Serialize;
use serde_json::Value;
use tracing::Instrument;

use crate::error::AppError;
use crate::extract::AppJson;
use crate::ids::UserId;
use crate::ledger::writer::Idempotency;
use crate::ledger::{Outcome, Reply};
use crate::principal::Principal;
use crate::state::{AppState, Tx};

/// What a write answers.
#[derive(Debug)]
pub enum Written<T> {
    /// The service's answer to this request.
    Fresh(T),
    /// The answer kept from the first request with this idempotency key.
    Replayed(Value),
}

impl<T> Written<T> {
    /// The service's answer; a replay has none (only writes with an
    /// idempotency key are replayed, and pages and commands send none).
    pub fn fresh(self) -> Result<T, AppError> {
        match self {
            Self::Fresh(answer) => Ok(answer),
            Self::Replayed(_) => Err(AppError::internal("a write without a key was replayed")),
        }
    }
}

/// A write's answer as JSON, with the status the route chose; a replay
/// says so in `Idempotent-Replayed`.
impl<T: Serialize> IntoResponse for Written<T> {
    fn into_response(self) -> Response {
        match self {
            Self::Fresh(answer) => AppJson(answer).into_response(),
            Self::Replayed(kept) => {
                let mut response = AppJson(kept).into_response();
                response
                    .headers_mut()
                    .insert("idempotent-replayed", HeaderValue::from_static("true"));
                response
            }
        }
    }
}

/// `201 Created` and the answer.
pub fn created<T: Serialize>(written: Written<T>) -> (StatusCode, Written<T>) {
    (StatusCode::CREATED, written)
}

impl AppState {
    /// Runs `job` in the ledger writer as `principal`; its answer is kept for
    /// a retry with the same `idempotency` key.
    pub async fn write<T, F>(
        &self,
        principal: &Principal,
        idempotency: Option<Idempotency>,
        job: F,
    ) -> Result<Written<T>, AppError>
    where
        T: Serialize + Send + 'static,
        F: for<'t> FnOnce(&'t mut Tx, &'t Principal) -> BoxFuture<'t, Result<T, AppError>>
            + Send
            + 'static,
    {
        self.write_reply(principal, idempotency, move |tx, who| {
            Box::pin(async move { Reply::new(job(tx, who).await?) })
        })
        .await
    }

    /// [`AppState::write`] for an answer that must not be stored (a
    /// credential shown once, a person's name): a retry is answered with
    /// what `kept` makes of it instead.
    pub async fn write_withholding<T, K, F>(
        &self,
        principal: &Principal,
        idempotency: Option<Idempotency>,
        job: F,
        kept: fn(&T) -> K,
    ) -> Result<Written<T>, AppError>
    where
        T: Send + 'static,
        K: Serialize + 'static,
        F: for<'t> FnOnce(&'t mut Tx, &'t Principal) -> BoxFuture<'t, Result<T, AppError>>
            + Send
            + 'static,
    {
        self.write_reply(principal, idempotency, move |tx, who| {
            Box::pin(async move {
                let answer = job(tx, who).await?;
                let withheld = kept(&answer);
                Reply::withholding(answer, withheld)
            })
        })
        .await
    }

    /// A write with no idempotency key (a page's form, a command): its answer.
    pub async fn write_now<T, F>(&self, principal: &Principal, job: F) -> Result<T, AppError>
    where
        T: Serialize + Send + 'static,
        F: for<'t> FnOnce(&'t mut Tx, &'t Principal) -> BoxFuture<'t, Result<T, AppError>>
            + Send
            + 'static,
    {
        self.write(principal, None, job).await?.fresh()
    }

    /// A write recorded as `user`'s before any principal exists: the one
    /// that opens a session after a password was checked.
    pub async fn write_as<T, F>(&self, user: UserId, job: F) -> Result<T, AppError>
    where
        T: Serialize + Send + 'static,
        F: for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Result<T, AppError>> + Send + 'static,
    {
        let request = tracing::Span::current();
        let outcome = self
            .ledger
            .submit(Some(user), None, move |tx| {
                Box::pin(async move { Reply::new(job(tx).await?) }.instrument(request))
            })
            .await?;
        answer(outcome)?.fresh()
    }

    async fn write_reply<T, F>(
        &self,
        principal: &Principal,
        idempotency: Option<Idempotency>,
        job: F,
    ) -> Result<Written<T>, AppError>
    where
        T: Send + 'static,
        F: for<'t> FnOnce(&'t mut Tx, &'t Principal) -> BoxFuture<'t, Result<Reply, AppError>>
            + Send
            + 'static,
    {
        let who = principal.clone();
        // The job runs on the writer's task: under the request's span still,
        // so that its service's span and the batch's are followed from it.
        let request = tracing::Span::current();
        let outcome = self
            .ledger
            .submit(principal.actor(), idempotency, move |tx| {
                Box::pin(async move { job(tx, &who).await }.instrument(request))
            })
            .await?;
        answer(outcome)
    }
}

/// The writer's outcome as the job's typed answer, or the kept one.
fn answer<T: 'static>(outcome: Outcome) -> Result<Written<T>, AppError> {
    if outcome.replayed {
        return Ok(Written::Replayed(outcome.reply.kept()?));
    }
    outcome
        .reply
        .answer()
        .map(Written::Fresh)
        .ok_or_else(|| AppError::internal("a write answered with another type"))
}
