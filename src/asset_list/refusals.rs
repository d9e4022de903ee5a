//! A donor's asset list that cannot be imported, and how it reads.

use axum::http::StatusCode;

use super::{Issue, Severity};
use crate::error::{Refusal, Refused};
use crate::i18n::Language;

/// A donor's asset list with errors, by line: nothing was imported.
#[derive(Debug, Clone, PartialEq)]
pub struct AssetListInvalid {
    pub issues: Vec<Issue>,
}

impl Refusal for AssetListInvalid {
    fn status(&self) -> StatusCode {
        StatusCode::UNPROCESSABLE_ENTITY
    }

    fn problem(&self) -> Refused {
        let count = self
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .count();
        Refused::new(
            "asset-list-invalid",
            "The asset list has errors",
            format!(
                "{count} problem(s) to fix first; nothing was imported. See `issues` (by line)."
            ),
        )
        .with("issues", &self.issues)
    }

    fn explain(&self, lang: Language) -> String {
        lang.problem(
            "asset_list_invalid",
            &[("count", &self.issues.len().to_string())],
        )
    }
}
