//! The words enums are stored and sent as: their serde names, derived once
//! by `#[serde(rename_all = "snake_case")]` and read back through them.

/// A stored word (`"laptop"`, `"admin"`) read back as the enum it was written
/// from, through the enum's own serde names; `None` for a word it never had.
pub fn from_word<T: serde::de::DeserializeOwned>(word: &str) -> Option<T> {
    use serde::de::IntoDeserializer;
    T::deserialize(IntoDeserializer::<serde::de::value::Error>::into_deserializer(word)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Laptop,
        AllInOne,
    }

    #[test]
    fn stored_words_read_back_as_their_enums() {
        assert_eq!(from_word::<Kind>("laptop"), Some(Kind::Laptop));
        assert_eq!(from_word::<Kind>("all_in_one"), Some(Kind::AllInOne));
        assert_eq!(from_word::<Kind>("All_In_One"), None);
        assert_eq!(from_word::<Kind>(""), None);
    }
}
