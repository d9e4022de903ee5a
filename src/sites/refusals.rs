//! What registering a site refuses, and how it reads.

use crate::error::{Refusal, Refused};
use crate::i18n::Language;

/// Another site already has this code.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteCodeTaken {
    pub code: String,
}

impl Refusal for SiteCodeTaken {
    fn problem(&self) -> Refused {
        let code = &self.code;
        Refused::new(
            "site-code-taken",
            "Site code taken",
            format!("the site code {code} is taken"),
        )
        .with("code", code)
    }

    fn explain(&self, lang: Language) -> String {
        lang.problem("site_code_taken", &[("code", &self.code)])
    }
}
