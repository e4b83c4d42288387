#!/usr/bin/env bash
# The release binary under valgrind's memcheck: reads of uninitialised memory
# (which the ASan + UBSan build of CI does not see), invalid reads and writes,
# in the commands a pipeline runs: validate, list, a parallel run with probes,
# faults and rollbacks, and report. Any memcheck error fails the test.
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/port_suite.sh"
cd "$CHAOSGATE_SOURCE_DIR"

if ! command -v valgrind >/dev/null; then
  fail "valgrind is not installed (scripts/install-deps installs it)"
  finish
  exit 1
fi

# memcheck CODE DESCRIPTION -- command...: expect_exit under memcheck, which
# turns any error of its own into exit 99. Its report goes to a log of its own,
# shown on failure without the warnings valgrind 3.19 prints for pidfd_open (a
# system call it does not know; the gate then polls instead).
memcheck() {
  local want=$1 what=$2 failed_before=$failed; shift 3
  expect_exit "$want" "$what, memcheck clean" -- valgrind --error-exitcode=99 --track-origins=yes -q \
    --log-file="$scratch/memcheck" "$@"
  if [[ $failed -gt $failed_before ]]; then
    grep -vE 'unhandled amd64-linux syscall|write your own handler|README_MISSING|bug_reports|Nevertheless we consider' \
      "$scratch/memcheck" | sed 's/^/  | /' | head -30
  fi
}

memcheck 0 "validate the example suite" -- "$CHAOSGATE" validate examples/shop-suite.yaml
memcheck 2 "validate a suite with errors" -- "$CHAOSGATE" validate examples/broken/semantic-unknown-refs.yaml
memcheck 0 "list the example suite" -- "$CHAOSGATE" list examples/shop-suite.yaml

# A TCP listener for the steady-state probes, and 24 experiments on 6 targets:
# the planner orders and groups them, four run at once.
start_port_listener
write_port_suite "$scratch/suite.json" "$port" 24
memcheck 0 "run 24 experiments, four at a time" -- "$CHAOSGATE" -q run --suite "$scratch/suite.json" \
  --out "$scratch/run" --state-dir "$scratch/state" --parallel 4
memcheck 0 "report from its journal" -- "$CHAOSGATE" report --journal "$scratch/run/journal.json" --out "$scratch/report"

finish
