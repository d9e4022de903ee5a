//! What went wrong, told to a person in their language. The API's problem
//! documents speak English to programs; a technician on the French scan page
//! reads the same refusal from the catalogue's `problem.*` sentences, chosen
//! by the refusal's type and filled with its own values (state, action,
//! tags). An error without a sentence there keeps its English detail rather
//! than saying nothing.

use crate::error::{AppError, Problem};
use crate::i18n::Language;

/// One sentence (or a few) for a page, chosen by the error's type.
pub fn explain(lang: Language, error: &AppError) -> String {
    let sentence =
        |key: &str, values: &[(&str, &str)]| lang.fill(&format!("problem.{key}"), values);
    match error {
        AppError::Validation(errors) => {
            let fields: Vec<String> = errors.iter().map(|e| field_name(lang, &e.field)).collect();
            sentence("validation", &[("fields", &fields.join(", "))])
        }
        AppError::Refused(refusal) => refusal.explain(lang),
        AppError::TooManyAttempts { retry_after_secs } => sentence(
            "too_many_attempts",
            &[("seconds", &retry_after_secs.to_string())],
        ),
        AppError::NotFound => sentence("not_found", &[]),
        AppError::StaleVersion { .. } => sentence("stale_version", &[]),
        AppError::Forbidden(_) => sentence("forbidden", &[]),
        AppError::Unauthenticated => sentence("unauthenticated", &[]),
        other => english(other.problem()),
    }
}

/// The API's own words: the detail, then each invalid field.
fn english(problem: Problem) -> String {
    problem.errors.iter().fold(problem.detail, |text, e| {
        format!("{text} {}: {}.", e.field, e.message)
    })
}

/// A request field as the page labels it: `note` → "Note",
/// `checklist.screen` → "Écran", `recycler.siret` → "Recycleur › SIRET",
/// `entries[1].hours` → "Ligne 2 › Heures". A name without a label keeps
/// its own words rather than saying nothing.
pub fn field_name(lang: Language, field: &str) -> String {
    if let Some(item) = field.strip_prefix("checklist.") {
        return label(lang, &format!("qc.{item}")).unwrap_or_else(|| item.to_owned());
    }
    if let Some(whole) = label(lang, &format!("field.{field}")) {
        return whole;
    }
    field
        .split('.')
        .map(|part| {
            let (name, index) = match part.split_once('[') {
                Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
                None => (part, None),
            };
            let named = label(lang, &format!("field.{name}")).unwrap_or_else(|| name.to_owned());
            match index {
                Some(i) => format!("{named} {}", i.saturating_add(1)),
                None => named,
            }
        })
        .collect::<Vec<_>>()
        .join(" › ")
}

