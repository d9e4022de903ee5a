//! What a scan finds nothing for, and how it reads.

use axum::http::StatusCode;
use serde_json::Value;

use crate::error::{Refusal, Refused};
use crate::i18n::Language;

#[derive(Debug, Clone, PartialEq)]
pub enum ScanRefused {
    /// A scanned code that matches nothing the user may see.
    UnknownCode { code: String },
    /// An asset tag whose check character fails, and the tags one typo away.
    MistypedTag {
        code: String,
        suggestions: Vec<Value>,
    },
}

impl Refusal for ScanRefused {
    fn status(&self) -> StatusCode {
        StatusCode::NOT_FOUND
    }

    fn problem(&self) -> Refused {
        match self {
            Self::UnknownCode { code } => Refused::new(
                "unknown-code",
                "Nothing carries this code",
                format!(
                    "No device or medium you can see has the tag, label or serial number `{code}`."
                ),
            )
            .with("code", code),
            Self::MistypedTag { code, suggestions } => {
                let tags: Vec<&str> = suggestions
                    .iter()
                    .filter_map(|s| s["asset_tag"].as_str())
                    .collect();
                let hint = match tags.as_slice() {
                    [] => String::new(),
                    [one] => format!(" Did you mean {one}?"),
                    many => format!(" Did you mean one of {}?", many.join(", ")),
                };
                Refused::new(
                    "mistyped-tag",
                    "The tag's check character does not match",
                    format!(
                        "`{code}` is not a valid asset tag: a character was probably mistyped or two swapped.{hint}"
                    ),
                )
                .with("code", code)
                .with("suggestions", suggestions)
            }
        }
    }

    fn explain(&self, lang: Language) -> String {
        match self {
            Self::UnknownCode { code } => lang.problem("unknown_code", &[("code", code)]),
            Self::MistypedTag { code, .. } => lang.problem("mistyped_tag", &[("code", code)]),
        }
    }
}
