#!/usr/bin/env bash
# The verdict as users see it on GitLab and GitHub: `chaosgate run` and
# `chaosgate merge` against the real sandbox staging, publishing to a stand-in
# API on 127.0.0.1 (lib/status_stand_in.py) that records every request and
# refuses what the real APIs would refuse (wrong token, bad state, a too long
# description, no JSON).
#
#  1. GitLab MR pipeline, regressing release: exit 1; commit statuses running
#     then failed (name, target_url, pipeline_id, PRIVATE-TOKEN); a description
#     naming the regression within 255 characters; one new MR note starting
#     with the hidden marker, holding summary.md.
#  2. The same pipeline again: the note is edited (PUT), not repeated.
#  3. --status none: nothing is sent.
#  4. No GITLAB_TOKEN: auto publishes nothing and says so, naming GITLAB_TOKEN;
#     an explicit --status gitlab is exit 2 before staging is touched.
#  5. The API answers 503: a passing gate is exit 3 with a notice in
#     summary.md and journal.json (retried, bounded); --fail-on never: exit 0.
#     5b. SIGTERM while tickets are filed against a 503 with Retry-After: 30:
#     exit within seconds, the change queued in the outbox, the reports written.
#     5c. SIGTERM while the status API stalls, in an MR pipeline: the running
#     status is cut, the final one gets one 3 s attempt and, unanswered, is
#     the last request (the MR note is not tried); exit within seconds.
#  6. GitHub Actions: pending then failure, Bearer token, the GitHub media
#     type, a description within 140 characters, the step summary appended.
#  7. --shard 1/2 + 2/2, then `merge` publishes the one final status (no shard
#     suffix) and the MR note.
#  8. The tokens appear in no stdout, stderr or file under any --out.
#
# The CI context is given to each command alone (env VAR=...), with any CI
# variables of the machine running the test removed.
source "$(dirname "$0")/lib/common.sh"
cd "$CHAOSGATE_SOURCE_DIR"
: "${CHAOSGATE_BUILD_DIR:?}"
sandbox=$scratch/sandbox
runs=$scratch/runs          # stdout + stderr of every command (searched for the tokens)
outs=$scratch/outs          # every --out and the step summary (searched for the tokens)
state=$scratch/state
mkdir -p "$runs" "$outs" "$scratch/stand-in"
stop_sandbox() { scripts/sandbox stop --dir "$sandbox" >/dev/null 2>&1; }
trap 'stop_sandbox; cleanup' EXIT

gitlab_token=glpat-E2eStatusSecret-7f3a9c1d
github_token=ghp_E2eStatusSecret9d41b7e2aa
sha=e658522cb51fe2000efb0bfd6926bf2dda1bd6a6
job_url=https://gitlab.example.com/shop/cart/-/jobs/99
marker='<!-- chaosgate:chaosgate/staging -->'
experiment=cart-survives-redis-pause

# CI variables this machine may have: removed from every command's environment.
ci_unset=()
while IFS= read -r name; do
  case $name in
    CI | CI_* | GITLAB_* | GITHUB_* | JENKINS_URL | BUILD_URL | GIT_COMMIT | CHANGE_* | TAG_NAME | BRANCH_NAME) ci_unset+=(-u "$name") ;;
  esac
done < <(compgen -e)

start_sandbox() {  # start_sandbox RELEASE
  stop_sandbox
  if ! scripts/sandbox start --dir "$sandbox" --release "$1" 2> "$scratch/sandbox.log"; then
    fail "sandbox did not start"; cat "$scratch/sandbox.log"; finish; exit 1
  fi
  # shellcheck disable=SC1091
  source "$sandbox/sandbox.env"
}

# start_stand_in VAR_PORT LOG ARGS...: the stand-in on a free port, in the
# background (killed by pid on exit), ready to accept connections.
start_stand_in() {
  local -n port_ref=$1
  local log_file=$2; shift 2
  port_ref=$(free_port)
  : > "$log_file"
  python3 "$CHAOSGATE_SOURCE_DIR/tests/e2e/lib/status_stand_in.py" --port "$port_ref" --log "$log_file" "$@" \
    > "$log_file.stderr" 2>&1 &
  pids+=($!)
  if wait_port "$port_ref" && kill -0 "${pids[-1]}" 2>/dev/null; then
    ok "stand-in API on 127.0.0.1:$port_ref (pid ${pids[-1]})$([[ " $* " == *" --fail "* ]] && echo ", failing every request")"
  else
    fail "stand-in did not start on $port_ref"; cat "$log_file.stderr"; finish; exit 1
  fi
}

