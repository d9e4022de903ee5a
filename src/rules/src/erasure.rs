//! What makes an erasure record consistent, as a pure check: a category
//! achieved by a technique that can achieve it, a verification that matches
//! its result, and no record calling itself passed with errors in it. The
//! words of NIST SP 800-88 a record is written in live here too.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

// Each enum is written as its serde names, read both ways (`crate::words`).
macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            /// Every value, in the order declared (a form's choices).
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            pub fn as_str(self) -> &'static str {
                crate::words::word(&self)
            }

            pub fn parse(text: &str) -> Option<Self> {
                crate::words::from_word(text)
            }
        }
    };
}

string_enum!(
    /// NIST SP 800-88 sanitization category.
    Category { Clear, Purge, Destroy }
);
string_enum!(
    /// How the category was achieved.
    Technique {
        Overwrite,
        BlockErase,
        CryptoErase,
        Degauss,
        Shred,
        Disintegrate,
        Other,
    }
);
string_enum!(
    /// How the result was checked.
    Verification { Full, Sampling, None }
);
string_enum!(VerificationResult {
    Passed,
    Failed,
    NotPerformed
});
string_enum!(
    /// Where the medium goes afterwards.
    Destination {
        ReuseInternal,
        ReuseExternal,
        Recycling,
        Manufacturer,
        Other,
    }
);
string_enum!(Outcome { Passed, Failed });
string_enum!(
    /// Where the record came from.
    Source { Manual, Nwipe }
);

/// The parts of an erasure record its consistency depends on.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub category: Category,
    pub technique: Technique,
    pub verification: Verification,
    pub verification_result: Option<VerificationResult>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub bytes_erased: Option<i64>,
    pub error_count: i32,
    pub outcome: Outcome,
}

/// A field of a record that does not fit the others, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inconsistency {
    pub field: &'static str,
    pub message: String,
}

impl Inconsistency {
    fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

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
pub fn check(new: &Record) -> Result<VerificationResult, Vec<Inconsistency>> {
    let mut errors = Vec::new();
    if !achieves(new.category, new.technique) {
        errors.push(Inconsistency::new(
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
            errors.push(Inconsistency::new(
                "verification_result",
                "there is no result without a verification",
            ));
            VerificationResult::NotPerformed
        }
        (_, None | Some(VerificationResult::NotPerformed)) => {
            errors.push(Inconsistency::new(
                "verification_result",
                "is required when a verification was done",
            ));
            VerificationResult::NotPerformed
        }
        (_, Some(result)) => result,
    };
    if new.outcome == Outcome::Passed {
        if result == VerificationResult::Failed {
            errors.push(Inconsistency::new(
                "outcome",
                "cannot be `passed` when the verification failed",
            ));
        }
        if new.error_count > 0 {
            errors.push(Inconsistency::new(
                "outcome",
                "cannot be `passed` with errors",
            ));
        }
    }
    if let (Some(start), Some(end)) = (new.started_at, new.ended_at)
        && end < start
    {
        errors.push(Inconsistency::new("ended_at", "is before `started_at`"));
    }
    if new.category == Category::Destroy && new.bytes_erased.is_some() {
        errors.push(Inconsistency::new(
            "bytes_erased",
            "a destroyed medium has no bytes erased",
        ));
    }
    errors.sort_by(|a, b| a.field.cmp(b.field));
    if errors.is_empty() {
        Ok(result)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        Record {
            category: Category::Clear,
            technique: Technique::Overwrite,
            verification: Verification::Full,
            verification_result: Some(VerificationResult::Passed),
            started_at: None,
            ended_at: None,
            bytes_erased: Some(1000),
            error_count: 0,
            outcome: Outcome::Passed,
        }
    }

    fn fields(new: &Record) -> Vec<&'static str> {
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
            fields(&Record {
                technique: Shred,
                ..record()
            }),
            vec!["technique"]
        );
    }

    #[test]
    fn a_passed_record_has_no_failed_verification_and_no_errors() {
        let failed = Record {
            verification_result: Some(VerificationResult::Failed),
            ..record()
        };
        assert_eq!(fields(&failed), vec!["outcome"]);
        assert_eq!(
            check(&Record {
                outcome: Outcome::Failed,
                ..failed
            }),
            Ok(VerificationResult::Failed)
        );
        assert_eq!(
            fields(&Record {
                error_count: 2,
                ..record()
            }),
            vec!["outcome"]
        );
    }

    #[test]
    fn verification_and_its_result_go_together() {
        let unverified = Record {
            verification: Verification::None,
            verification_result: None,
            ..record()
        };
        assert_eq!(check(&unverified), Ok(VerificationResult::NotPerformed));
        let odd = Record {
            verification: Verification::None,
            ..record()
        };
        assert_eq!(fields(&odd), vec!["verification_result"]);
        let missing = Record {
            verification_result: None,
            ..record()
        };
        assert_eq!(fields(&missing), vec!["verification_result"]);
    }

    #[test]
    fn times_run_forward_and_destruction_erases_no_bytes() {
        let now = chrono::Utc::now();
        let backwards = Record {
            started_at: Some(now),
            ended_at: Some(now - chrono::Duration::minutes(1)),
            ..record()
        };
        assert_eq!(fields(&backwards), vec!["ended_at"]);
        // A crypto erase takes no measurable time: ending when it starts is fine.
        let instant = Record {
            started_at: Some(now),
            ended_at: Some(now),
            ..record()
        };
        assert_eq!(check(&instant), Ok(VerificationResult::Passed));
        let shredded = Record {
            category: Category::Destroy,
            technique: Technique::Shred,
            ..record()
        };
        assert_eq!(fields(&shredded), vec!["bytes_erased"]);
    }
}
