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
mod tests;
