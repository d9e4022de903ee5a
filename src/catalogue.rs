//! The one list of every kind of event Retrace records, at every version it
//! ever wrote: what replays a ledger, and what docs/LEDGER.md is checked
//! against. A new domain adds one line here (its `events::KINDS`).

use std::sync::LazyLock;

use crate::auth::{Permission, Principal};
use crate::ledger::checkpoint::Checkpoint;
use crate::ledger::history::History;
use crate::ledger::payload::{Catalogue, Entry, entry};
use crate::ledger::redaction::Redacted;

/// Each domain's kinds, and the ledger's own.
pub const DOMAINS: &[&[Entry]] = &[
    crate::sites::events::KINDS,
    crate::donors::events::KINDS,
    crate::lots::events::KINDS,
    crate::devices::events::KINDS,
    crate::media::events::KINDS,
    crate::erasure::events::KINDS,
    crate::certificates::events::KINDS,
    crate::users::events::KINDS,
    crate::auth::events::KINDS,
    crate::stock_audits::events::KINDS,
    crate::beneficiaries::events::KINDS,
    crate::allocations::events::KINDS,
    crate::waste::events::KINDS,
    crate::refurbishment::events::KINDS,
    crate::workers::events::KINDS,
    crate::timesheets::events::KINDS,
    crate::portal::events::KINDS,
    &[entry::<Checkpoint>(), entry::<Redacted>()],
];

/// The catalogue, built once.
pub fn catalogue() -> &'static Catalogue {
    static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| Catalogue::new(DOMAINS));
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
