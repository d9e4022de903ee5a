//! The one error type of the HTTP API, and its `application/problem+json`
//! form (RFC 9457). Every refusal a client can meet is a variant here, so its
//! status code is decided in exactly one `match`. The domains' own refusals
//! ([`Refusal`]) are typed by the domain; how each reads as a problem
//! document is decided here too, and the web pages word them from the same
//! types (`web::problems`).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::{DbErr, SqlErr};
use serde::Serialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use crate::asset_list::{Issue, Severity};
use crate::devices::lifecycle::{Action, DeviceState, Refusal as DeviceRefusal};
use crate::media::lifecycle::{MediumAction, MediumRefusal, MediumState};

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

/// A domain rule that said no, as its domain typed it.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// A device's lifecycle refused an action (what it allows now is listed).
    Device {
        why: DeviceRefusal,
        state: DeviceState,
        action: Action,
        allowed: Vec<Action>,
    },
    /// A medium's lifecycle refused an action.
    Medium {
        why: MediumRefusal,
        state: MediumState,
        action: MediumAction,
    },
    /// A certificate for devices not yet past erasure: their tags and states.
    NotPastErasure {
        blocking: Vec<(String, DeviceState)>,
    },
    /// An nwipe log of a run that only verified: nothing was erased.
    VerificationOnly { method: String },
    /// A donor's asset list with errors, by line: nothing was imported.
    AssetListInvalid { issues: Vec<Issue> },
    /// A scanned code that matches nothing the user may see.
    UnknownCode { code: String },
    /// The records a document was being made from changed meanwhile, again and again.
    RecordsMoved,
    /// Another site already has this code.
    SiteCodeTaken { code: String },
    /// Another account already has this email.
    EmailTaken { email: String },
    /// Another device of the lot, or medium of the device, has this serial number.
    SerialTaken { serial: String, asset_tag: String },
    /// A dismantled, recycled or lost device takes no new media and no audit.
    DeviceClosed {
        asset_tag: String,
        state: DeviceState,
    },
    /// A destroyed medium has nothing left to erase.
    MediumDestroyed { asset_tag: String },
    /// This nwipe log (by its SHA-256) was imported already.
    LogAlreadyImported,
    /// A certificate of this subject exists: a correction is a revision of it.
    AlreadyIssued { number: String },
    /// A site has one stock audit open at a time.
    AuditOpen { id: uuid::Uuid },
    /// A closed stock audit takes no more scans.
    AuditClosed,
    /// An allocation not in a state for this step (`action`: deliver, release, …).
    AllocationState {
        state: crate::allocations::AllocationState,
        action: &'static str,
    },
    /// The device is held under another allocation.
    ReservedForAnother {
        allocation_id: uuid::Uuid,
        beneficiary_reference: String,
    },
    /// The handover form was signed already.
    AlreadyAccepted,
    /// A device or medium that left in a waste shipment already.
    AlreadyShipped { asset_tag: String },
    /// A loose medium shipped or reused before it is sanitized or destroyed.
    MediumNotSanitized {
        asset_tag: String,
        state: MediumState,
    },
    /// An asset tag whose check character fails, and the tags one typo away.
    MistypedTag {
        code: String,
        suggestions: Vec<Value>,
    },
}

