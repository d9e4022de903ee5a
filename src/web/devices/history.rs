//! A device's history as its page tells it: each event in a sentence, in
//! the reader's language, read from the event's own payload type.

use crate::allocations::events::Returned;
use crate::devices::events::Transitioned;
use crate::error::AppError;
use crate::i18n::Language;
use crate::ledger::{Event, Payload};
use crate::refurbishment::events::{Work, WorkRecorded};
use crate::scan::{ItemType, ScanResult};
use crate::state::AppState;

/// One line of the history, ready to print.
pub struct HistoryLine {
    pub at: String,
    pub what: String,
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
    Ok(events.iter().rev().map(|e| describe(e, lang)).collect())
}

fn describe(event: &Event, lang: Language) -> HistoryLine {
    let what = described(event, lang)
        .unwrap_or_else(|| lang.text(&format!("event.{}", event.kind)).to_owned());
    HistoryLine {
        at: event.at.format("%Y-%m-%d %H:%M").to_string(),
        what,
    }
}

/// What the history says of the kinds it says more of, read as their
/// payload types: the step and the state it led to, the work done, why a
/// device came back. `None` for any other kind (named by the catalogue).
fn described(event: &Event, lang: Language) -> Option<String> {
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
