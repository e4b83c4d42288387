#!/usr/bin/env bash
# A large run lets go of its decoded suite while the experiments run: they
# wait in a spool file in --out, each read back when it starts (ARCHITECTURE
# "Memory", step 2). `chaosgate -v run` logs resident memory after each
# phase; with 5,000 experiments (~5 MB decoded) what executing holds must be
# well under what preflight held, and nothing may be left in --out but the
# reports (the spool has no name).
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/port_suite.sh"

start_port_listener
write_port_suite "$scratch/suite.json" "$port" 5000
expect_exit 0 "run 5,000 experiments with -v" -- "$CHAOSGATE" -v run --suite "$scratch/suite.json" --out "$scratch/run" \
  --state-dir "$scratch/state" --parallel 4 --tracker none --status none
resident_after() { sed -n "s/.*memory after $1: \([0-9.]*\) MiB resident.*/\1/p" "$scratch/err" | head -1; }
preflight=$(resident_after preflight)
executing=$(resident_after executing)
if [[ -n $preflight && -n $executing ]] && python3 -c "import sys; sys.exit(not ($executing < $preflight - 2.5))"; then
  ok "executing held ${executing} MiB, preflight ${preflight} MiB: the suite is not held while the experiments run"
else
  fail "resident after preflight '${preflight}' MiB, after executing '${executing}' MiB: wanted 2.5 MiB less"
  grep "memory after" "$scratch/err" | sed 's/^/  | /'
fi
expect_output err "e4999: passed" "the last experiment ran, read back from the spool"
if grep -q "stay in memory" "$scratch/err"; then fail "the spool was not used: $(grep "stay in memory" "$scratch/err")"; else
  ok "the experiments were spooled"; fi
leftovers=$(find "$scratch/run" -mindepth 1 -name '.*')
[[ -z $leftovers ]] && ok "nothing of the spools is left in --out" || fail "left in --out: $leftovers"

finish
