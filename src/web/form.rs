//! A form in one line: `PageForm(session, form): PageForm<CreateForm>` is
//! the signed-in session and the posted fields, parsed, with the form's
//! CSRF token (its `csrf` field) checked against the session. A form that
//! cannot be read, or whose token is not the session's, never reaches the
//! handler: the reader gets the error page in their language (400, 403).
//! Someone not signed in is sent to the sign-in page, as by `Session`.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::error_page;
use super::session::Session;
use crate::error::AppError;
use crate::state::AppState;

pub struct PageForm<T>(pub Session, pub T);

/// A form that is only a button: its token and nothing else.
#[derive(Debug, Deserialize)]
pub struct NoFields {}

/// Every form carries the token of the session that drew it.
#[derive(Deserialize)]
struct Token {
    #[serde(default)]
    csrf: String,
}

impl<T: DeserializeOwned> FromRequest<AppState> for PageForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let session = Session::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let is_form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state).await;
        match read(&session, is_form, bytes) {
            Ok(form) => Ok(Self(session, form)),
            Err(err) => Err(error_page(session.language, Some(&session), &err)),
        }
    }
}

fn read<T: DeserializeOwned>(
    session: &Session,
    is_form: bool,
    bytes: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<T, AppError> {
    if !is_form {
        return Err(AppError::BadRequest(
            "a form is sent as application/x-www-form-urlencoded".into(),
        ));
    }
    let bytes = bytes.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let token: Token =
        serde_urlencoded::from_bytes(&bytes).map_err(|e| AppError::BadRequest(e.to_string()))?;
    session.check_csrf(&token.csrf)?;
    serde_urlencoded::from_bytes(&bytes).map_err(|e| AppError::BadRequest(e.to_string()))
}
