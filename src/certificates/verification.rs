//! The address that verifies a certificate: its number and a code that only
//! its paper (or PDF, or the donor's portal) holds — a keyed hash of the
//! number, so that counting numbers at `/verify/…` lists no holder.
//!
//! A number alone still says whether the certificate exists, whether its
//! signature holds, and its fingerprint (what a copy's SHA-256 is compared
//! with), so that certificates printed before the code keep verifying; who
//! holds it and how many devices it covers are shown with the code only.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::ledger::keys::InstanceKey;

/// 16 hexadecimal digits: 64 bits, beyond any guessing at 300 a minute.
const CODE_DIGITS: usize = 16;

fn keyed(key: &InstanceKey, number: &str) -> Option<Hmac<Sha256>> {
    let secret = key.derived_secret("certificate-verification");
    let mut mac = Hmac::<Sha256>::new_from_slice(&secret).ok()?;
    mac.update(number.as_bytes());
    Some(mac)
}

/// The certificate `number`'s code.
pub fn code(key: &InstanceKey, number: &str) -> String {
    keyed(key, number)
        .map(|mac| hex::encode(mac.finalize().into_bytes())[..CODE_DIGITS].to_owned())
        .unwrap_or_default()
}

/// Whether `given` is `number`'s code, compared in constant time.
pub fn holds(key: &InstanceKey, number: &str, given: &str) -> bool {
    let (Some(mac), Ok(given)) = (keyed(key, number), hex::decode(given)) else {
        return false;
    };
    given.len() * 2 == CODE_DIGITS && mac.verify_truncated_left(&given).is_ok()
}

/// Where anyone verifies the certificate `number`, code included.
pub fn url(public_url: &str, key: &InstanceKey, number: &str) -> String {
    format!("{public_url}/verify/{number}?code={}", code(key, number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_belongs_to_one_number_and_one_instance() {
        let dir = tempfile::tempdir().unwrap();
        let key = InstanceKey::load_or_create(dir.path()).unwrap();
        let other = InstanceKey::load_or_create(&dir.path().join("other")).unwrap();
        let code = code(&key, "BRE-2026-0001");
        assert_eq!(code.len(), CODE_DIGITS);
        assert!(holds(&key, "BRE-2026-0001", &code));
        assert!(!holds(&key, "BRE-2026-0002", &code), "another number");
        assert!(!holds(&other, "BRE-2026-0001", &code), "another instance");
        assert!(!holds(&key, "BRE-2026-0001", &code[..8]), "a part of it");
        assert!(!holds(&key, "BRE-2026-0001", "zz"), "not hexadecimal");
        assert_eq!(
            url("https://atelier.example", &key, "BRE-2026-0001"),
            format!("https://atelier.example/verify/BRE-2026-0001?code={code}")
        );
    }
}
