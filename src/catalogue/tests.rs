use super::*;

/// The kinds and versions of docs/LEDGER.md's catalogue table, the
/// document auditors read: `| `kind` | version | … |` rows.
fn documented() -> Vec<(String, u32)> {
    let text = include_str!("../../docs/LEDGER.md");
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
    let text = include_str!("../../docs/PRIVACY.md");
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
