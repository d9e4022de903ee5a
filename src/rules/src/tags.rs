//! Asset tags: `<SITE CODE>-<sequence>-<check>`, e.g. `BRE-004217-K`.
//!
//! Tags are typed by hand when a label is damaged, so the last character is a
//! check character over the code and the sequence, computed as ISO 7064
//! MOD 37-2 computes it (a pure system, radix 2, modulus 37) except that the
//! weighted sum is brought to 0 where the standard brings it to 1: the check
//! is the standard's one value before (`G123498654321` → `G`, not `H`). The
//! detection is the same, and it is the check every label printed so far
//! carries, so it stays. The characters are weighted by powers of 2 modulo
//! the prime 37, so a single
//! substituted character changes the sum by (a−b)·2^k and an adjacent swap by
//! (a−b)·2^k, never a multiple of 37 — both are always caught (tested
//! exhaustively below). The 37th check value would need a symbol (`*`) that a
//! label should not carry, so sequence numbers whose check would be `*` are
//! simply never issued.

use std::fmt;

/// The character set of the check: digits then letters, values 0..=35.
const ALPHABET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const MODULUS: u32 = 37;

/// Sequence numbers are zero-padded to this many digits (more once past 999,999).
const SEQUENCE_DIGITS: usize = 6;
/// A site code has 2 to this many letters.
const MAX_CODE: usize = 5;
/// A sequence has at most this many digits.
const MAX_DIGITS: usize = 12;
/// The longest tag, without its hyphens: nothing longer is one typo away from a tag.
const LONGEST: usize = MAX_CODE + MAX_DIGITS + 1;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AssetTag {
    site_code: String,
    sequence: u64,
    check: char,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TagError {
    #[error("an asset tag looks like BRE-004217-K: site code, number, check character")]
    Format,
    #[error("the check character does not match: the tag was probably mistyped")]
    CheckMismatch,
}

fn value_of(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// The check value (0..=36) of a string of digits and capital letters.
fn check_value(payload: &str) -> Option<u32> {
    let p = payload
        .bytes()
        .try_fold(0, |p, c| Some((p + value_of(c)?) * 2 % MODULUS))?;
    Some((MODULUS - p) % MODULUS)
}

/// The check character of a payload, if it has one (`None` for the `*` value).
pub fn check_character(payload: &str) -> Option<char> {
    ALPHABET
        .get(check_value(payload)? as usize)
        .map(|&b| b as char)
}

impl AssetTag {
    /// The tag of the `sequence`-th item of a site, if that number is issued
    /// (about one in 37 is not: see the module's documentation).
    pub fn new(site_code: &str, sequence: u64) -> Option<Self> {
        let check = check_character(&format!("{site_code}{sequence:0SEQUENCE_DIGITS$}"))?;
        Some(Self {
            site_code: site_code.to_owned(),
            sequence,
            check,
        })
    }

    /// The first tag of a site numbered `sequence` or more.
    pub fn first_from(site_code: &str, sequence: u64) -> Option<Self> {
        (sequence..sequence.saturating_add(64)).find_map(|n| Self::new(site_code, n))
    }

    /// Reads a tag as a person or a scanner typed it: case, spaces and missing
    /// hyphens are forgiven; a wrong check character is not.
    pub fn parse(input: &str) -> Result<Self, TagError> {
        let compact: String = input
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '\t'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if !compact.is_ascii() {
            return Err(TagError::Format);
        }
        let code_len = compact.bytes().take_while(u8::is_ascii_uppercase).count();
        if !(2..=MAX_CODE).contains(&code_len) {
            return Err(TagError::Format);
        }
        let (code, rest) = compact.split_at(code_len);
        let last = rest.len().checked_sub(1).ok_or(TagError::Format)?;
        let (digits, check) = rest.split_at(last);
        if digits.is_empty()
            || digits.len() > MAX_DIGITS
            || !digits.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(TagError::Format);
        }
        let sequence: u64 = digits.parse().map_err(|_| TagError::Format)?;
        // Only the printed form is a tag: `BRE-4217-X` or `BRE-0004217-X` are not `BRE-004217-X`.
        if digits != format!("{sequence:0SEQUENCE_DIGITS$}") {
            return Err(TagError::Format);
        }
        let tag = Self::new(code, sequence).ok_or(TagError::CheckMismatch)?;
        if !check.starts_with(tag.check) {
            return Err(TagError::CheckMismatch);
        }
        Ok(tag)
    }

    /// The valid tags one typo away from `input` — one character replaced,
    /// or two neighbours swapped — for "did you mean…?" when a typed tag
    /// fails its check. Empty when `input` does not even look like a tag.
    pub fn corrections(input: &str) -> Vec<Self> {
        let compact: Vec<u8> = input
            .bytes()
            .filter(|c| !matches!(c, b'-' | b' ' | b'\t'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if compact.len() > LONGEST || !compact.iter().all(|c| value_of(*c).is_some()) {
            return Vec::new();
        }
        let mut found = Vec::new();
        let mut consider = |word: &[u8]| {
            if let Ok(tag) = std::str::from_utf8(word)
                .map_err(|_| TagError::Format)
                .and_then(Self::parse)
                && !found.contains(&tag)
            {
                found.push(tag);
            }
        };
        for at in 0..compact.len() {
            for &c in ALPHABET {
                if c != compact[at] {
                    let mut word = compact.clone();
                    word[at] = c;
                    consider(&word);
                }
            }
            if at + 1 < compact.len() && compact[at] != compact[at + 1] {
                let mut word = compact.clone();
                word.swap(at, at + 1);
                consider(&word);
            }
        }
        found
    }

    pub fn site_code(&self) -> &str {
        &self.site_code
    }

    pub fn sequence(&self) -> u64 {
        self.sequence
    }
}

impl fmt::Display for AssetTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{:0width$}-{}",
            self.site_code,
            self.sequence,
            self.check,
            width = SEQUENCE_DIGITS
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_tag_prints_with_padding_and_check() {
        let tag = AssetTag::first_from("BRE", 4217).unwrap();
        let text = tag.to_string();
        assert!(text.starts_with("BRE-0042"), "{text}");
        assert_eq!(AssetTag::parse(&text).unwrap(), tag);
    }

    #[test]
    fn hand_typed_variants_are_forgiven() {
        let tag = AssetTag::first_from("LYO", 42).unwrap();
        let text = tag.to_string();
        assert_eq!(AssetTag::parse(&text.to_lowercase()).unwrap(), tag);
        assert_eq!(AssetTag::parse(&text.replace('-', "")).unwrap(), tag);
        assert_eq!(AssetTag::parse(&format!("  {text} ")).unwrap(), tag);
    }

    #[test]
    fn malformed_input_is_a_format_error() {
        for input in [
            "",
            "B-000001-X",
            "BRESTS-000001-X",
            "BRE-",
            "BRE-X",
            "BRE-00A001-X",
            "é-000001-X",
            "123456",
            "BRE-4217-X",
        ] {
            assert_eq!(AssetTag::parse(input), Err(TagError::Format), "{input:?}");
        }
    }

    #[test]
    fn about_one_number_in_37_is_skipped_and_never_more_than_a_few_in_a_row() {
        let skipped = (1..=37_000)
            .filter(|n| AssetTag::new("BRE", *n).is_none())
            .count();
        assert!((900..1100).contains(&skipped), "{skipped}");
        for n in 1..10_000 {
            let tag = AssetTag::first_from("BRE", n).unwrap();
            assert!(tag.sequence() - n < 8);
        }
    }

    /// On a 12-character payload, every substitution of any character by any
    /// other, and every swap of two different adjacent characters, anywhere
    /// (the check character included), is refused.
    #[test]
    fn every_substitution_and_adjacent_swap_is_caught_exhaustively() {
        let base: Vec<u8> = b"ABCDE0123456".to_vec();
        let valid = |chars: &[u8]| {
            let (payload, check) = chars.split_at(chars.len() - 1);
            check_character(std::str::from_utf8(payload).unwrap()) == Some(check[0] as char)
        };
        for at in 0..base.len() {
            for &a in ALPHABET {
                for &b in ALPHABET {
                    if a == b {
                        continue;
                    }
                    let mut word = base.clone();
                    word[at] = a;
                    let Some(check) = check_character(std::str::from_utf8(&word).unwrap()) else {
                        continue;
                    };
                    word.push(check as u8);
                    assert!(valid(&word));
                    let mut typo = word.clone();
                    typo[at] = b;
                    assert!(
                        !valid(&typo),
                        "substitution at {at}: {}",
                        String::from_utf8_lossy(&typo)
                    );
                    let mut swapped = word.clone();
                    if swapped[at] != swapped[at + 1] {
                        swapped.swap(at, at + 1);
                        assert!(
                            !valid(&swapped),
                            "swap at {at}: {}",
                            String::from_utf8_lossy(&swapped)
                        );
                    }
                }
            }
        }
    }

    /// Known answers, so that the check itself cannot drift: every label
    /// already printed carries these characters.
    #[test]
    fn the_check_characters_are_the_ones_printed_on_labels() {
        assert_eq!(check_character("BRE004217"), Some('X'));
        assert_eq!(check_character("BRE000001"), Some('I'));
        assert_eq!(check_character("BRE000009"), Some('2'));
        // ISO 7064's own example: the standard brings the sum to 1 (`H`),
        // Retrace to 0, one value before.
        assert_eq!(check_character("G123498654321"), Some('G'));
        assert_eq!(
            AssetTag::new("BRE", 4217).unwrap().to_string(),
            "BRE-004217-X"
        );
        let tag = AssetTag::parse("bre-004217-x").unwrap();
        assert_eq!((tag.site_code(), tag.sequence()), ("BRE", 4217));
    }

    #[test]
    fn a_sequence_has_up_to_twelve_digits() {
        let long = AssetTag::new("BRE", 123_456_789_012).unwrap();
        assert_eq!(AssetTag::parse(&long.to_string()), Ok(long));
        let too_long = format!(
            "BRE-1234567890123-{}",
            check_character("BRE1234567890123").unwrap()
        );
        assert_eq!(AssetTag::parse(&too_long), Err(TagError::Format));
    }

    #[test]
    fn an_adjacent_swap_is_offered_back_among_the_corrections() {
        let tag = AssetTag::new("NAN", 4217).unwrap();
        // NAN-004217-? with "21" typed "12".
        let typed = tag.to_string().replace("4217", "4127");
        assert_eq!(AssetTag::parse(&typed), Err(TagError::CheckMismatch));
        assert!(AssetTag::corrections(&typed).contains(&tag), "{typed}");
        // A swap of the last two characters too: the last digit and the check.
        let printed = tag.to_string();
        let check = printed.chars().last().unwrap();
        let swapped = printed.replace(&format!("7-{check}"), &format!("{check}-7"));
        assert_ne!(swapped, printed);
        assert!(AssetTag::corrections(&swapped).contains(&tag), "{swapped}");
    }

    #[test]
    fn the_longest_tag_is_corrected_too() {
        let longest = AssetTag::new("ABCDE", 999_999_999_998).unwrap();
        let printed = longest.to_string();
        assert_eq!(printed.replace('-', "").len(), LONGEST);
        let typed = printed.replacen('9', "8", 1);
        assert!(AssetTag::corrections(&typed).contains(&longest), "{typed}");
        assert!(AssetTag::corrections(&format!("{typed}0")).is_empty());
    }

    #[test]
    fn what_does_not_look_like_a_tag_gets_no_corrections() {
        let printed = AssetTag::new("BRE", 4217).unwrap().to_string();
        // A character no tag has, in place of a digit: no guess.
        assert!(AssetTag::corrections(&printed.replace('2', "#")).is_empty());
        assert!(AssetTag::corrections(&printed.replace('2', "é")).is_empty());
        assert!(!AssetTag::corrections(&printed.replace('2', "3")).is_empty());
    }

    fn tag_strategy() -> impl Strategy<Value = AssetTag> {
        ("[A-Z]{2,5}", 0u64..10_000_000)
            .prop_map(|(code, seq)| AssetTag::first_from(&code, seq).unwrap())
    }

    proptest! {
        #[test]
        fn every_generated_tag_parses_back(tag in tag_strategy()) {
            prop_assert_eq!(AssetTag::parse(&tag.to_string()), Ok(tag));
        }

        #[test]
        fn a_single_typo_is_always_caught(tag in tag_strategy(), index in any::<prop::sample::Index>(), replacement in 0usize..36) {
            let text = tag.to_string();
            let positions: Vec<usize> = text.char_indices().filter(|(_, c)| *c != '-').map(|(i, _)| i).collect();
            let at = positions[index.index(positions.len())];
            let new = ALPHABET[replacement] as char;
            prop_assume!(text.as_bytes()[at] as char != new);
            let mut typo = text.clone();
            typo.replace_range(at..=at, &new.to_string());
            prop_assert!(AssetTag::parse(&typo).is_err(), "{} accepted as {}", typo, text);
        }

        #[test]
        fn an_adjacent_swap_is_always_caught(tag in tag_strategy(), index in any::<prop::sample::Index>()) {
            let compact: Vec<char> = tag.to_string().chars().filter(|c| *c != '-').collect();
            let at = index.index(compact.len() - 1);
            prop_assume!(compact[at] != compact[at + 1]);
            let mut swapped = compact.clone();
            swapped.swap(at, at + 1);
            let swapped: String = swapped.into_iter().collect();
            prop_assert!(AssetTag::parse(&swapped).is_err(), "{} accepted for {}", swapped, tag);
        }

        #[test]
        fn a_typo_is_among_the_corrections_offered_for_it(tag in tag_strategy(), index in any::<prop::sample::Index>(), replacement in 0usize..36) {
            let text = tag.to_string();
            let positions: Vec<usize> = text.char_indices().filter(|(_, c)| *c != '-').map(|(i, _)| i).collect();
            let at = positions[index.index(positions.len())];
            let new = ALPHABET[replacement] as char;
            prop_assume!(text.as_bytes()[at] as char != new);
            let mut typo = text.clone();
            typo.replace_range(at..=at, &new.to_string());
            let corrections = AssetTag::corrections(&typo);
            prop_assert!(corrections.contains(&tag), "{} not offered for {}: {:?}", text, typo, corrections);
        }

        #[test]
        fn parsing_never_panics(input in "\\PC{0,24}") {
            let _ = AssetTag::parse(&input);
        }
    }
}
