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
mod tests {
    use super::*;

    /// The kinds and versions of docs/LEDGER.md's catalogue table, the
    /// document auditors read: `| `kind` | version | … |` rows.
    fn documented() -> Vec<(String, u32)> {
        let text = include_str!("../docs/LEDGER.md");
        let table = text
            .split("## Catalogue")
            .nth(1)
            .expect("docs/LEDGER.md has a Catalogue section");
        table
            .lines()
            .take_while(|line| !line.starts_with("## "))
            .filter_map(|line| {
                let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                let kind = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
                let version = cells.get(2)?.parse().ok()?;
                Some((kind.to_owned(), version))
            })
            .collect()
    }

    #[test]
    fn the_documented_catalogue_is_the_catalogue_of_the_code() {
        let mut code: Vec<(String, u32)> = catalogue()
            .entries()
            .map(|e| (e.kind.to_owned(), e.version))
            .collect();
        code.sort();
        let mut docs = documented();
        docs.sort();
        assert_eq!(
            docs, code,
            "docs/LEDGER.md's catalogue and the code disagree"
        );
    }

    /// docs/PRIVACY.md's table of the ledger's personal fields: kind → fields.
    fn privacy_table() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
        let text = include_str!("../docs/PRIVACY.md");
        let table = text
            .split("## In the ledger")
            .nth(1)
            .expect("docs/PRIVACY.md has an In the ledger section");
        table
            .lines()
            .take_while(|line| !line.starts_with("## "))
            .filter_map(|line| {
                let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                let kind = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
                let fields = cells
                    .get(2)?
                    .split(',')
                    .map(|f| f.trim().trim_matches('`').to_owned())
                    .collect();
                Some((kind.to_owned(), fields))
            })
            .collect()
    }

    #[test]
    fn the_record_of_processing_lists_every_personal_field_the_ledger_declares() {
        let mut declared: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
            std::collections::BTreeMap::new();
        for entry in catalogue().entries() {
            for field in entry.personal {
                declared
                    .entry(entry.kind.to_owned())
                    .or_default()
                    .insert((*field).to_owned());
            }
        }
        assert!(declared.len() > 10, "{declared:?}");
        assert_eq!(
            privacy_table(),
            declared,
            "docs/PRIVACY.md's ledger table and the kinds' PERSONAL declarations disagree"
        );
    }

    #[test]
    fn every_kind_has_every_version_from_one_to_its_latest() {
        let mut latest = std::collections::BTreeMap::new();
        for entry in catalogue().entries() {
            let top = latest.entry(entry.kind).or_insert(0);
            *top = (*top).max(entry.version);
        }
        for (kind, top) in latest {
            for version in 1..=top {
                assert!(
                    catalogue().get(kind, version).is_some(),
                    "{kind} v{version} is gone: old versions stay readable forever"
                );
            }
        }
    }
}
