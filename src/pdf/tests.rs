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

/// A two-page document in both weights, French and a name from further afield.
fn two_pages() -> Vec<u8> {
    let mut writer = Writer::new("Attestation", chrono::Utc::now()).unwrap();
    writer.paragraph(
        "Attestation de don — Ateliers du Réemploi",
        14.0,
        Weight::Bold,
    );
    writer.paragraph(
        "Effacement certifié : 12 disques, 3 détruits. Łódź, Œuvre, ß.",
        9.0,
        Weight::Regular,
    );
    writer.new_page();
    writer.paragraph(
        "Page deux : numéros de série S3Z9NB0K123456789",
        9.0,
        Weight::Regular,
    );
    writer.finish("Retrace").unwrap()
}

#[test]
fn a_document_carries_only_the_glyphs_it_shows() {
    let pdf = two_pages();
    // The two DejaVu faces whole weigh 1.4 MB.
    assert!(pdf.len() < 60_000, "{} bytes", pdf.len());
    // Both faces are still embedded, each cut to the glyphs it shows.
    let text = String::from_utf8_lossy(&pdf);
    assert_eq!(text.matches("/FontFile2").count(), 2, "both faces embedded");
}
