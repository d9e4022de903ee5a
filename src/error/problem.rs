//! The problem document (RFC 9457) an error answers with: what a client
//! reads to know what went wrong and which field to fix.

use serde::Serialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use super::{AppError, Refused};

/// One invalid field of a request, named by its JSON path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
    /// The check the field failed, when it is one of the request's declared
    /// bounds or formats (`length`, `range`, `email`, `regex`…) or a named
    /// format of its own (`siret`, `locale`…); absent when a rule about other
    /// records refused it (an id naming nothing, `to` before `from`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
            code: None,
        }
    }

    /// The same error, naming the check it failed.
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
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

impl AppError {
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
