#!/usr/bin/env bash
# `risks` and `coverage` through the real binary on the example suite, with
# hand-written journals (no staging: both commands only read).
source "$(dirname "$0")/lib/common.sh"
suite=$CHAOSGATE_SOURCE_DIR/examples/shop-suite.yaml

# journal FILE SUITE_NAME STARTED ID=VERDICT...: a minimal journal.json as `run` writes it.
journal() {
  python3 - "$@" <<'PY'
import json, os, sys
path, suite, started, *results = sys.argv[1:]
experiments = []
for pair in results:
    experiment_id, verdict = pair.split("=")
    experiments.append({"experiment": {"id": experiment_id}, "verdict": verdict, "started": started,
                        "durationMs": 1000, "attempts": []})
os.makedirs(os.path.dirname(path), exist_ok=True)
json.dump({"schema_version": 1, "runId": "run-" + started, "tool": {"name": "chaosgate", "version": "test"},
           "suite": {"name": suite, "version": "2026.11", "digest": "0" * 64, "files": []},
           "environment": {"name": "staging", "production": False}, "shard": "", "commandLine": "",
           "ci": {"system": "local", "values": {}}, "started": started, "finished": started,
           "preflightProblems": [], "notices": [],
           "gate": {"decision": "passed", "reason": "", "exitCode": 0}, "experiments": experiments},
          open(path, "w"), indent=2)
PY
}
redis=cart-survives-redis-pause
freeze=storefront-survives-instance-freeze
cpu=checkout-survives-cpu-hog
journal "$scratch/run-1/journal.json" shop 2026-11-01T10:00:00.000Z $redis=passed $freeze=failed
journal "$scratch/run-2/journal.json" shop 2026-11-02T10:00:00.000Z $redis=failed $freeze=passed $cpu=passed
journal "$scratch/run-3.json" shop 2026-11-03T10:00:00.000Z $redis=failed $freeze=passed $cpu=flaky
# Given out of order, one as an output directory: the register orders them by start time.
runs=(--journal "$scratch/run-3.json" --journal "$scratch/run-1/journal.json" --journal "$scratch/run-2")

# field JSON_EXPRESSION: evaluates it on the JSON document in $scratch/out (`d`; `e(id)` is one experiment).
field() {
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); e=lambda i: next(x for x in d["experiments"] if x["id"]==i); print(eval(sys.argv[2]))' \
    "$scratch/out" "$1"
}
expect_field() {
  local got
  got=$(field "$1" 2>&1)
  if [[ $got == "$2" ]]; then ok "$3"; else fail "$3: $1 is $got, wanted $2"; fi
}

# ---- risks: table --------------------------------------------------------------
expect_exit 0 "risks (table)" -- "$CHAOSGATE" risks --suite "$suite" "${runs[@]}" --state-dir "$scratch/none"
expect_output out "over 3 run(s), oldest first" "the table says how many runs it read"
# A regression in each of the last two runs: likelihood 4 + 2, capped at 5; 5 x 4 = 20 -> critical.
# row ID: the table row of experiment (or service) ID.
row() { grep -E "^  $1 " "$scratch/out"; }
line=$(row $redis)
[[ $line =~ \ 5\ \(from\ 4\)\ +4\ +20\ +critical\ +regressed\ +P\ F\ F\ \(steady\) ]] &&
  ok "a regressed experiment: raised likelihood, critical, P F F" || fail "redis line: $line"
line=$(row $freeze)
[[ $line == *"high"*"held"*"F P P (steady)"* ]] && ok "a recovered experiment holds at its suite level" || fail "freeze line: $line"
line=$(row $cpu)
[[ $line == *"flaky"*"- P K (worse)"* ]] && ok "held then flaky is getting worse" || fail "cpu line: $line"
[[ $(row error-rate-holds-during-instance-freeze) == *"never run"* ]] &&
  ok "an experiment no journal ran is never run" || fail "never-run line missing"
[[ $(sed -n '4p' "$scratch/out") == "  $redis "* ]] && ok "the highest risk comes first" || fail "first row: $(sed -n '4p' "$scratch/out")"
expect_output out "Per service:" "a per-service roll-up follows"
line=$(grep -A4 "^  service  *experiments" "$scratch/out" | grep "^  cart ")
[[ $line =~ ^\ \ cart\ +3\ +critical\ +0\ +1\ +1\ +0\ +0\ +1 ]] && ok "cart's roll-up: critical, 1 regressed, 1 flaky, 1 never run" ||
  fail "cart roll-up: $line"

# ---- risks: JSON ---------------------------------------------------------------
expect_exit 0 "risks --format json" -- "$CHAOSGATE" risks --suite "$suite" "${runs[@]}" --format json --state-dir "$scratch/none"
expect_field "sorted(d.keys())" "['experiments', 'likelihoodRule', 'runs', 'services', 'suite']" "JSON top-level keys"
expect_field "sorted(e('$redis').keys())" \
  "['attackGroup', 'id', 'incidentCategory', 'lifecycle', 'openTickets', 'owner', 'regressionStreak', 'risk', 'service', 'status', 'title', 'trend']" \
  "JSON experiment keys"
expect_field "(e('$redis')['risk']['suiteLikelihood'], e('$redis')['risk']['likelihood'], e('$redis')['risk']['score'], e('$redis')['risk']['level'])" \
  "(4, 5, 20, 'critical')" "JSON: the regressed experiment's likelihood raised to 5, level critical"
expect_field "e('$redis')['trend']['runs']" "['held', 'regressed', 'regressed']" "JSON: the trend, oldest first"
expect_field "[r['file'] for r in d['runs']]" "['$scratch/run-1/journal.json', '$scratch/run-2/journal.json', '$scratch/run-3.json']" \
  "JSON: runs ordered by start time, with their files"
