//! Reading the settings: built-in defaults, then the file, then the
//! environment.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::Deserialize;

use super::{
    ConfigError, IDEMPOTENCY_TTL, LogFormat, Portal, Privacy, Secret, Settings, parse_duration,
};

/// The optional `retrace.toml`: the same settings, by their short names.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileSettings {
    database_url: Option<Secret>,
    bind: Option<SocketAddr>,
    metrics_bind: Option<SocketAddr>,
    public_url: Option<String>,
    data_dir: Option<PathBuf>,
    instance_name: Option<String>,
    log_format: Option<LogFormat>,
    idempotency_ttl: Option<String>,
    impact: Option<toml::Table>,
    privacy: Option<Privacy>,
    portal: Option<Portal>,
}

impl Settings {
    /// Reads `retrace.toml` from the working directory (or `RETRACE_CONFIG`) and the environment.
    pub fn load() -> Result<Self, ConfigError> {
        let path = std::env::var_os("RETRACE_CONFIG")
            .map_or_else(|| PathBuf::from("retrace.toml"), PathBuf::from);
        let file = match std::fs::read_to_string(&path) {
            Ok(text) => {
                toml::from_str(&text).map_err(|source| ConfigError::File { path, source })?
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => FileSettings::default(),
            Err(source) => return Err(ConfigError::Read { path, source }),
        };
        Self::from_sources(file, |name| std::env::var(name).ok())
    }

    pub(super) fn from_sources(
        file: FileSettings,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let data_dir = env("RETRACE_DATA_DIR")
            .map(PathBuf::from)
            .or(file.data_dir)
            .unwrap_or_else(|| "data".into());
        let database_url = env("RETRACE_DATABASE_URL")
            .map(Secret::new)
            .or(file.database_url)
            .unwrap_or_else(|| {
                Secret::new(format!(
                    "sqlite://{}?mode=rwc",
                    data_dir.join("retrace.db").display()
                ))
            });
        let bind = match env("RETRACE_BIND") {
            Some(text) => text.parse().map_err(|_| ConfigError::Variable {
                name: "RETRACE_BIND",
                message: format!("`{text}` is not host:port"),
            })?,
            None => file
                .bind
                .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080))),
        };
        let metrics_bind = match env("RETRACE_METRICS_BIND") {
            Some(text) => Some(text.parse().map_err(|_| ConfigError::Variable {
                name: "RETRACE_METRICS_BIND",
                message: format!("`{text}` is not host:port"),
            })?),
            None => file.metrics_bind,
        };
        // It answers without a token: only this host may reach it.
        if let Some(address) = metrics_bind.filter(|a| !a.ip().is_loopback()) {
            return Err(ConfigError::Variable {
                name: "RETRACE_METRICS_BIND",
                message: format!(
                    "`{address}` is not a loopback address; elsewhere, /metrics on the main address takes an administrator's token"
                ),
            });
        }
        let public_url = env("RETRACE_PUBLIC_URL")
            .or(file.public_url)
            .unwrap_or_else(|| format!("http://{bind}"))
            .trim_end_matches('/')
            .to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::Variable {
                name: "RETRACE_PUBLIC_URL",
                message: "must start with http:// or https://".into(),
            });
        }
        let log_format = match env("RETRACE_LOG_FORMAT").as_deref() {
            Some("json") => LogFormat::Json,
            Some("text") => LogFormat::Text,
            Some(other) => {
                return Err(ConfigError::Variable {
                    name: "RETRACE_LOG_FORMAT",
                    message: format!("`{other}` is neither `text` nor `json`"),
                });
            }
            None => file.log_format.unwrap_or(LogFormat::Text),
        };
        let idempotency_ttl = match env("RETRACE_IDEMPOTENCY_TTL").or(file.idempotency_ttl) {
            Some(text) => parse_duration(&text).ok_or_else(|| ConfigError::Variable {
                name: "RETRACE_IDEMPOTENCY_TTL",
                message: format!("`{text}` is not a duration such as 24h, 90m or 3600"),
            })?,
            None => IDEMPOTENCY_TTL,
        };
        Ok(Self {
            database_url,
            bind,
            metrics_bind,
            public_url,
            data_dir,
            instance_name: env("RETRACE_INSTANCE_NAME")
                .or(file.instance_name)
                .unwrap_or_else(|| "Retrace".into()),
            log_format,
            idempotency_ttl,
            clock: crate::ledger::clock::Clock::system(),
            impact: file.impact.unwrap_or_default(),
            privacy: match file.privacy.unwrap_or_default() {
                privacy if (1..=1200).contains(&privacy.beneficiary_retention_months) => privacy,
                _ => {
                    return Err(ConfigError::Variable {
                        name: "privacy.beneficiary_retention_months",
                        message: "must be 1 to 1200 months".into(),
                    });
                }
            },
            portal: match file.portal.unwrap_or_default() {
                portal if (1..=3650).contains(&portal.link_days) => portal,
                _ => {
                    return Err(ConfigError::Variable {
                        name: "portal.link_days",
                        message: "must be 1 to 3650 days".into(),
                    });
                }
            },
        })
    }
}
