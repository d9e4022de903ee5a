//! Statistical disclosure control: which counts of people a published table
//! may print. A count of 1 to 4 people is hidden as `<5` ("small"); other
//! cells are hidden until no printed figure narrows a small count, for
//! anyone holding every published file and knowing how their cells relate,
//! beyond what the markers alone say.
//!
//! "Narrows" is decided by solving the published system: for each small
//! count, the least and the greatest integer it can take given the printed
//! values, the relations between cells, and what each marker says — `<5` is
//! 0 to 4 (a zero that would help narrow a neighbour is hidden as `<5` too,
//! which is true of it), "secret" is 5 or more (what it always is: smaller
//! counts are `<5`). That range must be the one the count keeps when every
//! cell is hidden: printed figures add nothing.
//! The attacker solved for is the one who subtracts over every sum, every
//! overlap and every file at once; the solver answers in integers, as the
//! counts are.

use std::collections::{BTreeMap, BTreeSet};

use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOutcome};

/// Below this many people, a count is not published.
pub const THRESHOLD: u64 = 5;

/// What a reader knows of how cells relate, whatever their values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Relation<K> {
    /// `total` is the sum of `terms`: a total split by category.
    Sum { total: K, terms: Vec<K> },
    /// `total` counts the people of `parts`, someone perhaps in more than
    /// one: at least each part, at most their sum (a year's beneficiaries
    /// and its quarters', the network's and its sites').
    Union { total: K, parts: Vec<K> },
    /// `part`'s people are among `whole`'s.
    Within { part: K, whole: K },
}

/// What a file prints for a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Value(u64),
    /// Fewer than [`THRESHOLD`] people: every count of 1 to 4, and a zero
    /// hidden beside one.
    Small,
    /// Hidden so that no small cell can be worked out: [`THRESHOLD`] or more.
    Secret,
}

impl Shown {
    pub fn is_hidden(self) -> bool {
        !matches!(self, Shown::Value(_))
    }
}

/// The least and greatest values the published system leaves a hidden
/// cell; `None` on a side the solver could not settle, which is read as
/// "narrowed" so that a doubt hides more, never less.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub least: Option<f64>,
    pub greatest: Option<f64>,
}

impl Range {
    /// As open as `widest`, the range the markers alone leave.
    pub fn keeps(&self, widest: &Range) -> bool {
        let low = match (self.least, widest.least) {
            (Some(l), Some(w)) => l <= w + TOLERANCE,
            (_, None) => true,
            (None, Some(_)) => false,
        };
        let high = match (self.greatest, widest.greatest) {
            (Some(g), Some(w)) => g >= w - TOLERANCE,
            (_, None) => true,
            (None, Some(_)) => false,
        };
        low && high
    }

    /// The file gives this cell's value away.
    pub fn is_determined(&self) -> bool {
        matches!((self.least, self.greatest), (Some(l), Some(g)) if g - l < 0.5)
    }
}

const TOLERANCE: f64 = 1e-6;

