#!/usr/bin/env bash
# Mutation testing of the pure rules (src/rules): cargo-mutants changes the
# code one small way at a time (a `<` into `<=`, a function into one that
# returns a constant…) and runs the rules' unit tests; a mutant they do not
# catch is a rule no test holds. Each mutant rebuilds the rules crate alone,
# in about a second.
#
#   scripts/mutants.sh                every mutant of the rules, with the score
#                                     per module (a few minutes)
#   scripts/mutants.sh --in-diff REV  only the mutants in the lines of src/rules
#                                     changed since REV; nothing to do (and
#                                     nothing installed) when there are none
#
# Fails when a mutant is missed. Installs cargo-mutants when it is missing.
# Runs in place: the source is changed and restored mutant by mutant, so do
# not edit src/rules meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."
version=27.1.0
out=${MUTANTS_OUT:-target/mutants}
args=()

if [ "${1:-}" = "--in-diff" ]; then
  base=${2:?"--in-diff needs a revision"}
  if ! git cat-file -e "$base^{commit}" 2>/dev/null; then
    echo "mutation testing: $base is not in this clone; testing every mutant instead" >&2
    exec "$0"
  fi
  mkdir -p "$out"
  git diff "$base" -- src/rules/src > "$out/rules.diff"
  if [ ! -s "$out/rules.diff" ]; then
    echo "==> mutation testing: no change to src/rules since $(git rev-parse --short "$base")"
    exit 0
  fi
  args+=(--in-diff "$out/rules.diff")
  echo "==> mutation testing: the rules changed since $(git rev-parse --short "$base")"
else
  echo "==> mutation testing: every mutant of the rules"
fi

if ! cargo mutants --version 2>/dev/null | grep -q "$version"; then
  cargo install --locked "cargo-mutants@$version"
fi

status=0
cargo mutants --package retrace-rules --in-place --no-shuffle --output "$out" "${args[@]}" || status=$?
# 2: mutants missed; 3: mutants whose tests hung (an infinite loop the
# mutant made), which no test let survive. Only a missed mutant fails.
if [ "$status" = 3 ]; then
  status=0
fi

# The score per module: mutants caught (or whose tests hung: a timeout is no
# survivor either) out of those that built.
python3 - "$out/mutants.out/outcomes.json" <<'PY'
import collections, json, sys
outcomes = json.load(open(sys.argv[1]))["outcomes"]
by_file = collections.defaultdict(collections.Counter)
for o in outcomes:
    mutant = o["scenario"]
    if not isinstance(mutant, dict):
        continue  # the baseline
    by_file[mutant["Mutant"]["file"]][o["summary"]] += 1
print(f"{'module':40} {'caught':>7} {'missed':>7} {'unviable':>9} {'score':>7}")
for file, counts in sorted(by_file.items()):
    caught = counts["CaughtMutant"] + counts["Timeout"]
    missed = counts["MissedMutant"]
    score = f"{100 * caught / (caught + missed):.0f} %" if caught + missed else "—"
    print(f"{file:40} {caught:>7} {missed:>7} {counts['Unviable']:>9} {score:>7}")
if any(c["MissedMutant"] for c in by_file.values()):
    sys.exit(2)
PY
exit "$status"
