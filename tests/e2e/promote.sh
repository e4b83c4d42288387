#!/usr/bin/env bash
# `chaosgate promote` on journals of real `chaosgate run`s of a small suite whose
# probes are commands (`test -e FLAG`), so each run's verdict is decided by a
# flag file the test sets: promotion after three passes and not after two, a
# changed definition refusing it, a repeated regression sending a promoted
# experiment back, comments and layout kept by --write, refused journals.
source "$(dirname "$0")/lib/common.sh"
suite=$scratch/suite.yaml
flags=$scratch/flags
mkdir -p "$flags"

cat > "$suite" <<YAML
# A hand-kept suite: promote must leave this comment where it is.
apiVersion: chaosgate/v1
name: promo
catalog:
  teams: [{id: shop}]
  services: [{id: web, owner: shop, targets: [web]}]
  incidentCategories: [{id: outage, title: Outage}]
  environments:
    - {name: staging, production: false}
    - {name: prod, production: true}
experiments:
  - id: steady-one        # passes every time
    title: Steady one
    service: web
    hypothesis: Holds.
    incidentCategory: outage
    attackGroup: application
    risk: {likelihood: 2, impact: 3}
    status: candidate     # the status promote rewrites
    steadyState:
      - {name: ready, command: {argv: ["true"]}}
    observe:
      - {name: up, command: {argv: [test, -e, "$flags/up"]}, every: 50ms}
    method:
      - {name: hold, pause: 200ms}
  - id: wobbly-two
    title: Wobbly two
    service: web
    hypothesis: Holds only when its flag is there.
    incidentCategory: outage
    attackGroup: application
    risk: {likelihood: 2, impact: 3}
    status: "candidate"
    steadyState:
      - {name: ready, command: {argv: ["true"]}}
    observe:
      - {name: wobbly, command: {argv: [test, -e, "$flags/wobbly"]}, every: 50ms}
    method:
      - {name: hold, pause: 200ms}
  - id: changing-three
    title: Changing three
    service: web
    hypothesis: Holds; its definition is edited between runs.
    incidentCategory: outage
    attackGroup: application
    risk: {likelihood: 2, impact: 3}
    status: candidate
    steadyState:
      - {name: ready, command: {argv: ["true"]}}
    observe:
      - {name: up, command: {argv: [test, -e, "$flags/up"]}, every: 50ms}
    method:
      - {name: hold, pause: 201ms}
  - id: green-four
    title: Green four
    service: web
    hypothesis: Holds unless its flag is gone.
    incidentCategory: outage
    attackGroup: application
    risk: {likelihood: 2, impact: 3}
    status: promoted
    steadyState:
      - {name: ready, command: {argv: ["true"]}}
    observe:
      - {name: green, command: {argv: [test, -e, "$flags/green"]}, every: 50ms}
    method:
      - {name: hold, pause: 200ms}
    followUp:
      - Find out why green-four stopped holding
YAML
cp "$suite" "$scratch/suite.original.yaml"

# run N: one gate run of every candidate and promoted experiment into $scratch/run-N.
run() {
  "$CHAOSGATE" -q run --suite "$suite" --env staging --include-status promoted,candidate --tracker none --status none \
    --fail-on never --out "$scratch/run-$1" > /dev/null 2>&1 || fail "run $1 did not finish"
  sleep 0.01  # distinct start times order the journals
}
touch "$flags/up" "$flags/wobbly" "$flags/green"
run 1
rm "$flags/wobbly" "$flags/green"; run 2         # wobbly-two and green-four fail
touch "$flags/wobbly" "$flags/green"; run 3
sed -i 's/pause: 201ms/pause: 202ms/' "$suite"    # changing-three: a new definition from run 4 on
run 4

# Two passes of the new definition are not enough; three of the old do not count.
expect_exit 0 "promote over runs 1-4 (dry run)" -- "$CHAOSGATE" promote --suite "$suite" \
  --runs "$scratch/run-4" "$scratch/run-1" "$scratch/run-3/journal.json" "$scratch/run-2"
expect_output out "promote  steady-one: candidate -> promoted, passed in the last 3 runs (run-2/journal.json, run-3/journal.json, run-4/journal.json)" \
  "three passes in a row promote a candidate"
expect_output out "keep     wobbly-two: candidate, 2 of 3 consecutive passes (failed in run-2/journal.json)" \
  "two passes after a failure do not"
expect_output out "keep     changing-three: candidate, 1 of 3 consecutive passes (definition changed since run-3/journal.json)" \
  "a changed definition refuses promotion and says since when"
expect_output out "+    status: promoted     # the status promote rewrites" "the dry run prints the change as a diff"
expect_output out "Nothing written: --write applies these 1 change(s)." "the dry run says nothing was written"
cmp -s "$suite" <(sed 's/pause: 201ms/pause: 202ms/' "$scratch/suite.original.yaml") && ok "the dry run left the suite alone" ||
  fail "the dry run changed the suite"

# green-four regressed once (run 2) and held after: it stays promoted.
grep -q "green-four" "$scratch/out" && fail "green-four should not be proposed" || ok "one regression does not demote"

# Runs 5 and 6: wobbly-two passes its third in a row; green-four regresses twice in a row.
rm "$flags/green"; run 5; run 6
chmod 640 "$suite"
expect_exit 0 "promote --write over runs 1-6" -- "$CHAOSGATE" promote --suite "$suite" --write \
  --runs "$scratch"/run-{1,2,3,4,5,6}
expect_output out "promote  wobbly-two: candidate -> promoted, passed in the last 3 runs" "the third pass in a row promotes"
expect_output out "demote   green-four: promoted -> candidate, regressed in the last 2 runs (run-5/journal.json, run-6/journal.json)" \
  "two regressions in a row send a promoted experiment back"