rc=0
# gate NAME [VAR=VALUE...] -- [ARGS...]: the cart experiment of the example
# suite, with exactly VAR=VALUE... as CI context; exit code in $rc.
gate() {
  local name=$1 vars=(); shift
  while [[ $# -gt 0 && $1 != -- ]]; do vars+=("$1"); shift; done
  [[ $# -gt 0 ]] && shift
  env "${ci_unset[@]}" "${vars[@]}" "$CHAOSGATE" run --suite examples/shop-suite.yaml --only "$experiment" \
    --out "$outs/$name" --state-dir "$state" --tracker none "$@" > "$runs/$name.out" 2> "$runs/$name.err"
  rc=$?
}
# expect_rc WANT DESCRIPTION NAME
expect_rc() {
  if [[ $rc -eq $1 ]]; then ok "$2 (exit $rc)"; else
    fail "$2: exit $rc, wanted $1"; sed 's/^/  | /' "$runs/$3.out" "$runs/$3.err" | tail -25; fi
}
# expect_err NAME TEXT DESCRIPTION: the command's stderr contains TEXT
expect_err() {
  if grep -qF -- "$2" "$runs/$1.err"; then ok "$3"; else fail "$3: stderr lacks: $2"; sed 's/^/  | /' "$runs/$1.err" | tail -20; fi
}

# check DESCRIPTION EXPRESSION [ARG]: a Python expression over the requests
# in the current stand-in log ($log): r (all), statuses, notes (GET/POST/PUT of
# MR notes), posts / puts (of notes); sha, glt, ght, job, marker, exp, note_id
# and arg are the test's values. ok when it is true; else the requests are shown.
log=
note_id=
# reset_log: an empty $log for the next scenario (earlier requests kept in $log.all).
reset_log() { cat "$log" >> "$log.all"; : > "$log"; }
python_prelude='
import json, sys
r = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
sha, glt, ght, job, marker, exp, note_id, arg = sys.argv[3:11]
statuses = [x for x in r if "/statuses/" in x["path"]]
notes = [x for x in r if "/notes" in x["path"]]
posts = [x for x in notes if x["method"] == "POST"]
puts = [x for x in notes if x["method"] == "PUT"]
def file(path):
    with open(path, encoding="utf-8") as f:
        return f.read()
'
check() {
  local result
  result=$(python3 - "$log" "$2" "$sha" "$gitlab_token" "$github_token" "$job_url" "$marker" "$experiment" \
             "${note_id:-}" "${3:-}" 2>&1 <<PY
$python_prelude
try:
    passed = bool(eval("(" + sys.argv[2] + "\n)"))
except Exception as error:
    passed = False
    print("  | check raised %s: %s" % (type(error).__name__, error))
if not passed:
    print("  | the stand-in received %d request(s):" % len(r))
    for x in r:
        print("  |   %s %s -> %s %s" % (x["method"], x["path"], x["status"], json.dumps(x["body"])[:300]))
sys.exit(0 if passed else 1)
PY
  ) && ok "$1" || { fail "$1"; echo "$result" | head -40; }
}
# query EXPRESSION: prints a Python expression over the log (as check does).
query() {
  python3 - "$log" "$1" "$sha" "$gitlab_token" "$github_token" "$job_url" "$marker" "$experiment" "${note_id:-}" "" <<PY 2>/dev/null
$python_prelude
print(eval("(" + sys.argv[2] + "\n)"))
PY
}

# --- the stand-in and the regressing release ---------------------------------
main_log=$scratch/stand-in/requests.jsonl
start_stand_in port "$main_log" --gitlab-token "$gitlab_token" --github-token "$github_token"
log=$main_log
gitlab_mr=(GITLAB_CI=true "CI_API_V4_URL=http://127.0.0.1:$port/api/v4" CI_PROJECT_ID=42 CI_PROJECT_PATH=shop/cart
           "CI_COMMIT_SHA=$sha" CI_PIPELINE_ID=1001 CI_MERGE_REQUEST_IID=7 "CI_JOB_URL=$job_url")
start_sandbox regressing

# 1. A merge-request pipeline on GitLab.
reset_log
gate mr-1 "${gitlab_mr[@]}" "GITLAB_TOKEN=$gitlab_token" --
expect_rc 1 "1. GitLab MR pipeline, regressing release: the gate fails" mr-1
check "1. two commit statuses, running then failed" '[s["body"].get("state") for s in statuses] == ["running", "failed"]'
check "1. both POSTed to /api/v4/projects/42/statuses/<sha> and accepted (201)" \
  'all(s["method"] == "POST" and s["path"] == "/api/v4/projects/42/statuses/" + sha and s["status"] == 201 for s in statuses)'
check "1. both named chaosgate/staging, target_url = the job URL, pipeline_id 1001 (a number)" \
  'len(statuses) == 2 and all(s["body"].get("name") == "chaosgate/staging" and s["body"].get("target_url") == job
   and s["body"].get("pipeline_id") == 1001 and type(s["body"].get("pipeline_id")) is int for s in statuses)'
check "1. no ref in the statuses (GitLab takes the MR pipeline's own)" 'all("ref" not in s["body"] for s in statuses)'
check "1. every request authenticates with PRIVATE-TOKEN (and sends JSON as application/json)" \
  'r and all(x["headers"].get("private-token") == glt and "authorization" not in x["headers"] for x in r)
   and all(x["headers"].get("content-type", "").startswith("application/json") for x in r if x["method"] in ("POST", "PUT"))'
check "1. the running status says what runs" 'statuses[0]["body"]["description"] == "Running 1 experiment(s) of shop"'
check "1. the failed status names the regression in <= 255 characters" \
  'exp in statuses[1]["body"]["description"] and "regression" in statuses[1]["body"]["description"]
   and 0 < len(statuses[1]["body"]["description"]) <= 255'
check "1. the MR notes are looked up once (page 1 of 100, newest first) before writing" \
  '[x["method"] for x in notes] == ["GET", "POST"] and notes[0]["status"] == 200
   and notes[0]["path"].startswith("/api/v4/projects/42/merge_requests/7/notes?")
   and all(p in notes[0]["path"] for p in ("per_page=100", "page=1", "sort=desc"))'
check "1. one note POSTed on MR 7 (201): the quoting note and the system note are not taken for ours" \
  'len(posts) == 1 and not puts and posts[0]["path"] == "/api/v4/projects/42/merge_requests/7/notes" and posts[0]["status"] == 201'
check "1. the note starts with the hidden marker and names $experiment" \
  'posts[0]["body"]["body"].startswith(marker + "\n") and exp in posts[0]["body"]["body"]'
check "1. the note is summary.md of --out, after the marker" \
  'posts[0]["body"]["body"] == marker + "\n\n" + file(arg + "/summary.md")' "$outs/mr-1"
check "1. order: running status, failed status, then the note" \
  '[x["method"] + (" " + x["body"]["state"] if "/statuses/" in x["path"] else " note") for x in r]
   == ["POST running", "POST failed", "GET note", "POST note"]'
[[ -s $outs/mr-1/summary.md ]] && ok "1. summary.md written to --out" || fail "1. no summary.md in $outs/mr-1"
note_id=$(query 'posts[0]["response"]["id"]')

# 2. The same pipeline again: the note is edited, not repeated.
reset_log
gate mr-2 "${gitlab_mr[@]}" "GITLAB_TOKEN=$gitlab_token" --
expect_rc 1 "2. second run of the MR pipeline: the gate fails again" mr-2
check "2. statuses running then failed again" '[s["body"].get("state") for s in statuses] == ["running", "failed"] and all(s["status"] == 201 for s in statuses)'
check "2. the note is updated: GET then PUT on note $note_id, no second POST" \
  '[x["method"] for x in notes] == ["GET", "PUT"] and note_id and
   notes[1]["path"] == "/api/v4/projects/42/merge_requests/7/notes/" + note_id and notes[1]["status"] == 200'
check "2. the edited note starts with the marker and holds this run's summary.md" \
  'puts[0]["body"]["body"] == marker + "\n\n" + file(arg + "/summary.md") and exp in puts[0]["body"]["body"]' "$outs/mr-2"

# 3. --status none: nothing is published.
reset_log
gate status-none "${gitlab_mr[@]}" "GITLAB_TOKEN=$gitlab_token" -- --status none
expect_rc 1 "3. --status none: the gate still fails" status-none
check "3. --status none: nothing reaches the API" 'r == []'

# 4. No token.
reset_log
gate no-token "${gitlab_mr[@]}" --
expect_rc 1 "4. GitLab context without GITLAB_TOKEN (--status auto): the run still decides" no-token
check "4. without a token nothing reaches the API" 'r == []'
expect_err no-token "commit status not published" "4. the log says the status was not published"
expect_err no-token "GITLAB_TOKEN" "4. and names GITLAB_TOKEN"
reset_log
gate no-token-explicit "${gitlab_mr[@]}" -- --status gitlab
expect_rc 2 "4. --status gitlab without a token is a usage error" no-token-explicit
expect_err no-token-explicit "GITLAB_TOKEN" "4. the error names GITLAB_TOKEN"
! grep -q "$experiment: started" "$runs/no-token-explicit.err" && [[ ! -e $outs/no-token-explicit/journal.json ]] \
  && ok "4. nothing ran: no experiment started, no journal (found before staging is touched)" \
  || fail "4. ran without a usable status token: $(tail -5 "$runs/no-token-explicit.err")"
check "4. --status gitlab without a token: nothing reaches the API" 'r == []'

# 6. GitHub Actions.
github=(GITHUB_ACTIONS=true "GITHUB_API_URL=http://127.0.0.1:$port" GITHUB_REPOSITORY=shop/cart "GITHUB_SHA=$sha"
        GITHUB_SERVER_URL=https://github.example.com GITHUB_RUN_ID=5)
step_summary=$outs/step-summary.md
printf '## An earlier step\n\nits own summary\n' > "$step_summary"
cp "$step_summary" "$scratch/step-summary.before"
reset_log
gate github "${github[@]}" "GITHUB_TOKEN=$github_token" -- --step-summary "$step_summary"
expect_rc 1 "6. GitHub Actions, regressing release: the gate fails" github
check "6. two commit statuses, pending then failure" '[s["body"].get("state") for s in statuses] == ["pending", "failure"]'
check "6. both POSTed to /repos/shop/cart/statuses/<sha> and accepted (201), nothing else sent" \
  'len(r) == 2 and all(s["method"] == "POST" and s["path"] == "/repos/shop/cart/statuses/" + sha and s["status"] == 201 for s in statuses)'
check "6. context chaosgate/staging, target_url = the run URL" \
  'all(s["body"].get("context") == "chaosgate/staging" and s["body"].get("target_url") == "https://github.example.com/shop/cart/actions/runs/5" for s in statuses)'
check "6. Authorization: Bearer <token>, Accept: application/vnd.github+json, X-GitHub-Api-Version" \
  'statuses and all(s["headers"].get("authorization") == "Bearer " + ght and s["headers"].get("accept") == "application/vnd.github+json"
   and s["headers"].get("x-github-api-version") == "2022-11-28" and "private-token" not in s["headers"] for s in statuses)'
check "6. the failure description names the regression in <= 140 characters" \
  'exp in statuses[1]["body"]["description"] and 0 < len(statuses[1]["body"]["description"]) <= 140'
grep -q "$experiment" "$step_summary" && ok "6. the step summary names $experiment" || fail "6. step summary: $(cat "$step_summary")"
python3 - "$scratch/step-summary.before" "$outs/github/summary.md" "$step_summary" <<'PY' \
  && ok "6. summary.md is appended to the step summary (the earlier step's text kept)" || fail "6. step summary is not earlier text + summary.md"
import sys
before, summary, after = (open(p, encoding="utf-8").read() for p in sys.argv[1:4])
sys.exit(0 if after == before + summary + ("" if summary.endswith("\n") else "\n") else 1)
PY

# 7. Sharded runs, then merge publishes the one status of the whole gate.
reset_log
gate shard-1 "${gitlab_mr[@]}" "GITLAB_TOKEN=$gitlab_token" -- --shard 1/2 --status none; rc1=$rc
gate shard-2 "${gitlab_mr[@]}" "GITLAB_TOKEN=$gitlab_token" -- --shard 2/2 --status none; rc2=$rc
[[ "$rc1 $rc2" == "1 0" ]] && ok "7. shard 1/2 runs the experiment (exit 1), shard 2/2 has none (exit 0)" \
  || { fail "7. shards: exit $rc1 and $rc2, wanted 1 and 0"; tail -5 "$runs/shard-1.err" "$runs/shard-2.err"; }
check "7. the shards (--status none) send nothing" 'r == []'
env "${ci_unset[@]}" "${gitlab_mr[@]}" "GITLAB_TOKEN=$gitlab_token" "$CHAOSGATE" merge "$outs/shard-1" "$outs/shard-2" \
  --out "$outs/merged" > "$runs/merge.out" 2> "$runs/merge.err"
rc=$?
expect_rc 1 "7. merge of the shards: the gate fails" merge
check "7. merge publishes one final status: failed, chaosgate/staging (no shard suffix)" \
  '[(s["body"].get("state"), s["body"].get("name")) for s in statuses] == [("failed", "chaosgate/staging")] and statuses[0]["status"] == 201'
check "7. on /projects/42/statuses/<sha>, pipeline 1001, the job URL, naming the regression" \
  'statuses[0]["path"] == "/api/v4/projects/42/statuses/" + sha and statuses[0]["body"].get("pipeline_id") == 1001
   and statuses[0]["body"].get("target_url") == job and exp in statuses[0]["body"]["description"]'
check "7. merge updates the MR note (PUT on note $note_id) with the merged summary.md" \
  '[x["method"] for x in notes] == ["GET", "PUT"] and notes[1]["path"].endswith("/merge_requests/7/notes/" + note_id)
   and notes[1]["status"] == 200 and puts[0]["body"]["body"] == marker + "\n\n" + file(arg + "/summary.md")' "$outs/merged"

# 5. The API is down (503 to everything), the release is good (run last: it
# needs the good release; the retries make it the slowest part, ~10 s a run).
fail_log=$scratch/stand-in/failing.jsonl
start_stand_in fail_port "$fail_log" --gitlab-token "$gitlab_token" --fail 503
log=$fail_log
gitlab_down=(GITLAB_CI=true "CI_API_V4_URL=http://127.0.0.1:$fail_port/api/v4" CI_PROJECT_ID=42 CI_PROJECT_PATH=shop/cart
             "CI_COMMIT_SHA=$sha" CI_PIPELINE_ID=1001 "CI_JOB_URL=$job_url")  # no MR: only the two statuses are retried
start_sandbox good
reset_log
started=$SECONDS
gate api-down "${gitlab_down[@]}" "GITLAB_TOKEN=$gitlab_token" --
took=$((SECONDS - started))
expect_rc 3 "5. gate passed but the status could not be published" api-down
journal_says() {  # journal_says OUT EXPRESSION over the journal `j`
  python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$outs/$1/journal.json" 2>/dev/null
}
journal_says api-down 'j["gate"]["decision"] == "passed"' && ok "5. the gate itself passed (journal)" \
  || fail "5. journal gate: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["gate"])' "$outs/api-down/journal.json" 2>&1)"
journal_says api-down 'len([n for n in j["notices"] if n.startswith("gitlab commit status") and "not published" in n]) == 2' \
  && ok "5. journal.json notices: the running and the final gitlab commit status not published" \
  || fail "5. journal notices: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("notices"))' "$outs/api-down/journal.json" 2>&1)"
journal_says api-down 'j["gate"]["exitCode"] == 3' && grep -q "(exit 3)" "$outs/api-down/summary.md" \
  && ok "5. the reports show the exit code the process returned (3)" \
  || fail "5. reports disagree with the exit code: $(grep -o '(exit [0-9]*)' "$outs/api-down/summary.md")"
grep -q "note: gitlab commit status.*not published" "$outs/api-down/summary.md" \
  && ok "5. summary.md notes that the gitlab commit status was not published" || fail "5. summary.md: $(head -12 "$outs/api-down/summary.md")"
grep -q "503" "$outs/api-down/summary.md" && ok "5. and says why (503)" || fail "5. summary.md does not name the 503"
expect_err api-down "gitlab commit status not published" "5. the log warns that the status was not published"
check "5. each status call was retried (2..5 attempts), all answered 503" \
  'all(x["status"] == 503 and x["method"] == "POST" and "/statuses/" in x["path"] for x in r)
   and all(2 <= [s["body"]["state"] for s in statuses].count(state) <= 5 for state in ("running", "success"))'
journal_says api-down '(lambda t: t(j["experiments"][0]["started"]) - t(j["started"]) < 1.5)(lambda s: __import__("datetime").datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp())' \
  && ok "5. the experiments did not wait for the running status's retries" \
  || fail "5. the first experiment started late: $(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["started"], j["experiments"][0]["started"])' "$outs/api-down/journal.json")"
check "5. every attempt at the running status came before the final one" \
  '(lambda states: states.index("success") > max(i for i, s in enumerate(states) if s == "running"))([s["body"]["state"] for s in statuses])'
echo "   (the run with the API down took ${took}s: two status calls of 5 attempts with back-off)"
reset_log
gate api-down-never "${gitlab_down[@]}" "GITLAB_TOKEN=$gitlab_token" -- --fail-on never
expect_rc 0 "5. --fail-on never: the same run exits 0" api-down-never
journal_says api-down-never 'any(n.startswith("gitlab commit status") for n in j["notices"])' \
  && ok "5. --fail-on never still records the notice" || fail "5. --fail-on never: no notice in the journal"

# signal_gate_when PATTERN LOG SETTLE_S LIMIT_S: once PATTERN is in the
# stand-in's LOG, waits SETTLE_S, sends the gate ($gate_pid) SIGTERM and waits
# up to LIMIT_S for it to exit; sets rc and took_ms (from the signal). Returns
# 1 when the gate never got there, 2 when it still ran at the limit (both
# times it is SIGKILLed and reaped).
signal_gate_when() {
  local pattern=$1 log_file=$2 settle=$3 limit=$4 signalled
  for _ in $(seq 600); do grep -q "$pattern" "$log_file" && break; kill -0 "$gate_pid" 2>/dev/null || break; sleep 0.1; done
  if ! grep -q "$pattern" "$log_file"; then
    kill -KILL "$gate_pid" 2>/dev/null; wait "$gate_pid" 2>/dev/null; return 1
  fi
  sleep "$settle"
  signalled=$(now_ms)
  kill -TERM "$gate_pid"
  for _ in $(seq $((limit * 10))); do kill -0 "$gate_pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$gate_pid" 2>/dev/null; then
    kill -KILL "$gate_pid"; wait "$gate_pid" 2>/dev/null; return 2
  fi
  wait "$gate_pid"; rc=$?
  took_ms=$(( $(now_ms) - signalled ))
}

# 5b. SIGTERM while the tickets are filed, the API answering 503 with
# Retry-After: 30 (the statuses and the GitLab tracker alike): the gate stops
# waiting at once, queues the ticket change in the outbox and writes its reports.
slow_log=$scratch/stand-in/retry-after.jsonl
start_stand_in slow_port "$slow_log" --gitlab-token "$gitlab_token" --fail 503 --retry-after 30
log=$slow_log
gitlab_slow=(GITLAB_CI=true "CI_API_V4_URL=http://127.0.0.1:$slow_port/api/v4" CI_PROJECT_ID=42 CI_PROJECT_PATH=shop/cart
             "CI_COMMIT_SHA=$sha" CI_PIPELINE_ID=1001 "CI_JOB_URL=$job_url")
rm -rf "$state/outbox"
env "${ci_unset[@]}" "${gitlab_slow[@]}" "GITLAB_TOKEN=$gitlab_token" "$CHAOSGATE" run --suite examples/shop-suite.yaml \
  --only "$experiment" --out "$outs/term-filing" --state-dir "$state" --tracker gitlab \
  > "$runs/term-filing.out" 2> "$runs/term-filing.err" &
gate_pid=$!
signal_gate_when '/issues' "$slow_log" 0.3 15  # 0.3 s: into the 30 s wait the 503 asked for
case $? in
  1) fail "5b. the gate never reached the ticket filing"; sed 's/^/  | /' "$runs/term-filing.err" | tail -20 ;;
  2) fail "5b. still running 15 s after SIGTERM (waiting for the tracker's retries)" ;;
  *)
    (( took_ms < 5000 )) && ok "5b. exit $rc ${took_ms} ms after SIGTERM during the ticket filing" \
      || fail "5b. exit ${took_ms} ms after SIGTERM (wanted < 5 s)"
    journal_says term-filing 'j["gate"]["decision"] == "passed" and any("queued in" in n and "interrupted" in n for n in j["notices"])' \
      && ok "5b. journal.json written: the gate's verdict, and the ticket change queued because of the signal" \
      || fail "5b. journal: $(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["gate"], j["notices"])' "$outs/term-filing/journal.json" 2>&1)"
    journal_says term-filing 'j["gate"]["exitCode"] == '"$rc" \
      && ok "5b. the reports show the exit code the process returned ($rc)" || fail "5b. journal exit code is not $rc"
    queued=$(find "$state/outbox" -type f -name '*.json' 2>/dev/null | wc -l)
    [[ $queued -ge 1 ]] && ok "5b. $queued ticket change(s) in the outbox for the next run" \
      || fail "5b. the outbox is empty: $(ls -la "$state/outbox" 2>&1)"
    check "5b. the issues lookup was sent once, not retried after the signal" \
      '[x["path"].split("?")[0].endswith("/issues") for x in r].count(True) == 1'
    ;;
