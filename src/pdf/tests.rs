use super::*;

#[test]
fn text_is_measured_with_the_fonts_own_widths() {
    let writer = Writer::new("t", chrono::Utc::now()).unwrap();
    let narrow = writer.width("iiii", 10.0, Weight::Regular);
    let wide = writer.width("WWWW", 10.0, Weight::Regular);
    assert!(wide > 2.0 * narrow, "{narrow} {wide}");
    assert!(writer.width("abc", 10.0, Weight::Bold) > writer.width("abc", 10.0, Weight::Regular));
}

#[test]
fn wrapping_keeps_every_word_and_cuts_only_what_cannot_fit() {
    let writer = Writer::new("t", chrono::Utc::now()).unwrap();
    let text = "Effacement certifié selon NIST SP 800-88 — numéro de série S3Z9NB0K123456789012345";
    let lines = writer.wrap(text, 30.0, 8.0, Weight::Regular);
    assert!(lines.len() > 2);
    assert!(
        lines
            .iter()
            .all(|l| writer.width(l, 8.0, Weight::Regular) <= 30.0 + 0.01),
        "{lines:?}"
    );
    assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
}
