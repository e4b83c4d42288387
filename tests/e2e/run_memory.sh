#!/usr/bin/env bash
# A large run never holds its decoded suite: each experiment goes to a spool
# file beside --out as it is loaded, an outline of it kept for the selection,
# plan, guards and coverage, and is read back for preflight and when it
# starts (ARCHITECTURE "Memory"). `chaosgate -v run` logs resident memory
# after each phase; from 100 to 5,000 experiments (~5 MB more decoded) what
# the run holds after preflight must grow by well under that (the peak, while
# the suite's text is read, is the loader's: not asked here), and nothing
# may be left in --out but the reports (the spools have no name).
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/port_suite.sh"

start_port_listener
resident_after() { sed -n "s/.*memory after $1: \([0-9.]*\) MiB resident.*/\1/p" "$scratch/err" | head -1; }
for count in 100 5000; do
  write_port_suite "$scratch/suite-$count.json" "$port" $count
  expect_exit 0 "run $count experiments with -v" -- "$CHAOSGATE" -v run --suite "$scratch/suite-$count.json" \
    --out "$scratch/run-$count" --state-dir "$scratch/state" --parallel 4 --tracker none --status none
  eval "held_$count=\$(resident_after preflight)"
  if grep -q "kept in memory" "$scratch/err"; then fail "the spool was not used: $(grep "kept in memory" "$scratch/err")"; else
    ok "the experiments were spooled"; fi
done
expect_output err "e4999: passed" "the last experiment ran, read back from the spool"
if [[ -n $held_100 && -n $held_5000 ]] && python3 -c "import sys; sys.exit(not ($held_5000 - $held_100 < 3.0))"; then
  ok "held after preflight ${held_100} MiB at 100 experiments, ${held_5000} MiB at 5,000: the decoded suite is not held"
else
  fail "held after preflight '${held_100}' MiB at 100 experiments, '${held_5000}' MiB at 5,000: wanted less than 3 MiB more"
  grep "memory after" "$scratch/err" | sed 's/^/  | /'
fi
leftovers=$(find "$scratch/run-5000" -mindepth 1 -name '.*')
[[ -z $leftovers ]] && ok "nothing of the spools is left in --out" || fail "left in --out: $leftovers"

finish
