#!/usr/bin/env bash
# Regression tickets through `chaosgate run --tracker file` against the real
# sandbox: the same failing release three times gives one ticket and two
# comments; a healthy release resolves it with a recovery note; a later
# regression opens a new ticket; --tracker none files nothing; a corrupt index
# is refused (exit 2) and left as it was.
source "$(dirname "$0")/lib/common.sh"
cd "$CHAOSGATE_SOURCE_DIR"
: "${CHAOSGATE_BUILD_DIR:?}"
sandbox=$scratch/sandbox
state=$scratch/state
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
gate() {  # gate OUT ARGS...: the cart experiment of the example suite
  local out=$1; shift
  "$CHAOSGATE" run --suite examples/shop-suite.yaml --only cart-survives-redis-pause --out "$scratch/$out" \
    --state-dir "$state" "$@" > "$scratch/out" 2> "$scratch/err"
}
index() {  # index EXPRESSION: evaluates a Python expression over the ticket index `t`
  python3 -c "import json,sys; t=json.load(open(sys.argv[1])); print($1)" "$state/tickets.json"
}

start_sandbox regressing
for n in 1 2 3; do
  gate "regress-$n"; rc=$?
  [[ $rc -eq 1 ]] && ok "run $n: gate failed (exit 1)" || { fail "run $n: exit $rc"; cat "$scratch/err"; }
done
tickets=$(index "len(t['tickets'])")
[[ $tickets == 1 ]] && ok "three failing runs: one ticket" || fail "three failing runs: $tickets tickets"
[[ $(index "t['tickets'][0]['comments']") == 2 ]] && ok "and two recurrence comments" || fail "comments: $(index "t['tickets'][0]")"
ticket=$scratch/regress-1/tickets/CHAOS-1.md
[[ -f $ticket ]] && ok "CHAOS-1.md written under the first run's --out" || fail "no $ticket"
grep -q '^# CHAOS-1: \[chaos regression\] Cart ' "$ticket" && ok "summary line" || fail "summary line missing"
grep -q 'cart-reads-during-stall' "$ticket" && ok "the deviated probe is named" || fail "deviated probe missing"
grep -qi 'likelihood' "$ticket" && grep -qi 'impact' "$ticket" && ok "risk assessment in the ticket" || fail "risk missing"
grep -q -- '- \[ \] ' "$ticket" && ok "follow-up tasks as a checklist" || fail "no checklist"
ls "$scratch/regress-1/tickets/CHAOS-1/" 2>/dev/null | grep -q '^risk-cart-survives-redis-pause.json$' \
  && ok "risk record attached" || fail "risk attachment missing"
python3 -m json.tool "$scratch/regress-1/tickets/CHAOS-1/risk-cart-survives-redis-pause.json" >/dev/null 2>&1 \
  && ok "risk record is JSON" || fail "risk record is not JSON"
ls "$scratch/regress-3/tickets/" | grep -q 'CHAOS-1' && ok "the third run carries the comment in its own --out" \
  || fail "third run has no ticket file"
[[ ! -e $scratch/regress-3/tickets/CHAOS-2.md ]] && ok "no second ticket file" || fail "a duplicate ticket was written"
grep -q 'tickets/CHAOS-1.md' "$scratch/regress-3/summary.md" && ok "summary.md names the ticket relative to --out" \
  || fail "summary.md does not name the ticket"
grep -q "ticket CHAOS-1 commented" "$scratch/err" && ok "the log says the ticket was commented" || fail "log: $(cat "$scratch/err")"

start_sandbox good
gate healthy; rc=$?
[[ $rc -eq 0 ]] && ok "healthy release: gate passed" || { fail "healthy: exit $rc"; cat "$scratch/err"; }
[[ $(index "t['tickets'][0]['status']") == resolved ]] && ok "recovery resolves the ticket" || fail "status: $(index "t['tickets'][0]")"
grep -q "ticket CHAOS-1 recovered" "$scratch/err" && ok "the log says it recovered" || fail "no recovery in the log"
gate healthy-again; rc=$?
[[ $(index "t['tickets'][0]['comments']") == 3 ]] && ok "recovery is announced once" || fail "comments after two passes: $(index "t['tickets'][0]['comments']")"

