//! The open-data export (SPEC §7, §8): the report's aggregates under
//! CC-BY-4.0, for a calendar quarter or year that has ended, with its counts
//! of people protected by [`retrace_rules::suppression`] over every file
//! anyone can download for that year at once — the network's and each
//! site's, each quarter's and the year's (docs/OPENDATA.md).
//!
//! A quarter's files are decided from that quarter alone, all sites
//! together; the year's are decided last, around its four quarters as they
//! are printed, so that no file printed earlier is ever contradicted.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use entities::site;
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};
use uuid::Uuid;

use super::{Beneficiaries, Figures, Period, Workforce};
use crate::beneficiaries::Category;
use crate::error::AppError;
use crate::workers::{ContractKind, ExitOutcome};

pub use retrace_rules::suppression::{Relation, Shown, THRESHOLD, is_small, protect};

pub const LICENCE: &str = "CC-BY-4.0";
/// A count of 1 to 4 people, or a zero hidden beside one.
pub const SMALL: &str = "<5";
/// A figure hidden so that no small count can be worked out: never a small one.
pub const SECRET: &str = "secret";

/// What a file prints for `shown`.
pub fn marker(shown: Shown) -> String {
    match shown {
        Shown::Value(v) => v.to_string(),
        Shown::Small => SMALL.to_owned(),
        Shown::Secret => SECRET.to_owned(),
    }
}

/// The part of its calendar year an open-data file covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Slice {
    Quarter(u8),
    Year,
}

/// A calendar quarter or year: the only periods open data is published
/// for, so that no two files overlap but for a year and its quarters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenPeriod {
    pub year: i32,
    pub slice: Slice,
}

impl OpenPeriod {
    /// The calendar quarter or year `period` is, once it has ended by `today`.
    pub fn of(period: Period, today: NaiveDate) -> Result<Self, AppError> {
        let year = period.from.year();
        let slice = if period == Self::year_period(year) {
            Slice::Year
        } else {
            (1..=4)
                .map(Slice::Quarter)
                .find(|q| period == Self { year, slice: *q }.period())
                .ok_or_else(|| {
                    AppError::field(
                        "from",
                        "open data covers a calendar quarter (2026-01-01 to 2026-03-31…) or year",
                    )
                })?
        };
        if period.to >= today {
            return Err(AppError::field(
                "to",
                "open data is published once its period has ended",
            ));
        }
        Ok(Self { year, slice })
    }

    fn year_period(year: i32) -> Period {
        Period {
            from: NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
            to: NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
        }
    }

    pub fn period(&self) -> Period {
        match self.slice {
            Slice::Year => Self::year_period(self.year),
            Slice::Quarter(q) => {
                let first = |month: u32| NaiveDate::from_ymd_opt(self.year, month, 1);
                let from = first(u32::from(q) * 3 - 2).unwrap_or_default();
                let to = match q {
                    4 => NaiveDate::from_ymd_opt(self.year, 12, 31),
                    _ => first(u32::from(q) * 3 + 1).and_then(|d| d.pred_opt()),
                };
                Period {
                    from,
                    to: to.unwrap_or_default(),
                }
            }
        }
    }

    /// The periods whose files are decided before this one's: its year's
    /// quarters, for the year.
    fn decided_with(&self) -> Vec<OpenPeriod> {
        match self.slice {
            Slice::Quarter(_) => vec![*self],
            Slice::Year => (1..=4)
                .map(|q| OpenPeriod {
                    year: self.year,
                    slice: Slice::Quarter(q),
                })
                .chain([*self])
                .collect(),
        }
    }
}

