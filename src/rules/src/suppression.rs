//! Small-cell suppression: every count of people below 5 is hidden — and,
//! so that a hidden count cannot be worked out from a total and its
//! neighbours, more cells are hidden until every published sum has either
//! no hidden term or at least two.

use std::collections::BTreeMap;

/// Below this many people, a count is not published.
pub const THRESHOLD: u64 = 5;

/// A sum the file publishes: `total` is the sum of `terms` (cell names).
#[derive(Debug, Clone)]
pub struct Sum {
    pub total: String,
    pub terms: Vec<String>,
}

/// Which cells to hide: every count of people below [`THRESHOLD`] (but
/// above zero: an empty cell says nothing about anyone), then, until
/// nothing changes, one more in any sum that would otherwise give a hidden
/// cell away — its smallest published term, or its total.
pub fn suppress(cells: &BTreeMap<String, u64>, sums: &[Sum]) -> BTreeMap<String, bool> {
    let mut hidden: BTreeMap<String, bool> = cells
        .iter()
        .map(|(name, value)| (name.clone(), *value > 0 && *value < THRESHOLD))
        .collect();
    loop {
        let mut changed = false;
        for sum in sums {
            let is_hidden = |name: &String, hidden: &BTreeMap<String, bool>| {
                hidden.get(name).copied().unwrap_or(false)
            };
            let unknown_terms = sum.terms.iter().filter(|t| is_hidden(t, &hidden)).count();
            let total_hidden = is_hidden(&sum.total, &hidden);
            let unknowns = unknown_terms + usize::from(total_hidden);
            if unknowns != 1 {
                continue;
            }
            // One unknown in a published equation: hide the smallest other term.
            let next = sum
                .terms
                .iter()
                .filter(|t| !is_hidden(t, &hidden))
                .min_by_key(|t| (cells.get(*t).copied().unwrap_or(0), (*t).clone()))
                .cloned();
            match next {
                Some(term) => {
                    hidden.insert(term, true);
                }
                None => {
                    hidden.insert(sum.total.clone(), true);
                }
            }
            changed = true;
        }
        if !changed {
            return hidden;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn group(values: &[u64]) -> (BTreeMap<String, u64>, Vec<Sum>) {
        let mut cells = BTreeMap::new();
        let mut terms = Vec::new();
        for (i, v) in values.iter().enumerate() {
            cells.insert(format!("c{i}"), *v);
            terms.push(format!("c{i}"));
        }
        cells.insert("total".into(), values.iter().sum());
        (
            cells,
            vec![Sum {
                total: "total".into(),
                terms,
            }],
        )
    }

    #[test]
    fn four_is_hidden_five_is_not_and_a_lone_hidden_cell_gets_company() {
        let (cells, sums) = group(&[4, 12, 30]);
        let hidden = suppress(&cells, &sums);
        assert!(hidden["c0"], "4 people: hidden");
        assert!(
            hidden["c1"],
            "the next smallest, so that 4 = total - 12 - 30 cannot be worked out"
        );
        assert!(!hidden["c2"] && !hidden["total"]);

        let (cells, sums) = group(&[5, 12, 30]);
        let hidden = suppress(&cells, &sums);
        assert!(hidden.values().all(|h| !h), "5 people: published");

        let (cells, sums) = group(&[0, 12, 30]);
        assert!(
            suppress(&cells, &sums).values().all(|h| !h),
            "nobody: nothing to hide"
        );

        // A group of one hidden cell: its total goes too.
        let (cells, sums) = group(&[3]);
        let hidden = suppress(&cells, &sums);
        assert!(hidden["c0"] && hidden["total"]);
    }

    /// Cells and sums that share cells, as the real file's do.
    fn world() -> impl Strategy<Value = (BTreeMap<String, u64>, Vec<Sum>)> {
        (
            prop::collection::vec(0u64..12, 2..6),
            prop::collection::vec(0u64..12, 2..6),
        )
            .prop_map(|(a, b)| {
                let mut cells = BTreeMap::new();
                let mut sums = Vec::new();
                let mut all = Vec::new();
                for (g, values) in [("a", &a), ("b", &b)] {
                    let mut terms = Vec::new();
                    for (i, v) in values.iter().enumerate() {
                        let name = format!("{g}{i}");
                        cells.insert(name.clone(), *v);
                        terms.push(name);
                    }
                    let total: u64 = values.iter().sum();
                    cells.insert(g.to_string(), total);
                    sums.push(Sum {
                        total: g.into(),
                        terms,
                    });
                    all.push(g.to_owned());
                }
                cells.insert("all".into(), a.iter().sum::<u64>() + b.iter().sum::<u64>());
                sums.push(Sum {
                    total: "all".into(),
                    terms: all,
                });
                (cells, sums)
            })
    }

    proptest! {
        #[test]
        fn no_published_sum_gives_a_single_hidden_value_away((cells, sums) in world()) {
            let hidden = suppress(&cells, &sums);
            for (name, value) in &cells {
                if *value > 0 && *value < THRESHOLD {
                    prop_assert!(hidden[name], "{name} = {value} is published");
                }
            }
            for sum in &sums {
                let unknowns = sum.terms.iter().chain([&sum.total]).filter(|c| hidden[*c]).count();
                prop_assert!(unknowns != 1, "{} has one unknown: {hidden:?}", sum.total);
            }
        }
    }
}
