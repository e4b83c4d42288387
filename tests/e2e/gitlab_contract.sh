#!/usr/bin/env bash
# Contract check of the GitLab tracker adapter against Stoplight Prism serving
# GitLab's own OpenAPI v2 document (validators/mock-gitlab, `--errors`): the
# GitlabContract.* cases of the unit-test binary make the adapter send every
# kind of request it sends to GitLab to the mock, and fail on any answer with
# violations (4xx + `sl-violations`, 422). Never skipped: a missing mock fails.
#
# Covered by the spec: GET issues (find_open), POST issues (create), GET one
# issue and PUT it (resolve: relabel and close). Not covered, asserted to be
# still missing so that a newer spec gets validated: POST .../issues/:iid/notes
# (no Notes API in the document) and multipart POST .../uploads (the document
# declares a JSON body). See the comment above ContractClient in
# tests/adapters/trackers/gitlab_tracker_test.cpp.
source "$(dirname "$0")/lib/common.sh"
: "${CHAOSGATE_BUILD_DIR:?}"
tests_bin=$CHAOSGATE_BUILD_DIR/tests/chaosgate_tests

mock=""
for dir in "${CHAOSGATE_VALIDATORS:-}" "$CHAOSGATE_SOURCE_DIR/../shared/validators" /work/shared/validators; do
  [[ -n $dir && -x $dir/mock-gitlab ]] && { mock=$dir/mock-gitlab; break; }
done
[[ -n $mock ]] || { fail "mock-gitlab not found (../shared/validators next to the repository, or set CHAOSGATE_VALIDATORS)"; finish; exit 1; }
[[ -x $tests_bin ]] || { fail "no $tests_bin (build the chaosgate_tests target)"; finish; exit 1; }

port=$(free_port)
mock_pid=$("$mock" "$port" 2> "$scratch/mock.log")
if [[ ! $mock_pid =~ ^[0-9]+$ ]]; then
  fail "mock-gitlab did not start on port $port"; sed 's/^/  | /' "$scratch/mock.log" | tail -20; finish; exit 1
fi
pids+=("$mock_pid")
stop_mock() { "$mock" --stop "$port" >/dev/null 2>&1; kill "$mock_pid" 2>/dev/null; }
trap 'stop_mock; cleanup' EXIT
ok "mock-gitlab (Prism) on 127.0.0.1:$port, pid $mock_pid"

CHAOSGATE_GITLAB_MOCK_URL="http://127.0.0.1:$port/api/v4" "$tests_bin" --gtest_filter='GitlabContract.*' \
  --gtest_color=no > "$scratch/out" 2>&1
rc=$?
ran=$(sed -n 's/^\[==========\] \([0-9]*\) tests\{0,1\} from .* ran\..*/\1/p' "$scratch/out")
passed_cases=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) tests\{0,1\}\..*/\1/p' "$scratch/out")
skipped=$(grep -c '^\[  SKIPPED \]' "$scratch/out")
if [[ $rc -eq 0 && ${ran:-0} -ge 5 && ${passed_cases:-0} -eq ${ran:-0} && $skipped -eq 0 ]]; then
  ok "GitlabContract: $ran cases passed against the mock"
else
  fail "GitlabContract: exit $rc, ran ${ran:-0}, passed ${passed_cases:-0}, skipped $skipped"
  sed 's/^/  | /' "$scratch/out" | tail -60
fi
# What was validated, for the log.
grep '^\[contract\]' "$scratch/out" | sort | uniq -c | sed 's/^/  /'
grep -q '^\[contract\] valid PUT ' "$scratch/out" && ok "an issue edit was validated" || fail "no PUT validated"
grep -q '^\[contract\] valid POST .*/issues -> 201' "$scratch/out" && ok "an issue create was validated" || fail "no create validated"
grep -q '^\[contract\] valid GET .*/issues -> 200' "$scratch/out" && ok "an issue search was validated" || fail "no search validated"
finish
