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

/// The free strings of each kind that say nothing of people (by path;
/// `[]` is every element of an array): serial
/// numbers, models, tags, hashes, a site's or a company's own names. Every
/// other string field that takes free text is declared personal by its kind
/// (`Payload::PERSONAL`) and held beside the chain; a test
/// (`tests/api/markers.rs`) sets each to a marker and holds the two lists to
/// every field of every kind.
pub const NOT_ABOUT_PEOPLE: &[(&str, &[&str])] = &[
    // The workshop's own sites, and organisations: their names and numbers.
    ("site.created", &["name", "code", "address"]),
    (
        "site.updated",
        &[
            "changes.name",
            "changes.address",
            "changes.siret",
            "changes.postcode",
            "changes.city",
        ],
    ),
    // An organisation's registration number (individuals have none).
    ("donor.created", &["siret"]),
    (
        "waste_shipment.dispatched",
        &[
            "number",
            "treatment_code",
            "holder.name",
            "holder.siret",
            "holder.address",
            "holder.postcode",
            "holder.city",
            "holder.country",
            "recycler.name",
            "recycler.siret",
            "recycler.country",
            "lines[].waste_code",
            "lines[].denomination",
            "lines[].items[].asset_tag",
            "lines[].items[].item_type",
        ],
    ),
    // Pseudonymous references, made to stand in the ledger for a person
    // whose name is elsewhere (`pseudonym`); and the postcode the reports
    // count by département.
    ("beneficiary.registered", &["reference", "postcode"]),
    ("allocation.reserved", &["beneficiary_reference"]),
    ("worker.registered", &["reference"]),
    // Hardware: tags, serial numbers, the system installed, what was
    // repaired or harvested (the forms ask for the hardware, not the people).
    ("device.registered", &["asset_tag"]),
    ("device.transitioned", &["os"]),
    (
        "device.work_recorded",
        &[
            "work.description",
            "work.parts[].description",
            "work.distribution",
            "work.version",
            "work.image_id",
        ],
    ),
    ("part.harvested", &["description"]),
    ("medium.added", &["asset_tag", "serial_number"]),
    ("medium.updated", &["changes.interface"]),
    ("erasure.recorded", &["medium_serial"]),
    ("stock_audit.scanned", &["code", "asset_tag", "item_type"]),
    (
        "stock_audit.closed",
        &[
            "report.missing[].asset_tag",
            "report.missing[].item_type",
            "report.missing[].state",
        ],
    ),
    // Proofs: numbers, hashes, signatures, keys; a certificate's holder is
    // an organisation, never a private person (`certificates::render::holder`).
    (
        "certificate.issued",
        &[
            "number",
            "holder",
            "file_sha256",
            "content_sha256",
            "signature",
            "key_id",
        ],
    ),
    (
        "ledger.checkpoint",
        &["head_hash", "signed_at", "key_id", "signature"],
    ),
    ("portal_link.created", &["secret_sha256"]),
    // A token's name says what it is for (`sign-in`, `station-2`).
    ("token.created", &["name", "token_sha256"]),
    ("user.created", &["locale"]),
    ("user.updated", &["changes.locale"]),
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
