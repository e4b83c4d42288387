#!/usr/bin/env bash
# A gate killed outright (SIGKILL: a CI timeout, the OOM killer) cannot run its
# rollbacks; its fault ledger names what it left in effect, and `chaosgate
# recover` rolls that back. Faults here: a marker file standing for a broken
# service, and a latency toxic on a real `chaosgate proxy` that also carries
# a toxic someone else added (it must survive). Also: the next run refuses to
# judge a release on top of left faults, recover refuses while the gate lives
# (SIGTERM makes the gate roll back itself), a changed definition is not rolled
# back on a guess, a failed rollback keeps its entry for the next recover, and
# a damaged ledger is named by file and line.
source "$(dirname "$0")/lib/common.sh"
state=$scratch/state
mkdir -p "$state"

api_port=$(free_port)
link_port=$(free_port)
upstream_port=$(free_port)
"$CHAOSGATE" proxy --listen "127.0.0.1:$api_port" > "$scratch/proxy.out" 2> "$scratch/proxy.err" &
pids+=("$!")
wait_port "$api_port" || { fail "chaosgate proxy did not come up"; cat "$scratch/proxy.err"; finish; exit 1; }
api=http://127.0.0.1:$api_port
curl -sf -X POST "$api/proxies" -d "{\"name\":\"link\",\"listen\":\"127.0.0.1:$link_port\",\"upstream\":\"127.0.0.1:$upstream_port\"}" > /dev/null \
  || { fail "create proxy link"; finish; exit 1; }
curl -sf -X POST "$api/proxies/link/toxics" -d '{"name":"foreign","type":"latency","attributes":{"latency":5}}' > /dev/null \
  || { fail "add the foreign toxic"; finish; exit 1; }
toxic_names() { curl -sf "$api/proxies/link/toxics" | python3 -c 'import json,sys; print(" ".join(sorted(t["name"] for t in json.load(sys.stdin))))'; }

# suite FILE HOLD MEND-ARGV [NETWORK-FIELDS]: two experiments on disjoint
# targets (they run side by side); MEND-ARGV is the web fault's rollback
# command; NETWORK-FIELDS are added to the network action.
suite() {
  cat > "$1" <<YAML
apiVersion: chaosgate/v1
name: recoverable
catalog:
  teams: [{id: shop}]
  services: [{id: web, owner: shop, targets: [web]}, {id: db, owner: shop, targets: [db]}]
  incidentCategories:
    - {id: outage, title: Outage, incidents: [INC-1]}
experiments:
  - id: web-breaks
    title: Web breaks
    service: web
    hypothesis: The web comes back.
    incidentCategory: outage
    attackGroup: application
    risk: {likelihood: 2, impact: 3}
    status: promoted
    steadyState:
      - {name: ready, command: {argv: ["true"]}}
    method:
      - name: break-web
        command: {argv: [touch, "$state/web-broken"]}
        fault: true
        rollback: {name: mend-web, command: {argv: [$3]}}
      - {name: hold, pause: $2}
    rollbacks:
      - {name: note-cleanup, command: {argv: [touch, "$state/cleanup-ran"]}}
    followUp: [Look at the web]
  - id: link-slows
    title: The link slows down
    service: db
    hypothesis: The db link tolerates latency.
    incidentCategory: outage
    attackGroup: network
    risk: {likelihood: 2, impact: 3}
    status: promoted
    steadyState:
      - {name: ready, command: {argv: ["true"]}}
    method:
      - name: slow-link
        network: {proxy: link, toxic: {name: gate-latency, type: latency, attributes: {latency: 100}}, api: "$api"${4:-}}
      - {name: hold, pause: $2}
    followUp: [Look at the link]
YAML
}
suite "$scratch/suite.yaml" 30s "rm, -f, \"$state/web-broken\""
expect_exit 0 "the suite is valid" -- "$CHAOSGATE" validate "$scratch/suite.yaml"

gate() {  # gate OUT: the gate in the background, the suite named relative to its directory; sets gate_pid
  (cd "$scratch" && exec "$CHAOSGATE" run --suite suite.yaml --env staging --out "$1" --tracker none --status none \
    > "$scratch/gate.out" 2> "$scratch/gate.err") &
  gate_pid=$!
}
faults_in_effect() {  # both faults are in (at most 10 s)
  for _ in $(seq 100); do
    [[ -e $state/web-broken && $(toxic_names) == *gate-latency* ]] && return 0
    sleep 0.1
  done
  return 1
}

