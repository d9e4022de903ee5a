//! Logs: `tracing` to stderr, human-readable or JSON (`RETRACE_LOG_FORMAT`),
//! filtered by `RUST_LOG` (default `info`).
//!
//! Following a slow request: `RUST_LOG=info,retrace=debug` turns on the
//! spans of every service command, ledger batch and projection (they cost
//! nothing otherwise), and each span's end is logged with its time
//! (`time.busy`, `time.idle`) under the request's span.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;

use crate::config::LogFormat;

pub fn init(format: LogFormat) {
    let asked = EnvFilter::try_from_default_env().ok();
    // Span ends are logged only when someone chose what to log: by default
    // a request costs no log line.
    let spans = if asked.is_some() {
        FmtSpan::CLOSE
    } else {
        FmtSpan::NONE
    };
    let filter = asked.unwrap_or_else(|| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(spans)
        .with_writer(std::io::stderr)
        // Colours only for a person at a terminal, not in a journal or a file.
        .with_ansi(std::io::stderr().is_terminal());
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// A request's path as logs may hold it: the donor portal's secret (the
/// part after `/portal/`) is cut, since whoever reads a log would open the
/// portal with it. Paths without a secret, such as `/d/{tag}`, stay whole.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    match path.find("/portal/") {
        Some(at) => {
            let start = at + "/portal/".len();
            let end = path[start..].find('/').map_or(path.len(), |i| start + i);
            if end == start {
                return path.into();
            }
            format!("{}…{}", &path[..start], &path[end..]).into()
        }
        None => path.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn a_portal_secret_never_reaches_a_log() {
        assert_eq!(loggable_path("/portal/rp_abcdef"), "/portal/…");
        assert_eq!(
            loggable_path("/api/v1/portal/rp_abcdef/certificates/BRE-2026-0001"),
            "/api/v1/portal/…/certificates/BRE-2026-0001"
        );
        assert_eq!(loggable_path("/d/BRE-000123-K"), "/d/BRE-000123-K");
        assert_eq!(
            loggable_path("/api/v1/portal-links/x/revoke"),
            "/api/v1/portal-links/x/revoke"
        );
    }
}
