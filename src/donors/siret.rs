//! SIRET: the 14-digit French establishment number, checked with Luhn's
//! algorithm — except La Poste's establishments (SIREN 356 000 000), whose
//! numbers are checked by the sum of their digits being a multiple of 5.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Siret(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SiretError {
    #[error("a SIRET has 14 digits")]
    Format,
    #[error("this SIRET's check digit is wrong: it was probably mistyped")]
    Checksum,
}

const LA_POSTE_SIREN: &str = "356000000";

fn luhn_valid(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

impl Siret {
    /// Accepts the number with the spaces it is often printed with.
    pub fn parse(input: &str) -> Result<Self, SiretError> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.len() != 14 || !compact.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SiretError::Format);
        }
        let digits: Vec<u32> = compact.bytes().map(|b| u32::from(b - b'0')).collect();
        let valid = if compact.starts_with(LA_POSTE_SIREN) && compact != "35600000000048" {
            digits.iter().sum::<u32>() % 5 == 0
        } else {
            luhn_valid(&digits)
        };
        if valid {
            Ok(Self(compact))
        } else {
            Err(SiretError::Checksum)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A request's `siret` field, checked and written as stored; a refusal
/// names the field.
pub fn field(text: &str) -> Result<String, crate::error::AppError> {
    Siret::parse(text)
        .map(|siret| siret.to_string())
        .map_err(|e| crate::error::AppError::field("siret", e.to_string()))
}

impl fmt::Display for Siret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn real_sirets_are_accepted() {
        // Published establishment numbers: INSEE's head office, La Poste's head office and one of its branches.
        for siret in [
            "12002701600357",
            "35600000000048",
            "35600000049837",
            "732 829 320 00074",
        ] {
            assert!(Siret::parse(siret).is_ok(), "{siret}");
        }
    }

    #[test]
    fn a_mistyped_siret_is_refused() {
        assert_eq!(Siret::parse("12002701600358"), Err(SiretError::Checksum));
        assert_eq!(Siret::parse("1200270160035"), Err(SiretError::Format));
        assert_eq!(Siret::parse("1200270160035A"), Err(SiretError::Format));
    }

    proptest! {
        #[test]
        fn any_single_digit_change_of_a_luhn_siret_is_caught(body in "[1-9][0-9]{12}", at in 0usize..14, delta in 1u32..10) {
            prop_assume!(!body.starts_with("356000000"));
            let check = (0..10).find(|c| Siret::parse(&format!("{body}{c}")).is_ok()).unwrap();
            let valid = format!("{body}{check}");
            let mut digits: Vec<u32> = valid.bytes().map(|b| u32::from(b - b'0')).collect();
            digits[at] = (digits[at] + delta) % 10;
            let typo: String = digits.iter().map(|d| char::from_digit(*d, 10).unwrap()).collect();
            prop_assume!(!typo.starts_with("356000000"));
            prop_assert!(Siret::parse(&typo).is_err());
        }
    }
}
