//! Typed settings: built-in defaults, then an optional `retrace.toml`, then
//! `RETRACE_*` environment variables (whose names are part of the contract).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

pub use duration::parse_duration;
pub use sections::{Portal, Privacy};

mod duration;
mod load;
mod sections;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// A value that must not be printed, such as a database URL with a password.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// `sqlite://…` or `postgres://…`; defaults to `<data_dir>/retrace.db`.
    pub database_url: Secret,
    pub bind: SocketAddr,
    /// A second, local address serving `/metrics` alone without a token, for
    /// a Prometheus on the same host (`RETRACE_METRICS_BIND`); loopback only.
    pub metrics_bind: Option<SocketAddr>,
    /// Base of the links printed in QR codes and certificates, without trailing slash.
    pub public_url: String,
    pub data_dir: PathBuf,
    pub instance_name: String,
    pub log_format: LogFormat,
    /// How long a retried request's `Idempotency-Key` replays the first answer.
    pub idempotency_ttl: Duration,
    /// What stamps events: the system's time, unless a test or a generator sets it.
    pub clock: crate::ledger::clock::Clock,
    /// The `[impact]` table as written (CO2e factors, full-time hours): the
    /// reports read and check it themselves (`impact::Factors::of`).
    pub impact: toml::Table,
    /// How long personal data is kept (`[privacy]`).
    pub privacy: Privacy,
    /// The donor portal's links (`[portal]`).
    pub portal: Portal,
}

/// The default time to live of an idempotency key: a day covers any retry.
pub const IDEMPOTENCY_TTL: Duration = Duration::from_secs(24 * 3600);

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid {path}: {source}")]
    File {
        path: PathBuf,
        source: toml::de::Error,
    },
    #[error("invalid {name}: {message}")]
    Variable { name: &'static str, message: String },
}

impl Settings {
    /// Settings for a test or a tool: everything under `data_dir`, on the given database.
    pub fn for_data_dir(data_dir: PathBuf, database_url: Option<String>) -> Self {
        let database_url = database_url.unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                data_dir.join("retrace.db").display()
            )
        });
        Self {
            database_url: Secret::new(database_url),
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            metrics_bind: None,
            public_url: "http://retrace.test".into(),
            data_dir,
            instance_name: "Retrace".into(),
            log_format: LogFormat::Text,
            idempotency_ttl: IDEMPOTENCY_TTL,
            clock: crate::ledger::clock::Clock::system(),
            impact: toml::Table::new(),
            privacy: Privacy::default(),
            portal: Portal::default(),
        }
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.expose().starts_with("sqlite:")
    }
}

#[cfg(test)]
mod tests;