expect_field "len(d['experiments'])" "9" "JSON: every experiment of the suite"

# ---- risks: CSV ----------------------------------------------------------------
expect_exit 0 "risks --format csv" -- "$CHAOSGATE" risks --suite "$suite" "${runs[@]}" --format csv --state-dir "$scratch/none"
python3 - "$scratch/out" <<'PY' && ok "CSV: a header and one row per experiment, CRLF" || fail "CSV shape"
import csv, sys
data = open(sys.argv[1], newline="").read()
assert data.endswith("\r\n") and "\n" not in data.replace("\r\n", ""), "line ends"
rows = list(csv.reader(data.splitlines()))
assert rows[0][:3] == ["id", "title", "service"], rows[0]
assert len(rows) == 10, len(rows)
assert all(len(r) == len(rows[0]) for r in rows), "ragged rows"
redis = next(r for r in rows if r[0] == "cart-survives-redis-pause")
assert redis[rows[0].index("likelihood")] == "5" and redis[rows[0].index("level")] == "critical", redis
PY

# ---- risks: open tickets from the file tracker's index ---------------------------
mkdir -p "$scratch/state"
python3 - "$scratch/state/tickets.json" "$redis" <<'PY'
import hashlib, json, sys
path, experiment = sys.argv[1:]
label = lambda suite: "cg-exp-" + hashlib.sha256(f"{suite}\0{experiment}".encode()).hexdigest()[:16]
ticket = lambda key, status, suite: {"key": key, "team": "checkout", "experiment": experiment, "fingerprint": "cg-x",
    "labels": ["chaosgate", label(suite)], "summary": "s", "status": status, "comments": 0,
    "created": "", "updated": "", "file": ""}
json.dump({"schemaVersion": 1, "tickets": [ticket("CHAOS-1", "resolved", "shop"), ticket("CHAOS-2", "open", "shop"),
                                           ticket("CHAOS-3", "open", "another-suite")]}, open(path, "w"))
PY
expect_exit 0 "risks --state-dir with a ticket index" -- "$CHAOSGATE" risks --suite "$suite" "${runs[@]}" --format json --state-dir "$scratch/state"
expect_field "e('$redis')['openTickets']" "['CHAOS-2']" "only this suite's open ticket is listed"
echo '{"schemaVersion": 1' > "$scratch/state/tickets.json"
expect_exit 2 "a corrupt ticket index is refused" -- "$CHAOSGATE" risks --suite "$suite" --state-dir "$scratch/state"
expect_output err "$scratch/state/tickets.json" "the error names the index"

# ---- risks: a journal of another suite --------------------------------------------
journal "$scratch/other/journal.json" payments 2026-11-04T10:00:00.000Z $redis=passed
expect_exit 2 "a journal of another suite" -- "$CHAOSGATE" risks --suite "$suite" "${runs[@]}" --journal "$scratch/other"
expect_output err "$scratch/other/journal.json: a journal of suite \"payments\", not of \"shop\"" "the error names the journal"

# ---- coverage --------------------------------------------------------------------
expect_exit 0 "coverage (table)" -- "$CHAOSGATE" coverage --suite "$suite"
expect_output out "1 of 4 incident categories are blind spots" "coverage counts the blind spots"
[[ $(sed -n '4p' "$scratch/out") =~ ^\ \ BLIND\ SPOT\ +bad-config\ +0\ +-\ +INC-1201 ]] &&
  ok "the blind spot (only a retired experiment) is listed first" || fail "first category row: $(sed -n '4p' "$scratch/out")"
[[ $(grep -E "^  covered +dependency-outage" "$scratch/out") =~ dependency-outage\ +1\ +cart\ +INC-1042,INC-1107 ]] &&
  ok "a covered category: promoted count, services, incidents" || fail "dependency-outage row"
[[ $(row network) =~ ^\ \ network\ +-\ +-\ +-$ ]] && ok "an attack group nobody promoted shows empty cells" ||
  fail "network row: $(row network)"
expect_exit 0 "coverage --format json" -- "$CHAOSGATE" coverage --suite "$suite" --format json
python3 - "$scratch/out" <<'PY' && ok "coverage JSON: keys, blind spot first, the matrix" || fail "coverage JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert sorted(d) == ["attackGroups", "blindSpots", "categories", "promotedExperiments", "suite"], sorted(d)
first = d["categories"][0]
assert first["id"] == "bad-config" and first["blindSpot"] and first["incidents"] == ["INC-1201"], first
assert not any(c["blindSpot"] for c in d["categories"][1:])
assert [g["group"] for g in d["attackGroups"]] == ["network", "resource", "state", "application", "dependency"]
assert d["attackGroups"][0]["services"] == {"storefront": 0, "cart": 0, "monitoring": 0}, d["attackGroups"][0]
PY
# The retired bad-config experiment made a candidate again: coverage names it.
sed 's/status: retired/status: candidate/' "$suite" > "$scratch/candidate-suite.yaml"
expect_exit 0 "coverage with a candidate for the blind spot" -- "$CHAOSGATE" coverage --suite "$scratch/candidate-suite.yaml"
expect_output out "1 candidate would cover it (bad-config-rejected)" "a candidate that would cover a blind spot is named"

# ---- help ------------------------------------------------------------------------
expect_exit 0 "risks --help" -- "$CHAOSGATE" risks --help
expect_output out "chaosgate risks --suite examples/shop-suite.yaml --journal run-1/" "risks --help shows examples"
expect_output out "+ 1 per consecutive" "risks --help states the likelihood rule"
expect_exit 0 "coverage --help" -- "$CHAOSGATE" coverage --help
expect_output out "chaosgate coverage --suite suites/ --format json" "coverage --help shows examples"

finish