/// Decides what to print for every cell of `cells` (their true values),
/// given `relations` and what `published` files already printed (kept as
/// they were: a published figure cannot be taken back). Every count of 1
/// to 4 people, published before or not, is protected against the whole
/// system.
pub fn protect<K: Ord + Clone>(
    cells: &BTreeMap<K, u64>,
    relations: &[Relation<K>],
    published: &BTreeMap<K, Shown>,
) -> BTreeMap<K, Shown> {
    let mut shown: BTreeMap<K, Shown> = cells
        .iter()
        .map(|(cell, value)| {
            let own = if is_small(*value) {
                Shown::Small
            } else {
                Shown::Value(*value)
            };
            (cell.clone(), published.get(cell).copied().unwrap_or(own))
        })
        .collect();
    let primary = |cell: &K| cells.get(cell).is_some_and(|v| is_small(*v));
    // Cells that may still be hidden: printed, but not published yet.
    let hideable = |cell: &K, shown: &BTreeMap<K, Shown>| {
        !published.contains_key(cell) && matches!(shown.get(cell), Some(Shown::Value(_)))
    };
    // A zero is truly "fewer than five"; anything else hidden is secret.
    let hidden = |value: u64| {
        if value < THRESHOLD {
            Shown::Small
        } else {
            Shown::Secret
        }
    };
    // What the markers alone say of each small count: every cell hidden.
    let all_hidden: BTreeMap<K, Shown> = shown
        .iter()
        .map(
            |(cell, state)| match (published.contains_key(cell), *state) {
                (false, Shown::Value(v)) => (cell.clone(), hidden(v)),
                _ => (cell.clone(), *state),
            },
        )
        .collect();
    let markers_alone = System::new(&all_hidden, relations);
    let mut widest: BTreeMap<K, Range> = BTreeMap::new();
    // The small counts the printed figures narrow, among `targets`.
    let mut exposed_among = |shown: &BTreeMap<K, Shown>, targets: &[K]| -> Vec<K> {
        let system = System::new(shown, relations);
        let mut out = Vec::new();
        for cell in targets {
            let range = system.range(cell);
            let widest = widest
                .entry(cell.clone())
                .or_insert_with(|| markers_alone.range(cell));
            if !range.keeps(widest) {
                out.push(cell.clone());
            }
        }
        out
    };
    let primaries: Vec<K> = cells.keys().filter(|c| primary(c)).cloned().collect();
    // Hiding a cell only widens every range: a cell found safe stays safe,
    // so each round looks again only at those still exposed.
    let mut exposed = exposed_among(&shown, &primaries);
    loop {
        if exposed.is_empty() {
            break;
        }
        // For each exposed cell, the nearest printed cells — in a relation
        // with it, else with a hidden cell related to it, and so on — and
        // of those the smallest: the least said to protect it.
        let mut more = BTreeSet::new();
        for cell in &exposed {
            let mut seen: BTreeSet<&K> = BTreeSet::from([cell]);
            let mut frontier: BTreeSet<&K> = seen.clone();
            while !frontier.is_empty() {
                let near: Vec<&Relation<K>> = relations
                    .iter()
                    .filter(|r| members(r).any(|m| frontier.contains(m)))
                    .collect();
                let companion = near
                    .iter()
                    .flat_map(|r| members(r))
                    .filter(|m| hideable(m, &shown))
                    .min_by_key(|m| (cells.get(*m).copied().unwrap_or(0), (*m).clone()));
                if let Some(companion) = companion {
                    more.insert(companion.clone());
                    break;
                }
                frontier = near
                    .iter()
                    .flat_map(|r| members(r))
                    .filter(|m| !seen.contains(m))
                    .collect();
                seen.extend(frontier.iter().copied());
            }
        }
        if more.is_empty() {
            // Nothing printed is linked to the exposed cells (a solver's
            // doubt): hide every cell that still may be.
            more = shown
                .keys()
                .filter(|c| hideable(c, &shown))
                .cloned()
                .collect();
            if more.is_empty() {
                break;
            }
        }
        for cell in more {
            let value = cells.get(&cell).copied().unwrap_or(0);
            shown.insert(cell, hidden(value));
        }
        exposed = exposed_among(&shown, &exposed);
    }
    // A secret the files determine anyway says nothing more when printed:
    // a marker never stands for a figure anyone can work out. (A zero
    // hidden as `<5` may be known to be nobody; that is no one's secret.)
    let determined: Vec<K> = ranges(&shown, relations, |cell, state| {
        state == Shown::Secret && !published.contains_key(cell)
    })
    .into_iter()
    .filter(|(_, range)| range.is_determined())
    .map(|(cell, _)| cell)
    .collect();
    for cell in determined {
        if let Some(value) = cells.get(&cell) {
            shown.insert(cell, Shown::Value(*value));
        }
    }
    shown
}

/// A count of people the files never print.
pub fn is_small(value: u64) -> bool {
    value > 0 && value < THRESHOLD
}

fn members<K>(relation: &Relation<K>) -> Box<dyn Iterator<Item = &K> + '_> {
    match relation {
        Relation::Sum { total, terms } => Box::new(std::iter::once(total).chain(terms)),
        Relation::Union { total, parts } => Box::new(std::iter::once(total).chain(parts)),
        Relation::Within { part, whole } => Box::new([part, whole].into_iter()),
    }
}

