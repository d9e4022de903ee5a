use super::*;

#[test]
fn only_texts_shaped_like_dates_are_dates() {
    assert_eq!(year_of("2026-12-05"), Some(2026));
    assert_eq!(year_of("2026-12-05T10:00:00Z"), Some(2026));
    assert_eq!(year_of("-262143-01-01"), Some(-262_143));
    assert_eq!(year_of("+262142-12-31"), Some(262_142));
    assert_eq!(year_of("99999999999999999999-01-01"), Some(i64::MAX));
    for other in [
        "12-34-56",
        "1-2-3",
        "PF1ABC01",
        "2026-1-5",
        "2026-12-05x",
        "",
        "-",
        "2026",
    ] {
        assert_eq!(year_of(other), None, "{other}");
    }
}

#[test]
fn a_date_outside_1900_to_2200_is_refused_with_its_field() {
    assert!(check("from", "1900-01-01").is_ok());
    assert!(check("from", "2200-12-31").is_ok());
    assert!(check("note", "written 1850-01-01").is_ok());
    for far in [
        "1899-12-31",
        "2201-01-01",
        "-262143-01-01",
        "+262142-12-31",
        "0000-01-01",
    ] {
        let refused = check("from", far).unwrap_err();
        assert!(format!("{refused:?}").contains("from"), "{far}");
    }
    let body = serde_json::json!({"entries": [{"date": "+262142-12-31"}]});
    assert!(check_json("body", &body).is_err());
}

#[test]
fn a_nul_is_refused_anywhere_with_its_field() {
    let refused = check("q", "ab\0c").unwrap_err();
    assert!(format!("{refused:?}").contains("NUL"), "{refused:?}");
    assert!(check_pairs(b"q=%00").is_err());
    assert!(check_json("body", &serde_json::json!({"note": "x\u{0}"})).is_err());
}
