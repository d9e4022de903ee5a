//! The demo's way in: the in-process API, as a client would call it, with the demo admin's token.

use anyhow::{Context, bail};
use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, header};
use serde_json::Value;
use tower::ServiceExt;

use super::{LOGINS, PASSWORD};
use crate::principal::Principal;
use crate::state::AppState;
use crate::users::NewUser;
use crate::users::service::{Token, enrol};

/// The in-process API, with a token of the demo's admin.
pub(super) struct Client {
    app: Router,
    token: String,
    token_id: String,
}

impl Client {
    pub(super) async fn for_admin(state: &AppState) -> anyhow::Result<Self> {
        let admin = LOGINS[0].clone();
        let hash = crate::users::service::hash_new_password(Some(PASSWORD.to_owned()))
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.problem().detail))?;
        let new = NewUser {
            email: admin.email.to_owned(),
            display_name: Some("Admin démo".into()),
            role: admin.role,
            site_id: None,
            locale: None,
            password: None,
        };
        let token = Token {
            name: "demo seeding",
            days: 1,
        };
        let (_, issued) = state
            .write_now(&Principal::instance(), move |tx, instance| {
                Box::pin(enrol(tx, instance, new, hash, token))
            })
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.problem().detail))?;
        Ok(Self {
            app: crate::app(state.clone()),
            token: issued.secret.context("token secret")?,
            token_id: issued.token.id.to_string(),
        })
    }

    pub(super) async fn post(&self, path: &str, body: Value) -> anyhow::Result<Value> {
        self.send(Method::POST, path, Some(body)).await
    }

    pub(super) async fn get(&self, path: &str) -> anyhow::Result<Value> {
        self.send(Method::GET, path, None).await
    }

    /// The seeding token is of no use once the demo is in.
    pub(super) async fn revoke(&self) -> anyhow::Result<()> {
        self.send(
            Method::DELETE,
            &format!("/api/v1/tokens/{}", self.token_id),
            None,
        )
        .await
        .map(drop)
    }

    pub(super) async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let request = Request::builder()
            .method(method.clone())
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token))
            .header(header::CONTENT_TYPE, "application/json")
            .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))?;
        let response = self.app.clone().oneshot(request).await?;
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        if !status.is_success() {
            bail!(
                "{method} {path}: {status} {}",
                String::from_utf8_lossy(&bytes)
            );
        }
        Ok(if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)?
        })
    }
}
