//! Pseudonymous references: what the ledger, the forms and the reports call
//! a person by, so that their name can live elsewhere and be erased.

/// Crockford's base32: no I, L, O or U to misread on a form.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new reference such as `BRE-B-4K7Q2M9X`: the site's code, a letter for
/// what it names (`B` beneficiary, `W` worker) and 40 random bits, which
/// say nothing about the person.
pub fn reference(site_code: &str, letter: char) -> String {
    let random = uuid::Uuid::new_v4();
    let bits = random
        .as_bytes()
        .iter()
        .take(5)
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    let code: String = (0..8)
        .rev()
        .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
        .collect();
    format!("{site_code}-{letter}-{code}")
}

/// The reference a record without one of its own is known by once its
/// name is erased, e.g. `U-1A2B3C4D` for an account: a letter and the
/// first digits of its id, stable across replays.
pub fn of_record(letter: char, id: uuid::Uuid) -> String {
    format!("{letter}-{}", &id.simple().to_string()[..8].to_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_carry_the_site_a_letter_and_forty_random_bits() {
        let a = reference("BRE", 'B');
        let b = reference("BRE", 'B');
        assert!(a.starts_with("BRE-B-"));
        assert_eq!(a.len(), "BRE-B-".len() + 8);
        assert!(a[6..].bytes().all(|c| ALPHABET.contains(&c)));
        assert_ne!(a, b);
        assert!(reference("NAN", 'W').starts_with("NAN-W-"));
    }

    #[test]
    fn a_record_without_a_reference_is_known_by_its_id() {
        let id = uuid::Uuid::parse_str("1a2b3c4d-0000-4000-8000-000000000000").unwrap();
        assert_eq!(of_record('U', id), "U-1A2B3C4D");
    }
}
