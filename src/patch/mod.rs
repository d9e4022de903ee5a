//! Partial updates: a field absent from a PATCH body is left alone, a field
//! sent as `null` is cleared, a value replaces. [`Patch`] tells the three
//! apart and writes itself back the same way into the ledger payload, so a
//! change reads the same in the request, the event and the replay.

mod record;

pub use record::{Versioned, record_changes};

use std::borrow::Cow;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One field of a partial update. Declare it as
/// `#[serde(default, skip_serializing_if = "Patch::is_keep")]`: absent is
/// [`Patch::Keep`] and writes nothing back, `null` is [`Patch::Clear`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Patch<T> {
    /// The field was not sent: the record keeps its value.
    #[default]
    Keep,
    /// The field was sent as `null`: the record's value is cleared.
    Clear,
    /// The field was sent with a value.
    Set(T),
}

impl<T> Patch<T> {
    pub fn is_keep(&self) -> bool {
        matches!(self, Patch::Keep)
    }

    /// Whether the field was sent at all, cleared or set.
    pub fn is_sent(&self) -> bool {
        !self.is_keep()
    }

    /// The value sent, if one was.
    pub fn value(&self) -> Option<&T> {
        match self {
            Patch::Set(value) => Some(value),
            Patch::Keep | Patch::Clear => None,
        }
    }

    /// The field as it will be once the change is made to `current`.
    pub fn or(self, current: Option<T>) -> Option<T> {
        match self {
            Patch::Keep => current,
            Patch::Clear => None,
            Patch::Set(value) => Some(value),
        }
    }

    /// A field that was sent, as `f` makes it from its value or its `null`:
    /// `f` answering `None` clears (`.map_sent(clean)` clears a blank text).
    pub fn map_sent<U>(self, f: impl FnOnce(Option<T>) -> Option<U>) -> Patch<U> {
        match self {
            Patch::Keep => Patch::Keep,
            Patch::Clear => f(None).map_or(Patch::Clear, Patch::Set),
            Patch::Set(value) => f(Some(value)).map_or(Patch::Clear, Patch::Set),
        }
    }

    /// The value sent, made by `f`, which may refuse it; keeping and
    /// clearing pass through.
    pub fn try_map<U, E>(self, f: impl FnOnce(T) -> Result<U, E>) -> Result<Patch<U>, E> {
        Ok(match self {
            Patch::Keep => Patch::Keep,
            Patch::Clear => Patch::Clear,
            Patch::Set(value) => Patch::Set(f(value)?),
        })
    }
}

/// `None` keeps, `Some(None)` clears, `Some(Some(v))` sets.
impl<T> From<Option<Option<T>>> for Patch<T> {
    fn from(field: Option<Option<T>>) -> Self {
        match field {
            None => Patch::Keep,
            Some(None) => Patch::Clear,
            Some(Some(value)) => Patch::Set(value),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    /// Only a field that is present reaches here (`#[serde(default)]` makes
    /// an absent one [`Patch::Keep`]), so `null` means clear.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(|value| value.map_or(Patch::Clear, Patch::Set))
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(serializer)
    }
}

// The request's checks apply to a value sent; keeping or clearing passes.

impl<T: validator::ValidateLength<u64>> validator::ValidateLength<u64> for Patch<T> {
    fn length(&self) -> Option<u64> {
        self.value().and_then(T::length)
    }
}

impl<T: validator::ValidateEmail> validator::ValidateEmail for Patch<T> {
    fn as_email_string(&self) -> Option<Cow<'_, str>> {
        self.value().and_then(T::as_email_string)
    }
}

impl<T: PartialOrd> validator::ValidateRange<T> for Patch<T> {
    fn greater_than(&self, max: T) -> Option<bool> {
        self.value().map(|value| *value > max)
    }

    fn less_than(&self, min: T) -> Option<bool> {
        self.value().map(|value| *value < min)
    }
}

/// Trims a free-text field; an empty or blank value means "none".
pub fn clean(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests;
