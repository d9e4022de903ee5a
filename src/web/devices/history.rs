//! A device's history as its page tells it: each event in a sentence, in
//! the reader's language, read from the event's own payload type.

use std::collections::HashMap;

use crate::allocations::events::Returned;
use crate::devices::events::Transitioned;
use crate::error::AppError;
use crate::i18n::Language;
use crate::ledger::{Event, Payload};
use crate::media::events::Transitioned as MediumTransitioned;
use crate::principal::Permission;
use crate::refurbishment::events::{Work, WorkRecorded};
use crate::scan::{ItemType, ScanResult};
use crate::state::AppState;

/// One line of the history, ready to print.
pub struct HistoryLine {
    pub at: String,
    pub what: String,
    /// Who did it: a member of staff's name, for readers who may read them
    /// (empty for the instance itself, and for a funder).
    pub who: String,
}

/// The item's events, newest first, each in a sentence.
pub(super) async fn history_of(
    state: &AppState,
    principal: &crate::principal::Principal,
    item: &ScanResult,
    lang: Language,
) -> Result<Vec<HistoryLine>, AppError> {
    let subjects: Vec<uuid::Uuid> = match (&item.item_type, &item.device, &item.medium) {
        (ItemType::Medium, _, Some(m)) => vec![m.id.0],
        (_, Some(d), _) => crate::devices::queries::history_subjects(&state.db, d.id).await?,
        _ => Vec::new(),
    };
    let page = crate::pagination::HistoryPage {
        after_seq: None,
        limit: Some(500),
    };
    let history = page.fetch(&state.db, Some(subjects)).await?;
    let events = crate::catalogue::as_read_by(principal, history).items;
    // Staff names are the workshop's, not a funder's.
    let names = if principal.role.allows(Permission::ReadNotes) {
        crate::users::queries::names(&state.db, events.iter().filter_map(|e| e.actor_id)).await?
    } else {
        HashMap::new()
    };
    // A drive's events name it by its tag, in its device's history.
    let tags: HashMap<uuid::Uuid, &str> = item
        .media
        .iter()
        .chain(item.medium.as_ref())
        .map(|m| (m.id.0, m.asset_tag.as_str()))
        .collect();
    Ok(events
        .iter()
        .rev()
        .map(|e| HistoryLine {
            who: e
                .actor_id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_default(),
            ..describe(e, lang, &tags)
        })
        .collect())
}

fn describe(event: &Event, lang: Language, tags: &HashMap<uuid::Uuid, &str>) -> HistoryLine {
    let what = described(event, lang, tags)
        .unwrap_or_else(|| lang.text(&format!("event.{}", event.kind)).to_owned());
    HistoryLine {
        at: crate::i18n::format::moment(lang, event.at),
        what,
        who: String::new(),
    }
}

/// What the history says of the kinds it says more of, read as their
/// payload types: the step and the state it led to, the work done, why a
/// device came back. `None` for any other kind (named by the catalogue).
fn described(event: &Event, lang: Language, tags: &HashMap<uuid::Uuid, &str>) -> Option<String> {
    if event.kind == MediumTransitioned::KIND {
        // How a drive was dealt with: the step, its state after, and the
        // method (e.g. « DoD Short ») when an erasure or destruction says.
        let step: MediumTransitioned = typed(event)?;
        let tag = tags.get(&event.subject_id).copied().unwrap_or_default();
        let mut said = format!(
            "{tag} : {} → {}",
            lang.word("medium_action", step.action.as_str()),
            lang.word("medium_state", step.to.as_str())
        );
        if let Some(method) = step.method {
            said = format!("{said} ({method})");
        }
        return Some(said.trim_start_matches(" : ").to_owned());
    }
    if event.kind == Transitioned::KIND {
        let step: Transitioned = typed(event)?;
        let state = lang.word("state", step.to.as_str());
        return Some(match step.action {
            Some(action) => format!("{} → {state}", lang.word("action", action.as_str())),
            None => format!("→ {state}"),
        });
    }
    if event.kind == WorkRecorded::KIND {
        let recorded: WorkRecorded = typed(event)?;
        let detail = match &recorded.work {
            Work::Repair { description, .. } => description.clone(),
            Work::Grade { grade } => format!("{grade:?}"),
            Work::Battery { health_percent, .. } => health_percent.to_string(),
            Work::Os {
                distribution,
                version,
                ..
            } => [Some(distribution.as_str()), version.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        };
        let kind = lang.word("work", recorded.work.type_name());
        return Some(format!("{kind} : {detail}"));
    }
    if event.kind == Returned::KIND {
        let returned: Returned = typed(event)?;
        return Some(format!(
            "{} · {}",
            lang.text("event.allocation.returned"),
            lang.word("return_reason", returned.reason.as_str())
        ));
    }
    None
}

/// The event's payload as `P`, when it is written in `P`'s version (an
/// older version is named by its kind alone).
fn typed<P: Payload>(event: &Event) -> Option<P> {
    if event.version() != P::VERSION {
        return None;
    }
    crate::ledger::payload::decode(event).ok()
}
