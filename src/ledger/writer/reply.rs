//! What a job answers: its typed value and what is kept for a replay; and the idempotency key a request came with.

use std::any::Any;

use serde_json::Value;

use crate::ledger::Error;

/// The answer a job gives: its value, typed, for the caller, and the JSON a
/// request retried with the same idempotency key is answered with.
pub struct Reply {
    kept: Kept,
    /// The job's own value; `None` in a replay, which has only [`Reply::kept`].
    pub(super) answer: Option<Box<dyn Any + Send>>,
}

/// What a replay of the request is answered with.
enum Kept {
    /// Known already: a replay's, or what a job withholding its answer gave.
    Json(Value),
    /// The answer's own JSON, made only if asked for: only a request with an
    /// idempotency key keeps it, and serializing every answer on the
    /// writer's thread was a twentieth of its time.
    Answer(fn(&(dyn Any + Send)) -> Option<serde_json::Result<Value>>),
}

impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reply").finish_non_exhaustive()
    }
}

impl Reply {
    /// `answer`, kept as its own JSON.
    pub fn new<T, E>(answer: T) -> Result<Self, E>
    where
        T: serde::Serialize + Send + 'static,
        E: From<Error>,
    {
        fn json<T: serde::Serialize + 'static>(
            answer: &(dyn Any + Send),
        ) -> Option<serde_json::Result<Value>> {
            answer.downcast_ref::<T>().map(serde_json::to_value)
        }
        Ok(Self {
            kept: Kept::Answer(json::<T>),
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
            kept: Kept::Json(serde_json::to_value(kept).map_err(Error::internal)?),
            answer: Some(Box::new(answer)),
        })
    }

    /// A replay: the answer kept from the first request.
    pub(super) fn replayed(kept: Value) -> Self {
        Self {
            kept: Kept::Json(kept),
            answer: None,
        }
    }

    /// What a request retried with the same idempotency key is answered with.
    pub fn kept(&self) -> Result<Value, Error> {
        match (&self.kept, &self.answer) {
            (Kept::Json(kept), _) => Ok(kept.clone()),
            (Kept::Answer(json), Some(answer)) => json(answer.as_ref())
                .ok_or_else(|| Error::internal("a reply holds another type than its answer"))?
                .map_err(Error::internal),
            (Kept::Answer(_), None) => Err(Error::internal("a reply without its answer")),
        }
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