/// The counts of people a file holds, by figure name, and how they relate
/// within the file.
pub fn people(b: &Beneficiaries, w: &Workforce) -> (BTreeMap<String, u64>, Vec<Relation<String>>) {
    let mut cells = BTreeMap::new();
    let mut relations = Vec::new();
    let mut sum = |cells: &mut BTreeMap<String, u64>, total: &str, terms: Vec<(String, u64)>| {
        let names = terms.iter().map(|(name, _)| name.clone()).collect();
        cells.extend(terms);
        relations.push(Relation::Sum {
            total: total.to_owned(),
            terms: names,
        });
    };
    cells.insert(
        "beneficiaries.served".to_owned(),
        b.individuals + b.organisations,
    );
    sum(
        &mut cells,
        "beneficiaries.served",
        vec![
            ("beneficiaries.individuals".into(), b.individuals),
            ("beneficiaries.organisations".into(), b.organisations),
        ],
    );
    for individual in [true, false] {
        let terms = Category::ALL
            .into_iter()
            .filter(|c| c.is_individual() == individual)
            .map(|c| {
                (
                    format!("beneficiaries.by_category.{}", c.as_str()),
                    b.by_category.get(c.as_str()).copied().unwrap_or(0),
                )
            })
            .collect();
        let total = if individual {
            "beneficiaries.individuals"
        } else {
            "beneficiaries.organisations"
        };
        sum(&mut cells, total, terms);
    }
    let departements = b
        .by_departement
        .iter()
        .map(|(dep, n)| (format!("beneficiaries.by_departement.{dep}"), *n))
        .collect();
    sum(&mut cells, "beneficiaries.served", departements);

    cells.insert(
        "workforce.workers".to_owned(),
        w.workers_by_contract_kind.values().sum(),
    );
    let kinds = ContractKind::ALL
        .into_iter()
        .map(|k| {
            (
                format!("workforce.workers_by_contract_kind.{}", k.as_str()),
                w.workers_by_contract_kind
                    .get(k.as_str())
                    .copied()
                    .unwrap_or(0),
            )
        })
        .collect();
    sum(&mut cells, "workforce.workers", kinds);
    cells.insert("workforce.jobs_created".to_owned(), w.jobs_created);
    cells.insert(
        "workforce.exits".to_owned(),
        w.exits_by_outcome.values().sum(),
    );
    let outcomes = ExitOutcome::ALL
        .into_iter()
        .map(|o| {
            (
                format!("workforce.exits_by_outcome.{}", o.as_str()),
                w.exits_by_outcome.get(o.as_str()).copied().unwrap_or(0),
            )
        })
        .collect();
    sum(&mut cells, "workforce.exits", outcomes);
    cells.insert("workforce.dynamic_exits".to_owned(), w.dynamic_exits);
    let dynamic = ExitOutcome::ALL
        .into_iter()
        .filter(|o| o.is_dynamic())
        .map(|o| {
            let name = format!("workforce.exits_by_outcome.{}", o.as_str());
            let n = cells.get(&name).copied().unwrap_or(0);
            (name, n)
        })
        .collect();
    sum(&mut cells, "workforce.dynamic_exits", dynamic);
    // Those who started, and those who left, worked in the period.
    for part in ["workforce.jobs_created", "workforce.exits"] {
        relations.push(Relation::Within {
            part: part.to_owned(),
            whole: "workforce.workers".to_owned(),
        });
    }
    (cells, relations)
}

/// What one file prints of its counts of people, decided on its own: a
/// donor's statement of one lot, which no other file adds up with.
pub fn alone(b: &Beneficiaries, w: &Workforce) -> BTreeMap<String, Shown> {
    let (cells, relations) = people(b, w);
    protect(&cells, &relations, &BTreeMap::new())
}

/// A cell of the files of one year: which period, which site (`None`: the
/// network), which figure.
pub type Key = (Slice, Option<Uuid>, String);

/// Counted once per period and person, so a year's count is its quarters'
/// sum; the others count people present, who may be in several quarters.
fn adds_up_over_time(figure: &str) -> bool {
    figure == "workforce.jobs_created"
        || figure == "workforce.dynamic_exits"
        || figure.starts_with("workforce.exits")
}

/// The files of one slice of a year: their cells and how they relate,
/// among themselves and (for the year) with the quarters.
pub struct SliceSystem {
    pub slice: Slice,
    pub cells: BTreeMap<Key, u64>,
    pub relations: Vec<Relation<Key>>,
}

/// Every file of `counts` (a period, and a site or the network), slice by
/// slice in the order they are decided: quarters, then the year.
pub fn system(
    counts: &BTreeMap<(Slice, Option<Uuid>), (Beneficiaries, Workforce)>,
) -> Vec<SliceSystem> {
    let slices: std::collections::BTreeSet<Slice> = counts.keys().map(|(s, _)| *s).collect();
    let mut out = Vec::new();
    for slice in slices {
        let mut cells = BTreeMap::new();
        let mut relations = Vec::new();
        let files: Vec<_> = counts.iter().filter(|((s, _), _)| *s == slice).collect();
        let mut figures = std::collections::BTreeSet::new();
        for ((_, site), (b, w)) in &files {
            let (own, within) = people(b, w);
            let key = |name: &String| (slice, *site, name.clone());
            figures.extend(own.keys().cloned());
            cells.extend(own.iter().map(|(name, v)| (key(name), *v)));
            relations.extend(within.into_iter().map(|r| rekey(r, &key)));
        }
        let sites: Vec<Uuid> = files.iter().filter_map(|((_, site), _)| *site).collect();
        for figure in &figures {
            // The network and its sites.
            let total = (slice, None, figure.clone());
            let parts = sites
                .iter()
                .map(|s| (slice, Some(*s), figure.clone()))
                .collect();
            relations.push(if figure.starts_with("beneficiaries.") {
                // Someone served at two sites is one beneficiary of the network.
                Relation::Union { total, parts }
            } else {
                Relation::Sum {
                    total,
                    terms: parts,
                }
            });
            // The year and its quarters.
            if slice == Slice::Year {
                for site in std::iter::once(None).chain(sites.iter().copied().map(Some)) {
                    let total = (Slice::Year, site, figure.clone());
                    let parts = (1..=4)
                        .map(|q| (Slice::Quarter(q), site, figure.clone()))
                        .collect();
                    relations.push(if adds_up_over_time(figure) {
                        Relation::Sum {
                            total,
                            terms: parts,
                        }
                    } else {
                        Relation::Union { total, parts }
                    });
                }
            }
        }
        out.push(SliceSystem {
            slice,
            cells,
            relations,
        });
    }
    out
}

