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

use crate::error::AppError;
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
///
/// A number with no fraction is an integer to JSON Schema, whatever its
/// spelling: `2.0` is a valid `expected_version`. serde refuses it, so when
/// the data does not fit, the body is read again with such numbers written
/// as integers. Only a refused body pays for the second reading.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let refused = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(value) => {
            deserializer.end().map_err(not_json)?;
            return Ok(value);
        }
        Err(err) if err.inner().classify() == serde_json::error::Category::Data => err,
        Err(err) => return Err(not_json(err.into_inner())),
    };
    let mut document: serde_json::Value = serde_json::from_slice(bytes).map_err(not_json)?;
    let refused = if integral_numbers_as_integers(&mut document) {
        match serde_path_to_error::deserialize(document) {
            Ok(value) => return Ok(value),
            Err(err) => err,
        }
    } else {
        refused
    };
    let path = refused.path().to_string();
    let field = if path == "." { "body".to_owned() } else { path };
    Err(AppError::bound(
        field,
        DATA_CODE,
        data_message(refused.inner()),
    ))
}

/// The code of a value whose type or shape the document states: a wrong
/// type, an unknown field or variant, a missing field.
pub const DATA_CODE: &str = "json";

fn not_json(err: serde_json::Error) -> AppError {
    AppError::BadRequest(format!("the body is not valid JSON: {err}"))
}

/// Rewrites every finite number without a fraction (`2.0`, `-0.0`) that an
/// `i64` or a `u64` holds as that integer; whether any was.
fn integral_numbers_as_integers(value: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::Number(number) if number.is_f64() => {
            let Some(float) = number.as_f64().filter(|f| f.fract() == 0.0) else {
                return false;
            };
            // Exactly representable: beyond 2^53 a float names no one integer.
            const EXACT: f64 = 9_007_199_254_740_992.0;
            if float.abs() > EXACT {
                return false;
            }
            *number = if float < 0.0 {
                (float as i64).into()
            } else {
                (float as u64).into()
            };
            true
        }
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |any, item| integral_numbers_as_integers(item) | any),
        Value::Object(fields) => fields.values_mut().fold(false, |any, field| {
            integral_numbers_as_integers(field) | any
        }),
        _ => false,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Step {
        expected_version: i64,
        count: Option<u32>,
        weight_kg: Option<f64>,
    }

    fn refusal(result: Result<Step, AppError>) -> (String, Option<String>) {
        match result {
            Err(AppError::Validation(fields)) => (fields[0].field.clone(), fields[0].code.clone()),
            other => panic!("not a refused field: {other:?}"),
        }
    }

    /// JSON Schema calls `2.0` an integer: so does the API.
    #[test]
    fn a_number_without_a_fraction_is_an_integer() {
        let step: Step =
            parse_json(br#"{"expected_version": 2.0, "count": -0.0, "weight_kg": 1.5}"#).unwrap();
        assert_eq!(
            step,
            Step {
                expected_version: 2,
                count: Some(0),
                weight_kg: Some(1.5)
            }
        );
    }

    /// A fraction, a float past 2^53 or a wrong type is still refused, with
    /// the field's path and the code of a shape the document states.
    #[test]
    fn other_numbers_and_types_are_refused_by_field() {
        for (body, field) in [
            (r#"{"expected_version": 2.5}"#, "expected_version"),
            (r#"{"expected_version": 1e300}"#, "expected_version"),
            (r#"{"expected_version": 1, "count": -1.0}"#, "count"),
            (r#"{"expected_version": "1"}"#, "expected_version"),
            (r#"{"expected_version": 1, "colour": 1}"#, "colour"),
        ] {
            let (refused, code) = refusal(parse_json(body.as_bytes()));
            assert_eq!(refused, field, "{body}");
            assert_eq!(code.as_deref(), Some(DATA_CODE), "{body}");
        }
    }

    #[test]
    fn broken_json_is_a_bad_request() {
        for body in [
            r#"{"expected_version": 2.0"#,
            r#"{"expected_version": 2.0} x"#,
        ] {
            let answer = parse_json::<Step>(body.as_bytes());
            assert!(matches!(answer, Err(AppError::BadRequest(_))), "{body}");
        }
    }
}