/// A relation as linear constraints `Σ coefficient × cell (op) 0`.
fn constraints<K: Ord + Clone>(relation: &Relation<K>) -> Vec<(Vec<(K, f64)>, ComparisonOp)> {
    match relation {
        Relation::Sum { total, terms } => {
            let mut form = vec![(total.clone(), 1.0)];
            form.extend(terms.iter().map(|t| (t.clone(), -1.0)));
            vec![(form, ComparisonOp::Eq)]
        }
        Relation::Union { total, parts } => {
            let mut at_most = vec![(total.clone(), 1.0)];
            at_most.extend(parts.iter().map(|p| (p.clone(), -1.0)));
            let mut out = vec![(at_most, ComparisonOp::Le)];
            for part in parts {
                out.push((
                    vec![(part.clone(), 1.0), (total.clone(), -1.0)],
                    ComparisonOp::Le,
                ));
            }
            out
        }
        Relation::Within { part, whole } => vec![(
            vec![(part.clone(), 1.0), (whole.clone(), -1.0)],
            ComparisonOp::Le,
        )],
    }
}

/// The range the published system leaves each hidden cell that `which`
/// selects, from what is printed alone (`shown`): no true value is read.
/// A `<5` is 0 to 4, a secret 5 or more.
pub fn ranges<K: Ord + Clone>(
    shown: &BTreeMap<K, Shown>,
    relations: &[Relation<K>],
    which: impl Fn(&K, Shown) -> bool,
) -> BTreeMap<K, Range> {
    let system = System::new(shown, relations);
    shown
        .iter()
        .filter(|(cell, state)| state.is_hidden() && which(cell, **state))
        .map(|(cell, _)| (cell.clone(), system.range(cell)))
        .collect()
}

/// A constraint over hidden cells, the printed values moved right.
struct Row<K> {
    unknowns: BTreeMap<K, f64>,
    op: ComparisonOp,
    rhs: f64,
}

/// The published system: its rows, and which hidden cells are linked by
/// them (solved together; others apart).
struct System<'a, K> {
    shown: &'a BTreeMap<K, Shown>,
    rows: Vec<Row<K>>,
    /// Each linked cell's component: a cell that stands for it.
    component: BTreeMap<K, K>,
    /// The rows of each component, by index.
    rows_by_component: BTreeMap<K, Vec<usize>>,
    /// Cells the system holds at 0.
    zeros: BTreeSet<K>,
}

impl<'a, K: Ord + Clone> System<'a, K> {
    fn new(shown: &'a BTreeMap<K, Shown>, relations: &[Relation<K>]) -> Self {
        let mut rows = Vec::new();
        for relation in relations {
            for (form, op) in constraints(relation) {
                let mut unknowns: BTreeMap<K, f64> = BTreeMap::new();
                let mut known = 0.0;
                for (cell, coefficient) in form {
                    match shown.get(&cell).copied().unwrap_or(Shown::Value(0)) {
                        Shown::Value(v) => known += coefficient * v as f64,
                        Shown::Small | Shown::Secret => {
                            *unknowns.entry(cell).or_default() += coefficient
                        }
                    }
                }
                unknowns.retain(|_, c| c.abs() > TOLERANCE);
                if !unknowns.is_empty() {
                    rows.push(Row {
                        unknowns,
                        op,
                        rhs: -known,
                    });
                }
            }
        }
        // Presolve: a row that adds cells of one sign up to nothing makes
        // each of them 0 (a year of nobody, a quarter of it); they leave
        // the problem, which shrinks by every empty category.
        let mut zeros = BTreeSet::new();
        loop {
            let mut found = Vec::new();
            for row in &rows {
                let all_positive = row.unknowns.values().all(|c| *c > 0.0);
                let all_negative = row.unknowns.values().all(|c| *c < 0.0);
                let nothing = row.rhs.abs() < TOLERANCE;
                let forces = match row.op {
                    ComparisonOp::Eq => nothing && (all_positive || all_negative),
                    ComparisonOp::Le => nothing && all_positive,
                    ComparisonOp::Ge => nothing && all_negative,
                };
                if forces {
                    found.extend(row.unknowns.keys().cloned());
                }
            }
            if found.is_empty() {
                break;
            }
            zeros.extend(found);
            for row in &mut rows {
                row.unknowns.retain(|cell, _| !zeros.contains(cell));
            }
            rows.retain(|row| !row.unknowns.is_empty());
        }
        let component = components(&rows);
        let mut rows_by_component: BTreeMap<K, Vec<usize>> = BTreeMap::new();
        for (index, row) in rows.iter().enumerate() {
            if let Some(c) = row.unknowns.keys().next().and_then(|k| component.get(k)) {
                rows_by_component.entry(c.clone()).or_default().push(index);
            }
        }
        Self {
            shown,
            rows,
            component,
            rows_by_component,
            zeros,
        }
    }

