#!/usr/bin/env bash
# `chaosgate run` against the real sandbox staging (nginx, two shop backends,
# redis, Prometheus on loopback): verdicts, rollbacks on every path, SIGTERM in
# the middle of a fault, parallelism, the production guard, preflight.
source "$(dirname "$0")/lib/common.sh"
cd "$CHAOSGATE_SOURCE_DIR"
: "${CHAOSGATE_BUILD_DIR:?}"
sandbox=$scratch/sandbox
checks=tests/e2e/suites/engine-checks.yaml
stop_sandbox() { scripts/sandbox stop --dir "$sandbox" >/dev/null 2>&1; }
trap 'stop_sandbox; cleanup' EXIT

start_sandbox() {  # start_sandbox RELEASE
  stop_sandbox
  if ! scripts/sandbox start --dir "$sandbox" --release "$1" 2>"$scratch/sandbox.log"; then
    fail "sandbox did not start"; cat "$scratch/sandbox.log"; finish; exit 1
  fi
  # shellcheck disable=SC1091
  source "$sandbox/sandbox.env"
}

# The process state letter: T means stopped (a fault left behind).
state_of() { awk '{print $3}' "/proc/$(cat "$1")/stat" 2>/dev/null; }
redis_running() {
  local state; state=$(state_of "$REDIS_PIDFILE")
  [[ -n $state && $state != T ]]
}
verdict_of() {  # verdict_of JOURNAL ID
  python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print([e['verdict'] for e in j['experiments'] if e['experiment']['id']==sys.argv[2]][0])" "$1" "$2"
}
run() {  # run OUT ARGS...: chaosgate run with the output dir OUT
  local out=$1; shift
  "$CHAOSGATE" run --out "$scratch/$out" "$@" > "$scratch/out" 2> "$scratch/err"
}

start_sandbox good
export FLAKY_DIR=$scratch/flaky && mkdir -p "$FLAKY_DIR"

# 1. All pass: the example suite against the good release.
run all-pass --suite examples/shop-suite.yaml; rc=$?
[[ $rc -eq 0 ]] && ok "good release: gate passed" || { fail "good release: exit $rc"; cat "$scratch/out"; }
[[ -s $scratch/all-pass/journal.json ]] && ok "journal written" || fail "no journal"
# Passed experiments' records come from the run's spool (their results drop
# the attempts): the journal still holds every probe and action of each.
python3 - "$scratch/all-pass/journal.json" <<'PY' && ok "every passed experiment's probes and actions are in the journal" || fail "a passed record lost its attempts"
import json, sys
experiments = [e for e in json.load(open(sys.argv[1]))["experiments"] if e["verdict"] == "passed"]
assert experiments, "nothing passed"
for e in experiments:
    phases = {p["phase"] for a in e["attempts"] for p in a["probes"]}
    assert {"before", "after"} <= phases and all(a["actions"] for a in e["attempts"]), (e["experiment"]["id"], e["attempts"])
PY
[[ $(ls -A "$scratch/all-pass" | sort | tr '\n' ' ') == "chaosgate.sarif journal.json junit.xml summary.md " ]] \
  && ok "nothing but the reports left in --out" || fail "left in --out: $(ls -A "$scratch/all-pass")"
redis_running && ok "redis running after the suite" || fail "redis left stopped"

# 2. Unhealthy before the fault: error, and redis was never stopped.
run unhealthy --suite "$checks" --only unhealthy-before; rc=$?
[[ $rc -eq 3 ]] && ok "unhealthy environment is inconclusive (exit 3)" || fail "unhealthy: exit $rc"
[[ $(verdict_of "$scratch/unhealthy/journal.json" unhealthy-before) == error ]] && ok "verdict error" || fail "verdict"
python3 - "$scratch/unhealthy/journal.json" <<'PY' && ok "no fault injected before a broken steady state" || fail "a fault was injected"
import json, sys
e = json.load(open(sys.argv[1]))["experiments"][0]
assert all(not a["actions"] for a in e["attempts"]), e["attempts"]
PY

# 3. Stop condition: aborted at once, rolled back.
start=$(now_ms)
run stop --suite "$checks" --only stop-condition; rc=$?
[[ $(verdict_of "$scratch/stop/journal.json" stop-condition) == aborted ]] && ok "stop condition aborts" || fail "stop condition verdict"
[[ $(( $(now_ms) - start )) -lt 15000 ]] && ok "the 20 s pause was cut short" || fail "not aborted at once"
redis_running && ok "redis resumed after the abort" || fail "redis left stopped after the abort"