esac

# 5c. SIGTERM while the GitLab API stalls (accepts, never answers in time):
# the running status in flight is cut, the final one gets one short attempt
# (3 s, not its usual 30); unanswered, it is the last request, so the MR note's
# requests (another 3 s each) are not tried and the gate exits within seconds.
held_log=$scratch/stand-in/held.jsonl
start_stand_in held_port "$held_log" --gitlab-token "$gitlab_token" --hang 120
log=$held_log
gitlab_held=(GITLAB_CI=true "CI_API_V4_URL=http://127.0.0.1:$held_port/api/v4" CI_PROJECT_ID=42 CI_PROJECT_PATH=shop/cart
             "CI_COMMIT_SHA=$sha" CI_PIPELINE_ID=1002 CI_MERGE_REQUEST_IID=7 "CI_JOB_URL=$job_url")
env "${ci_unset[@]}" "${gitlab_held[@]}" "GITLAB_TOKEN=$gitlab_token" "$CHAOSGATE" run --suite examples/shop-suite.yaml \
  --only "$experiment" --out "$outs/term-stalled" --state-dir "$state" --tracker file \
  > "$runs/term-stalled.out" 2> "$runs/term-stalled.err" &
gate_pid=$!
signal_gate_when '/statuses/' "$held_log" 0.5 20  # 0.5 s: the running status in flight, held by the API
case $? in
  1) fail "5c. the gate never sent its running status"; sed 's/^/  | /' "$runs/term-stalled.err" | tail -20 ;;
  2) fail "5c. still running 20 s after SIGTERM (waiting for the stalled status requests)" ;;
  *)
    (( took_ms < 5500 )) && ok "5c. exit $rc ${took_ms} ms after SIGTERM with the status API stalled" \
      || fail "5c. exit ${took_ms} ms after SIGTERM (wanted < 5.5 s: one 3 s attempt after the signal)"
    [[ $rc -eq 143 ]] && ok "5c. exit 143 (interrupted)" || fail "5c. exit $rc, not 143"
    # After a signal the reports come first, so the statuses' fate is in the log only.
    journal_says term-stalled 'j["gate"]["exitCode"] == 143' \
      && ok "5c. journal.json written before the statuses were tried" || fail "5c. no journal.json with exit 143"
    grep -q 'commit status (running) not published' "$runs/term-stalled.err" \
      && grep -q 'commit status not published' "$runs/term-stalled.err" \
      && ok "5c. the log names both commit statuses as not published" \
      || fail "5c. log: $(grep -i 'status' "$runs/term-stalled.err" | tail -5)"
    check "5c. the final status was still attempted once after the signal" \
      '[x["status"] == "held" and x["path"].endswith("/statuses/'"$sha"'") for x in r].count(True) == 2'
    check "5c. the MR note was not tried after the final status got no answer" \
      'not any("/notes" in x["path"] for x in r)'
    grep -q 'summary not published.*not sent: the GitLab API did not answer the commit status' "$runs/term-stalled.err" \
      && ok "5c. the log says why the MR note was not sent" \
      || fail "5c. log: $(grep -i 'summary' "$runs/term-stalled.err" | tail -3)"
    ;;
esac
log=$fail_log
stop_sandbox

# 8. The tokens went to the API and nowhere else.
cat "$main_log" >> "$main_log.all"
grep -qF "$gitlab_token" "$main_log.all" && grep -qF "$github_token" "$main_log.all" \
  && ok "8. (control) both tokens were sent to the API" || fail "8. the stand-in never saw the tokens"
searched=$(find "$runs" "$outs" "$state" -type f 2>/dev/null | wc -l)
leaks=$(grep -rlF -e "$gitlab_token" -e "$github_token" "$runs" "$outs" "$state" 2>/dev/null)
[[ -z $leaks && $searched -gt 30 ]] && ok "8. no token in any stdout, stderr or --out file ($searched files)" \
  || fail "8. token leaked into: ${leaks:-(none, but only $searched files searched)}"

finish