    fn rows_of(&self, cell: &K) -> Vec<&Row<K>> {
        self.component
            .get(cell)
            .and_then(|c| self.rows_by_component.get(c))
            .into_iter()
            .flatten()
            .map(|index| &self.rows[*index])
            .collect()
    }

    fn range(&self, cell: &K) -> Range {
        if self.zeros.contains(cell) {
            return Range {
                least: Some(0.0),
                greatest: Some(0.0),
            };
        }
        let rows = self.rows_of(cell);
        let solve = |direction| extreme(self.shown, &rows, cell, direction);
        Range {
            least: solve(OptimizationDirection::Minimize),
            greatest: solve(OptimizationDirection::Maximize),
        }
    }
}

fn components<K: Ord + Clone>(rows: &[Row<K>]) -> BTreeMap<K, K> {
    let mut parent: BTreeMap<K, K> = BTreeMap::new();
    fn root<K: Ord + Clone>(parent: &BTreeMap<K, K>, cell: &K) -> K {
        let mut at = cell.clone();
        while let Some(up) = parent.get(&at) {
            if *up == at {
                break;
            }
            at = up.clone();
        }
        at
    }
    for row in rows {
        for cell in row.unknowns.keys() {
            parent.entry(cell.clone()).or_insert_with(|| cell.clone());
        }
        let mut cells = row.unknowns.keys();
        if let Some(first) = cells.next() {
            for other in cells {
                let (a, b) = (root(&parent, first), root(&parent, other));
                if a != b {
                    parent.insert(b, a);
                }
            }
        }
    }
    let cells: Vec<K> = parent.keys().cloned().collect();
    cells
        .into_iter()
        .map(|cell| {
            let r = root(&parent, &cell);
            (cell, r)
        })
        .collect()
}

/// No upper bound on a secret (microlp reads `i32::MAX` so).
const MOST: i32 = i32::MAX;

/// The problem of `rows`, each hidden cell an integer within what its
/// marker says, `target` the objective.
fn build<K: Ord + Clone>(
    shown: &BTreeMap<K, Shown>,
    rows: &[&Row<K>],
    target: &K,
    direction: OptimizationDirection,
) -> Problem {
    let mut problem = Problem::new(direction);
    problem.set_time_limit(std::time::Duration::from_secs(5));
    let small_top = i32::try_from(THRESHOLD - 1).unwrap_or(i32::MAX);
    let mut variables = BTreeMap::new();
    let mut variable = |problem: &mut Problem, cell: &K| {
        *variables.entry(cell.clone()).or_insert_with(|| {
            let objective = if cell == target { 1.0 } else { 0.0 };
            match shown.get(cell) {
                Some(Shown::Small) => problem.add_integer_var(objective, (0, small_top)),
                _ => problem.add_integer_var(objective, (small_top + 1, MOST)),
            }
        })
    };
    variable(&mut problem, target);
    for row in rows {
        let terms: Vec<_> = row
            .unknowns
            .iter()
            .map(|(cell, c)| (variable(&mut problem, cell), *c))
            .collect();
        problem.add_constraint(terms.as_slice(), row.op, row.rhs);
    }
    problem
}