# 4. Flaky: failed, then passed on retry.
run flaky --suite "$checks" --only flaky; rc=$?
[[ $(verdict_of "$scratch/flaky/journal.json" flaky) == flaky ]] && ok "fail-then-pass is flaky" || fail "flaky verdict"
[[ $rc -eq 0 ]] && ok "flaky does not fail the default gate" || fail "flaky: exit $rc"
rm -f "$FLAKY_DIR"/*
run flaky-any --suite "$checks" --only flaky --fail-on any; rc=$?
[[ $rc -eq 1 ]] && ok "--fail-on any fails on flaky" || fail "--fail-on any: exit $rc"

# 5. A failing action is an error, and what was injected is rolled back.
run failing --suite "$checks" --only failing-action; rc=$?
[[ $(verdict_of "$scratch/failing/journal.json" failing-action) == error ]] && ok "failing action is an error" || fail "failing action verdict"
grep -q "tool exploded" "$scratch/failing/journal.json" && ok "the action's output is in the journal" || fail "action output missing"
redis_running && ok "redis resumed after the failing action" || fail "redis left stopped"

# 6. SIGTERM in the middle of a fault: rollbacks run, exit 143, journal written.
"$CHAOSGATE" run --suite "$checks" --only long-redis-stall --out "$scratch/sigterm" > "$scratch/out" 2> "$scratch/err" &
gate=$!
for _ in $(seq 100); do [[ $(state_of "$REDIS_PIDFILE") == T ]] && break; sleep 0.05; done
[[ $(state_of "$REDIS_PIDFILE") == T ]] && ok "redis stopped by the fault" || fail "fault not injected"
kill -TERM "$gate"
wait "$gate"; rc=$?
[[ $rc -eq 143 ]] && ok "SIGTERM exits 143" || fail "SIGTERM: exit $rc"
redis_running && ok "redis resumed after SIGTERM" || fail "redis left stopped after SIGTERM"
curl -fsS --max-time 3 "$SHOP_URL/cart/after-sigterm" > /dev/null && ok "shop healthy again after SIGTERM" || fail "shop unhealthy after SIGTERM"
[[ $(verdict_of "$scratch/sigterm/journal.json" long-redis-stall) == aborted ]] && ok "interrupted experiment is aborted in the journal" || fail "journal after SIGTERM"

# 6b. A second signal does not skip rollbacks; it says what is still running.
"$CHAOSGATE" run --suite "$checks" --only long-redis-stall --out "$scratch/sigint2" > "$scratch/out" 2> "$scratch/err" &
gate=$!
for _ in $(seq 100); do [[ $(state_of "$REDIS_PIDFILE") == T ]] && break; sleep 0.05; done
kill -INT "$gate"; sleep 0.4; kill -INT "$gate"  # the second one arrives during the 1 s rollback
wait "$gate"; rc=$?
[[ $rc -eq 130 ]] && ok "SIGINT twice exits 130" || fail "double SIGINT: exit $rc"
grep -q "signal received again: still rolling back" "$scratch/err" && ok "the second signal says what is still rolling back" || fail "no message for the second signal"
redis_running && ok "redis resumed after two signals" || fail "redis left stopped after two signals"

# 6c. SIGTERM while a fault's own command runs: the command is cut short (not
# waited for: its timeout is 90 s) and the rollback runs at once.
"$CHAOSGATE" run --suite "$checks" --only command-held-fault --out "$scratch/sigterm-command" > "$scratch/out" 2> "$scratch/err" &
gate=$!
for _ in $(seq 100); do [[ $(state_of "$REDIS_PIDFILE") == T ]] && break; sleep 0.05; done
[[ $(state_of "$REDIS_PIDFILE") == T ]] && ok "redis stopped by the fault's command" || fail "command fault not injected"
start=$(now_ms)
kill -TERM "$gate"
wait "$gate"; rc=$?
took=$(( $(now_ms) - start ))
[[ $rc -eq 143 ]] && ok "SIGTERM during a fault command exits 143" || fail "SIGTERM during a fault command: exit $rc"
[[ $took -lt 5000 ]] && ok "the fault's command was cut short (${took} ms to exit)" || fail "the gate waited ${took} ms for the fault's command"
redis_running && ok "redis resumed after the cut-short command" || fail "redis left stopped after the cut-short command"
grep -q '"detail": "cut short: interrupted by SIGTERM"' "$scratch/sigterm-command/journal.json" \
  && ok "the journal says the command was cut short" || fail "no 'cut short' in the journal"
pgrep -f "exec sleep 60|^sleep 60$" > /dev/null && fail "the fault's command outlived the gate" || ok "nothing of the fault's command left running"

# 6d. A regression found before the signal still reaches its team: the next
# experiment is interrupted, and the file tracker has the first one's ticket.
tickets_state=$scratch/state-6d
"$CHAOSGATE" run --suite "$checks" --only regresses-at-once,long-redis-stall --parallel 1 --out "$scratch/sigterm-after-regression" \
  --state-dir "$tickets_state" > "$scratch/out" 2> "$scratch/err" &
gate=$!
for _ in $(seq 200); do grep -q "long-redis-stall: started" "$scratch/err" && [[ $(state_of "$REDIS_PIDFILE") == T ]] && break; sleep 0.05; done
grep -q "regresses-at-once: failed" "$scratch/err" && ok "6d. the first experiment regressed before the signal" \
  || fail "6d. no regression before the signal: $(tail -5 "$scratch/err")"
kill -TERM "$gate"
wait "$gate"; rc=$?
[[ $rc -eq 143 ]] && ok "6d. SIGTERM exits 143" || fail "6d. exit $rc"
redis_running && ok "6d. redis resumed" || fail "6d. redis left stopped"
python3 - "$tickets_state/tickets.json" "$scratch/sigterm-after-regression/journal.json" <<'PY' \
  && ok "6d. one ticket, for the regression found before the signal; the journal: failed, aborted, interrupted" || fail "6d. tickets after SIGTERM"
import json, sys
tickets = json.load(open(sys.argv[1]))["tickets"]
assert [t["experiment"] for t in tickets] == ["regresses-at-once"], tickets
journal = json.load(open(sys.argv[2]))
verdicts = {e["experiment"]["id"]: e["verdict"] for e in journal["experiments"]}
assert verdicts == {"regresses-at-once": "failed", "long-redis-stall": "aborted"}, verdicts
assert journal["gate"]["decision"] == "interrupted", journal["gate"]
PY
grep -q "CHAOS-1" "$scratch/sigterm-after-regression/summary.md" && ok "6d. summary.md names the ticket" \
  || fail "6d. summary.md has no ticket link"

# 7. Parallelism: two 2 s experiments on disjoint targets take ~2 s; on one target ~4 s.
measure() { local t0 t1; t0=$(now_ms); run par --suite "$checks" --include-status candidate "$@"; t1=$(now_ms); echo $(( t1 - t0 )); }
disjoint=$(measure --only pause-redis-a,pause-prometheus)
shared=$(measure --only pause-redis-a,pause-redis-b)
echo "parallelism: disjoint ${disjoint} ms, shared ${shared} ms"
[[ $disjoint -ge 2000 && $disjoint -lt 3300 ]] && ok "disjoint targets in parallel (${disjoint} ms)" || fail "disjoint took ${disjoint} ms"
[[ $shared -ge 4000 && $shared -lt 5500 ]] && ok "shared target in sequence (${shared} ms)" || fail "shared took ${shared} ms"

# 8. The production guard: exit 2, nothing touched.
run prod --suite "$checks" --only long-redis-stall --env production; rc=$?
[[ $rc -eq 2 ]] && ok "production refused without --allow-production (exit 2)" || fail "production guard: exit $rc"
grep -q "allow-production" "$scratch/err" && ok "the refusal says how to allow it" || fail "refusal text"
run prod2 --suite "$checks" --only unhealthy-before --env production --allow-production; rc=$?
[[ $rc -eq 2 ]] && grep -q "not opted in" "$scratch/err" && ok "an experiment must opt in to production" || fail "opt-in guard: exit $rc"
redis_running && ok "nothing touched by the guard" || fail "redis touched"

# 9. Preflight: monitoring unreachable is exit 3 before any fault.
PROMETHEUS_URL=http://127.0.0.1:$(free_port) run preflight --suite examples/shop-suite.yaml; rc=$?
[[ $rc -eq 3 ]] && ok "unreachable Prometheus: exit 3" || fail "preflight: exit $rc"
grep -q "preflight" "$scratch/err" && ok "preflight names what is missing" || fail "preflight text"

# 9b. A network attack through the sandbox's fault proxy: the example suite's
# candidate adds 200 ms on both nginx -> backend links; pages slow down by that
# much yet hold their budget, and both toxics are gone afterwards.
toxics() { curl -fsS --max-time 2 "$CHAOSGATE_PROXY_API/proxies/$1/toxics"; }
run network --suite examples/shop-suite.yaml --include-status candidate --only storefront-tolerates-slow-network; rc=$?
[[ $rc -eq 0 ]] && ok "slow links: the candidate held (exit 0)" || { fail "slow links: exit $rc"; cat "$scratch/out"; }
python3 - "$scratch/network/journal.json" <<'PY' && ok "the toxics were added and removed, and pages were ~200 ms slower meanwhile" || fail "network journal"
import json, sys, statistics
e = json.load(open(sys.argv[1]))["experiments"][0]
actions = {(a["action"], a["rollback"]): a["ok"] for t in e["attempts"] for a in t["actions"]}
assert all(actions.get((n, False)) for n in ("slow-link-to-backend-a", "slow-link-to-backend-b")), actions
assert sum(1 for (n, rollback), ok in actions.items() if rollback and ok) >= 2, actions
during = [s["latencyMs"] for t in e["attempts"] for p in t["probes"] if p["phase"] == "during" for s in p["samples"]]
assert during and statistics.median(during) >= 180, statistics.median(during) if during else "no samples"
PY
[[ $(toxics backend-a) == "[]" && $(toxics backend-b) == "[]" ]] && ok "no toxic left on the proxy" || fail "toxics left: $(toxics backend-a) $(toxics backend-b)"

# 9c. A drill of the example suite (its suite-wide stop condition guards every
# experiment): refused in production without the typed confirmation, then run
# on staging and marked as a drill.
"$CHAOSGATE" drill --suite examples/shop-suite.yaml --env production --allow-production --out "$scratch/drill-prod" \
  > "$scratch/out" 2> "$scratch/err"; rc=$?
[[ $rc -eq 2 ]] && grep -q "confirm must repeat its name" "$scratch/err" && redis_running &&
  ok "example suite: a production drill without --confirm is refused, nothing touched" || fail "production drill: exit $rc"
"$CHAOSGATE" drill --suite examples/shop-suite.yaml --only cart-survives-redis-pause --out "$scratch/drill" \
  > "$scratch/out" 2> "$scratch/err"; rc=$?
[[ $rc -eq 0 ]] && grep -q "chaosgate: drill passed" "$scratch/drill/summary.md" &&
  python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["drill"] else 1)' "$scratch/drill/journal.json" &&
  redis_running && ok "example suite: a staging drill runs, is marked as a drill, redis resumed" || { fail "staging drill: exit $rc"; cat "$scratch/out"; }

# 10. A regression: the release that dropped its redis retries.
start_sandbox regressing
run regression --suite examples/shop-suite.yaml; rc=$?
[[ $rc -eq 1 ]] && ok "regressing release: gate failed (exit 1)" || { fail "regressing release: exit $rc"; cat "$scratch/out"; }
[[ $(verdict_of "$scratch/regression/journal.json" cart-survives-redis-pause) == failed ]] && ok "the redis experiment is the regression" || fail "wrong regression"
python3 - "$scratch/regression/journal.json" <<'PY' && ok "only that experiment regressed" || fail "other experiments regressed"
import json, sys
failed = [e["experiment"]["id"] for e in json.load(open(sys.argv[1]))["experiments"] if e["verdict"] == "failed"]
assert failed == ["cart-survives-redis-pause"], failed
PY
redis_running && ok "redis running after the regression" || fail "redis left stopped"

# The sandbox stops exactly what it started.
sandbox_pids=$(cat "$sandbox"/pids/*.pid)  # not $pids: common.sh kills those on exit
stop_sandbox
alive=0; for pid in $sandbox_pids; do process_running "$pid" && alive=1; done
[[ $alive -eq 0 ]] && ok "sandbox stop left no process" || fail "sandbox processes survive"
finish