/// What every file of `counts` prints: each quarter decided on its own
/// (they share no figure), then the year with every quarter as printed.
pub fn decide(
    counts: &BTreeMap<(Slice, Option<Uuid>), (Beneficiaries, Workforce)>,
) -> BTreeMap<Key, Shown> {
    let mut decided: BTreeMap<Key, Shown> = BTreeMap::new();
    let mut cells: BTreeMap<Key, u64> = BTreeMap::new();
    let mut relations: Vec<Relation<Key>> = Vec::new();
    for part in system(counts) {
        if part.slice == Slice::Year {
            cells.extend(part.cells);
            relations.extend(part.relations);
            decided = protect(&cells, &relations, &decided);
        } else {
            // A quarter prints no zero: the year, decided later, could add
            // a printed zero up with its own markers to narrow a `<5`
            // (exits 5 = 4 + Q2, dynamic ≤ 4, Q2's other exits 0: Q1's
            // dynamic exits are at most 3).
            let zeros = part
                .cells
                .iter()
                .filter(|(_, v)| **v == 0)
                .map(|(cell, _)| (cell.clone(), Shown::Small))
                .collect();
            decided.extend(protect(&part.cells, &part.relations, &zeros));
            cells.extend(part.cells);
            relations.extend(part.relations);
        }
    }
    decided
}

fn rekey(relation: Relation<String>, key: &impl Fn(&String) -> Key) -> Relation<Key> {
    match relation {
        Relation::Sum { total, terms } => Relation::Sum {
            total: key(&total),
            terms: terms.iter().map(key).collect(),
        },
        Relation::Union { total, parts } => Relation::Union {
            total: key(&total),
            parts: parts.iter().map(key).collect(),
        },
        Relation::Within { part, whole } => Relation::Within {
            part: key(&part),
            whole: key(&whole),
        },
    }
}

/// What the file of `period` over `site` (`None`: the network) prints of
/// its counts of people, decided with every file of its year it adds up
/// with: read for every site, whoever asks, since each file must hold
/// against all the others.
pub async fn decided_for(
    db: &impl ConnectionTrait,
    period: OpenPeriod,
    site: Option<Uuid>,
) -> Result<BTreeMap<String, Shown>, AppError> {
    let sites: Vec<Uuid> = site::Entity::find()
        .select_only()
        .column(site::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut counts = BTreeMap::new();
    for open in period.decided_with() {
        for scope in std::iter::once(None).chain(sites.iter().copied().map(Some)) {
            let people = super::impact::people(db, open.period(), scope).await?;
            counts.insert((open.slice, scope), people);
        }
    }
    // Seconds of solving for a year: off the threads that serve requests.
    let decided = tokio::task::spawn_blocking(move || decide(&counts))
        .await
        .map_err(|e| AppError::Internal(format!("open-data suppression: {e}")))?;
    Ok(decided
        .into_iter()
        .filter(|((slice, s, _), _)| *slice == period.slice && *s == site)
        .map(|((_, _, figure), shown)| (figure, shown))
        .collect())
}

/// The file: `figure;value`, the licence and the period first; devices,
/// kilograms and CO2e as they are (they count things, not people); people
/// as `people` decides; hours only for a team of at least five.
pub fn write(
    figures: &Figures,
    publisher: &str,
    people: &BTreeMap<String, Shown>,
) -> Result<Vec<u8>, AppError> {
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
        for (what, n) in [
            ("collected", f.collected),
            ("reused", f.reused),
            ("recycled", f.recycled),
        ] {
            rows.push((format!("devices.by_kind.{kind}.{what}"), n.to_string()));
        }
    }
    let w = &figures.weight_kg;
    rows.push(("weight_kg.collected".into(), w.collected.to_string()));
    rows.push(("weight_kg.reused".into(), w.reused.to_string()));
    rows.push(("weight_kg.recycled".into(), w.recycled.to_string()));
    rows.push((
        "co2e_avoided_kg".into(),
        figures.co2e_avoided_kg.avoided_kg.to_string(),
    ));
    for (name, shown) in people {
        rows.push((name.clone(), marker(*shown)));
    }
    // Hours of fewer than five people say too much about each of them; they
    // are not a count of people, so their marker is the secret one.
    let team: u64 = figures.workforce.workers_by_contract_kind.values().sum();
    for (name, value) in [
        ("workforce.hours", figures.workforce.hours),
        ("workforce.fte", figures.workforce.fte),
        ("workforce.training_hours", figures.workforce.training_hours),
    ] {
        let shown = if is_small(team) {
            SECRET.to_owned()
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

#[cfg(test)]
mod tests;
