//! Refusals: a domain rule that said no, typed and worded by its domain.

use std::any::Any;

use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Map, Value};

use super::AppError;
use crate::i18n::Language;

/// A domain rule that said no. Each domain types its own refusals and says,
/// once, how each reads: to a program as a problem document, to a person on
/// a page in their language. This floor only carries them.
pub trait Refusal: Any + std::fmt::Debug + Send + Sync {
    /// `409 Conflict` unless the rule says otherwise.
    fn status(&self) -> StatusCode {
        StatusCode::CONFLICT
    }

    /// The problem document's type, title, English detail and members.
    fn problem(&self) -> Refused;

    /// The sentence a page shows, in the reader's language.
    fn explain(&self, lang: Language) -> String;
}

/// What a refusal tells a program: `/problems/{slug}`, its title, a detail
/// in English and the members a client acts on (`state`, `blocking_media`…).
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    pub slug: &'static str,
    pub title: &'static str,
    pub detail: String,
    pub members: Map<String, Value>,
}

impl Refused {
    pub fn new(slug: &'static str, title: &'static str, detail: impl Into<String>) -> Self {
        Self {
            slug,
            title,
            detail: detail.into(),
            members: Map::new(),
        }
    }

    /// One more member of the problem document.
    pub fn with(mut self, member: &str, value: impl Serialize) -> Self {
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        self.members.insert(member.to_owned(), value);
        self
    }
}

impl<R: Refusal> From<R> for AppError {
    fn from(refusal: R) -> Self {
        Self::Refused(Box::new(refusal))
    }
}
