#!/usr/bin/env bash
# Every report of real runs, put through third-party validators: SARIF
# Multitool (--strict: no error, no warning) and the Jenkins JUnit XSD +
# junit2json counts, and report.html through the Nu Html Checker. Runs: the
# example suite sharded in two against the regressing release, a run stopped by
# SIGTERM mid-fault, a run whose preflight fails. Then `merge` joins the shards
# and `report` rebuilds every report from the journal alone, byte for byte.
# The validators install themselves on first use (npm); here they must run,
# not skip.
source "$(dirname "$0")/lib/common.sh"
cd "$CHAOSGATE_SOURCE_DIR"
sandbox=$scratch/sandbox
stop_sandbox() { scripts/sandbox stop --dir "$sandbox" >/dev/null 2>&1; }
trap 'stop_sandbox; cleanup' EXIT

find_validators || { finish; exit 1; }
find_html_checker || { finish; exit 1; }

# validate DIR LABEL: both validators on DIR's junit.xml and chaosgate.sarif.
validate() {
  if "$validators/validate-junit" "$1/junit.xml" > "$scratch/vj" 2>&1; then ok "$2: junit.xml valid (Jenkins XSD, junit2json counts)"
  else fail "$2: junit.xml invalid"; tail -20 "$scratch/vj"; fi
  if "$validators/validate-sarif" "$1/chaosgate.sarif" --strict > "$scratch/vs" 2>&1; then ok "$2: chaosgate.sarif valid (Multitool --strict)"
  else fail "$2: chaosgate.sarif invalid"; tail -20 "$scratch/vs"; fi
}
# validate_html DIR LABEL: report.html is HTML5 (Nu Html Checker) and XML.
validate_html() {
  if "${html_checker[@]}" "$1/report.html" > "$scratch/vh" 2>&1; then ok "$2: report.html valid (Nu Html Checker)"
  else fail "$2: report.html invalid"; tail -20 "$scratch/vh"; fi
  xmllint --noout "$1/report.html" 2> "$scratch/vx" && ok "$2: report.html well-formed XML" || { fail "$2: report.html not XML"; head "$scratch/vx"; }
}
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

if ! scripts/sandbox start --dir "$sandbox" --release regressing 2> "$scratch/sandbox.log"; then
  fail "sandbox did not start"; cat "$scratch/sandbox.log"; finish; exit 1
fi
# shellcheck disable=SC1091
source "$sandbox/sandbox.env"

# 1. Two shards of the example suite.
for shard in 1 2; do
  "$CHAOSGATE" run --suite examples/shop-suite.yaml --shard "$shard/2" --out "$scratch/shard$shard" > "$scratch/out" 2> "$scratch/err"
  echo "shard $shard/2: exit $?"
  validate "$scratch/shard$shard" "shard $shard/2"
done

# 2. merge: one journal, one gate decision, the same experiments.
[[ ! -e $scratch/shard1/report.html ]] && ok "no report.html unless asked for" || fail "report.html written without --html"
expect_exit 1 "merge of the shards fails the gate for the regression" -- "$CHAOSGATE" merge "$scratch/shard1" "$scratch/shard2" --out "$scratch/merged" --html
validate "$scratch/merged" "merged"
validate_html "$scratch/merged" "merged"
grep -q '<h3>cart-survives-redis-pause: ' "$scratch/merged/report.html" && grep -q '<svg xmlns="http://www.w3.org/2000/svg" class="timeline"' "$scratch/merged/report.html" \
  && ok "report.html draws the regression's timeline" || fail "no timeline of cart-survives-redis-pause in report.html"
want=$(cat "$scratch"/shard{1,2}/journal.json | python3 -c "
import json,sys; text=sys.stdin.read(); d=json.JSONDecoder(); ids=[]; i=0
while i < len(text):
    while i < len(text) and text[i].isspace(): i+=1
    if i >= len(text): break
    o, i = d.raw_decode(text, i); ids += [e['experiment']['id'] for e in o['experiments']]
print(','.join(sorted(ids)))")
got=$(json "$scratch/merged/journal.json" "','.join(sorted(e['experiment']['id'] for e in d['experiments']))")
[[ -n $want && $got == "$want" ]] && ok "merged journal holds every shard's experiments once" || fail "merged ids: $got, wanted $want"
[[ $(json "$scratch/merged/journal.json" "d['gate']['decision']") == failed ]] && ok "merged gate: failed" || fail "merged gate"
expect_exit 2 "merging a shard with itself is refused" -- "$CHAOSGATE" merge "$scratch/shard1" "$scratch/shard1/journal.json" --out "$scratch/dup"
expect_output err "given twice" "the duplicate shard is named"
expect_exit 2 "a missing shard is refused" -- "$CHAOSGATE" merge "$scratch/shard1" --out "$scratch/partial"
expect_output err "shard(s) 2/2 missing" "the missing shard is named"

# 3. report: the journal alone rebuilds every report, identical.
expect_exit 0 "report from the merged journal" -- "$CHAOSGATE" report --journal "$scratch/merged/journal.json" --out "$scratch/rebuilt" --html
for file in junit.xml chaosgate.sarif summary.md journal.json report.html; do
  cmp -s "$scratch/merged/$file" "$scratch/rebuilt/$file" && ok "report rebuilds $file byte for byte" || fail "$file differs when rebuilt"
done

# 4. Interrupted mid-fault: partial reports, still valid.
"$CHAOSGATE" run --suite examples/shop-suite.yaml --only cart-survives-redis-pause --out "$scratch/interrupted" --html > "$scratch/out" 2> "$scratch/err" &
gate=$!
for _ in $(seq 100); do [[ $(awk '{print $3}' "/proc/$(cat "$REDIS_PIDFILE")/stat" 2>/dev/null) == T ]] && break; sleep 0.05; done
kill -TERM "$gate"; wait "$gate"; rc=$?
[[ $rc -eq 143 ]] && ok "SIGTERM: exit 143" || fail "SIGTERM: exit $rc"
validate "$scratch/interrupted" "interrupted run"
validate_html "$scratch/interrupted" "interrupted run"
[[ $(json "$scratch/interrupted/chaosgate.sarif" "d['runs'][0]['invocations'][0]['executionSuccessful']") == False ]] \
  && ok "SARIF says the interrupted run did not complete" || fail "executionSuccessful after SIGTERM"

# 5. Preflight fails (the shop is not where the suite looks): nothing injected, reports valid.
SHOP_URL=http://127.0.0.1:$(free_port) "$CHAOSGATE" run --suite examples/shop-suite.yaml --out "$scratch/preflight" > "$scratch/out" 2> "$scratch/err"
rc=$?
[[ $rc -eq 3 ]] && ok "preflight failure: exit 3" || fail "preflight failure: exit $rc"
validate "$scratch/preflight" "preflight failure"
grep -q 'testsuite name="preflight"' "$scratch/preflight/junit.xml" && ok "junit shows the preflight problems" || fail "no preflight suite in junit.xml"

finish
