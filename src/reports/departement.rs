//! The département a French postcode belongs to, as territory reports
//! count them: the first two digits, except Corsica (20xxx: 2A south of
//! Ajaccio's 201xx, 2B from 202xx) and overseas (97x, 98x: three digits).

/// `29200` → `29`; `20090` → `2A`; `20200` → `2B`; `97110` → `971`.
pub fn of_postcode(postcode: &str) -> Option<String> {
    let code = postcode.trim();
    if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number: u32 = code.parse().ok()?;
    Some(match number {
        20000..=20199 => "2A".to_owned(),
        20200..=20999 => "2B".to_owned(),
        97000..=98999 => code[..3].to_owned(),
        _ => code[..2].to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn corsica_and_overseas_have_their_own_codes() {
        assert_eq!(of_postcode("29200").as_deref(), Some("29"));
        assert_eq!(of_postcode("01000").as_deref(), Some("01"));
        assert_eq!(of_postcode("20090").as_deref(), Some("2A"));
        assert_eq!(of_postcode("20167").as_deref(), Some("2A"));
        assert_eq!(of_postcode("20200").as_deref(), Some("2B"));
        assert_eq!(of_postcode("20600").as_deref(), Some("2B"));
        assert_eq!(of_postcode("97110").as_deref(), Some("971"));
        assert_eq!(of_postcode("97600").as_deref(), Some("976"));
        assert_eq!(of_postcode("98800").as_deref(), Some("988"));
        assert_eq!(of_postcode("2A004"), None);
    }

    proptest! {
        #[test]
        fn every_five_digit_code_has_one_departement(code in 0u32..100_000) {
            let text = format!("{code:05}");
            let dep = of_postcode(&text).unwrap();
            prop_assert!(dep.len() == 2 || dep.len() == 3);
            prop_assert!(text.starts_with(&dep) || dep.starts_with('2'));
        }
    }
}
