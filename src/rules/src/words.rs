//! The words enums are stored and sent as: their serde names
//! (`#[serde(rename_all = "snake_case")]`), derived once and read both ways
//! through serde, so no enum keeps a second table of its words.

use serde::{Serialize, de::DeserializeOwned};

/// The word an enum's unit variant is written as (`DeviceKind::AllInOne` →
/// `"all_in_one"`).
///
/// Only for enums of unit variants, the only kind that has a word: anything
/// else is a programming error, which the first test to touch it shows.
pub fn word<T: Serialize>(value: &T) -> &'static str {
    serde_variant::to_variant_name(value).expect("a word is a unit variant's serde name")
}

/// A stored word (`"laptop"`, `"admin"`) read back as the enum it was written
/// from, through the enum's own serde names; `None` for a word it never had.
pub fn from_word<T: DeserializeOwned>(word: &str) -> Option<T> {
    use serde::de::IntoDeserializer;
    T::deserialize(IntoDeserializer::<serde::de::value::Error>::into_deserializer(word)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Laptop,
        AllInOne,
        #[serde(rename = "tower")]
        Desktop,
    }

    #[test]
    fn an_enum_is_written_as_its_serde_name() {
        assert_eq!(word(&Kind::Laptop), "laptop");
        assert_eq!(word(&Kind::AllInOne), "all_in_one");
        assert_eq!(word(&Kind::Desktop), "tower");
    }

    #[test]
    fn stored_words_read_back_as_their_enums() {
        for kind in [Kind::Laptop, Kind::AllInOne, Kind::Desktop] {
            assert_eq!(from_word::<Kind>(word(&kind)), Some(kind));
        }
        assert_eq!(from_word::<Kind>("All_In_One"), None);
        assert_eq!(from_word::<Kind>("desktop"), None);
        assert_eq!(from_word::<Kind>(""), None);
    }
}
