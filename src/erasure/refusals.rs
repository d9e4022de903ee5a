//! What recording an erasure refuses, and how each refusal reads.

use axum::http::StatusCode;

use crate::error::{Refusal, Refused};
use crate::i18n::Language;

#[derive(Debug, Clone, PartialEq)]
pub enum ErasureRefused {
    /// An nwipe log of a run that only verified: nothing was erased.
    VerificationOnly { method: String },
    /// This nwipe log (by its SHA-256) was imported already.
    LogAlreadyImported,
}

impl Refusal for ErasureRefused {
    fn status(&self) -> StatusCode {
        match self {
            Self::VerificationOnly { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::LogAlreadyImported => StatusCode::CONFLICT,
        }
    }

    fn problem(&self) -> Refused {
        match self {
            Self::VerificationOnly { method } => Refused::new(
                "verification-only",
                "A verification, not an erasure",
                format!(
                    "`{method}` only reads the drives back: it erases nothing, so nothing is recorded."
                ),
            ),
            Self::LogAlreadyImported => Refused::new(
                "log-already-imported",
                "Log already imported",
                "this log was already imported",
            ),
        }
    }

    fn explain(&self, lang: Language) -> String {
        match self {
            Self::VerificationOnly { method } => {
                lang.problem("verification_only", &[("method", method)])
            }
            Self::LogAlreadyImported => lang.problem("log_already_imported", &[]),
        }
    }
}
