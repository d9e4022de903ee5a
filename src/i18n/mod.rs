//! Words shown to people, in French (the default) and English.
//!
//! The catalogues are Fluent files, `templates/i18n/{fr,en}/<domain>.ftl`,
//! compiled in ([`catalogue`]): a workshop can read and correct them
//! without reading Rust, plurals are the language's own, and a test keeps
//! the two languages with the same messages and the same variables. Code
//! names a message `section.key` (the file's `section-key`). Numbers and
//! dates are written one way per language everywhere ([`format`]).
//! Certificates keep their own typed labels (`certificates::labels`)
//! because a missing word there is a legal defect.

mod catalogue;
pub mod format;

use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Fr,
    En,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Fr, Language::En];

    pub fn as_str(self) -> &'static str {
        crate::words::word(&self)
    }

    pub fn parse(text: &str) -> Option<Self> {
        crate::words::from_word(text)
    }

    /// The first language of an `Accept-Language` header that Retrace speaks,
    /// honouring its q-values; French when none is.
    pub fn negotiate(headers: &HeaderMap) -> Self {
        let Some(header) = headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
        else {
            return Self::default();
        };
        let mut ranked: Vec<(f32, Language)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.trim().split(';');
                let tag = pieces.next()?.trim().to_ascii_lowercase();
                let primary = tag.split('-').next()?;
                let language = Self::parse(primary)?;
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some((quality, language))
            })
            .collect();
        // Stable: among equal q-values the header's order wins.
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.first().map_or(Self::default(), |(_, l)| *l)
    }

    /// The word for `key`; the key itself when the catalogue lacks it, so a
    /// gap shows on the page instead of breaking it.
    pub fn text(self, key: &str) -> &str {
        catalogue::of(self).plain(key).unwrap_or(key)
    }

    /// A day as this language writes it (`06/12/2026`, `2026-12-06`).
    pub fn date(self, day: chrono::NaiveDate) -> String {
        format::date(self, day)
    }

    /// A quantity with `decimals` decimals, as this language writes it.
    pub fn number(self, value: f64, decimals: usize) -> String {
        format::number(self, value, decimals)
    }

    /// A figure with up to two decimals, no trailing zero (`12,5`).
    pub fn figure(self, value: f64) -> String {
        format::figure(self, value)
    }

    /// The sentence of a refusal (`problem.{key}` in the catalogue), filled.
    pub fn problem(self, key: &str, values: &[(&str, &str)]) -> String {
        self.fill(&format!("problem.{key}"), values)
    }

    /// A word of a vocabulary: `word("state", "received")` is « Reçu ».
    pub fn word(self, section: &str, name: &str) -> String {
        self.text(&format!("{section}.{name}")).to_owned()
    }

    /// The sentence for `key` with each `{ $name }` given its value; a value
    /// that is a number chooses the plural form (`{ $n -> [one] … }`).
    pub fn fill(self, key: &str, values: &[(&str, &str)]) -> String {
        catalogue::of(self)
            .fill(key, values)
            .unwrap_or_else(|| key.to_owned())
    }

    /// The sentence for `key` about `n` things, in the plural form `n` takes.
    pub fn count(self, key: &str, n: impl Into<f64>) -> String {
        let n: f64 = n.into();
        self.fill(key, &[("n", &format::plain_number(n))])
    }

    /// What a device is called on its label and its pages: "Portable Lenovo
    /// ThinkPad T480". `kind` is the stored word (`laptop`).
    pub fn device_title(
        self,
        kind: &str,
        manufacturer: Option<&str>,
        model: Option<&str>,
    ) -> String {
        words(&[
            Some(self.text(&format!("kind.{kind}"))),
            manufacturer,
            model,
        ])
    }

    /// A storage medium, as precisely as a technician needs to pick the right
    /// drive: "SSD Samsung 870 EVO 256 GB S/N S3Z9NB0K". The public card
    /// passes no serial.
    pub fn medium_title(
        self,
        kind: &str,
        model: Option<&str>,
        capacity_bytes: Option<i64>,
        serial: Option<&str>,
    ) -> String {
        let capacity = capacity_bytes.map(|b| format!("{:.0} GB", b as f64 / 1e9));
        let serial = serial.map(|s| format!("S/N {s}"));
        words(&[
            Some(self.text(&format!("medium_kind.{kind}"))),
            model,
            capacity.as_deref(),
            serial.as_deref(),
        ])
    }
}

