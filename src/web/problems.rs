//! What went wrong, told to a person in their language. The API's problem
//! documents speak English to programs; a technician on the French scan page
//! reads the same refusal from the catalogue's `problem.*` sentences, filled
//! with the problem's own members (state, action, tags). A problem without a
//! sentence there keeps its English detail rather than saying nothing.

use serde_json::Value;

use crate::error::{AppError, Problem};
use crate::i18n::Language;

/// One sentence (or a few) for a page.
pub fn explain(lang: Language, error: &AppError) -> String {
    let problem = error.problem();
    let slug = problem.kind.trim_start_matches("/problems/");
    let member = |name: &str| problem.extra.get(name);
    let word = |section: &str, name: &str| {
        member(name)
            .and_then(Value::as_str)
            .map_or_else(String::new, |w| {
                lang.text(&format!("{section}.{w}")).to_owned()
            })
    };
    let key = format!("problem.{}", slug.replace('-', "_"));
    match slug {
        "validation" => {
            let fields: Vec<String> = problem
                .errors
                .iter()
                .map(|e| field_name(lang, &e.field))
                .collect();
            lang.fill(&key, &[("fields", &fields.join(", "))])
        }
        "unknown-code" | "mistyped-tag" => lang.fill(&key, &[("code", &text_of(member("code")))]),
        "transition-not-allowed" => lang.fill(
            &key,
            &[
                ("state", &word("state", "state")),
                ("action", &word("action", "action")),
            ],
        ),
        "terminal-state" => lang.fill(&key, &[("state", &word("state", "state"))]),
        "media-not-sanitized" | "not-past-erasure" => {
            let blocking = member("blocking_media").or_else(|| member("blocking_devices"));
            lang.fill(&key, &[("tags", &tags_of(blocking))])
        }
        "device-has-media" => lang.fill(&key, &[("count", &text_of(member("media_count")))]),
        "too-many-attempts" => lang.fill(&key, &[("seconds", &text_of(member("retry_after")))]),
        "not-found" | "stale-version" | "forbidden" | "unauthenticated" => {
            lang.text(&key).to_owned()
        }
        _ => english(problem),
    }
}

/// The API's own words: the detail, then each invalid field.
fn english(problem: Problem) -> String {
    problem.errors.iter().fold(problem.detail, |text, e| {
        format!("{text} {}: {}.", e.field, e.message)
    })
}

/// A request field as the page labels it: `note` → "Note", `checklist.screen` → "Écran".
pub fn field_name(lang: Language, field: &str) -> String {
    let key = match field.split_once('.') {
        Some(("checklist", item)) => format!("qc.{item}"),
        _ => format!("field.{field}"),
    };
    match lang.text(&key) {
        text if text == key => field.to_owned(),
        text => text.to_owned(),
    }
}

fn text_of(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// The asset tags of a list of blocking items, as "BRE-000001-X, BRE-000002-Y".
fn tags_of(value: Option<&Value>) -> String {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item["asset_tag"].as_str())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::lifecycle::{Action, DeviceState, Facts, MediumFact, Refusal};
    use crate::devices::service::refusal;
    use crate::error::FieldError;

    fn refused(why: Refusal) -> AppError {
        refusal(
            why,
            DeviceState::Received,
            Action::Deliver,
            &Facts::default(),
        )
    }

    #[test]
    fn a_refused_transition_is_told_with_the_reader_s_words_for_state_and_action() {
        let error = refused(Refusal::NotAllowed {
            from: DeviceState::Received,
            action: Action::Deliver,
        });
        assert_eq!(
            explain(Language::Fr, &error),
            "« Remettre » est impossible pour un appareil à l’état « Reçu »."
        );
        assert_eq!(
            explain(Language::En, &error),
            "“Deliver” is not possible for a device in state “Received”."
        );
    }

    #[test]
    fn blocking_media_and_missing_fields_are_named() {
        let blocking = refused(Refusal::MediaNotSanitized {
            blocking: vec![MediumFact {
                id: uuid::Uuid::nil(),
                asset_tag: "BRE-000007-P".into(),
                serial_number: None,
                state: crate::media::MediumState::Present,
            }],
        });
        assert_eq!(
            explain(Language::Fr, &blocking),
            "Effacez ou détruisez d’abord ces supports de stockage : BRE-000007-P."
        );
        let missing = refused(Refusal::QcFailed {
            failing: vec!["screen", "battery"],
        });
        assert_eq!(
            explain(Language::Fr, &missing),
            "À compléter ou corriger : Écran, Batterie."
        );
        let unknown_field = AppError::Validation(vec![FieldError::new("weight_kg", "too heavy")]);
        assert_eq!(
            explain(Language::En, &unknown_field),
            "To complete or correct: weight_kg."
        );
    }

    #[test]
    fn every_sentence_is_filled_in_both_languages() {
        let errors = [
            AppError::NotFound,
            AppError::StaleVersion { current: 3 },
            AppError::Forbidden("technicians cannot".into()),
            AppError::Unauthenticated,
            AppError::TooManyAttempts {
                retry_after_secs: 30,
            },
            AppError::field("note", "is required"),
            refused(Refusal::Terminal {
                state: DeviceState::Recycled,
            }),
            refused(Refusal::HasMedia { count: 2 }),
        ];
        for lang in Language::ALL {
            for error in &errors {
                let text = explain(lang, error);
                assert!(
                    !text.contains('{') && !text.starts_with("problem."),
                    "{lang:?} {error:?}: {text}"
                );
                assert_ne!(text, error.problem().detail, "{lang:?} {error:?}");
            }
        }
    }

    #[test]
    fn a_problem_without_a_sentence_keeps_the_api_s_words() {
        let error = AppError::Conflict("this serial number is already in the lot".into());
        assert_eq!(
            explain(Language::Fr, &error),
            "this serial number is already in the lot"
        );
    }
}