# 1. SIGKILL mid-fault: nothing rolls back, the ledger names both experiments.
gate "$scratch/run-killed"
faults_in_effect && ok "both faults in effect" || fail "the faults did not come in: $(cat "$scratch/gate.err")"
kill -KILL "$gate_pid"; wait "$gate_pid" 2>/dev/null
[[ -e $state/web-broken && $(toxic_names) == "foreign gate-latency" ]] && ok "SIGKILL left both faults in effect" \
  || fail "after SIGKILL: $(ls "$state") / $(toxic_names)"
ledger=$scratch/run-killed/faults-in-effect.jsonl
[[ -f $ledger ]] && ok "the ledger is left in --out" || fail "no ledger in $scratch/run-killed"
grep -q '"event":"injecting","experiment":"web-breaks","fault":0' "$ledger" && grep -q '"experiment":"link-slows","fault":0' "$ledger" \
  && ok "the ledger names both injected faults" || { fail "ledger content"; sed 's/^/  | /' "$ledger"; }

# 2. The next run refuses to judge on top of them, and injects nothing.
rm -f "$state/web-broken"  # were it injected again, the file would come back
expect_exit 3 "the next run into the same --out refuses" -- \
  "$CHAOSGATE" run --suite "$scratch/suite.yaml" --env staging --out "$scratch/run-killed" --tracker none --status none
expect_output err "may still be in effect in staging: " "it names the environment"
grep -q "in effect in staging: .*web-breaks" "$scratch/err" && grep -q "in effect in staging: .*link-slows" "$scratch/err" \
  && ok "it names both experiments" || fail "the refusal does not name both experiments"
expect_output err "chaosgate recover --out $scratch/run-killed" "it names the recover command"
[[ ! -e $state/web-broken ]] && ok "nothing was injected" || fail "the refused run injected a fault"
touch "$state/web-broken"

# 3. A dry run changes nothing.
expect_exit 0 "recover --dry-run" -- "$CHAOSGATE" recover --out "$scratch/run-killed" --dry-run
expect_output out "web-breaks: would run [mend-web] [note-cleanup]" "the dry run lists the owed rollbacks in order"
expect_output out "link-slows: would run [remove toxic gate-latency from link]" "the network fault's implicit rollback is owed"
[[ -e $state/web-broken && $(toxic_names) == "foreign gate-latency" && -f $ledger ]] && ok "the dry run touched nothing" \
  || fail "the dry run changed something"

# 4. A changed definition is not rolled back on a guess; the rest is.
cp "$scratch/suite.yaml" "$scratch/suite.original.yaml"
sed -i 's/note-cleanup/note-the-cleanup/' "$scratch/suite.yaml"
expect_exit 2 "recover with web-breaks changed since the run" -- "$CHAOSGATE" recover --out "$scratch/run-killed"
expect_output out "web-breaks: NOT rolled back: its definition changed since the run" "the changed experiment is named"
expect_output out "link-slows: remove toxic gate-latency from link: ok" "the unchanged one is rolled back"
[[ $(toxic_names) == "foreign" ]] && ok "our toxic is gone, the foreign one stays" || fail "toxics now: $(toxic_names)"
[[ -e $state/web-broken ]] && ok "the changed experiment's fault is left for a recover with its definition" || fail "web-broken gone"

# 5. With the run's suite back: the rest is recovered and the ledger removed.
cp "$scratch/suite.original.yaml" "$scratch/suite.yaml"
cd / || exit 1  # the ledger names the suite by its absolute path
expect_exit 0 "recover with the run's suite, from another directory" -- "$CHAOSGATE" recover --out "$scratch/run-killed"
cd - > /dev/null || exit 1
expect_output out "Recovered: every rollback ran" "it says so"
[[ ! -e $state/web-broken && -e $state/cleanup-ran ]] && ok "the fault is rolled back and the experiment's own rollback ran" \
  || fail "state after recover: $(ls "$state")"
[[ ! -e $ledger ]] && ok "the ledger is removed" || fail "the ledger is still there"
expect_exit 0 "recover again: nothing to do" -- "$CHAOSGATE" recover --out "$scratch/run-killed"
expect_output out "Nothing to recover" "it says there is nothing to recover"

# 6. While the gate lives, recover refuses; SIGTERM makes the gate roll back itself.
rm -f "$state/cleanup-ran"
gate "$scratch/out-live"
faults_in_effect && ok "a second gate's faults are in effect" || fail "second gate: $(cat "$scratch/gate.err")"
expect_exit 2 "recover while the gate is alive" -- "$CHAOSGATE" recover --out "$scratch/out-live"
expect_output err "is still running and rolls back its own faults" "it says why"
[[ -e $state/web-broken ]] && ok "recover left the live gate's fault alone" || fail "recover touched a live gate's fault"
kill -TERM "$gate_pid"; wait "$gate_pid"; code=$?
[[ $code -eq 143 ]] && ok "SIGTERM: the gate exits 143" || fail "SIGTERM: exit $code"
[[ ! -e $state/web-broken && $(toxic_names) == "foreign" && ! -e $scratch/out-live/faults-in-effect.jsonl ]] \
  && ok "the gate rolled back on SIGTERM and removed its ledger" || fail "after SIGTERM: $(ls "$state" "$scratch/out-live") / $(toxic_names)"

