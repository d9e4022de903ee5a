//! Web sign-in: a session is a secret held in an HttpOnly cookie and kept
//! beside the ledger (`auth::sessions`): signing in and out is
//! authentication, not a ledger event. Signing out deletes it at once, and
//! the token cache serves pages as it serves the API.
//!
//! CSRF: every form carries a token derived from the session secret (which
//! scripts cannot read), checked on every POST; the cookie is also
//! `SameSite=Lax`. The sign-in form, before any session exists, uses a
//! double-submit cookie.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::i18n::Language;
use crate::principal::Principal;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "retrace_session";
pub const LOGIN_COOKIE: &str = "retrace_login";
/// How long a web session lasts: a working day and then some.
pub const SESSION_DAYS: u32 = 1;

/// A signed-in person on the web.
#[derive(Debug, Clone)]
pub struct Session {
    pub principal: Principal,
    /// The token forms must send back.
    pub csrf: String,
    pub language: Language,
    /// The page asked for: the navigation marks where one is.
    pub path: String,
    secret: String,
}

impl Session {
    /// A form's token must be this session's; else `403` in the reader's language.
    pub fn check_csrf(&self, sent: &str) -> Result<(), AppError> {
        if constant_time_eq(sent.as_bytes(), self.csrf.as_bytes()) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                self.language.text("error.expired_form").to_owned(),
            ))
        }
    }

    pub fn secret(&self) -> &str {
        &self.secret
    }
}

/// The CSRF token of a session secret: public in the page, useless without the cookie.
pub fn csrf_for(secret: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"retrace csrf\0")
        .chain_update(secret.as_bytes())
        .finalize();
    hex::encode(&digest[..16])
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A cookie's value from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Secure behind https.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age_secs: i64) -> HeaderValue {
    let secure = if state.settings.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("retrace_invalid=1"))
}

/// The language of a page: the user's preference (it travels with the cached
/// principal, so a page costs no lookup for it), else the browser's.
pub fn language_of(principal: &Principal, headers: &HeaderMap) -> Language {
    principal
        .language
        .unwrap_or_else(|| Language::negotiate(headers))
}

/// Pages that need a session send everyone else to the sign-in page, and back after.
pub struct SignInFirst(String);

impl IntoResponse for SignInFirst {
    fn into_response(self) -> Response {
        let next = urlencoding(&self.0);
        Redirect::to(&format!("/login?next={next}")).into_response()
    }
}

fn urlencoding(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

async fn session(parts: &Parts, state: &AppState) -> Option<Session> {
    let secret = cookie(&parts.headers, SESSION_COOKIE)?.to_owned();
    let principal = crate::auth::sessions::principal(state, &secret)
        .await
        .ok()?;
    let language = language_of(&principal, &parts.headers);
    Some(Session {
        principal,
        csrf: csrf_for(&secret),
        language,
        path: parts.uri.path().to_owned(),
        secret,
    })
}

impl FromRequestParts<AppState> for Session {
    type Rejection = SignInFirst;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, SignInFirst> {
        let here = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        session(parts, state).await.ok_or(SignInFirst(here))
    }
}

impl OptionalFromRequestParts<AppState> for Session {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(session(parts, state).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; retrace_session=rt_x; b=2"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("rt_x"));
        assert_eq!(cookie(&headers, "c"), None);
    }

    #[test]
    fn the_csrf_token_depends_on_the_secret_and_is_compared_whole() {
        let (a, b) = (csrf_for("rt_one"), csrf_for("rt_two"));
        assert_ne!(a, b);
        assert!(constant_time_eq(a.as_bytes(), a.as_bytes()));
        assert!(!constant_time_eq(a.as_bytes(), &a.as_bytes()[1..]));
        assert!(!constant_time_eq(a.as_bytes(), b.as_bytes()));
    }

    #[test]
    fn the_return_path_is_encoded() {
        assert_eq!(
            urlencoding("/d/BRE-000001-X?x=1&y"),
            "/d/BRE-000001-X%3Fx%3D1%26y"
        );
    }
}
