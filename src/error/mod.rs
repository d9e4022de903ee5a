//! The one error type of the HTTP API, and its `application/problem+json`
//! form (RFC 9457). The errors of the plumbing (validation, versions,
//! access, limits) are variants here, so their status is decided in one
//! `match`; a domain rule that says no is a [`Refusal`], typed and worded by
//! its own domain, which this floor carries without knowing it.

mod problem;
mod refusal;
mod response;
mod validation;

use std::any::Any;

use axum::http::StatusCode;

pub use problem::{FieldError, Problem};
pub use refusal::{Refusal, Refused};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("malformed request: {0}")]
    BadRequest(String),
    #[error("invalid fields")]
    Validation(Vec<FieldError>),
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("authentication required")]
    Unauthenticated,
    #[error("wrong email or password")]
    WrongCredentials,
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    /// No route matches the path: a client bug rather than a missing record.
    #[error("unknown route")]
    UnknownRoute,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("the request must state the version it expects")]
    VersionRequired,
    #[error("stale version: current is {current}")]
    StaleVersion { current: i64 },
    #[error("conflict: {0}")]
    Conflict(String),
    /// A domain rule refused the request (illegal transition, erasure gate…).
    #[error("refused: {0:?}")]
    Refused(Box<dyn Refusal>),
    /// Too many failed sign-ins: wait this many seconds.
    #[error("too many attempts")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error("Idempotency-Key reused for a different request")]
    IdempotencyMismatch,
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }

    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    /// A field outside a bound its schema states, named by the check's code
    /// as the validator names it (`range`, `length`).
    pub fn bound(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message).with_code(code)])
    }

    /// The domain refusal of type `R` this error carries, if it is one.
    pub fn refusal<R: Refusal>(&self) -> Option<&R> {
        match self {
            Self::Refused(refusal) => (&**refusal as &dyn Any).downcast_ref(),
            _ => None,
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Validation(_) | Self::IdempotencyMismatch => StatusCode::UNPROCESSABLE_ENTITY,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unauthenticated | Self::WrongCredentials => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound | Self::UnknownRoute => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::VersionRequired => StatusCode::PRECONDITION_REQUIRED,
            Self::StaleVersion { .. } | Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Refused(refusal) => refusal.status(),
            Self::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// Optimistic locking: a write expecting another version than the current one is stale.
pub fn check_version(current: i64, expected: i64) -> Result<(), AppError> {
    if current == expected {
        Ok(())
    } else {
        Err(AppError::StaleVersion { current })
    }
}
