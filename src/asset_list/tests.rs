use proptest::prelude::*;

use super::read::{Field, field_of};
use super::*;

const GLPI: &[u8] = include_bytes!("../../tests/fixtures/donor-csv/glpi_export_fr.csv");
const SNIPE_IT: &[u8] = include_bytes!("../../tests/fixtures/donor-csv/snipeit_export_en.csv");

fn errors(parsed: &Parsed) -> Vec<(u64, &str)> {
    parsed
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| (i.line, i.field.as_str()))
        .collect()
}

#[test]
fn a_glpi_export_reads_with_its_french_headers_and_kinds() {
    let parsed = parse(GLPI);
    assert_eq!(parsed.reading.encoding, "utf-8");
    assert_eq!(parsed.reading.delimiter, ";");
    assert_eq!(parsed.reading.columns["serial_number"], "Numéro de série");
    assert_eq!(
        parsed.reading.columns["donor_asset_number"],
        "Numéro d'inventaire"
    );
    assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
    assert_eq!(parsed.rows.len(), 40);
    let first = &parsed.rows[0];
    assert_eq!(first.line, 2);
    assert_eq!(first.kind, Some(DeviceKind::Desktop));
    assert_eq!(first.manufacturer.as_deref(), Some("Lenovo"));
    assert_eq!(first.model.as_deref(), Some("ThinkCentre M720q"));
    assert_eq!(first.serial_number.as_deref(), Some("PF1HFE86"));
    assert_eq!(first.donor_asset_number.as_deref(), Some("INV-2019-1000"));
    let kinds = |k| parsed.rows.iter().filter(|r| r.kind == Some(k)).count();
    assert_eq!(
        (
            kinds(DeviceKind::Desktop),
            kinds(DeviceKind::Laptop),
            kinds(DeviceKind::Monitor)
        ),
        (17, 13, 10)
    );
}

#[test]
fn a_snipe_it_export_reads_with_its_english_headers_and_categories() {
    let parsed = parse(SNIPE_IT);
    assert_eq!(parsed.reading.delimiter, ",");
    assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
    assert_eq!(parsed.rows.len(), 25);
    assert_eq!(parsed.reading.columns["model"], "Model");
    assert_eq!(parsed.reading.columns["donor_asset_number"], "Asset Tag");
    let first = &parsed.rows[0];
    assert_eq!(
        (
            first.kind,
            first.serial_number.as_deref(),
            first.donor_asset_number.as_deref()
        ),
        (
            Some(DeviceKind::Desktop),
            Some("LM1M2FP"),
            Some("ACME-5000")
        )
    );
    assert_eq!(
        parsed
            .rows
            .iter()
            .filter(|r| r.kind == Some(DeviceKind::Monitor))
            .count(),
        4
    );
}

#[test]
fn windows_1252_from_an_old_spreadsheet_is_read_as_such() {
    let text = "Marque;Modèle;N° série;Catégorie\r\nLenovo;ThinkPad T480 – é;pf1abc;Écran\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    let parsed = parse(&bytes);
    assert_eq!(parsed.reading.encoding, "windows-1252");
    assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
    assert_eq!(parsed.rows[0].model.as_deref(), Some("ThinkPad T480 – é"));
    assert_eq!(parsed.rows[0].kind, Some(DeviceKind::Monitor));
    assert_eq!(parsed.rows[0].serial_number.as_deref(), Some("PF1ABC"));
}

#[test]
fn utf16_unicode_text_from_excel_with_tabs_is_read() {
    let text =
        "Serial Number\tManufacturer\tModel\tCategory\r\nabc123 \tHP\tEliteBook 840\tLaptops\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let parsed = parse(&bytes);
    assert_eq!(
        (
            parsed.reading.encoding.as_str(),
            parsed.reading.delimiter.as_str()
        ),
        ("utf-16le", "\t")
    );
    assert_eq!(parsed.rows[0].serial_number.as_deref(), Some("ABC123"));
    assert_eq!(parsed.rows[0].kind, Some(DeviceKind::Laptop));
}

