//! What registering a user refuses, and how it reads.

use crate::error::{Refusal, Refused};
use crate::i18n::Language;

/// Another account already has this email.
#[derive(Debug, Clone, PartialEq)]
pub struct EmailTaken {
    pub email: String,
}

impl Refusal for EmailTaken {
    fn problem(&self) -> Refused {
        let email = &self.email;
        Refused::new(
            "email-taken",
            "Email taken",
            format!("a user with email {email} already exists"),
        )
        .with("email", email)
    }

    fn explain(&self, lang: Language) -> String {
        lang.problem("email_taken", &[("email", &self.email)])
    }
}
