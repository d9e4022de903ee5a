//! The one error type of the HTTP API, and its `application/problem+json`
//! form (RFC 9457). The errors of the plumbing (validation, versions,
//! access, limits) are variants here, so their status is decided in one
//! `match`; a domain rule that says no is a [`Refusal`], typed and worded by
//! its own domain, which this floor carries without knowing it.

use std::any::Any;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::{DbErr, SqlErr};
use serde::Serialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use crate::i18n::Language;

/// One invalid field of a request, named by its JSON path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem, e.g. `/problems/stale-version`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Present on validation problems: one entry per invalid field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Members particular to the problem, e.g. `current_version` or `blocking_media`.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub extra: Map<String, Value>,
}

/// A domain rule that said no. Each domain types its own refusals and says,
/// once, how each reads: to a program as a problem document, to a person on
/// a page in their language. This floor only carries them.
pub trait Refusal: Any + std::fmt::Debug + Send + Sync {
    /// `409 Conflict` unless the rule says otherwise.
    fn status(&self) -> StatusCode {
        StatusCode::CONFLICT
    }

    /// The problem document's type, title, English detail and members.
    fn problem(&self) -> Refused;

    /// The sentence a page shows, in the reader's language.
    fn explain(&self, lang: Language) -> String;
}

/// What a refusal tells a program: `/problems/{slug}`, its title, a detail
/// in English and the members a client acts on (`state`, `blocking_media`…).
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    pub slug: &'static str,
    pub title: &'static str,
    pub detail: String,
    pub members: Map<String, Value>,
}

impl Refused {
    pub fn new(slug: &'static str, title: &'static str, detail: impl Into<String>) -> Self {
        Self {
            slug,
            title,
            detail: detail.into(),
            members: Map::new(),
        }
    }

    /// One more member of the problem document.
    pub fn with(mut self, member: &str, value: impl Serialize) -> Self {
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        self.members.insert(member.to_owned(), value);
        self
    }
}

impl<R: Refusal> From<R> for AppError {
    fn from(refusal: R) -> Self {
        Self::Refused(Box::new(refusal))
    }
}

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

    /// The problem document sent to the client. Server errors say nothing of their cause.
    pub fn problem(&self) -> Problem {
        let status = self.status();
        let (slug, title, detail, errors, extra) = match self {
            Self::BadRequest(detail) => ("malformed-request", "Malformed request", detail.clone(), vec![], Map::new()),
            Self::Validation(errors) => (
                "validation",
                "Invalid fields",
                "One or more fields are invalid; see `errors`.".to_owned(),
                errors.clone(),
                Map::new(),
            ),
            Self::UnsupportedMediaType(detail) => {
                ("unsupported-media-type", "Unsupported media type", detail.clone(), vec![], Map::new())
            }
            Self::PayloadTooLarge => (
                "payload-too-large",
                "Request body too large",
                "The request body exceeds the size this endpoint accepts.".to_owned(),
                vec![],
                Map::new(),
            ),
            Self::Unauthenticated => (
                "unauthenticated",
                "Authentication required",
                "Send a valid API token as `Authorization: Bearer <token>`.".to_owned(),
                vec![],
                Map::new(),
            ),
            Self::WrongCredentials => (
                "wrong-credentials",
                "Wrong email or password",
                "The email or the password is wrong.".to_owned(),
                vec![],
                Map::new(),
            ),
            Self::Forbidden(detail) => ("forbidden", "Forbidden", detail.clone(), vec![], Map::new()),
            Self::NotFound => {
                ("not-found", "Not found", "No such resource, or not visible to you.".to_owned(), vec![], Map::new())
            }
            Self::UnknownRoute => (
                "unknown-route",
                "Unknown route",
                "No endpoint has this path; see /api/v1/openapi.json.".to_owned(),
                vec![],
                Map::new(),
            ),
            Self::MethodNotAllowed => (
                "method-not-allowed",
                "Method not allowed",
                "This resource does not accept that method.".to_owned(),
                vec![],
                Map::new(),
            ),
            Self::VersionRequired => (
                "version-required",
                "Expected version required",
                "State-changing requests carry the version they expect, as `expected_version` or `If-Match`."
                    .to_owned(),
                vec![],
                Map::new(),
            ),
            Self::StaleVersion { current } => {
                let mut extra = Map::new();
                extra.insert("current_version".into(), json!(current));
                (
                    "stale-version",
                    "Stale version",
                    format!("The resource changed since you read it; its current version is {current}."),
                    vec![],
                    extra,
                )
            }
            Self::Conflict(detail) => ("conflict", "Conflict", detail.clone(), vec![], Map::new()),
            Self::Refused(refusal) => {
                let Refused {
                    slug,
                    title,
                    detail,
                    members,
                } = refusal.problem();
                (slug, title, detail, vec![], members)
            }
            Self::TooManyAttempts { retry_after_secs } => {
                let mut extra = Map::new();
                extra.insert("retry_after".into(), json!(retry_after_secs));
                (
                    "too-many-attempts",
                    "Too many failed attempts",
                    format!("Too many failed sign-ins for this account; try again in {retry_after_secs} s."),
                    vec![],
                    extra,
                )
            }
            Self::IdempotencyMismatch => (
                "idempotency-key-reused",
                "Idempotency-Key reused",
                "This Idempotency-Key was first used for a different request.".to_owned(),
                vec![],
                Map::new(),
            ),
            Self::Unavailable(_) => (
                "unavailable",
                "Service unavailable",
                "The service cannot take this request right now; retry shortly.".to_owned(),
                vec![],
                Map::new(),
            ),
            Self::Internal(_) => (
                "internal",
                "Internal error",
                "Something went wrong on our side; it has been logged.".to_owned(),
                vec![],
                Map::new(),
            ),
        };
        Problem {
            kind: format!("/problems/{slug}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail,
            errors,
            extra,
        }
    }
}

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

/// Optimistic locking: a write expecting another version than the current one is stale.
pub fn check_version(current: i64, expected: i64) -> Result<(), AppError> {
    if current == expected {
        Ok(())
    } else {
        Err(AppError::StaleVersion { current })
    }
}

impl From<validator::ValidationErrors> for AppError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut fields = Vec::new();
        collect_validation_errors("", &errors, &mut fields);
        fields.sort_by(|a, b| a.field.cmp(&b.field));
        Self::Validation(fields)
    }
}

fn collect_validation_errors(
    prefix: &str,
    errors: &validator::ValidationErrors,
    out: &mut Vec<FieldError>,
) {
    use validator::ValidationErrorsKind as Kind;
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            Kind::Field(list) => out.extend(list.iter().map(|e| {
                let message = e
                    .message
                    .as_ref()
                    .map_or_else(|| default_message(&e.code), ToString::to_string);
                FieldError::new(path.clone(), message)
            })),
            Kind::Struct(inner) => collect_validation_errors(&path, inner, out),
            Kind::List(items) => {
                for (index, inner) in items {
                    collect_validation_errors(&format!("{path}[{index}]"), inner, out);
                }
            }
        }
    }
}

fn default_message(code: &str) -> String {
    match code {
        "length" => "has an invalid length".into(),
        "range" => "is out of range".into(),
        "email" => "is not a valid email address".into(),
        other => format!("is invalid ({other})"),
    }
}