/// The catalogue's words for `key`, if it has some.
fn label(lang: Language, key: &str) -> Option<String> {
    Some(lang.text(key))
        .filter(|text| *text != key)
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocations::refusals::AllocationRefused;
    use crate::certificates::refusals::CertificateRefused;
    use crate::devices::lifecycle::{Action, DeviceState, Facts, MediumFact, Refusal};
    use crate::devices::refusals::DeviceRefused;
    use crate::devices::service::refusal;
    use crate::erasure::refusals::ErasureRefused;
    use crate::error::FieldError;
    use crate::media::refusals::MediumRefused;
    use crate::stock_audits::refusals::AuditRefused;
    use crate::waste::refusals::ShipmentRefused;

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
        let unknown_field = AppError::Validation(vec![FieldError::new("spin_rate", "too fast")]);
        assert_eq!(
            explain(Language::En, &unknown_field),
            "To complete or correct: spin_rate."
        );
        let nested = AppError::Validation(vec![
            FieldError::new("recycler.siret", "not a SIRET"),
            FieldError::new("entries[1].hours", "too many"),
        ]);
        assert_eq!(
            explain(Language::Fr, &nested),
            "À compléter ou corriger : Recycleur › SIRET, Ligne 2 › Heures."
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
            AppError::from(crate::sites::refusals::SiteCodeTaken { code: "BRE".into() }),
            AppError::from(crate::users::refusals::EmailTaken {
                email: "a@b.c".into(),
            }),
            AppError::from(DeviceRefused::SerialTaken {
                serial: "PF1".into(),
                asset_tag: "BRE-000001-A".into(),
            }),
            AppError::from(DeviceRefused::Closed {
                asset_tag: "BRE-000001-A".into(),
                state: DeviceState::Recycled,
            }),
            AppError::from(MediumRefused::Destroyed {
                asset_tag: "BRE-000002-B".into(),
            }),
            AppError::from(ErasureRefused::LogAlreadyImported),
            AppError::from(CertificateRefused::AlreadyIssued {
                number: "CERT-2026-000001".into(),
            }),
            AppError::from(AuditRefused::Open {
                id: uuid::Uuid::nil(),
            }),
            AppError::from(AuditRefused::Closed),
            AppError::from(AllocationRefused::State {
                state: crate::allocations::AllocationState::Released,
                action: "deliver",
            }),
            AppError::from(AllocationRefused::ReservedForAnother {
                allocation_id: uuid::Uuid::nil(),
                beneficiary_reference: "BRE-B-4K7Q2M9X".into(),
            }),
            AppError::from(AllocationRefused::AlreadyAccepted),
            AppError::from(ShipmentRefused::AlreadyShipped {
                asset_tag: "BRE-000001-A".into(),
            }),
            AppError::from(ShipmentRefused::MediumNotSanitized {
                asset_tag: "BRE-000002-B".into(),
                state: crate::media::MediumState::Removed,
            }),
            AppError::from(CertificateRefused::RecordsMoved),
            AppError::from(ErasureRefused::VerificationOnly {
                method: "Verify Zeros".into(),
            }),
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
    fn a_medium_s_refusal_is_told_with_the_words_of_media_not_of_devices() {
        let error = AppError::from(MediumRefused::Transition {
            why: crate::media::lifecycle::MediumRefusal::NotAllowed {
                from: crate::media::MediumState::Destroyed,
                action: crate::media::MediumAction::Reinstall,
            },
            state: crate::media::MediumState::Destroyed,
            action: crate::media::MediumAction::Reinstall,
        });
        assert_eq!(
            explain(Language::Fr, &error),
            "« Remettre en place » est impossible pour un support de stockage à l’état « Détruit »."
        );
        let listed = AppError::from(CertificateRefused::NotPastErasure {
            blocking: vec![("BRE-000003-X".into(), DeviceState::Received)],
        });
        assert_eq!(
            explain(Language::En, &listed),
            "These devices must be erased first: BRE-000003-X."
        );
    }

    #[test]
    fn a_problem_without_a_sentence_keeps_the_api_s_words() {
        let error = AppError::Conflict("this serial number is already in the lot".into());
        assert_eq!(
            explain(Language::Fr, &error),
            "this serial number is already in the lot"
        );
    }

    /// The names of every property a request body of the OpenAPI document
    /// may hold, nested objects included.
    fn request_fields() -> std::collections::BTreeSet<String> {
        use serde_json::Value;
        let (_, document) = crate::routes();
        let doc = serde_json::to_value(&document).expect("the document as JSON");
        let schemas = &doc["components"]["schemas"];
        let mut todo: Vec<String> = Vec::new();
        for operations in doc["paths"]
            .as_object()
            .into_iter()
            .flat_map(|p| p.values())
        {
            for operation in operations.as_object().into_iter().flat_map(|o| o.values()) {
                if let Some(content) = operation["requestBody"]["content"].as_object() {
                    for body in content.values() {
                        if let Some(name) = body["schema"]["$ref"].as_str() {
                            todo.push(name.rsplit('/').next().unwrap_or_default().to_owned());
                        }
                    }
                }
            }
        }
        fn refs(value: &Value, into: &mut Vec<String>) {
            match value {
                Value::Object(map) => {
                    if let Some(Value::String(r)) = map.get("$ref") {
                        into.push(r.rsplit('/').next().unwrap_or_default().to_owned());
                    }
                    map.values().for_each(|v| refs(v, into));
                }
                Value::Array(items) => items.iter().for_each(|v| refs(v, into)),
                _ => {}
            }
        }
        fn properties(value: &Value, into: &mut std::collections::BTreeSet<String>) {
            match value {
                Value::Object(map) => {
                    if let Some(Value::Object(props)) = map.get("properties") {
                        into.extend(props.keys().cloned());
                    }
                    map.values().for_each(|v| properties(v, into));
                }
                Value::Array(items) => items.iter().for_each(|v| properties(v, into)),
                _ => {}
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        let mut fields = std::collections::BTreeSet::new();
        while let Some(name) = todo.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            let schema = &schemas[&name];
            properties(schema, &mut fields);
            refs(schema, &mut todo);
        }
        fields
    }

    #[test]
    fn every_field_a_request_may_carry_has_a_label_in_both_languages() {
        let fields = request_fields();
        assert!(fields.len() > 100, "{}", fields.len());
        for lang in Language::ALL {
            let unlabelled: Vec<&String> = fields
                .iter()
                .filter(|f| label(lang, &format!("field.{f}")).is_none())
                .collect();
            assert!(
                unlabelled.is_empty(),
                "{lang:?}: no label for {unlabelled:?}"
            );
        }
    }
}
