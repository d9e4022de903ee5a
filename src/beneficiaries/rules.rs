//! What a beneficiary's record may hold: a French postcode, five digits.

/// A French postcode: five digits (Corsica's are 20xxx, overseas 97xxx and
/// 98xxx), spaces removed; `Ok(None)` when none was given. Territory reports
/// read the département from it.
pub fn normalize_postcode(postcode: Option<String>) -> Result<Option<String>, &'static str> {
    let Some(text) = postcode else {
        return Ok(None);
    };
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        Ok(None)
    } else if compact.len() == 5 && compact.bytes().all(|b| b.is_ascii_digit()) {
        Ok(Some(compact))
    } else {
        Err("must be a French postcode: five digits, e.g. 29200")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_are_five_digits() {
        let code = |t: &str| normalize_postcode(Some(t.to_owned()));
        assert_eq!(code("29 200"), Ok(Some("29200".into())));
        assert_eq!(code("20090"), Ok(Some("20090".into())));
        assert_eq!(code("97110"), Ok(Some("97110".into())));
        assert_eq!(code(" "), Ok(None));
        for bad in ["2A004", "2920", "292000", "SW1A"] {
            assert!(code(bad).is_err(), "{bad}");
        }
    }
}
