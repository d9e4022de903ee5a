use super::*;
use validator::Validate;

#[derive(Debug, Deserialize, Serialize, PartialEq, Validate)]
struct Changes {
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[validate(length(max = 3))]
    note: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[validate(range(min = 0, max = 10))]
    count: Patch<i32>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[validate(email)]
    email: Patch<String>,
}

fn read(json: &str) -> Changes {
    serde_json::from_str(json).unwrap()
}

#[test]
fn absent_null_and_value_are_three_different_things() {
    assert_eq!(read("{}").note, Patch::Keep);
    assert_eq!(read(r#"{"note":null}"#).note, Patch::Clear);
    assert_eq!(read(r#"{"note":"x"}"#).note, Patch::Set("x".into()));
}

#[test]
fn a_change_writes_itself_back_as_it_came() {
    for json in [
        "{}",
        r#"{"note":null}"#,
        r#"{"note":"x","count":null}"#,
        r#"{"count":4,"email":"a@b.fr"}"#,
    ] {
        assert_eq!(serde_json::to_string(&read(json)).unwrap(), json);
    }
}

#[test]
fn checks_apply_to_a_value_sent_only() {
    assert!(read("{}").validate().is_ok());
    assert!(
        read(r#"{"note":null,"count":null,"email":null}"#)
            .validate()
            .is_ok()
    );
    assert!(
        read(r#"{"note":"abc","count":10,"email":"a@b.fr"}"#)
            .validate()
            .is_ok()
    );
    for refused in [
        r#"{"note":"abcd"}"#,
        r#"{"count":11}"#,
        r#"{"count":-1}"#,
        r#"{"email":"nope"}"#,
    ] {
        let errors = read(refused).validate().unwrap_err();
        assert_eq!(errors.field_errors().len(), 1, "{refused}");
    }
}

#[test]
fn a_blank_text_clears_and_a_text_is_trimmed() {
    assert_eq!(Patch::Set("  ".to_owned()).map_sent(clean), Patch::Clear);
    assert_eq!(
        Patch::Set(" a ".to_owned()).map_sent(clean),
        Patch::Set("a".to_owned())
    );
    assert_eq!(Patch::<String>::Clear.map_sent(clean), Patch::Clear);
    assert_eq!(Patch::<String>::Keep.map_sent(clean), Patch::Keep);
}

#[test]
fn the_field_as_it_will_be() {
    assert_eq!(Patch::Keep.or(Some(1)), Some(1));
    assert_eq!(Patch::Clear.or(Some(1)), None);
    assert_eq!(Patch::Set(2).or(Some(1)), Some(2));
}