# 6b. With resetOnInterrupt (an API of this staging alone), SIGTERM resets the
# whole API after the rollbacks: the foreign toxics go too, and the journal says so.
suite "$scratch/suite.yaml" 30s "rm, -f, \"$state/web-broken\"" ", resetOnInterrupt: true"
other_port=$(free_port)
curl -sf -X POST "$api/proxies" -d "{\"name\":\"other\",\"listen\":\"127.0.0.1:$other_port\",\"upstream\":\"127.0.0.1:$upstream_port\"}" > /dev/null \
  && curl -sf -X POST "$api/proxies/other/toxics" -d '{"name":"foreign-too","type":"latency","attributes":{"latency":5}}' > /dev/null \
  || fail "set up proxy other with a foreign toxic"
gate "$scratch/out-reset"
faults_in_effect && ok "faults in effect (resetOnInterrupt)" || fail "gate with resetOnInterrupt: $(cat "$scratch/gate.err")"
kill -TERM "$gate_pid"; wait "$gate_pid"; code=$?
[[ $code -eq 143 ]] && ok "SIGTERM: exit 143" || fail "SIGTERM with resetOnInterrupt: exit $code"
[[ -z $(toxic_names) && $(curl -sf "$api/proxies/other/toxics") == "[]" ]] && ok "the API was reset: no toxic left on any proxy" \
  || fail "after the reset: link: $(toxic_names), other: $(curl -sf "$api/proxies/other/toxics")"
grep -q "sweep: reset $api: every toxic of $api removed (reset)" "$scratch/out-reset/journal.json" \
  && ok "the journal's notices record the reset" || { fail "no reset notice in the journal"; grep -o '"notices".*' "$scratch/out-reset/journal.json" | head -3; }
curl -sf -X POST "$api/proxies/link/toxics" -d '{"name":"foreign","type":"latency","attributes":{"latency":5}}' > /dev/null

# 7. A normal run leaves no ledger; one whose rollback fails keeps it for recover.
suite "$scratch/suite.yaml" 100ms "test, -e, \"$state/rollback-works\""  # fails until the file exists
"$CHAOSGATE" run --suite "$scratch/suite.yaml" --env staging --out "$scratch/out-failed" --tracker none --status none \
  > /dev/null 2> "$scratch/err"
grep -q "faults may still be in effect (a rollback failed): web-breaks" "$scratch/err" \
  && ok "a failed rollback is named with the recover command" || { fail "no failed-rollback note"; sed 's/^/  | /' "$scratch/err"; }
grep -q '"event":"rolledBack","experiment":"web-breaks","ok":false' "$scratch/out-failed/faults-in-effect.jsonl" 2>/dev/null \
  && ok "the ledger stays, marked" || fail "ledger after a failed rollback"
grep -q "chaosgate recover --out $scratch/out-failed" "$scratch/out-failed/summary.md" && ok "summary.md carries the note" || fail "summary.md lacks the note"
touch "$state/rollback-works"
expect_exit 0 "recover retries the failed rollback" -- "$CHAOSGATE" recover --out "$scratch/out-failed"
[[ ! -e $scratch/out-failed/faults-in-effect.jsonl ]] && ok "then the ledger is removed" || fail "ledger still there"
"$CHAOSGATE" -q run --suite "$scratch/suite.yaml" --env staging --out "$scratch/out-ok" --tracker none --status none > /dev/null 2>&1
[[ -f $scratch/out-ok/journal.json && ! -e $scratch/out-ok/faults-in-effect.jsonl ]] && ok "a run whose rollbacks all ran leaves no ledger" \
  || fail "ledger after a clean run: $(ls "$scratch/out-ok")"

# 8. A damaged ledger: file and line, exit 2, nothing run.
mkdir -p "$scratch/out-damaged"
printf '%s\n' '{"chaosgateFaultLedger":1,"runId":"r1","pid":1,"suite":"s","suiteDigest":"d","environment":"staging","started":"t"}' \
  'not json' > "$scratch/out-damaged/faults-in-effect.jsonl"
expect_exit 2 "recover of a damaged ledger" -- "$CHAOSGATE" recover --out "$scratch/out-damaged"
expect_output err "faults-in-effect.jsonl:2: not a JSON object" "the error names the file and line"
finish
