#!/usr/bin/env bash
# Contract check of the GitLab commit-status adapter (`--status gitlab`)
# against GitLab's own OpenAPI v2 description, served by a Prism mock that
# checks every request (/work/shared/validators/mock-gitlab, README section 4;
# Prism installs itself on first use). The requests are the adapter's own:
# the gtest cases GitlabStatusContract.* run with CHAOSGATE_GITLAB_MOCK_URL set.
#
# Checked: POST /api/v4/projects/:id/statuses/:sha with a numeric id and with a
# URL-encoded path, in all four states, with pipeline_id, target_url and a
# description cut at 255 characters: 2xx and no `sl-violations` header; and a
# deliberately wrong status (state "passed", pipeline_id a string) is refused
# with 4xx + `sl-violations`, so the check can fail.
# Not checked here: the merge-request Notes API (GET/POST/PUT
# .../merge_requests/:iid/notes). GitLab's OpenAPI v2 does not describe it (the
# mock answers 404 NO_PATH_MATCHED_ERROR); GitlabStatusNote.* cover it against
# a stand-in that answers as GitLab's Notes API documentation says.
# This must run, never skip: a skipped or missing case fails the script.
source "$(dirname "$0")/lib/common.sh"
: "${CHAOSGATE_BUILD_DIR:?path to the build directory}"
tests_bin=$CHAOSGATE_BUILD_DIR/tests/chaosgate_tests

find_validators || { finish; exit 1; }
if [[ ! -x $validators/mock-gitlab ]]; then fail "$validators/mock-gitlab not found"; finish; exit 1; fi
if [[ ! -x $tests_bin ]]; then fail "$tests_bin not built"; finish; exit 1; fi

port=$(free_port)
mock_pid=""
mock_log=${VALIDATORS_DIR:-/tmp/validators}/run/mock-gitlab-$port.log
stop_mock() {
  [[ -n $mock_pid ]] || return 0
  "$validators/mock-gitlab" --stop "$port" >/dev/null 2>&1 || kill "$mock_pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$mock_pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$mock_pid" 2>/dev/null && kill -9 "$mock_pid" 2>/dev/null
  rm -f "$mock_log"
}
trap 'stop_mock; cleanup' EXIT

if mock_pid=$("$validators/mock-gitlab" "$port" 2> "$scratch/mock.err") && [[ $mock_pid =~ ^[0-9]+$ ]]; then
  ok "GitLab OpenAPI mock on 127.0.0.1:$port (pid $mock_pid)"
else
  fail "mock-gitlab did not start"; sed 's/^/  | /' "$scratch/mock.err" | tail -20; finish; exit 1
fi

report=$scratch/contract.json
CHAOSGATE_GITLAB_MOCK_URL="http://127.0.0.1:$port" "$tests_bin" --gtest_filter='GitlabStatusContract.*' \
  --gtest_output="json:$report" > "$scratch/gtest.out" 2>&1
rc=$?
if [[ $rc -eq 0 ]]; then ok "GitlabStatusContract.* passed (exit 0)"; else
  fail "GitlabStatusContract.* exit $rc"; sed 's/^/  | /' "$scratch/gtest.out" | tail -40
  echo "  mock log (violations):"; grep -F 'VALIDATOR' "$mock_log" 2>/dev/null | sed 's/^/  | /' | tail -20
fi

# What ran: every case completed, none skipped (a skip would mean the URL did not arrive).
summary=$(python3 - "$report" <<'PY' 2>&1
import json, sys
try:
    data = json.load(open(sys.argv[1]))
except Exception as error:
    print(f"no gtest report: {error}"); sys.exit(1)
cases = [case for suite in data.get("testsuites", []) for case in suite.get("testsuite", [])]
skipped = [case["name"] for case in cases if case.get("result") == "SKIPPED"]
failed = [case["name"] for case in cases if case.get("failures")]
print(f"{len(cases)} case(s), {len(skipped)} skipped {skipped}, {len(failed)} failed {failed}")
sys.exit(0 if len(cases) >= 2 and not skipped and not failed else 1)
PY
) && ok "contract cases ran: $summary" || fail "contract cases: $summary"

finish