impl Refusal {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Device { .. }
            | Self::Medium { .. }
            | Self::NotPastErasure { .. }
            | Self::RecordsMoved
            | Self::SiteCodeTaken { .. }
            | Self::EmailTaken { .. }
            | Self::SerialTaken { .. }
            | Self::DeviceClosed { .. }
            | Self::MediumDestroyed { .. }
            | Self::LogAlreadyImported
            | Self::AlreadyIssued { .. }
            | Self::AuditOpen { .. }
            | Self::AuditClosed
            | Self::AllocationState { .. }
            | Self::ReservedForAnother { .. }
            | Self::AlreadyAccepted
            | Self::AlreadyShipped { .. }
            | Self::MediumNotSanitized { .. } => StatusCode::CONFLICT,
            Self::VerificationOnly { .. } | Self::AssetListInvalid { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Self::UnknownCode { .. } | Self::MistypedTag { .. } => StatusCode::NOT_FOUND,
        }
    }

    /// The problem's slug, title, detail and members.
    fn problem(&self) -> (&'static str, &'static str, String, Map<String, Value>) {
        let members = |pairs: Vec<(&str, Value)>| -> Map<String, Value> {
            pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
        };
        match self {
            Self::Device {
                why,
                state,
                action,
                allowed,
            } => {
                let allowed: Vec<&str> = allowed.iter().map(|a| a.as_str()).collect();
                match why {
                    DeviceRefusal::NotAllowed { from, action } => (
                        "transition-not-allowed",
                        "Transition not allowed",
                        format!("A device in state `{}` cannot `{}`.", from.as_str(), action.as_str()),
                        members(vec![("state", json!(from)), ("action", json!(action)), ("allowed_actions", json!(allowed))]),
                    ),
                    DeviceRefusal::Terminal { state } => (
                        "terminal-state",
                        "Device is in a terminal state",
                        format!("A device in state `{}` takes no more events except an admin's correction.", state.as_str()),
                        members(vec![("state", json!(state)), ("action", json!(action))]),
                    ),
                    DeviceRefusal::MediaNotSanitized { blocking } => (
                        "media-not-sanitized",
                        "Storage media not sanitized",
                        format!(
                            "{} storage medium(s) in this device must be sanitized or destroyed first: {}.",
                            blocking.len(),
                            blocking.iter().map(|m| m.asset_tag.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                        members(vec![(
                            "blocking_media",
                            json!(blocking
                                .iter()
                                .map(|m| json!({"id": m.id, "asset_tag": m.asset_tag, "serial_number": m.serial_number, "state": m.state}))
                                .collect::<Vec<_>>()),
                        )]),
                    ),
                    DeviceRefusal::HasMedia { count } => (
                        "device-has-media",
                        "Device has storage media",
                        format!("This device has {count} storage medium(s) on record: they must be sanitized, not skipped."),
                        members(vec![("media_count", json!(count))]),
                    ),
                    // Missing fields and a failed checklist are validation problems, made by
                    // the devices service; as a refusal they still read sensibly.
                    DeviceRefusal::Missing { .. } | DeviceRefusal::QcFailed { .. } => (
                        "transition-not-allowed",
                        "Transition not allowed",
                        format!("A device in state `{}` cannot `{}` yet.", state.as_str(), action.as_str()),
                        members(vec![("state", json!(state)), ("action", json!(action))]),
                    ),
                }
            }
            Self::Medium { why, state, action } => {
                let base = vec![("state", json!(state)), ("action", json!(action))];
                match why {
                    MediumRefusal::NotAllowed { from, action } => (
                        "transition-not-allowed",
                        "Transition not allowed",
                        format!(
                            "A medium in state `{}` cannot `{}`.",
                            from.as_str(),
                            action.as_str()
                        ),
                        members(base),
                    ),
                    MediumRefusal::NotInDevice => (
                        "medium-not-in-device",
                        "Medium not in a device",
                        "This medium is not in a device.".into(),
                        members(base),
                    ),
                    MediumRefusal::AlreadyInDevice => (
                        "medium-in-device",
                        "Medium already in a device",
                        "Remove the medium before putting it in another device.".into(),
                        members(base),
                    ),
                    MediumRefusal::NotSanitized { state } => (
                        "media-not-sanitized",
                        "Storage medium not sanitized",
                        format!(
                            "A medium goes back into a device only once sanitized; this one is `{}`.",
                            state.as_str()
                        ),
                        members(base),
                    ),
                    MediumRefusal::Missing { field } => (
                        "transition-not-allowed",
                        "Transition not allowed",
                        format!("`{field}` is required to `{}` a medium.", action.as_str()),
                        members(base),
                    ),
                }
            }
            Self::NotPastErasure { blocking } => (
                "not-past-erasure",
                "Devices not past erasure",
                format!(
                    "{} device(s) must be sanitized (or further) first: {}{}.",
                    blocking.len(),
                    blocking
                        .iter()
                        .take(10)
                        .map(|(tag, _)| tag.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    if blocking.len() > 10 {
                        " … (all in `blocking_devices`)"
                    } else {
                        ""
                    }
                ),
                members(vec![(
                    "blocking_devices",
                    json!(
                        blocking
                            .iter()
                            .map(|(tag, state)| json!({"asset_tag": tag, "state": state}))
                            .collect::<Vec<_>>()
                    ),
                )]),
            ),
            Self::VerificationOnly { method } => (
                "verification-only",
                "A verification, not an erasure",
                format!(
                    "`{method}` only reads the drives back: it erases nothing, so nothing is recorded."
                ),
                Map::new(),
            ),
            Self::AssetListInvalid { issues } => {
                let count = issues
                    .iter()
                    .filter(|i| i.severity == Severity::Error)
                    .count();
                (
                    "asset-list-invalid",
                    "The asset list has errors",
                    format!(
                        "{count} problem(s) to fix first; nothing was imported. See `issues` (by line)."
                    ),
                    members(vec![("issues", json!(issues))]),
                )
            }
            Self::SiteCodeTaken { code } => (
                "site-code-taken",
                "Site code taken",
                format!("the site code {code} is taken"),
                members(vec![("code", json!(code))]),
            ),
            Self::EmailTaken { email } => (
                "email-taken",
                "Email taken",
                format!("a user with email {email} already exists"),
                members(vec![("email", json!(email))]),
            ),
            Self::SerialTaken { serial, asset_tag } => (
                "serial-taken",
                "Serial number already recorded",
                format!("{asset_tag} already has serial number {serial}"),
                members(vec![
                    ("serial_number", json!(serial)),
                    ("asset_tag", json!(asset_tag)),
                ]),
            ),
            Self::DeviceClosed { asset_tag, state } => (
                "device-closed",
                "Device out of the workshop",
                format!(
                    "device {asset_tag} is {} and takes no new media or audit",
                    state.as_str()
                ),
                members(vec![
                    ("asset_tag", json!(asset_tag)),
                    ("state", json!(state)),
                ]),
            ),
            Self::MediumDestroyed { asset_tag } => (
                "medium-destroyed",
                "Medium destroyed",
                format!("medium {asset_tag} is destroyed: there is nothing left to erase"),
                members(vec![("asset_tag", json!(asset_tag))]),
            ),
            Self::LogAlreadyImported => (
                "log-already-imported",
                "Log already imported",
                "this log was already imported".into(),
                Map::new(),
            ),
            Self::AlreadyIssued { number } => (
                "already-issued",
                "Certificate already issued",
                format!(
                    "certificate {number} was already issued; to correct it, issue a revision with `supersedes`"
                ),
                members(vec![("number", json!(number))]),
            ),
            Self::AuditOpen { id } => (
                "audit-open",
                "A stock audit is open",
                format!("stock audit {id} of this site is still open: close it first"),
                members(vec![("audit_id", json!(id))]),
            ),
            Self::AuditClosed => (
                "audit-closed",
                "Stock audit closed",
                "this stock audit is closed: start a new one".into(),
                Map::new(),
            ),
            Self::AllocationState { state, action } => (
                "allocation-state",
                "Allocation not in a state for this",
                format!(
                    "an allocation in state `{}` cannot `{action}`",
                    state.as_str()
                ),
                members(vec![("state", json!(state)), ("action", json!(action))]),
            ),
            Self::ReservedForAnother {
                allocation_id,
                beneficiary_reference,
            } => (
                "reserved-for-another",
                "Device reserved for someone else",
                format!(
                    "this device is held under allocation {allocation_id}, for beneficiary {beneficiary_reference}"
                ),
                members(vec![
                    ("allocation_id", json!(allocation_id)),
                    ("beneficiary_reference", json!(beneficiary_reference)),
                ]),
            ),
            Self::AlreadyAccepted => (
                "already-accepted",
                "Handover form already signed",
                "the beneficiary's acceptance is recorded already".into(),
                Map::new(),
            ),
            Self::AlreadyShipped { asset_tag } => (
                "already-shipped",
                "Already shipped",
                format!("{asset_tag} left in a waste shipment already"),
                members(vec![("asset_tag", json!(asset_tag))]),
            ),
            Self::MediumNotSanitized { asset_tag, state } => (
                "media-not-sanitized",
                "Storage medium not sanitized",
                format!(
                    "medium {asset_tag} is `{}`: it must be sanitized or destroyed first",
                    state.as_str()
                ),
                members(vec![(
                    "blocking_media",
                    json!([{"asset_tag": asset_tag, "state": state}]),
                )]),
            ),
            Self::RecordsMoved => (
                "records-moved",
                "Records changed meanwhile",
                "The records this document quotes kept changing while it was prepared; try again."
                    .into(),
                Map::new(),
            ),
            Self::UnknownCode { code } => (
                "unknown-code",
                "Nothing carries this code",
                format!(
                    "No device or medium you can see has the tag, label or serial number `{code}`."
                ),
                members(vec![("code", json!(code))]),
            ),
            Self::MistypedTag { code, suggestions } => {
                let tags: Vec<&str> = suggestions
                    .iter()
                    .filter_map(|s| s["asset_tag"].as_str())
                    .collect();
                let hint = match tags.as_slice() {
                    [] => String::new(),
                    [one] => format!(" Did you mean {one}?"),
                    many => format!(" Did you mean one of {}?", many.join(", ")),
                };
                (
                    "mistyped-tag",
                    "The tag's check character does not match",
                    format!(
                        "`{code}` is not a valid asset tag: a character was probably mistyped or two swapped.{hint}"
                    ),
                    members(vec![
                        ("code", json!(code)),
                        ("suggestions", json!(suggestions)),
                    ]),
                )
            }
        }
    }
}

impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> Self {
        Self::Refused(refusal)
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
    Refused(Refusal),
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
                let (slug, title, detail, extra) = refusal.problem();
                (slug, title, detail, vec![], extra)
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