/// The parts present, trimmed, separated by one space.
fn words(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .flatten()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_name_the_item_in_the_reader_s_language() {
        assert_eq!(
            Language::Fr.device_title("laptop", Some("Lenovo"), Some(" ThinkPad T480 ")),
            "Portable Lenovo ThinkPad T480"
        );
        assert_eq!(
            Language::En.device_title("laptop", None, Some("")),
            "Laptop"
        );
        assert_eq!(
            Language::En.medium_title("ssd", Some("870 EVO"), Some(256_060_514_304), Some("S3Z9")),
            "SSD 870 EVO 256 GB S/N S3Z9"
        );
        assert_eq!(
            Language::En.medium_title("hdd", None, None, None),
            "Hard disk"
        );
    }
    use crate::devices::{Action, DeviceKind, DeviceState};

    /// Each message's variables, by name, as its source declares them.
    fn messages(language: Language) -> std::collections::BTreeMap<String, Vec<String>> {
        use fluent_syntax::parser;
        let mut all = std::collections::BTreeMap::new();
        for (name, source) in catalogue::sources(language) {
            let resource = parser::parse(source)
                .unwrap_or_else(|(_, errors)| panic!("{language:?} {name}.ftl: {errors:?}"));
            for entry in resource.body {
                if let fluent_syntax::ast::Entry::Message(message) = entry {
                    let id = message.id.name.to_owned();
                    let mut variables = Vec::new();
                    if let Some(pattern) = &message.value {
                        variables_of(pattern, &mut variables);
                    }
                    variables.sort();
                    variables.dedup();
                    assert!(
                        all.insert(id.clone(), variables).is_none(),
                        "{language:?}: {id} twice"
                    );
                }
            }
        }
        all
    }

    /// Every `$variable` of a pattern, selectors and variants included.
    fn variables_of(pattern: &fluent_syntax::ast::Pattern<&str>, into: &mut Vec<String>) {
        use fluent_syntax::ast::{Expression, InlineExpression, PatternElement};
        fn inline(expression: &InlineExpression<&str>, into: &mut Vec<String>) {
            match expression {
                InlineExpression::VariableReference { id } => into.push(id.name.to_owned()),
                InlineExpression::Placeable { expression } => walk(expression, into),
                _ => {}
            }
        }
        fn walk(expression: &Expression<&str>, into: &mut Vec<String>) {
            match expression {
                Expression::Inline(e) => inline(e, into),
                Expression::Select { selector, variants } => {
                    inline(selector, into);
                    for variant in variants {
                        variables_of(&variant.value, into);
                    }
                }
            }
        }
        for element in &pattern.elements {
            if let PatternElement::Placeable { expression } = element {
                walk(expression, into);
            }
        }
    }

    #[test]
    fn both_languages_have_every_message_with_the_same_variables() {
        let (fr, en) = (messages(Language::Fr), messages(Language::En));
        assert!(fr.len() > 700, "{}", fr.len());
        let only_fr: Vec<_> = fr.keys().filter(|k| !en.contains_key(*k)).collect();
        let only_en: Vec<_> = en.keys().filter(|k| !fr.contains_key(*k)).collect();
        assert!(only_fr.is_empty(), "missing in English: {only_fr:?}");
        assert!(only_en.is_empty(), "missing in French: {only_en:?}");
        for (id, variables) in &fr {
            assert_eq!(&en[id], variables, "{id}: the same variables in both");
        }
        // And the bundles hold them all, written out.
        for language in Language::ALL {
            assert_eq!(
                catalogue::of(language).ids().count(),
                fr.len(),
                "{language:?}"
            );
        }
    }

    #[test]
    fn a_count_chooses_the_plural_form_of_its_language() {
        assert_eq!(Language::Fr.count("portal.stage_lost", 1), "perdu");
        assert_eq!(Language::Fr.count("portal.stage_lost", 0), "perdu");
        assert_eq!(Language::Fr.count("portal.stage_lost", 2), "perdus");
        assert_eq!(Language::En.count("portal.stage_lost", 1), "lost");
        assert_eq!(
            Language::Fr.count("devices.count", 1234),
            "Appareils listés : 1\u{202f}234.",
            "a count is written as the language writes numbers"
        );
    }

    #[test]
    fn a_value_made_of_digits_is_text_unless_it_is_a_count() {
        assert_eq!(
            Language::Fr.fill(
                "problem.serial_taken",
                &[("tag", "BRE-000001-K"), ("serial", "73282932000074")]
            ),
            "BRE-000001-K porte déjà le numéro de série 73282932000074."
        );
    }

    #[test]
    fn every_kind_state_and_action_has_a_name_in_each_language() {
        for language in Language::ALL {
            for kind in DeviceKind::ALL {
                let key = format!("kind.{}", kind.as_str());
                assert_ne!(language.text(&key), key, "{language:?}");
            }
            for state in DeviceState::ALL {
                let key = format!("state.{}", state.as_str());
                assert_ne!(language.text(&key), key, "{language:?}");
            }
            for action in Action::ALL {
                let key = format!("action.{}", action.as_str());
                assert_ne!(language.text(&key), key, "{language:?}");
            }
        }
    }

    #[test]
    fn every_event_a_device_s_history_shows_has_a_name_in_each_language() {
        // A device's history holds its own events, its media's and its allocations'.
        let shown = crate::catalogue::catalogue()
            .entries()
            .map(|e| e.kind)
            .filter(|k| {
                ["device.", "medium.", "allocation."]
                    .iter()
                    .any(|p| k.starts_with(p))
            })
            .filter(|k| *k != "device.transitioned");
        for kind in shown {
            for language in Language::ALL {
                let key = format!("event.{kind}");
                assert_ne!(language.text(&key), key, "{language:?}");
            }
        }
    }

    fn headers(value: &str) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(
            axum::http::header::ACCEPT_LANGUAGE,
            value.parse().expect("header"),
        );
        map
    }

    #[test]
    fn accept_language_picks_the_best_language_spoken() {
        assert_eq!(Language::negotiate(&HeaderMap::new()), Language::Fr);
        assert_eq!(
            Language::negotiate(&headers("en-GB,en;q=0.9")),
            Language::En
        );
        assert_eq!(
            Language::negotiate(&headers("de-DE, en;q=0.5, fr;q=0.8")),
            Language::Fr
        );
        assert_eq!(Language::negotiate(&headers("de, es")), Language::Fr);
        assert_eq!(
            Language::negotiate(&headers("fr-FR,fr;q=0.9,en;q=0.8")),
            Language::Fr
        );
    }
}
