//! Request extractors that answer malformed input with the same problem+json
//! shape as every other error: bad JSON, wrong types, unknown enum values,
//! oversized or non-UTF-8 bodies, invalid path ids and query strings.

use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, header, request::Parts};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use validator::Validate;

use crate::error::{AppError, FieldError};
use crate::ledger::writer::Idempotency;

/// A JSON body, deserialized with the path of any wrong field, then validated.
#[derive(Debug)]
pub struct AppJson<T>(pub T);

impl<S, T> FromRequest<S> for AppJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Validate,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        if !is_json(req.headers()) {
            return Err(AppError::UnsupportedMediaType(
                "send the body as `Content-Type: application/json`".into(),
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::BadRequest(rejection.body_text())
            }
        })?;
        let value = parse_json::<T>(&bytes)?;
        value.validate()?;
        Ok(Self(value))
    }
}

/// As an answer: the value serialized into a buffer sized for a typical
/// answer. axum's `Json` writes through a `BytesMut` writer that starts at
/// 128 bytes and copies each small piece with a capacity check: measured,
/// the serialization of a scan's answer took most of its time there.
impl<T: serde::Serialize> axum::response::IntoResponse for AppJson<T> {
    fn into_response(self) -> axum::response::Response {
        let mut body = Vec::with_capacity(2048);
        match serde_json::to_writer(&mut body, &self.0) {
            Ok(()) => (
                [(
                    header::CONTENT_TYPE,
                    header::HeaderValue::from_static("application/json"),
                )],
                body,
            )
                .into_response(),
            Err(err) => AppError::internal(err).into_response(),
        }
    }
}

/// Deserializes JSON, telling syntax errors (400) from errors in the data (422, with the field).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let field = if path == "." { "body".to_owned() } else { path };
                AppError::Validation(vec![FieldError::new(field, data_message(&inner))])
            }
            _ => AppError::BadRequest(format!("the body is not valid JSON: {inner}")),
        }
    })?;
    deserializer
        .end()
        .map_err(|err| AppError::BadRequest(format!("the body is not valid JSON: {err}")))?;
    Ok(value)
}

/// serde's message without its " at line 1 column 42" suffix, which the field path replaces.
fn data_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    let Some(content_type) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

/// Path parameters; an id that is not a UUID is a 400, not a routing 404.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct AppPath<T>(pub T);

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        AppError::BadRequest(rejection.body_text())
    }
}

/// Query parameters, with the reason for a rejected one.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct AppQuery<T>(pub T);

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        AppError::BadRequest(rejection.body_text())
    }
}

/// The `Idempotency-Key` header, when the client sent one, with the method
/// and path it came with: a key is bound to one request.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    key: Option<String>,
    method: String,
    path: String,
}

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        let key = match parts.headers.get("idempotency-key") {
            None => None,
            Some(value) => Some(
                value
                    .to_str()
                    .ok()
                    .and_then(idempotency_key)
                    .ok_or_else(|| {
                        AppError::BadRequest(
                            "Idempotency-Key must be 1 to 255 visible ASCII characters, \
                             without spaces or inner quotes"
                                .into(),
                        )
                    })?
                    .to_owned(),
            ),
        };
        Ok(Self {
            key,
            method: parts.method.to_string(),
            path: parts.uri.path().to_owned(),
        })
    }
}

/// The key of an `Idempotency-Key` value: 1 to 255 visible ASCII characters
/// but `"`, which may stand around it (the form the OpenAPI document states).
fn idempotency_key(value: &str) -> Option<&str> {
    let key = value.strip_prefix('"').unwrap_or(value);
    let key = key.strip_suffix('"').unwrap_or(key);
    let visible = |b: u8| b == b'!' || (b'#'..=b'~').contains(&b);
    ((1..=255).contains(&key.len()) && key.bytes().all(visible)).then_some(key)
}

impl IdempotencyKey {
    /// The key bound to this request's body, for the ledger writer.
    pub fn for_body(self, body: &impl serde::Serialize) -> Option<Idempotency> {
        let key = self.key?;
        let mut hasher = Sha256::new();
        hasher.update(self.method.as_bytes());
        hasher.update(b" ");
        hasher.update(self.path.as_bytes());
        hasher.update(b"\n");
        hasher.update(serde_json::to_vec(body).unwrap_or_default());
        Some(Idempotency {
            key,
            fingerprint: hex::encode(hasher.finalize()),
        })
    }
}

/// The version a state-changing request expects: the `If-Match` header
/// (`"3"` or `3`) wins over the body's `expected_version`.
pub fn expected_version(headers: &HeaderMap, from_body: Option<i64>) -> Result<i64, AppError> {
    if let Some(value) = headers.get(header::IF_MATCH) {
        let text = value.to_str().unwrap_or_default().trim();
        let text = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
        return text.parse::<i64>().map_err(|_| {
            AppError::field(
                "If-Match",
                "must be the resource's version number, e.g. \"3\"",
            )
        });
    }
    from_body.ok_or(AppError::VersionRequired)
}

/// The address of the client a request came from, as the listening socket
/// saw it (`None` in-process, or from a tool): what the sign-in limits
/// count attempts by. Behind a reverse proxy, that is the proxy.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|info| info.0.ip()),
        ))
    }
}
