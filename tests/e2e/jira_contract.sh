#!/usr/bin/env bash
# The Jira adapter's requests checked against Atlassian's own API description:
# validators/mock-jira serves the Jira Cloud platform OpenAPI through Prism
# with --errors (a request that breaks the spec gets a 4xx with an
# sl-violations header, or 422) and --strict-create (a create must name
# project, summary and issue type, as real Jira insists). The unit test
# JiraContract.* then makes the adapter send every kind of request it has, in
# both flavours: search, create, attachments, sub-tasks, comment, GET and PUT
# issue (relabel), GET and POST transitions. Any answer but a 2xx fails, and
# so do a mock that does not start and a test that skipped: this must run.
source "$(dirname "$0")/lib/common.sh"
: "${CHAOSGATE_BUILD_DIR:?path to the build directory}"
tests=$CHAOSGATE_BUILD_DIR/tests/chaosgate_tests

mock=""
for dir in "${CHAOSGATE_VALIDATORS:-}" "$CHAOSGATE_SOURCE_DIR/../shared/validators" /work/shared/validators; do
  if [[ -n $dir && -x $dir/mock-jira ]]; then mock=$dir/mock-jira; break; fi
done
[[ -n $mock ]] || { fail "mock-jira not found (../shared/validators next to the repository, or set CHAOSGATE_VALIDATORS)"; finish; exit 1; }
[[ -x $tests ]] || { fail "no test binary $tests"; finish; exit 1; }

# Two repairs to the attachments operation of Atlassian's description, in a
# copy (without them the upload Atlassian documents, `curl -F file=@x`, gets
# 422 and then 500 from the mock itself):
#  - the request body is declared as an array of Spring's server-side
#    `MultipartFile` class, a generator artefact; the documented contract is a
#    multipart/form-data part named `file`: declared as exactly that, required;
#  - the answer's example gives `created` as epoch milliseconds, against the
#    schema's string: replaced by the same instant as a Jira timestamp.
spec=$scratch/jira-openapi.json
if python3 - "$(dirname "$mock")/specs/jira-cloud-platform-swagger-v3.v3.json" "$spec" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
upload = spec["paths"]["/rest/api/3/issue/{issueIdOrKey}/attachments"]["post"]
form = upload["requestBody"]["content"]["multipart/form-data"]
assert form["schema"]["type"] == "array", "the upload schema changed: review the repair"
form["schema"] = {"type": "object", "required": ["file"],
                  "properties": {"file": {"type": "string", "format": "binary"}}}
answer = upload["responses"]["200"]["content"]["application/json"]
example = json.loads(answer["example"])
for item in example:
    item["created"] = "2022-04-30T11:01:54.000+0000"
answer["example"] = json.dumps(example)
json.dump(spec, open(sys.argv[2], "w"))
PY
then ok "repaired copy of the spec's attachments operation"; else fail "cannot repair the spec"; finish; exit 1; fi

port=$(free_port)
# Prism is started in the background by mock-jira; stopped by its pid file on any exit.
trap '"$mock" --stop "$port" >/dev/null 2>&1; cleanup' EXIT
if pid=$("$mock" "$port" --strict-create --spec "$spec" 2> "$scratch/mock.err"); then
  pids+=("$pid")
  ok "mock-jira (Prism, Atlassian's OpenAPI) listens on 127.0.0.1:$port, pid $pid"
else
  fail "mock-jira did not start"; sed 's/^/  | /' "$scratch/mock.err" | tail -20; finish; exit 1
fi
prism_log=$(grep -o '/[^ ]*mock-jira-'"$port"'\.log' "$scratch/mock.err" | head -1)

CHAOSGATE_JIRA_MOCK_URL="http://127.0.0.1:$port" "$tests" --gtest_filter='JiraContract.*' > "$scratch/contract.out" 2>&1
rc=$?
sed 's/^/  | /' "$scratch/contract.out"
[[ $rc -eq 0 ]] && ok "JiraContract tests exit 0" || fail "JiraContract tests: exit $rc"
if grep -q '\[  SKIPPED \]' "$scratch/contract.out"; then fail "a JiraContract test skipped"; else ok "no JiraContract test skipped"; fi
grep -q '^\[  PASSED  \] 1 test' "$scratch/contract.out" && ok "the contract test ran and passed" || fail "the contract test did not run and pass"
checked=$(sed -n 's/^jira contract: \([0-9][0-9]*\) requests checked against the mock$/\1/p' "$scratch/contract.out")
[[ ${checked:-0} -ge 16 ]] && ok "$checked requests checked against the mock" || fail "only '${checked:-no}' requests checked"

# Prism's own view, independent of the test's: it received the requests and
# found no violation in any.
if [[ -n $prism_log && -f $prism_log ]]; then
  received=$(grep -c 'Request received' "$prism_log")
  [[ $received -ge ${checked:-1} ]] && ok "Prism logged $received requests" || fail "Prism logged $received requests, the test sent ${checked:-?}"
  if grep -q 'Violation' "$prism_log"; then fail "Prism logged violations:"; grep 'Violation' "$prism_log" | sed 's/^/  | /' | head -20
  else ok "Prism logged no violation"; fi
else
  fail "Prism's log not found (mock-jira said: $(tr '\n' ' ' < "$scratch/mock.err"))"
fi
finish
