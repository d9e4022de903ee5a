use super::load::FileSettings;
use super::*;

fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_owned())
    }
}

#[test]
fn defaults_give_an_embedded_database_under_data() {
    let settings = Settings::from_sources(FileSettings::default(), env_of(&[])).unwrap();
    assert_eq!(
        settings.database_url.expose(),
        "sqlite://data/retrace.db?mode=rwc"
    );
    assert_eq!(settings.bind.to_string(), "127.0.0.1:8080");
    assert_eq!(settings.public_url, "http://127.0.0.1:8080");
    assert!(settings.is_sqlite());
}

#[test]
fn environment_overrides_the_file() {
    let file: FileSettings =
        toml::from_str("instance_name = \"Atelier\"\npublic_url = \"https://a.example\"").unwrap();
    let settings = Settings::from_sources(
        file,
        env_of(&[
            ("RETRACE_PUBLIC_URL", "https://b.example/"),
            ("RETRACE_LOG_FORMAT", "json"),
        ]),
    )
    .unwrap();
    assert_eq!(settings.instance_name, "Atelier");
    assert_eq!(settings.public_url, "https://b.example");
    assert_eq!(settings.log_format, LogFormat::Json);
}

#[test]
fn a_bad_variable_is_named() {
    let err = Settings::from_sources(
        FileSettings::default(),
        env_of(&[("RETRACE_BIND", "nowhere")]),
    )
    .unwrap_err();
    assert!(err.to_string().contains("RETRACE_BIND"));
}

#[test]
fn the_readme_s_example_is_read_and_its_impact_table_kept_as_written() {
    let readme = include_str!("../../README.md");
    let start = readme.find("[impact]").expect("the README's example");
    let example = &readme[start..];
    let example = &example[..example.find("```").expect("end of example")];
    let file: FileSettings = toml::from_str(example).unwrap();
    let settings = Settings::from_sources(file, env_of(&[])).unwrap();
    assert!(settings.impact.contains_key("co2e_kg"));
    assert_eq!(settings.privacy.beneficiary_retention_months, 24);
}

#[test]
fn personal_data_is_kept_36_months_unless_set_and_never_zero() {
    let default = Settings::from_sources(FileSettings::default(), env_of(&[])).unwrap();
    assert_eq!(default.privacy.beneficiary_retention_months, 36);
    for months in ["0", "1201"] {
        let file: FileSettings = toml::from_str(&format!(
            "[privacy]\nbeneficiary_retention_months = {months}"
        ))
        .unwrap();
        let err = Settings::from_sources(file, env_of(&[])).unwrap_err();
        assert!(
            err.to_string().contains("beneficiary_retention_months"),
            "{err}"
        );
    }
    assert!(toml::from_str::<FileSettings>("[privacy]\nforever = true").is_err());
}

#[test]
fn a_portal_link_opens_a_year_unless_set_and_never_zero_days() {
    let default = Settings::from_sources(FileSettings::default(), env_of(&[])).unwrap();
    assert_eq!(default.portal.link_days, 365);
    let set: FileSettings = toml::from_str("[portal]\nlink_days = 90").unwrap();
    assert_eq!(
        Settings::from_sources(set, env_of(&[]))
            .unwrap()
            .portal
            .link_days,
        90
    );
    for days in ["0", "3651"] {
        let file: FileSettings = toml::from_str(&format!("[portal]\nlink_days = {days}")).unwrap();
        let err = Settings::from_sources(file, env_of(&[])).unwrap_err();
        assert!(err.to_string().contains("portal.link_days"), "{err}");
    }
}

#[test]
fn database_urls_are_not_printed() {
    let secret = Secret::new("postgres://u:hunter2@db/retrace");
    assert!(!format!("{secret:?}").contains("hunter2"));
}

#[test]
fn durations_read_as_people_write_them() {
    assert_eq!(parse_duration("24h"), Some(Duration::from_secs(86_400)));
    assert_eq!(parse_duration("90m"), Some(Duration::from_secs(5_400)));
    assert_eq!(parse_duration("3600"), Some(Duration::from_secs(3_600)));
    assert_eq!(parse_duration("2d"), Some(Duration::from_secs(172_800)));
    for bad in ["", "h", "0", "12x", "-5m", "99999999999999999999d"] {
        assert_eq!(parse_duration(bad), None, "{bad}");
    }
}

#[test]
fn the_idempotency_ttl_is_a_day_unless_set() {
    let default = Settings::from_sources(FileSettings::default(), |_| None).unwrap();
    assert_eq!(default.idempotency_ttl, IDEMPOTENCY_TTL);
    let set = Settings::from_sources(FileSettings::default(), |name| {
        (name == "RETRACE_IDEMPOTENCY_TTL").then(|| "30m".to_owned())
    })
    .unwrap();
    assert_eq!(set.idempotency_ttl, Duration::from_secs(1800));
    assert!(
        Settings::from_sources(FileSettings::default(), |name| {
            (name == "RETRACE_IDEMPOTENCY_TTL").then(|| "soon".to_owned())
        })
        .is_err()
    );
}