expect_output out "promote  changing-three: candidate -> promoted, passed in the last 3 runs (run-4/journal.json, run-5/journal.json, run-6/journal.json)" \
  "three passes of the new definition promote it"
expect_output out "Wrote $suite" "--write says which file it wrote"
[[ $(stat -c %a "$suite") == 640 ]] && ok "the suite file keeps its permissions" || fail "permissions now $(stat -c %a "$suite")"
# Only the status values changed: every other byte, comments included, is the user's.
diff <(sed 's/pause: 201ms/pause: 202ms/' "$scratch/suite.original.yaml") "$suite" > "$scratch/diff"
[[ $(grep -c '^[<>]' "$scratch/diff") -eq 8 ]] && ok "exactly four status lines changed" || { fail "unexpected changes"; cat "$scratch/diff"; }
grep -q '^# A hand-kept suite: promote must leave this comment where it is.$' "$suite" &&
  grep -q '  - id: steady-one        # passes every time' "$suite" &&
  grep -q 'status: promoted     # the status promote rewrites' "$suite" &&
  ok "comments, alignment and the line's own comment are kept" || fail "comments lost"
grep -q 'status: "promoted"' "$suite" && ok "a quoted status stays quoted" || fail "quoting lost"
expect_exit 0 "the rewritten suite is still valid" -- "$CHAOSGATE" validate "$suite"
expect_exit 0 "promote again proposes nothing more to promote" -- "$CHAOSGATE" promote --suite "$suite" \
  --runs "$scratch"/run-{4,5,6}
grep -q "^promote " "$scratch/out" && fail "promoted twice" || ok "nothing is promoted twice"

# Refused journals: another suite, production, preflight failure; each named with why.
python3 - "$scratch" <<'PY'
import json, sys, os
s = sys.argv[1]
base = json.load(open(f"{s}/run-6/journal.json"))
def variant(name, change):
    d = json.loads(json.dumps(base)); change(d)
    os.makedirs(f"{s}/{name}", exist_ok=True); json.dump(d, open(f"{s}/{name}/journal.json", "w"))
variant("other", lambda d: d["suite"].update(name="another-suite"))
variant("prod", lambda d: d["environment"].update(name="prod", production=True))
variant("nopre", lambda d: d.update(preflightProblems=["http://127.0.0.1:1 refused"]))
PY
expect_exit 2 "journals that cannot count are refused" -- "$CHAOSGATE" promote --suite "$suite" \
  --runs "$scratch"/run-{4,5} "$scratch/other" "$scratch/prod" "$scratch/nopre"
expect_output err "$scratch/other/journal.json: a journal of suite \"another-suite\", not of \"promo\"" "another suite's journal, named"
expect_output err "$scratch/prod/journal.json: a run in the production environment \"prod\"" "a production run, named"
expect_output err "$scratch/nopre/journal.json: preflight failed" "a run with preflight errors, named"
expect_output err "3 journal(s) cannot count towards promotion" "the error says how many"

# ---- the example suite: its candidate, three generated passing journals ------------
example=$CHAOSGATE_SOURCE_DIR/examples/shop-suite.yaml
cp "$example" "$scratch/shop.yaml"
"$CHAOSGATE" list "$scratch/shop.yaml" --include-status candidate --format json > "$scratch/list.json"
python3 - "$scratch" <<'PY'
import json, os, sys
s = sys.argv[1]
listed = json.load(open(f"{s}/list.json"))["experiments"]
candidate = next(e for e in listed if e["id"] == "cart-keeps-data-after-redis-restart")
for n in (1, 2, 3):
    os.makedirs(f"{s}/shop-run-{n}", exist_ok=True)
    started = f"2026-11-0{n}T10:00:00.000Z"
    json.dump({"schema_version": 1, "runId": f"r{n}", "tool": {"name": "chaosgate", "version": "test"},
               "suite": {"name": "shop", "version": "2026.11", "digest": "0" * 64, "files": []},
               "environment": {"name": "staging", "production": False}, "started": started, "finished": started,
               "gate": {"decision": "passed", "reason": "", "exitCode": 0},
               "experiments": [{"experiment": {"id": candidate["id"], "definitionDigest": candidate["definitionDigest"]},
                                "verdict": "passed", "started": started, "durationMs": 900, "attempts": []}]},
              open(f"{s}/shop-run-{n}/journal.json", "w"))
PY
expect_exit 0 "promote on the example suite, two runs" -- "$CHAOSGATE" promote --suite "$scratch/shop.yaml" \
  --runs "$scratch"/shop-run-{1,2}
expect_output out "keep     cart-keeps-data-after-redis-restart: candidate, 2 of 3 consecutive passes: only 2 run(s) given" \
  "the example's candidate is not promoted after two passes"
expect_exit 0 "promote --write on the example suite, three runs" -- "$CHAOSGATE" promote --suite "$scratch/shop.yaml" \
  --runs "$scratch"/shop-run-{1,2,3} --write
expect_output out "promote  cart-keeps-data-after-redis-restart: candidate -> promoted" "and is after three"
diff "$example" "$scratch/shop.yaml" > "$scratch/shop.diff"
[[ $(grep -c '^[<>]' "$scratch/shop.diff") -eq 2 ]] && grep -q '^>     status: promoted$' "$scratch/shop.diff" &&
  ok "one line of the example suite changed; its comments and layout are intact" || { fail "example suite diff"; cat "$scratch/shop.diff"; }

expect_exit 2 "bad --min-passes" -- "$CHAOSGATE" promote --suite "$suite" --runs "$scratch/run-6" --min-passes 0
finish
