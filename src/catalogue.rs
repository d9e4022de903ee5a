//! Every kind of event Retrace records, at every version it ever wrote,
//! gathered from the domains' registry (`retrace::DOMAINS`) and the ledger's
//! own: what replays a ledger, and what docs/LEDGER.md is checked against.

use std::sync::LazyLock;

use crate::ledger::checkpoint::Checkpoint;
use crate::ledger::history::History;
use crate::ledger::payload::{Catalogue, Entry, entry};
use crate::ledger::redaction::Redacted;
use crate::principal::{Permission, Principal};

/// The ledger's own kinds.
const LEDGER_KINDS: &[Entry] = &[entry::<Checkpoint>(), entry::<Redacted>()];

/// The ledger's own free strings that say nothing of people.
const LEDGER_NOT_ABOUT_PEOPLE: &[(&str, &[&str])] = &[(
    "ledger.checkpoint",
    &["head_hash", "signed_at", "key_id", "signature"],
)];

/// The free strings of each kind that say nothing of people (by path;
/// `[]` is every element of an array), as each domain declares them beside
/// its kinds: serial numbers, models, tags, hashes, a site's or a company's
/// own names. Every other string field that takes free text is declared
/// personal by its kind (`Payload::PERSONAL`) and held beside the chain; a
/// test (`tests/api/markers.rs`) sets each to a marker and holds the two
/// lists to every field of every kind.
pub fn not_about_people() -> impl Iterator<Item = &'static (&'static str, &'static [&'static str])>
{
    crate::DOMAINS
        .iter()
        .flat_map(|domain| domain.not_about_people)
        .chain(LEDGER_NOT_ABOUT_PEOPLE)
}

/// The catalogue, built once.
pub fn catalogue() -> &'static Catalogue {
    static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
        let groups: Vec<&[Entry]> = crate::DOMAINS
            .iter()
            .map(|domain| domain.kinds)
            .chain([LEDGER_KINDS])
            .collect();
        Catalogue::new(&groups)
    });
    &CATALOGUE
}

/// A history as `principal` may read it: for those who may not read people
/// (`Permission::ReadNotes`: a funder), each event without the fields its
/// kind declares personal — names, witnesses, notes, complaints, faults.
pub fn as_read_by(principal: &Principal, mut history: History) -> History {
    if !principal.role.allows(Permission::ReadNotes) {
        for event in &mut history.items {
            catalogue().withhold_personal(event);
        }
    }
    history
}

#[cfg(test)]
mod tests;