#[test]
fn messy_lines_are_reported_with_their_line_numbers() {
    let text = "\n\
        Type;Fabricant;Modèle;Numéro de série\n\
        Ordinateur portable;Dell;\"Latitude; 5490\";aaa1\n\
        \n\
        Ordinateur;HP;\"ProDesk\n600 G3\";AAA1\n\
        Station d'accueil;Dell;WD19;bbb2\n\
        Ecran;Dell;P2419H;\n\
        ;Dell;Inconnu;ccc3\n";
    let parsed = parse(text.as_bytes());
    // Line 5's serial repeats line 3's once upper-cased; line 6 is not a device kind we know;
    // the row after the quoted line break starts on line 7; line 9 has no kind.
    assert_eq!(
        errors(&parsed),
        vec![(5, "serial_number"), (7, "kind"), (9, "kind")]
    );
    let warnings: Vec<(u64, &str)> = parsed
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Warning)
        .map(|i| (i.line, i.field.as_str()))
        .collect();
    assert_eq!(warnings, vec![(8, "serial_number")]);
    assert_eq!(parsed.rows[0].model.as_deref(), Some("Latitude; 5490"));
    assert_eq!(parsed.rows[1].model.as_deref(), Some("ProDesk\n600 G3"));
    assert_eq!(parsed.rows.len(), 5, "blank lines are skipped");
}

#[test]
fn a_file_without_recognisable_columns_is_refused_as_a_whole() {
    for text in ["", "\n\n", "foo;bar\n1;2\n", "Serial;Type\n"] {
        let parsed = parse(text.as_bytes());
        assert!(parsed.has_errors(), "{text:?}");
        assert!(
            parsed.issues.iter().any(|i| i.line == 0),
            "{text:?}: {:?}",
            parsed.issues
        );
    }
}

#[test]
fn header_words_are_recognised_whatever_their_case_accents_and_punctuation() {
    for header in [
        "Numéro de série",
        "N° série",
        "N° de série",
        "Serial",
        "Serial Number",
        "SERIAL NUMBER",
        "numero de serie",
    ] {
        assert_eq!(field_of(header), Some(Field::Serial), "{header}");
    }
    for header in [
        "Numéro d'inventaire",
        "N° d'immobilisation",
        "Asset Tag",
        "Asset Number",
        "N° d’inventaire",
    ] {
        assert_eq!(field_of(header), Some(Field::DonorAsset), "{header}");
    }
    assert_eq!(
        field_of("Model No."),
        None,
        "a product number is not the model"
    );
    assert_eq!(kind_of("Ordinateur portable"), Some(DeviceKind::Laptop));
    assert_eq!(kind_of("LAPTOPS"), Some(DeviceKind::Laptop));
    assert_eq!(kind_of("Tout-en-un"), Some(DeviceKind::AllInOne));
    assert_eq!(kind_of("all_in_one"), Some(DeviceKind::AllInOne));
    assert_eq!(kind_of("Unité centrale"), Some(DeviceKind::Desktop));
    assert_eq!(kind_of("Station d'accueil"), None);
}

proptest! {
    #[test]
    fn any_bytes_are_read_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = parse(&bytes);
    }

    #[test]
    fn any_text_with_a_header_is_read_without_panicking(body in "[a-zA-Z0-9;,\t\"\n éè]{0,500}") {
        let text = format!("Type;Serial;Model\n{body}");
        let parsed = parse(text.as_bytes());
        prop_assert!(parsed.rows.iter().all(|r| r.line >= 2));
    }
}

#[test]
fn every_finding_has_a_filled_sentence_in_each_language() {
    let findings = [
        Finding::Unreadable {
            reason: "CSV error".into(),
        },
        Finding::Empty,
        Finding::NoColumns,
        Finding::NoKindColumn,
        Finding::TooManyRows { max: MAX_ROWS },
        Finding::UnknownKind { word: "Fax".into() },
        Finding::NoKind,
        Finding::NoSerial,
        Finding::TooLong { max: 100 },
        Finding::RepeatedSerial {
            serial: "AB1".into(),
            first_line: 3,
        },
        Finding::AlreadyInLot {
            asset_tag: "BRE-000001-X".into(),
        },
        Finding::OnlyHeader,
    ];
    for finding in &findings {
        let [fr, en] = Language::ALL.map(|lang| finding.describe(lang));
        for text in [&fr, &en] {
            assert!(
                !text.contains('{') && !text.starts_with("import_issue."),
                "{finding:?}: {text}"
            );
        }
        assert_ne!(fr, en, "{finding:?}");
    }
    assert_eq!(
        findings[9].describe(Language::Fr),
        "AB1 figure déjà ligne 3"
    );
}

#[test]
fn an_issue_answers_its_code_values_and_english_sentence_and_reads_back() {
    let parsed = parse(b"Type;Serial\nportable;AB1\nportable;ab1\n");
    let issue = &parsed.issues[0];
    let json = serde_json::to_value(issue).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "line": 3, "severity": "error", "field": "serial_number",
            "code": "repeated_serial", "serial": "AB1", "first_line": 2,
            "message": "AB1 is already on line 2",
        })
    );
    assert_eq!(&serde_json::from_value::<Issue>(json).unwrap(), issue);
}
