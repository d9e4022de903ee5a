//! An error as an HTTP answer, and the errors of the layers below read as
//! one.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use sea_orm::{DbErr, SqlErr};

use super::AppError;

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut response = (status, axum::Json(self.problem())).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Self::TooManyAttempts { retry_after_secs } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        if matches!(self, Self::Unauthenticated) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                Self::Conflict("a record with this value already exists".into())
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
                Self::Conflict("a referenced record does not exist".into())
            }
            _ => match err {
                DbErr::RecordNotFound(_) => Self::NotFound,
                other => Self::Internal(other.to_string()),
            },
        }
    }
}

impl From<crate::ledger::Error> for AppError {
    fn from(err: crate::ledger::Error) -> Self {
        use crate::ledger::Error;
        match err {
            Error::Database(err) => err.into(),
            Error::IdempotencyMismatch => Self::IdempotencyMismatch,
            Error::Unavailable(why) => Self::Unavailable(why),
            Error::Internal(why) => Self::Internal(why),
        }
    }
}
