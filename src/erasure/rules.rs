//! What makes an erasure record consistent, as a pure check: a category
//! achieved by a technique that can achieve it, a verification that matches
//! its result, and no record calling itself passed with errors in it.

use super::{Category, NewErasure, Outcome, Technique, Verification, VerificationResult};
use crate::error::FieldError;

/// Whether `technique` can achieve `category` (NIST SP 800-88).
pub fn achieves(category: Category, technique: Technique) -> bool {
    use Technique::*;
    match category {
        Category::Clear => matches!(technique, Overwrite | Other),
        Category::Purge => matches!(
            technique,
            Overwrite | BlockErase | CryptoErase | Degauss | Other
        ),
        Category::Destroy => matches!(technique, Shred | Disintegrate | Other),
    }
}

/// The verification result a record stands for, or every inconsistent field.
pub fn check(new: &NewErasure) -> Result<VerificationResult, Vec<FieldError>> {
    let mut errors = Vec::new();
    if !achieves(new.category, new.technique) {
        errors.push(FieldError::new(
            "technique",
            format!(
                "`{}` does not achieve `{}`",
                new.technique.as_str(),
                new.category.as_str()
            ),
        ));
    }
    let result = match (new.verification, new.verification_result) {
        (Verification::None, None | Some(VerificationResult::NotPerformed)) => {
            VerificationResult::NotPerformed
        }
        (Verification::None, Some(_)) => {
            errors.push(FieldError::new(
                "verification_result",
                "there is no result without a verification",
            ));
            VerificationResult::NotPerformed
        }
        (_, None | Some(VerificationResult::NotPerformed)) => {
            errors.push(FieldError::new(
                "verification_result",
                "is required when a verification was done",
            ));
            VerificationResult::NotPerformed
        }
        (_, Some(result)) => result,
    };
    if new.outcome == Outcome::Passed {
        if result == VerificationResult::Failed {
            errors.push(FieldError::new(
                "outcome",
                "cannot be `passed` when the verification failed",
            ));
        }
        if new.error_count > 0 {
            errors.push(FieldError::new("outcome", "cannot be `passed` with errors"));
        }
    }
    if let (Some(start), Some(end)) = (new.started_at, new.ended_at)
        && end < start
    {
        errors.push(FieldError::new("ended_at", "is before `started_at`"));
    }
    if new.category == Category::Destroy && new.bytes_erased.is_some() {
        errors.push(FieldError::new(
            "bytes_erased",
            "a destroyed medium has no bytes erased",
        ));
    }
    errors.sort_by(|a, b| a.field.cmp(&b.field));
    if errors.is_empty() {
        Ok(result)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::erasure::Destination;
    use crate::ids::MediumId;

    fn record() -> NewErasure {
        NewErasure {
            medium_id: MediumId::generate(),
            category: Category::Clear,
            technique: Technique::Overwrite,
            method: Some("PRNG Stream".into()),
            pattern: None,
            passes: Some(1),
            rounds: Some(1),
            blanking: Some(true),
            tool: Some("nwipe".into()),
            tool_version: Some("0.33".into()),
            verification: Verification::Full,
            verification_result: Some(VerificationResult::Passed),
            started_at: None,
            ended_at: None,
            bytes_erased: Some(1000),
            error_count: 0,
            error_details: None,
            destination: Destination::ReuseExternal,
            validator_id: None,
            outcome: Outcome::Passed,
            witness: None,
            photo_reference: None,
            notes: None,
        }
    }

    fn fields(new: &NewErasure) -> Vec<String> {
        check(new)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_verified_clean_overwrite_passes() {
        assert_eq!(check(&record()), Ok(VerificationResult::Passed));
    }

    #[test]
    fn every_category_accepts_exactly_its_techniques() {
        use Technique::*;
        let all = [
            Overwrite,
            BlockErase,
            CryptoErase,
            Degauss,
            Shred,
            Disintegrate,
            Other,
        ];
        let accepted = |c| {
            all.into_iter()
                .filter(|t| achieves(c, *t))
                .collect::<Vec<_>>()
        };
        assert_eq!(accepted(Category::Clear), vec![Overwrite, Other]);
        assert_eq!(
            accepted(Category::Purge),
            vec![Overwrite, BlockErase, CryptoErase, Degauss, Other]
        );
        assert_eq!(
            accepted(Category::Destroy),
            vec![Shred, Disintegrate, Other]
        );
        assert_eq!(
            fields(&NewErasure {
                technique: Shred,
                ..record()
            }),
            vec!["technique"]
        );
    }

    #[test]
    fn a_passed_record_has_no_failed_verification_and_no_errors() {
        let failed = NewErasure {
            verification_result: Some(VerificationResult::Failed),
            ..record()
        };
        assert_eq!(fields(&failed), vec!["outcome"]);
        assert_eq!(
            check(&NewErasure {
                outcome: Outcome::Failed,
                ..failed
            }),
            Ok(VerificationResult::Failed)
        );
        assert_eq!(
            fields(&NewErasure {
                error_count: 2,
                ..record()
            }),
            vec!["outcome"]
        );
    }

    #[test]
    fn verification_and_its_result_go_together() {
        let unverified = NewErasure {
            verification: Verification::None,
            verification_result: None,
            ..record()
        };
        assert_eq!(check(&unverified), Ok(VerificationResult::NotPerformed));
        let odd = NewErasure {
            verification: Verification::None,
            ..record()
        };
        assert_eq!(fields(&odd), vec!["verification_result"]);
        let missing = NewErasure {
            verification_result: None,
            ..record()
        };
        assert_eq!(fields(&missing), vec!["verification_result"]);
    }

    #[test]
    fn times_run_forward_and_destruction_erases_no_bytes() {
        let now = chrono::Utc::now();
        let backwards = NewErasure {
            started_at: Some(now),
            ended_at: Some(now - chrono::Duration::minutes(1)),
            ..record()
        };
        assert_eq!(fields(&backwards), vec!["ended_at"]);
        let shredded = NewErasure {
            category: Category::Destroy,
            technique: Technique::Shred,
            ..record()
        };
        assert_eq!(fields(&shredded), vec!["bytes_erased"]);
    }
}
