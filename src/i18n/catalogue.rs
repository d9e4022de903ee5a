//! The Fluent catalogues, compiled in: one file per domain and language
//! under `templates/i18n/`. Each language's messages without variables are
//! written out once, at first use, so that a page's many words cost a map
//! lookup; a message with variables is formatted each time it is filled.

use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast::Entry;

use super::Language;
use super::format;

/// Each domain's file, in French then in English.
macro_rules! sources {
    ($($name:literal),* $(,)?) => {
        [$((
            $name,
            include_str!(concat!("../../templates/i18n/fr/", $name, ".ftl")),
            include_str!(concat!("../../templates/i18n/en/", $name, ".ftl")),
        )),*]
    };
}

pub(super) const SOURCES: [(&str, &str, &str); 10] = sources!(
    "common",
    "devices",
    "media",
    "erasure",
    "donations",
    "audits",
    "allocations",
    "waste",
    "workforce",
    "reports",
);

pub(super) struct Catalogue {
    bundle: FluentBundle<FluentResource>,
    /// Every message without variables, written out, by the key code names
    /// it with (`event.device.registered`): a page's many words are looked
    /// up without building a Fluent name each. (No key holds a `-`.)
    plain: HashMap<String, String>,
}

/// The Fluent name of a key: `event.device.registered` → `event-device-registered`.
pub(super) fn id(key: &str) -> String {
    key.replace('.', "-")
}

/// The sources of one language.
pub(super) fn sources(language: Language) -> impl Iterator<Item = (&'static str, &'static str)> {
    SOURCES
        .into_iter()
        .map(move |(name, fr, en)| match language {
            Language::Fr => (name, fr),
            Language::En => (name, en),
        })
}

/// Numbers a message shows are written as the language writes them.
fn numbers_fr<M>(value: &FluentValue, _: &M) -> Option<String> {
    match value {
        FluentValue::Number(n) => Some(format::number(Language::Fr, n.value, digits(n))),
        _ => None,
    }
}

fn numbers_en<M>(value: &FluentValue, _: &M) -> Option<String> {
    match value {
        FluentValue::Number(n) => Some(format::number(Language::En, n.value, digits(n))),
        _ => None,
    }
}

/// The decimals a number was given with (`3.50` keeps two).
fn digits(n: &fluent_bundle::types::FluentNumber) -> usize {
    n.options.minimum_fraction_digits.unwrap_or(0)
}

fn build(language: Language) -> Catalogue {
    let locale = match language {
        Language::Fr => unic_langid::langid!("fr"),
        Language::En => unic_langid::langid!("en"),
    };
    let mut bundle = FluentBundle::new_concurrent(vec![locale]);
    // Pages, PDFs and CSVs hold no bidirectional text: no isolation marks.
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(match language {
        Language::Fr => numbers_fr,
        Language::En => numbers_en,
    }));
    let mut ids = Vec::new();
    for (name, source) in sources(language) {
        let resource =
            FluentResource::try_new(source.to_owned()).unwrap_or_else(|(resource, errors)| {
                tracing::error!(file = name, ?errors, "a catalogue has errors");
                resource
            });
        ids.extend(resource.entries().filter_map(|entry| match entry {
            Entry::Message(message) => Some(message.id.name.to_owned()),
            _ => None,
        }));
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(file = name, ?errors, "a catalogue repeats a message");
        }
    }
    let mut catalogue = Catalogue {
        bundle,
        plain: HashMap::new(),
    };
    for id in ids {
        if let Some(text) = catalogue.format(&id, None) {
            catalogue.plain.insert(id.replace('-', "."), text);
        }
    }
    catalogue
}

pub(super) fn of(language: Language) -> &'static Catalogue {
    static CATALOGUES: OnceLock<[Catalogue; 2]> = OnceLock::new();
    let all = CATALOGUES.get_or_init(|| [build(Language::Fr), build(Language::En)]);
    match language {
        Language::Fr => &all[0],
        Language::En => &all[1],
    }
}

impl Catalogue {
    fn format(&self, id: &str, args: Option<&FluentArgs>) -> Option<String> {
        let message = self.bundle.get_message(id)?;
        let pattern = message.value()?;
        let mut errors = Vec::new();
        Some(
            self.bundle
                .format_pattern(pattern, args, &mut errors)
                .into_owned(),
        )
    }

    pub(super) fn plain(&self, key: &str) -> Option<&str> {
        self.plain.get(key).map(String::as_str)
    }

    /// The message `key` with its variables given. A count (`n`, `count`)
    /// is passed as a number, so that it chooses the plural form and is
    /// written as the language writes numbers; any other value is text as
    /// given (a SIRET or a serial made of digits is no number to group).
    pub(super) fn fill(&self, key: &str, values: &[(&str, &str)]) -> Option<String> {
        let mut args = FluentArgs::new();
        for (name, value) in values {
            if matches!(*name, "n" | "count") {
                args.set(*name, FluentValue::try_number(value));
            } else {
                args.set(*name, FluentValue::from(*value));
            }
        }
        self.format(&id(key), Some(&args))
    }

    /// Every message's name, for the tests that compare languages.
    #[cfg(test)]
    pub(super) fn ids(&self) -> impl Iterator<Item = &String> {
        self.plain.keys()
    }
}
