use super::*;

#[test]
fn numbers_are_written_as_each_language_writes_them() {
    assert_eq!(decimal(1234.5, 1, Language::Fr), "1\u{202f}234,5");
    assert_eq!(decimal(1234.5, 1, Language::En), "1,234.5");
    assert_eq!(decimal(12.0, 0, Language::Fr), "12");
    assert_eq!(decimal(-1234567.0, 0, Language::En), "-1,234,567");
    assert_eq!(decimal(0.25, 2, Language::Fr), "0,25");
}

#[test]
fn every_word_of_the_statement_exists_in_both_languages() {
    for key in [
        "title",
        "covers_lot",
        "covers_year",
        "period",
        "intro",
        "what_became",
        "collected",
        "reused",
        "recycled",
        "dismantled",
        "in_progress",
        "kg_collected",
        "kg_reused",
        "kg_recycled",
        "col_kind",
        "col_collected",
        "col_reused",
        "col_recycled",
        "who",
        "individuals",
        "organisations",
        "departement",
        "departement_unknown",
        "no_person",
        "climate",
        "co2e",
        "factors",
        "source",
        "not_estimated",
        "work",
        "hours_supported",
        "hours_rule",
        "esrs",
        "esrs_intro",
        "esrs_reuse",
        "esrs_recycling",
        "esrs_diverted",
        "esrs_co2e",
        "device",
        "devices",
        "method",
        "signed",
    ] {
        let key = format!("statement.{key}");
        for lang in [Language::Fr, Language::En] {
            assert_ne!(lang.text(&key), key, "{key} missing in {lang:?}");
        }
    }
}
