//! What makes an erasure record consistent: the rule is
//! `retrace_rules::erasure::check`, asked of a record as the API receives it.

pub use retrace_rules::erasure::achieves;

use super::{NewErasure, VerificationResult};
use crate::error::FieldError;

/// The verification result a record stands for, or every inconsistent field.
pub fn check(new: &NewErasure) -> Result<VerificationResult, Vec<FieldError>> {
    retrace_rules::erasure::check(&retrace_rules::erasure::Record {
        category: new.category,
        technique: new.technique,
        verification: new.verification,
        verification_result: new.verification_result,
        started_at: new.started_at,
        ended_at: new.ended_at,
        bytes_erased: new.bytes_erased,
        error_count: new.error_count,
        outcome: new.outcome,
    })
    .map_err(|inconsistencies| {
        inconsistencies
            .into_iter()
            .map(|i| FieldError::new(i.field, i.message))
            .collect()
    })
}
