//! What a job answers: its typed value and what is kept for a replay; and the idempotency key a request came with.

use std::any::Any;

use serde_json::Value;

use crate::ledger::Error;

/// The answer a job gives: its value, typed, for the caller, and the JSON a
/// request retried with the same idempotency key is answered with.
pub struct Reply {
    /// What is kept for a replay: the answer's JSON, or what stands for it.
    pub kept: Value,
    /// The job's own value; `None` in a replay, which has only [`Reply::kept`].
    pub(super) answer: Option<Box<dyn Any + Send>>,
}

impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reply").field("kept", &self.kept).finish()
    }
}

impl Reply {
    /// `answer`, kept as its own JSON.
    pub fn new<T, E>(answer: T) -> Result<Self, E>
    where
        T: serde::Serialize + Send + 'static,
        E: From<Error>,
    {
        let kept = serde_json::to_value(&answer).map_err(Error::internal)?;
        Ok(Self {
            kept,
            answer: Some(Box::new(answer)),
        })
    }

    /// `answer`, with `kept` kept in its stead: the answer holds what must
    /// not be stored (a credential shown once, a person's name).
    pub fn withholding<T, E>(answer: T, kept: impl serde::Serialize) -> Result<Self, E>
    where
        T: Send + 'static,
        E: From<Error>,
    {
        Ok(Self {
            kept: serde_json::to_value(kept).map_err(Error::internal)?,
            answer: Some(Box::new(answer)),
        })
    }

    /// The job's value, if this is not a replay and it is a `T`.
    pub fn answer<T: 'static>(self) -> Option<T> {
        self.answer?.downcast().ok().map(|answer| *answer)
    }
}

/// What the caller gets back: the reply, and whether it is a replay.
#[derive(Debug)]
pub struct Outcome {
    pub reply: Reply,
    pub replayed: bool,
}

/// A client's `Idempotency-Key` and the identity of the request it came with.
#[derive(Debug, Clone)]
pub struct Idempotency {
    pub key: String,
    pub fingerprint: String,
}
