use super::*;

#[test]
fn site_codes_are_two_to_five_capitals() {
    for ok in ["BR", "BRE", "LYONS"] {
        assert!(SiteCode::parse(ok).is_ok(), "{ok}");
    }
    for bad in ["B", "BRESTS", "bre", "BR3", "BRÉ", ""] {
        assert!(validate_code(bad).is_err(), "{bad}");
    }
}
