//! What nwipe's methods are in NIST SP 800-88 terms. Every overwrite method
//! nwipe offers is a `clear` by overwriting; its "Verify" methods only read a
//! drive back and are verifications, not erasures.

use super::{Category, Technique};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overwrite {
    pub category: Category,
    pub technique: Technique,
    pub pattern: &'static str,
    /// Passes in one round, when the method is known.
    pub passes: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Erasure(Overwrite),
    VerificationOnly,
}

/// The meaning of an nwipe method name, as its log spells it.
pub fn nwipe(name: &str) -> Method {
    let name = name.to_ascii_lowercase();
    let overwrite = |pattern, passes| {
        Method::Erasure(Overwrite {
            category: Category::Clear,
            technique: Technique::Overwrite,
            pattern,
            passes,
        })
    };
    if name.contains("verify") {
        return Method::VerificationOnly;
    }
    if name.contains("zero") {
        overwrite("zeros", Some(1))
    } else if name.contains("one") {
        overwrite("ones", Some(1))
    } else if name.contains("prng") || name.contains("random") {
        overwrite("pseudo-random stream", Some(1))
    } else if name.contains("dod short") {
        overwrite("DoD 5220.22-M short: random, complement, random", Some(3))
    } else if name.contains("dod") {
        overwrite("DoD 5220.22-M: seven passes", Some(7))
    } else if name.contains("gutmann") {
        overwrite("Gutmann: 35 passes", Some(35))
    } else if name.contains("ops") || name.contains("rcmp") {
        overwrite("RCMP TSSIT OPS-II: eight passes", Some(8))
    } else if name.contains("is5") || name.contains("hmg") {
        overwrite("HMG IS5 enhanced: zeros, ones, random", Some(3))
    } else if name.contains("schneier") || name.contains("bruce") {
        overwrite("Schneier: seven passes", Some(7))
    } else {
        Method::Erasure(Overwrite {
            category: Category::Clear,
            technique: Technique::Overwrite,
            pattern: "as named by the tool",
            passes: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passes(name: &str) -> Option<i32> {
        match nwipe(name) {
            Method::Erasure(o) => {
                assert_eq!(
                    (o.category, o.technique),
                    (Category::Clear, Technique::Overwrite),
                    "{name}"
                );
                o.passes
            }
            Method::VerificationOnly => panic!("{name} is an erasure"),
        }
    }

    #[test]
    fn every_nwipe_overwrite_method_is_a_clear_with_its_passes() {
        assert_eq!(passes("Fill With Zeros"), Some(1));
        assert_eq!(passes("Fill With Ones"), Some(1));
        assert_eq!(passes("PRNG Stream"), Some(1));
        assert_eq!(passes("DoD Short"), Some(3));
        assert_eq!(passes("DoD 5220.22-M"), Some(7));
        assert_eq!(passes("Gutmann Wipe"), Some(35));
        assert_eq!(passes("RCMP TSSIT OPS-II"), Some(8));
        assert_eq!(passes("HMG IS5 Enhanced"), Some(3));
        assert_eq!(passes("Some Future Method"), None);
    }

    #[test]
    fn verify_methods_are_not_erasures() {
        assert_eq!(nwipe("Verify Zeros"), Method::VerificationOnly);
        assert_eq!(nwipe("Verify Ones"), Method::VerificationOnly);
    }
}
