//! What can go wrong in the ledger itself. The application's error type
//! converts from it; a job's own refusals pass through the writer untouched.

use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database: {0}")]
    Database(#[from] DbErr),
    /// A retried request's `Idempotency-Key` came with another request.
    #[error("Idempotency-Key reused for a different request")]
    IdempotencyMismatch,
    /// The writer is gone, or its batch could not be committed.
    #[error("ledger unavailable: {0}")]
    Unavailable(String),
    #[error("ledger: {0}")]
    Internal(String),
}

impl Error {
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }
}
