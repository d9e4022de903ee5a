//! Typed settings: built-in defaults, then an optional `retrace.toml`, then
//! `RETRACE_*` environment variables (whose names are part of the contract).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

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

/// `[portal]`: the donor portal's links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Portal {
    /// Days a new link opens for when its creator sets no last day: a
    /// forgotten link does not open forever. 365 by default.
    #[serde(default = "Portal::default_link_days")]
    pub link_days: u32,
}

impl Portal {
    fn default_link_days() -> u32 {
        365
    }
}

impl Default for Portal {
    fn default() -> Self {
        Self {
            link_days: Self::default_link_days(),
        }
    }
}

/// `[privacy]`: how long personal data is kept before it is erased on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Privacy {
    /// Months after a beneficiary's last allocation closed (after their
    /// registration, if they never had one) before their name, contact and
    /// drawn signatures are erased by the hourly chores. 36 by default.
    #[serde(default = "Privacy::default_retention")]
    pub beneficiary_retention_months: u32,
}

impl Privacy {
    fn default_retention() -> u32 {
        36
    }
}

impl Default for Privacy {
    fn default() -> Self {
        Self {
            beneficiary_retention_months: Self::default_retention(),
        }
    }
}

/// The default time to live of an idempotency key: a day covers any retry.
pub const IDEMPOTENCY_TTL: Duration = Duration::from_secs(24 * 3600);

/// `90s`, `30m`, `24h`, `7d`, or a number of seconds.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let number: u64 = number.parse().ok()?;
    let seconds = match unit.trim() {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return None,
    };
    Some(Duration::from_secs(number.checked_mul(seconds)?)).filter(|d| !d.is_zero())
}

/// The optional `retrace.toml`: the same settings, by their short names.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    database_url: Option<Secret>,
    bind: Option<SocketAddr>,
    public_url: Option<String>,
    data_dir: Option<PathBuf>,
    instance_name: Option<String>,
    log_format: Option<LogFormat>,
    idempotency_ttl: Option<String>,
    impact: Option<toml::Table>,
    privacy: Option<Privacy>,
    portal: Option<Portal>,
}

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

    fn from_sources(
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
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn defaults_give_an_embedded_database_under_data() {
        let settings = Settings::from_sources(FileSettings::default(), env_of(&[])).unwrap();
        assert_eq!(
            settings.database_url.expose(),
            "sqlite://data/retrace.db?mode=rwc"
        );
        assert_eq!(settings.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(settings.public_url, "http://127.0.0.1:8080");
        assert!(settings.is_sqlite());
    }

    #[test]
    fn environment_overrides_the_file() {
        let file: FileSettings =
            toml::from_str("instance_name = \"Atelier\"\npublic_url = \"https://a.example\"")
                .unwrap();
        let settings = Settings::from_sources(
            file,
            env_of(&[
                ("RETRACE_PUBLIC_URL", "https://b.example/"),
                ("RETRACE_LOG_FORMAT", "json"),
            ]),
        )
        .unwrap();
        assert_eq!(settings.instance_name, "Atelier");
        assert_eq!(settings.public_url, "https://b.example");
        assert_eq!(settings.log_format, LogFormat::Json);
    }

    #[test]
    fn a_bad_variable_is_named() {
        let err = Settings::from_sources(
            FileSettings::default(),
            env_of(&[("RETRACE_BIND", "nowhere")]),
        )
        .unwrap_err();
        assert!(err.to_string().contains("RETRACE_BIND"));
    }

    #[test]
    fn the_readme_s_example_is_read_and_its_impact_table_kept_as_written() {
        let readme = include_str!("../README.md");
        let start = readme.find("[impact]").expect("the README's example");
        let example = &readme[start..];
        let example = &example[..example.find("```").expect("end of example")];
        let file: FileSettings = toml::from_str(example).unwrap();
        let settings = Settings::from_sources(file, env_of(&[])).unwrap();
        assert!(settings.impact.contains_key("co2e_kg"));
        assert_eq!(settings.privacy.beneficiary_retention_months, 24);
    }

    #[test]
    fn personal_data_is_kept_36_months_unless_set_and_never_zero() {
        let default = Settings::from_sources(FileSettings::default(), env_of(&[])).unwrap();
        assert_eq!(default.privacy.beneficiary_retention_months, 36);
        for months in ["0", "1201"] {
            let file: FileSettings = toml::from_str(&format!(
                "[privacy]\nbeneficiary_retention_months = {months}"
            ))
            .unwrap();
            let err = Settings::from_sources(file, env_of(&[])).unwrap_err();
            assert!(
                err.to_string().contains("beneficiary_retention_months"),
                "{err}"
            );
        }
        assert!(toml::from_str::<FileSettings>("[privacy]\nforever = true").is_err());
    }

    #[test]
    fn a_portal_link_opens_a_year_unless_set_and_never_zero_days() {
        let default = Settings::from_sources(FileSettings::default(), env_of(&[])).unwrap();
        assert_eq!(default.portal.link_days, 365);
        let set: FileSettings = toml::from_str("[portal]\nlink_days = 90").unwrap();
        assert_eq!(
            Settings::from_sources(set, env_of(&[]))
                .unwrap()
                .portal
                .link_days,
            90
        );
        for days in ["0", "3651"] {
            let file: FileSettings =
                toml::from_str(&format!("[portal]\nlink_days = {days}")).unwrap();
            let err = Settings::from_sources(file, env_of(&[])).unwrap_err();
            assert!(err.to_string().contains("portal.link_days"), "{err}");
        }
    }

    #[test]
    fn database_urls_are_not_printed() {
        let secret = Secret::new("postgres://u:hunter2@db/retrace");
        assert!(!format!("{secret:?}").contains("hunter2"));
    }

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(parse_duration("24h"), Some(Duration::from_secs(86_400)));
        assert_eq!(parse_duration("90m"), Some(Duration::from_secs(5_400)));
        assert_eq!(parse_duration("3600"), Some(Duration::from_secs(3_600)));
        assert_eq!(parse_duration("2d"), Some(Duration::from_secs(172_800)));
        for bad in ["", "h", "0", "12x", "-5m", "99999999999999999999d"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_idempotency_ttl_is_a_day_unless_set() {
        let default = Settings::from_sources(FileSettings::default(), |_| None).unwrap();
        assert_eq!(default.idempotency_ttl, IDEMPOTENCY_TTL);
        let set = Settings::from_sources(FileSettings::default(), |name| {
            (name == "RETRACE_IDEMPOTENCY_TTL").then(|| "30m".to_owned())
        })
        .unwrap();
        assert_eq!(set.idempotency_ttl, Duration::from_secs(1800));
        assert!(
            Settings::from_sources(FileSettings::default(), |name| {
                (name == "RETRACE_IDEMPOTENCY_TTL").then(|| "soon".to_owned())
            })
            .is_err()
        );
    }
}