/// The least or greatest integer `target` can be under `rows`.
fn extreme<K: Ord + Clone>(
    shown: &BTreeMap<K, Shown>,
    rows: &[&Row<K>],
    target: &K,
    direction: OptimizationDirection,
) -> Option<f64> {
    let problem = build(shown, rows, target, direction);
    match problem.solve() {
        Ok(SolveOutcome::Solution(solution)) => Some(solution.objective()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sum(total: &str, terms: &[&str]) -> Relation<String> {
        Relation::Sum {
            total: total.into(),
            terms: terms.iter().map(|t| (*t).to_owned()).collect(),
        }
    }

    fn cells(values: &[(&str, u64)]) -> BTreeMap<String, u64> {
        values.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
    }

    fn protect_alone(
        cells: &BTreeMap<String, u64>,
        relations: &[Relation<String>],
    ) -> BTreeMap<String, Shown> {
        protect(cells, relations, &BTreeMap::new())
    }

    /// What the file says of each hidden cell, solved from the markers and
    /// the printed values; and the same with every cell hidden. Checks that
    /// every marker is true, that no count of 1 to 4 is narrowed, and that
    /// no hidden cell is given away.
    fn assert_protected(
        values: &BTreeMap<String, u64>,
        relations: &[Relation<String>],
        shown: &BTreeMap<String, Shown>,
    ) -> Result<(), TestCaseError> {
        for (cell, value) in values {
            match shown[cell] {
                Shown::Small => prop_assert!(*value < THRESHOLD, "{} = {} is <5", cell, value),
                Shown::Secret => {
                    prop_assert!(*value >= THRESHOLD, "{} = {} is secret", cell, value)
                }
                Shown::Value(v) => {
                    prop_assert_eq!(v, *value);
                    prop_assert!(!is_small(v), "{} = {} is printed", cell, v);
                }
            }
        }
        let markers_alone: BTreeMap<String, Shown> = values
            .iter()
            .map(|(cell, v)| {
                let state = if *v < THRESHOLD {
                    Shown::Small
                } else {
                    Shown::Secret
                };
                (cell.clone(), state)
            })
            .collect();
        let small = |cell: &String, _| is_small(values[cell]);
        let widest = ranges(&markers_alone, relations, small);
        for (cell, range) in ranges(shown, relations, |_, s| s.is_hidden()) {
            if is_small(values[&cell]) {
                prop_assert!(
                    range.keeps(&widest[&cell]),
                    "{} narrowed to {:?} from {:?}: {:?}",
                    cell,
                    range,
                    widest[&cell],
                    shown
                );
                prop_assert!(!range.is_determined(), "{} determined: {:?}", cell, shown);
            } else if values[&cell] > 0 {
                // (A `<5` for nobody may be known as nobody: no one's secret.)
                prop_assert!(!range.is_determined(), "{} given away: {:?}", cell, shown);
            }
        }
        Ok(())
    }

    #[test]
    fn four_is_small_five_is_not_and_a_lone_small_cell_gets_company() {
        let relations = [sum("total", &["a", "b", "c"])];
        let values = cells(&[("a", 4), ("b", 12), ("c", 30), ("total", 46)]);
        let shown = protect_alone(&values, &relations);
        assert_eq!(shown["a"], Shown::Small);
        assert_eq!(
            shown["b"],
            Shown::Secret,
            "the next smallest, so that 4 = total - 12 - 30 cannot be worked out"
        );
        assert_eq!(
            (shown["c"], shown["total"]),
            (Shown::Value(30), Shown::Value(46))
        );
        assert_protected(&values, &relations, &shown).unwrap();

        let shown = protect_alone(
            &cells(&[("a", 5), ("b", 12), ("c", 30), ("total", 47)]),
            &relations,
        );
        assert!(
            shown.values().all(|s| !s.is_hidden()),
            "5 people: published"
        );

        let shown = protect_alone(
            &cells(&[("a", 0), ("b", 12), ("c", 30), ("total", 42)]),
            &relations,
        );
        assert!(
            shown.values().all(|s| !s.is_hidden()),
            "nobody: nothing to hide"
        );
    }

    #[test]
    fn a_secret_is_never_printed_as_small_and_a_hidden_zero_is() {
        // 12 hidden beside a 3 is marked secret, not `<5`: a false figure.
        let values = cells(&[("a", 3), ("b", 12), ("total", 15)]);
        let shown = protect_alone(&values, &[sum("total", &["a", "b"])]);
        assert_eq!((shown["a"], shown["b"]), (Shown::Small, Shown::Secret));
        // A printed 0 would give 3 = 15 - 12 - 0 away: the zero is the least
        // said to hide, and goes as `<5`, which it is (then the 12 too).
        let relations = [sum("total", &["a", "b", "c"])];
        let values = cells(&[("a", 3), ("b", 12), ("c", 0), ("total", 15)]);
        let shown = protect_alone(&values, &relations);
        assert_eq!((shown["a"], shown["c"]), (Shown::Small, Shown::Small));
        assert_protected(&values, &relations, &shown).unwrap();
    }

    /// The attack the issue found: 11 exits, 3 durable, 6 transitional,
    /// 2 other, 0 withdrawn; dynamic = durable + transitional + positive.
    #[test]
    fn exits_cannot_be_worked_out_from_the_dynamic_exits() {
        let values = cells(&[
            ("exits", 11),
            ("dynamic", 9),
            ("durable", 3),
            ("transitional", 6),
            ("positive", 0),
            ("other", 2),
            ("withdrawn", 0),
        ]);
        let relations = [
            sum(
                "exits",
                &["durable", "transitional", "positive", "other", "withdrawn"],
            ),
            sum("dynamic", &["durable", "transitional", "positive"]),
        ];
        let shown = protect_alone(&values, &relations);
        assert_eq!(shown["durable"], Shown::Small);
        assert_eq!(shown["other"], Shown::Small);
        // The old rule printed exits 11, dynamic 9 and withdrawn 0, giving
        // other = 2 away; now one of those is hidden too.
        assert!(
            shown["exits"].is_hidden() || shown["dynamic"].is_hidden(),
            "{shown:?}"
        );
        assert_protected(&values, &relations, &shown).unwrap();
    }

    #[test]
    fn overlapping_totals_are_solved_together() {
        // a + b = 9 and a + c = 7 with b, c printed would give a away; the
        // old rule, one sum at a time, saw two unknowns in neither.
        let values = cells(&[("x", 9), ("y", 7), ("a", 2), ("b", 7), ("c", 5)]);
        let relations = [sum("x", &["a", "b"]), sum("y", &["a", "c"])];
        let shown = protect_alone(&values, &relations);
        assert_protected(&values, &relations, &shown).unwrap();
    }

    #[test]
    fn a_published_file_is_kept_and_the_new_one_hides_around_it() {
        // Two quarters, then their year: the year's total cannot give a
        // quarter's small count away.
        let relations = [sum("year", &["q1", "q2"])];
        let quarters = protect_alone(&cells(&[("q1", 3), ("q2", 20)]), &[]);
        assert_eq!(quarters["q2"], Shown::Value(20));
        let values = cells(&[("q1", 3), ("q2", 20), ("year", 23)]);
        let all = protect(&values, &relations, &quarters);
        assert_eq!(all["q2"], Shown::Value(20), "published: kept");
        assert_eq!(all["year"], Shown::Secret);
        assert_protected(&values, &relations, &all).unwrap();
    }

    #[test]
    fn a_union_bounds_but_does_not_add_up() {
        // 6 beneficiaries in the year, 3 and 4 in two quarters (one came
        // twice): printed, the year would say q1 + q2 ≥ 6, so q1 ≥ 2.
        let relations = [Relation::Union {
            total: "year".to_owned(),
            parts: vec!["q1".into(), "q2".into()],
        }];
        let values = cells(&[("q1", 3), ("q2", 4), ("year", 6)]);
        let shown = protect_alone(&values, &relations);
        assert_eq!((shown["q1"], shown["q2"]), (Shown::Small, Shown::Small));
        assert_eq!(shown["year"], Shown::Secret);
        assert_protected(&values, &relations, &shown).unwrap();
    }

    #[test]
    fn a_range_is_what_the_printed_figures_and_the_markers_allow() {
        let shown: BTreeMap<String, Shown> = [
            ("x", Shown::Value(12)),
            ("s1", Shown::Secret),
            ("s2", Shown::Secret),
            ("y", Shown::Value(10)),
            ("a", Shown::Small),
            ("b", Shown::Secret),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let relations = [sum("x", &["s1", "s2"]), sum("y", &["a", "b"])];
        let found = ranges(&shown, &relations, |_, _| true);
        let at = |cell: &str| (found[cell].least, found[cell].greatest);
        assert_eq!(
            found.keys().collect::<Vec<_>>(),
            ["a", "b", "s1", "s2"],
            "hidden cells only"
        );
        // Two secrets of 12: each 5 or more, so 5 to 7.
        assert_eq!(at("s1"), (Some(5.0), Some(7.0)));
        // A `<5` and a secret of 10: 0 to 4, and 6 to 10.
        assert_eq!(at("a"), (Some(0.0), Some(4.0)));
        assert_eq!(at("b"), (Some(6.0), Some(10.0)));
        assert!(!found["b"].is_determined());
        let one = Range {
            least: Some(7.0),
            greatest: Some(7.0),
        };
        assert!(one.is_determined());
    }

    #[test]
    fn a_secret_the_files_determine_is_printed_a_hidden_zero_is_not() {
        // 3 = 15 − 12: the 12 is hidden first, but u = b prints it anyway;
        // then the total goes, and the 12 is printed back.
        let relations = [sum("t", &["a", "b"]), sum("u", &["b"])];
        let values = cells(&[("t", 15), ("a", 3), ("b", 12), ("u", 12)]);
        let shown = protect_alone(&values, &relations);
        assert_eq!(shown["a"], Shown::Small);
        assert_eq!(shown["t"], Shown::Secret);
        assert_eq!(shown["b"], Shown::Value(12), "{shown:?}");
        assert_protected(&values, &relations, &shown).unwrap();
        // A zero hidden beside a 2, which v = z shows is nobody: it stays
        // `<5` (nobody's secret), and only secrets are printed back.
        let relations = [sum("t", &["a", "z", "b"]), sum("v", &["z"])];
        let values = cells(&[("t", 14), ("a", 2), ("z", 0), ("b", 12), ("v", 0)]);
        let shown = protect_alone(&values, &relations);
        assert_eq!(shown["z"], Shown::Small, "{shown:?}");
        assert_eq!(shown["b"], Shown::Secret, "{shown:?}");
        assert_protected(&values, &relations, &shown).unwrap();
    }

    /// Worlds of two groups of categories under one total, and a second
    /// split of the same total (as départements split the beneficiaries
    /// that categories split too), and a subset of one category.
    fn world() -> impl Strategy<Value = (BTreeMap<String, u64>, Vec<Relation<String>>)> {
        (
            prop::collection::vec(0u64..12, 1..5),
            prop::collection::vec(0u64..12, 1..5),
            prop::collection::vec(0u64..4, 1..4),
        )
            .prop_map(|(a, b, split)| {
                let mut values = BTreeMap::new();
                let mut relations = Vec::new();
                let mut groups = Vec::new();
                for (g, group) in [("a", &a), ("b", &b)] {
                    let terms: Vec<String> = (0..group.len()).map(|i| format!("{g}{i}")).collect();
                    for (term, v) in terms.iter().zip(group.iter()) {
                        values.insert(term.clone(), *v);
                    }
                    values.insert(g.to_owned(), group.iter().sum());
                    relations.push(Relation::Sum {
                        total: g.to_owned(),
                        terms,
                    });
                    groups.push(g.to_owned());
                }
                let all: u64 = a.iter().sum::<u64>() + b.iter().sum::<u64>();
                values.insert("all".into(), all);
                relations.push(Relation::Sum {
                    total: "all".into(),
                    terms: groups,
                });
                // The same people split another way: all but the last
                // region take a share, the last the rest.
                let mut left = all;
                let mut regions = Vec::new();
                for (i, share) in split.iter().enumerate() {
                    let n = (left * share / 4).min(left);
                    left -= n;
                    values.insert(format!("r{i}"), n);
                    regions.push(format!("r{i}"));
                }
                values.insert("r_rest".into(), left);
                regions.push("r_rest".into());
                relations.push(Relation::Sum {
                    total: "all".into(),
                    terms: regions,
                });
                let newcomers = a[0] / 2;
                values.insert("new".into(), newcomers);
                relations.push(Relation::Within {
                    part: "new".into(),
                    whole: "a0".into(),
                });
                (values, relations)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn no_small_count_is_narrowed_by_the_published_system((values, relations) in world()) {
            let shown = protect(&values, &relations, &BTreeMap::new());
            assert_protected(&values, &relations, &shown)?;
        }
    }
}
