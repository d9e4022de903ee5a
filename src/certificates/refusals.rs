//! What issuing a certificate refuses, and how each refusal reads.

use serde_json::json;

use crate::devices::DeviceState;
use crate::error::{Refusal, Refused};
use crate::i18n::Language;

#[derive(Debug, Clone, PartialEq)]
pub enum CertificateRefused {
    /// A certificate for devices not yet past erasure: their tags and states.
    NotPastErasure {
        blocking: Vec<(String, DeviceState)>,
    },
    /// A certificate of this subject exists: a correction is a revision of it.
    AlreadyIssued { number: String },
    /// The records a document was being made from changed meanwhile, again and again.
    RecordsMoved,
}

impl Refusal for CertificateRefused {
    fn problem(&self) -> Refused {
        match self {
            Self::NotPastErasure { blocking } => Refused::new(
                "not-past-erasure",
                "Devices not past erasure",
                format!(
                    "{} device(s) must be sanitized (or further) first: {}{}.",
                    blocking.len(),
                    blocking
                        .iter()
                        .take(10)
                        .map(|(tag, _)| tag.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    if blocking.len() > 10 {
                        " … (all in `blocking_devices`)"
                    } else {
                        ""
                    }
                ),
            )
            .with(
                "blocking_devices",
                blocking
                    .iter()
                    .map(|(tag, state)| json!({"asset_tag": tag, "state": state}))
                    .collect::<Vec<_>>(),
            ),
            Self::AlreadyIssued { number } => Refused::new(
                "already-issued",
                "Certificate already issued",
                format!(
                    "certificate {number} was already issued; to correct it, issue a revision with `supersedes`"
                ),
            )
            .with("number", number),
            Self::RecordsMoved => Refused::new(
                "records-moved",
                "Records changed meanwhile",
                "The records this document quotes kept changing while it was prepared; try again.",
            ),
        }
    }

    fn explain(&self, lang: Language) -> String {
        match self {
            Self::NotPastErasure { blocking } => {
                let tags: Vec<&str> = blocking.iter().map(|(tag, _)| tag.as_str()).collect();
                lang.problem("not_past_erasure", &[("tags", &tags.join(", "))])
            }
            Self::AlreadyIssued { number } => lang.problem("already_issued", &[("number", number)]),
            Self::RecordsMoved => lang.problem("records_moved", &[]),
        }
    }
}
