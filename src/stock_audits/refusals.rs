//! What a stock audit refuses, and how each refusal reads.

use crate::error::{Refusal, Refused};
use crate::i18n::Language;

#[derive(Debug, Clone, PartialEq)]
pub enum AuditRefused {
    /// A site has one stock audit open at a time.
    Open { id: uuid::Uuid },
    /// A closed stock audit takes no more scans.
    Closed,
}

impl Refusal for AuditRefused {
    fn problem(&self) -> Refused {
        match self {
            Self::Open { id } => Refused::new(
                "audit-open",
                "A stock audit is open",
                format!("stock audit {id} of this site is still open: close it first"),
            )
            .with("audit_id", id),
            Self::Closed => Refused::new(
                "audit-closed",
                "Stock audit closed",
                "this stock audit is closed: start a new one",
            ),
        }
    }

    fn explain(&self, lang: Language) -> String {
        match self {
            Self::Open { .. } => lang.problem("audit_open", &[]),
            Self::Closed => lang.problem("audit_closed", &[]),
        }
    }
}
