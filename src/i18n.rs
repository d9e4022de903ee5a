//! Words shown to people, in French (the default) and English.
//!
//! The catalogues are `templates/i18n/{fr,en}.toml`, compiled in: a workshop
//! can read and correct them without reading Rust, and a test keeps the two
//! with the same keys. Certificates keep their own typed labels
//! (`certificates::labels`) because a missing word there is a legal defect.

use std::collections::HashMap;
use std::sync::OnceLock;

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
        catalogue(self).get(key).map_or(key, String::as_str)
    }

    /// The sentence of a refusal (`problem.{key}` in the catalogue), filled.
    pub fn problem(self, key: &str, values: &[(&str, &str)]) -> String {
        self.fill(&format!("problem.{key}"), values)
    }

    /// A word of a vocabulary: `word("state", "received")` is « Reçu ».
    pub fn word(self, section: &str, name: &str) -> String {
        self.text(&format!("{section}.{name}")).to_owned()
    }

    /// The sentence for `key` with each `{name}` replaced by its value.
    pub fn fill(self, key: &str, values: &[(&str, &str)]) -> String {
        values
            .iter()
            .fold(self.text(key).to_owned(), |text, (name, value)| {
                text.replace(&format!("{{{name}}}"), value)
            })
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

const FR: &str = include_str!("../templates/i18n/fr.toml");
const EN: &str = include_str!("../templates/i18n/en.toml");

fn catalogue(language: Language) -> &'static HashMap<String, String> {
    static CATALOGUES: OnceLock<[HashMap<String, String>; 2]> = OnceLock::new();
    let all = CATALOGUES.get_or_init(|| [parse(FR), parse(EN)]);
    match language {
        Language::Fr => &all[0],
        Language::En => &all[1],
    }
}

/// Flattens `[section] key = "…"` into `section.key`.
fn parse(source: &str) -> HashMap<String, String> {
    fn flatten(prefix: &str, table: &toml::Table, into: &mut HashMap<String, String>) {
        for (key, value) in table {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            match value {
                toml::Value::Table(inner) => flatten(&path, inner, into),
                toml::Value::String(text) => {
                    into.insert(path, text.clone());
                }
                // Only words belong in a catalogue.
                _ => {}
            }
        }
    }
    let table: toml::Table = toml::from_str(source).unwrap_or_default();
    let mut map = HashMap::new();
    flatten("", &table, &mut map);
    map
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

    #[test]
    fn both_catalogues_parse_and_have_the_same_keys() {
        for source in [FR, EN] {
            let table: toml::Table = toml::from_str(source).expect("a catalogue parses");
            assert!(!table.is_empty());
        }
        let (fr_keys, en_keys) = (parse(FR), parse(EN));
        let mut missing_in_en: Vec<_> = fr_keys
            .keys()
            .filter(|k| !en_keys.contains_key(*k))
            .collect();
        let mut missing_in_fr: Vec<_> = en_keys
            .keys()
            .filter(|k| !fr_keys.contains_key(*k))
            .collect();
        missing_in_en.sort();
        missing_in_fr.sort();
        assert!(
            missing_in_en.is_empty(),
            "missing in en.toml: {missing_in_en:?}"
        );
        assert!(
            missing_in_fr.is_empty(),
            "missing in fr.toml: {missing_in_fr:?}"
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
