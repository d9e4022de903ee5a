//! The open-data export: the report's aggregates under CC-BY-4.0, every
//! count of people below 5 shown as `<5` — and, so that a hidden count
//! cannot be worked out from a total and its neighbours, more cells hidden
//! until every published sum has either no hidden term or at least two.

use std::collections::BTreeMap;

use super::Figures;
use crate::beneficiaries::Category;
use crate::error::AppError;

pub use retrace_rules::suppression::{Sum, THRESHOLD, suppress};

pub const LICENCE: &str = "CC-BY-4.0";
pub const HIDDEN: &str = "<5";

/// The people counted in a period's figures, by cell name, and the sums
/// between them.
pub fn people(figures: &Figures) -> (BTreeMap<String, u64>, Vec<Sum>) {
    let mut cells = BTreeMap::new();
    let mut sums = Vec::new();
    let b = &figures.beneficiaries;
    cells.insert(
        "beneficiaries.served".to_owned(),
        b.individuals + b.organisations,
    );
    cells.insert("beneficiaries.individuals".to_owned(), b.individuals);
    cells.insert("beneficiaries.organisations".to_owned(), b.organisations);
    sums.push(Sum {
        total: "beneficiaries.served".into(),
        terms: vec![
            "beneficiaries.individuals".into(),
            "beneficiaries.organisations".into(),
        ],
    });
    let (mut individual_terms, mut organisation_terms) = (Vec::new(), Vec::new());
    for category in Category::ALL {
        let name = format!("beneficiaries.by_category.{}", category.as_str());
        cells.insert(
            name.clone(),
            b.by_category.get(category.as_str()).copied().unwrap_or(0),
        );
        if category.is_individual() {
            individual_terms.push(name);
        } else {
            organisation_terms.push(name);
        }
    }
    sums.push(Sum {
        total: "beneficiaries.individuals".into(),
        terms: individual_terms,
    });
    sums.push(Sum {
        total: "beneficiaries.organisations".into(),
        terms: organisation_terms,
    });
    let mut by_departement = Vec::new();
    for (dep, count) in &b.by_departement {
        let name = format!("beneficiaries.by_departement.{dep}");
        cells.insert(name.clone(), *count);
        by_departement.push(name);
    }
    sums.push(Sum {
        total: "beneficiaries.served".into(),
        terms: by_departement,
    });

    let w = &figures.workforce;
    let workers: u64 = w.workers_by_contract_kind.values().sum();
    cells.insert("workforce.workers".to_owned(), workers);
    let mut kinds = Vec::new();
    for kind in crate::workers::ContractKind::ALL {
        let name = format!("workforce.workers_by_contract_kind.{}", kind.as_str());
        cells.insert(
            name.clone(),
            w.workers_by_contract_kind
                .get(kind.as_str())
                .copied()
                .unwrap_or(0),
        );
        kinds.push(name);
    }
    sums.push(Sum {
        total: "workforce.workers".into(),
        terms: kinds,
    });
    cells.insert("workforce.jobs_created".to_owned(), w.jobs_created);
    let exits: u64 = w.exits_by_outcome.values().sum();
    cells.insert("workforce.exits".to_owned(), exits);
    let mut outcomes = Vec::new();
    for outcome in crate::workers::ExitOutcome::ALL {
        let name = format!("workforce.exits_by_outcome.{}", outcome.as_str());
        cells.insert(
            name.clone(),
            w.exits_by_outcome
                .get(outcome.as_str())
                .copied()
                .unwrap_or(0),
        );
        outcomes.push(name);
    }
    sums.push(Sum {
        total: "workforce.exits".into(),
        terms: outcomes,
    });
    cells.insert("workforce.dynamic_exits".to_owned(), w.dynamic_exits);
    sums.push(Sum {
        total: "workforce.dynamic_exits".into(),
        terms: [
            "durable_employment",
            "transitional_employment",
            "positive_exit",
        ]
        .iter()
        .map(|o| format!("workforce.exits_by_outcome.{o}"))
        .collect(),
    });
    (cells, sums)
}

/// The file: `figure;value`, the licence and the period first; devices,
/// kilograms and CO2e as they are (they count things, not people); people
/// suppressed; hours only for a team of at least five.
pub fn write(figures: &Figures, publisher: &str) -> Result<Vec<u8>, AppError> {
    let (cells, sums) = people(figures);
    let hidden = suppress(&cells, &sums);
    let mut rows: Vec<(String, String)> = vec![
        ("licence".into(), LICENCE.into()),
        ("publisher".into(), publisher.to_owned()),
        ("period.from".into(), figures.period.from.to_string()),
        ("period.to".into(), figures.period.to.to_string()),
    ];
    let d = &figures.devices;
    for (name, value) in [
        ("devices.collected", d.collected),
        ("devices.reused", d.reused),
        ("devices.recycled", d.recycled),
        ("devices.dismantled", d.dismantled),
        ("devices.lost", d.lost),
        ("devices.in_stock", d.in_stock),
    ] {
        rows.push((name.into(), value.to_string()));
    }
    for (kind, f) in &d.by_kind {
        rows.push((
            format!("devices.by_kind.{kind}.collected"),
            f.collected.to_string(),
        ));
        rows.push((
            format!("devices.by_kind.{kind}.reused"),
            f.reused.to_string(),
        ));
        rows.push((
            format!("devices.by_kind.{kind}.recycled"),
            f.recycled.to_string(),
        ));
    }
    rows.push((
        "weight_kg.collected".into(),
        figures.weight_kg.collected.to_string(),
    ));
    rows.push((
        "weight_kg.reused".into(),
        figures.weight_kg.reused.to_string(),
    ));
    rows.push((
        "weight_kg.recycled".into(),
        figures.weight_kg.recycled.to_string(),
    ));
    rows.push((
        "co2e_avoided_kg".into(),
        figures.co2e_avoided_kg.avoided_kg.to_string(),
    ));
    for (name, value) in &cells {
        let shown = if hidden.get(name).copied().unwrap_or(false) {
            HIDDEN.to_owned()
        } else {
            value.to_string()
        };
        rows.push((name.clone(), shown));
    }
    // Hours of fewer than five people say too much about each of them.
    let team: u64 = figures.workforce.workers_by_contract_kind.values().sum();
    for (name, value) in [
        ("workforce.hours", figures.workforce.hours),
        ("workforce.fte", figures.workforce.fte),
        ("workforce.training_hours", figures.workforce.training_hours),
    ] {
        let shown = if team > 0 && team < THRESHOLD {
            HIDDEN.to_owned()
        } else {
            value.to_string()
        };
        rows.push((name.into(), shown));
    }
    let mut sheet = crate::spreadsheet::Sheet::new();
    sheet.row(["figure", "value"])?;
    for (name, value) in &rows {
        sheet.row([name.as_str(), value.as_str()])?;
    }
    sheet.finish()
}
