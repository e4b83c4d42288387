#!/usr/bin/env bash
# `chaosgate drill` through the real binary on a suite of command probes and
# actions (files in a scratch directory stand for the system): the stricter
# rules (stop conditions, production consent), stopping on a stop condition
# with the rollback run, the drill marking of journal and reports, no tickets
# unless asked, and the incident-coverage section of summary.md.
source "$(dirname "$0")/lib/common.sh"
state=$scratch/state
mkdir -p "$state"

# suite FILE ENVIRONMENT-PRODUCTION WITH-STOP-CONDITION
suite() {
  local stop=""
  [[ $3 == yes ]] && stop="    stopConditions:
      - {name: no-outage, command: {argv: [test, \"!\", -e, \"$state/outage\"]}, every: 50ms}"
  cat > "$1" <<YAML
apiVersion: chaosgate/v1
name: drills
catalog:
  teams: [{id: shop}]
  services: [{id: web, owner: shop, targets: [web]}, {id: db, owner: shop, targets: [db]}]
  incidentCategories:
    - {id: outage, title: Outage, incidents: [INC-1]}
    - {id: slow-disk, title: Slow disk, incidents: [INC-2]}
    - {id: bad-config, title: Bad config, incidents: [INC-3]}
  environments:
    - {name: staging, production: false}
    - {name: live, production: $2}
experiments:
  - id: web-survives-restart
    title: Web survives a restart
    service: web
    hypothesis: The web answers through a restart.
    incidentCategory: outage
    attackGroup: application
    risk: {likelihood: 2, impact: 3}
    status: promoted
    allowProduction: true
    steadyState:
      - {name: ready, command: {argv: ["true"]}}
    observe:
      - {name: web-up, command: {argv: [test, "!", -e, "$state/web-broken"]}, every: 50ms}
    method:
      - name: restart
        command: {argv: [touch, "$state/restarted"]}
        fault: true
        rollback: {name: undo-restart, command: {argv: [rm, -f, "$state/restarted"]}}
      - {name: settle, pause: 200ms}
    followUp: [Check the restart]
$stop
  - id: db-outage-is-stopped
    title: A db outage is stopped by its stop condition
    service: db
    hypothesis: The drill stops as soon as the outage shows.
    incidentCategory: slow-disk
    attackGroup: dependency
    risk: {likelihood: 2, impact: 4}
    status: promoted
    allowProduction: true
    steadyState:
      - {name: ready, command: {argv: ["true"]}}
    method:
      - name: cause-outage
        command: {argv: [touch, "$state/outage"]}
        fault: true
        rollback: {name: end-outage, command: {argv: [rm, -f, "$state/outage"]}}
      - {name: hold, pause: 5s}
    followUp: [Check the stop]
$stop
  - id: candidate-not-drilled
    title: A candidate
    service: web
    hypothesis: Not drilled.
    incidentCategory: bad-config
    attackGroup: application
    risk: {likelihood: 1, impact: 1}
    status: candidate
    steadyState:
      - {name: ready, command: {argv: ["true"]}}
    method:
      - {name: mark, command: {argv: [touch, "$state/candidate-ran"]}}
YAML
}

# ---- rules: nothing is touched when they are not met ---------------------------
suite "$scratch/unguarded.yaml" false no
expect_exit 2 "a drill refuses experiments without a stop condition" -- \
  "$CHAOSGATE" drill --suite "$scratch/unguarded.yaml" --env staging --out "$scratch/out-unguarded"
expect_output err "a drill needs a stop condition for every experiment" "the error says why"
expect_output err "unguarded.yaml:14:5: web-survives-restart" "and names each experiment with file:line"
[[ ! -e $state/restarted && ! -e $scratch/out-unguarded/journal.json ]] && ok "nothing was touched" || fail "a fault ran"
expect_exit 0 "run (the gate) has no such rule" -- \
  "$CHAOSGATE" -q run --suite "$scratch/unguarded.yaml" --env staging --only web-survives-restart --tracker none \
  --status none --out "$scratch/out-gate"

suite "$scratch/prod.yaml" true yes
expect_exit 2 "production without --allow-production" -- \
  "$CHAOSGATE" drill --suite "$scratch/prod.yaml" --env live --out "$scratch/out-prod"
expect_output err "a drill there needs --allow-production and --confirm live" "says what it needs"
expect_exit 2 "production without the confirmation" -- \
  "$CHAOSGATE" drill --suite "$scratch/prod.yaml" --env live --allow-production --out "$scratch/out-prod"
expect_output err "--confirm must repeat its name (missing)" "says the confirmation is missing"
expect_exit 2 "production with the wrong confirmation" -- \
  "$CHAOSGATE" drill --suite "$scratch/prod.yaml" --env live --allow-production --confirm staging --out "$scratch/out-prod"
expect_output err "(got \"staging\")" "says what it got"
[[ ! -e $state/restarted && ! -e $state/outage && ! -e $scratch/out-prod/journal.json ]] && ok "nothing was touched" ||
  fail "a fault ran without consent"

# ---- a drill in production, confirmed: the stop condition stops one experiment --
start=$(now_ms)
# An aborted experiment could not be judged: the drill is inconclusive (exit 3), as a gate would be.
expect_exit 3 "a confirmed production drill runs and reports its finding" -- \
  "$CHAOSGATE" drill --suite "$scratch/prod.yaml" --env live --allow-production --confirm live --out "$scratch/drill"
elapsed_ms=$(( $(now_ms) - start ))
expect_output out "Drill inconclusive: 1 experiment(s) could not be judged" "the printed result says drill"
journal=$scratch/drill/journal.json
verdict() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(next(e["verdict"] for e in d["experiments"] if e["experiment"]["id"]==sys.argv[2]))' "$journal" "$1"; }
[[ $(verdict db-outage-is-stopped) == aborted ]] && ok "the stop condition aborted the experiment" || fail "verdict $(verdict db-outage-is-stopped)"
(( elapsed_ms < 4500 )) && ok "it stopped before its 5 s hold ended (${elapsed_ms} ms)" || fail "took ${elapsed_ms} ms: the stop condition did not stop it"
[[ ! -e $state/outage && ! -e $state/restarted ]] && ok "every fault was rolled back" || fail "a fault was left behind"
[[ $(verdict web-survives-restart) == passed ]] && ok "the other experiment passed" || fail "web verdict $(verdict web-survives-restart)"
[[ ! -e $state/candidate-ran ]] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(any(e["experiment"]["id"]=="candidate-not-drilled" for e in d["experiments"]))' "$journal" &&
  ok "candidates are not drilled" || fail "a candidate was drilled"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["drill"] is True and d["environment"]["production"] else 1)' "$journal" &&
  ok "the journal is marked as a drill in production" || fail "journal not marked"
# One at a time: the two experiments' windows do not overlap.
python3 - "$journal" <<'PY' && ok "one experiment at a time by default" || fail "experiments overlapped"
import json, sys
from datetime import datetime
d = json.load(open(sys.argv[1]))
t = lambda s: datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp()
spans = sorted((t(e["started"]), t(e["started"]) + e["durationMs"] / 1000) for e in d["experiments"])
sys.exit(0 if all(a[1] <= b[0] + 0.002 for a, b in zip(spans, spans[1:])) else 1)
PY
expect_output_file() { grep -qF -- "$2" "$1" && ok "$3" || { fail "$3: $1 lacks: $2"; head -20 "$1"; }; }
expect_output_file "$scratch/drill/summary.md" "chaosgate: drill inconclusive" "summary.md says drill, not gate"
expect_output_file "$scratch/drill/summary.md" "**drill** (a replay of promoted experiments; no release gated)" "summary.md says it gated no release"
expect_output_file "$scratch/drill/chaosgate.sarif" '"id": "chaosgate-drill/live/' "SARIF keeps drills apart from the gate"
expect_output_file "$scratch/drill/junit.xml" 'name="chaosgate drill drills"' "JUnit names the drill"
expect_output_file "$scratch/drill/junit.xml" 'name="chaosgate.drill" value="true"' "JUnit carries the drill property"
[[ ! -e $scratch/drill/tickets && ! -e $CHAOSGATE_STATE_DIR/tickets.json ]] && ok "no tickets unless asked" || fail "a drill filed tickets"

# Incident coverage in summary.md: the blind spot first, what held, what did not.
expect_output_file "$scratch/drill/summary.md" "### Incident coverage" "summary.md has the coverage section"
expect_output_file "$scratch/drill/summary.md" "1 of 3 incident categories covered by promoted experiments that held in this run; 1 blind spot(s)." \
  "it counts covered categories and blind spots"
grep -A3 "1 blind spot" "$scratch/drill/summary.md" | grep -qF "**bad-config**: blind spot, no promoted experiment" &&
  ok "the blind spot is listed first" || fail "blind spot not first"
expect_output_file "$scratch/drill/summary.md" "**outage**: held web-survives-restart · INC-1" "a held category names its experiment and incidents"
expect_output_file "$scratch/drill/summary.md" "**slow-disk**: not judged here (db-outage-is-stopped aborted)" "an aborted experiment does not count as coverage"

# ---- asked for tickets: the file tracker files them -----------------------------
touch "$state/web-broken"
expect_exit 1 "a drill finding a regression, with --tracker file" -- \
  "$CHAOSGATE" drill --suite "$scratch/prod.yaml" --env staging --tracker file --state-dir "$scratch/tickets-state" \
  --out "$scratch/drill-tickets" --only web-survives-restart
expect_output_file "$scratch/drill-tickets/summary.md" "chaosgate: drill failed" "a regression fails the drill"
[[ -e $scratch/tickets-state/tickets.json ]] && ok "tickets are filed when asked" || fail "no ticket index with --tracker file"

# The reports of a drill pass the third-party validators too.
if find_validators; then
  "$validators/validate-sarif" --strict "$scratch/drill/chaosgate.sarif" > "$scratch/v.out" 2>&1 &&
    ok "drill SARIF passes validate-sarif --strict" || { fail "validate-sarif"; tail -20 "$scratch/v.out"; }
  "$validators/validate-junit" "$scratch/drill/junit.xml" > "$scratch/v.out" 2>&1 &&
    ok "drill JUnit passes validate-junit" || { fail "validate-junit"; tail -20 "$scratch/v.out"; }
fi
finish