start_sandbox regressing
gate regress-again; rc=$?
[[ $(index "len(t['tickets'])") == 2 && -f $scratch/regress-again/tickets/CHAOS-2.md ]] \
  && ok "a regression after the recovery opens CHAOS-2" || fail "after recovery: $(index "t['tickets']")"

gate untracked --tracker none; rc=$?
[[ $rc -eq 1 && ! -e $scratch/untracked/tickets ]] && ok "--tracker none: exit 1, no tickets" || fail "--tracker none: exit $rc"
[[ $(index "len(t['tickets'])") == 2 ]] && ok "--tracker none leaves the index alone" || fail "index changed"

echo '{"tickets": [' > "$state/tickets.json"
cp "$state/tickets.json" "$scratch/corrupt-copy"
gate corrupt; rc=$?
[[ $rc -eq 2 ]] && ok "corrupt index: exit 2 before anything runs" || fail "corrupt index: exit $rc"
grep -q "tickets.json" "$scratch/err" && ok "the error names tickets.json" || fail "error: $(cat "$scratch/err")"
cmp -s "$state/tickets.json" "$scratch/corrupt-copy" && ok "the corrupt index is left as it was" || fail "index overwritten"
! grep -q "cart-survives-redis-pause: started" "$scratch/err" && [[ ! -e $scratch/corrupt/journal.json ]] \
  && ok "no fault injected: a ticket that cannot be filed is found before staging is touched" \
  || fail "ran with an unusable tracker: $(cat "$scratch/err")"

# A tracker that cannot be reached: the ticket change waits in the outbox and
# the gate's own verdict is unchanged.
rm -f "$state/tickets.json"
dead_port=$(free_port)
GITLAB_TOKEN=glpat-e2e-secret-token gate unreachable --tracker gitlab --gitlab-url "http://127.0.0.1:$dead_port/api/v4"; rc=$?
[[ $rc -eq 1 ]] && ok "tracker unreachable: the failed gate stays exit 1" || fail "unreachable tracker: exit $rc"
queued=$(find "$state/outbox" -name '*.json' 2>/dev/null | wc -l)
[[ $queued -eq 1 ]] && ok "the ticket change is queued in the outbox" || fail "outbox holds $queued changes"
grep -q "queued in the outbox" "$scratch/err" && ok "the log says it was queued" || fail "log: $(tail -5 "$scratch/err")"
! grep -rq "glpat-e2e-secret-token" "$scratch/unreachable" "$scratch/err" "$scratch/out" "$state" \
  && ok "the token appears in no log, report or outbox file" || fail "token leaked"

# --state-dir defaults to $CHAOSGATE_STATE_DIR (a CI cache path set once for
# the job), and the flag wins over it.
"$CHAOSGATE" run --suite examples/shop-suite.yaml --only cart-survives-redis-pause --out "$scratch/by-env" \
  > "$scratch/out" 2> "$scratch/err"; rc=$?
[[ $rc -eq 1 && -f $CHAOSGATE_STATE_DIR/tickets.json ]] && ok "without --state-dir the index is in \$CHAOSGATE_STATE_DIR" \
  || fail "by env: exit $rc, $(ls "$CHAOSGATE_STATE_DIR" 2>&1)"
rm -rf "$state"
gate by-flag; rc=$?
[[ $rc -eq 1 && -f $state/tickets.json && $(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['tickets']))" "$CHAOSGATE_STATE_DIR/tickets.json") == 1 ]] \
  && ok "--state-dir wins over \$CHAOSGATE_STATE_DIR" || fail "by flag: exit $rc"
finish
