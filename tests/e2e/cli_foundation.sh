#!/usr/bin/env bash
# The first thing a user touches: --version/--help, validate, list, schema,
# exit codes, and suites pulled over HTTP, all through the real binary.
source "$(dirname "$0")/lib/common.sh"
cd "$CHAOSGATE_SOURCE_DIR"
suite=examples/shop-suite.yaml

expect_exit 0 "--version" -- "$CHAOSGATE" --version
expect_output out "chaosgate 0." "--version prints the version"
for cmd in validate list schema; do
  expect_exit 0 "$cmd --help" -- "$CHAOSGATE" "$cmd" --help
  expect_output out "Examples:" "$cmd --help shows examples"
done
expect_exit 2 "no subcommand is a usage error" -- "$CHAOSGATE"
expect_exit 2 "unknown flag is a usage error" -- "$CHAOSGATE" validate --no-such-flag "$suite"
expect_exit 2 "unknown subcommand is a usage error" -- "$CHAOSGATE" frobnicate

expect_exit 0 "the example suite validates" -- "$CHAOSGATE" validate "$suite"
expect_output out "ok (9 experiments)" "validate says what it found"
expect_exit 2 "a broken suite fails validation" -- "$CHAOSGATE" validate examples/broken/unknown-field.yaml
expect_output out "examples/broken/unknown-field.yaml:11:5: error: experiments[0].hypothesys: unknown field \"hypothesys\"; did you mean \"hypothesis\"?" "error points at file:line:col and field"
expect_exit 2 "several sources: all are checked, any error fails" -- "$CHAOSGATE" validate "$suite" examples/broken/wrong-type.json examples/broken/syntax-bom.yaml
expect_output out "wrong-type.json:19:18" "second source reported"
expect_output out "syntax-bom.yaml:1:1" "third source reported"
expect_exit 0 "warnings pass without --strict" -- "$CHAOSGATE" validate examples/broken/../shop-suite.yaml
printf 'apiVersion: chaosgate/v1\nexperiments: []\n' > "$scratch/warn.yaml"
expect_exit 0 "a suite with only warnings passes" -- "$CHAOSGATE" validate "$scratch/warn.yaml"
expect_exit 2 "--strict turns warnings into failure" -- "$CHAOSGATE" validate --strict "$scratch/warn.yaml"
expect_exit 2 "validate --format json" -- "$CHAOSGATE" validate --format json examples/broken/semantic-unknown-refs.yaml
python3 - "$scratch/out" <<'PY' && ok "validate --format json is machine-readable" || fail "validate --format json"
import json, sys
report = json.load(open(sys.argv[1]))
d = report["sources"][0]["diagnostics"]
assert report["errors"] == 3, report
assert any(x["line"] == 11 and x["column"] == 14 and x["path"] == "experiments[0].service" for x in d), d
PY
expect_exit 2 "missing file" -- "$CHAOSGATE" validate /nonexistent/suite.yaml
expect_output out "/nonexistent/suite.yaml" "missing file is named"

# Logging: text or JSON lines on stderr, results on stdout.
expect_exit 2 "--log-format json" -- "$CHAOSGATE" --log-format json list examples/broken/risk-out-of-range.json
python3 - "$scratch/err" <<'PY' && ok "every log line is a JSON object with time, level, message" || fail "--log-format json"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert lines, "no log lines"
for line in lines:
    record = json.loads(line)
    assert {"time", "level", "message"} <= record.keys(), record
assert any(json.loads(l)["level"] == "error" and "risk-out-of-range.json:17:30" in json.loads(l)["message"] for l in lines)
PY
expect_exit 0 "--quiet" -- "$CHAOSGATE" --quiet list "$suite"
[[ ! -s $scratch/err ]] && ok "--quiet leaves stderr empty on success" || fail "--quiet still logs"

# At -v a run logs its own memory after each phase, in order (the gate's cost, readable off any run).
cat > "$scratch/tiny.yaml" <<'YAML'
apiVersion: chaosgate/v1
name: tiny
catalog:
  teams: [{id: platform}]
  services: [{id: shop, owner: platform}]
  incidentCategories: [{id: overload, title: Overload}]
experiments:
  - {id: noop, title: Nothing happens, service: shop, hypothesis: It holds., incidentCategory: overload,
     attackGroup: application, risk: {likelihood: 1, impact: 1}, status: promoted, followUp: [none], targets: [t],
     steadyState: [{name: answers, command: {argv: ["true"]}}], method: [{name: wait, pause: 0s}]}
YAML
expect_exit 0 "-v run of a one-experiment suite" -- "$CHAOSGATE" -v run --suite "$scratch/tiny.yaml" --out "$scratch/tiny-out"
python3 - "$scratch/err" <<'PY' && ok "-v logs the run's memory after each phase" || fail "-v run: memory lines"
import re, sys
lines = [l for l in open(sys.argv[1]).read().splitlines() if "memory after" in l]
found = [re.search(r"memory after (.+): ([0-9.]+) MiB resident, peak so far ([0-9.]+) MiB$", l) for l in lines]
assert lines and all(found), lines
assert [m.group(1) for m in found] == ["loading", "planning", "preflight", "executing", "reading the results back", "tickets", "reports"], lines
resident, peaks = [float(m.group(2)) for m in found], [float(m.group(3)) for m in found]
assert peaks == sorted(peaks) and all(r <= p for r, p in zip(resident, peaks)) and peaks[0] >= 1, lines
PY
expect_exit 0 "run without -v" -- "$CHAOSGATE" run --suite "$scratch/tiny.yaml" --out "$scratch/tiny-out"
grep -q "memory after" "$scratch/err" && fail "memory lines without -v" || ok "no memory lines without -v"

# Bad input from the issue: each a clear error, exit 2, never a crash or a hang.
python3 -c "print('['*10000 + ']'*10000)" > "$scratch/deep.json"
expect_exit 2 "10,000-deep nesting" -- timeout 20 "$CHAOSGATE" validate "$scratch/deep.json"
expect_output out "nesting deeper than 64 levels" "deep nesting is explained"
head -c $((50 * 1024 * 1024)) /dev/zero | tr '\0' '#' > "$scratch/huge.yaml"
expect_exit 2 "50 MB suite" -- timeout 20 "$CHAOSGATE" validate "$scratch/huge.yaml"
expect_output out "limit" "oversize suite names the limit"
mkdir -p "$scratch/loop/sub" && cp "$suite" "$scratch/loop/suite.yaml" && ln -s .. "$scratch/loop/sub/up"
expect_exit 2 "directory loop through symlinks" -- timeout 20 "$CHAOSGATE" validate "$scratch/loop"
expect_output out "loop" "directory loop is explained"

# list: the plan, stable sharding, JSON.
expect_exit 0 "list" -- "$CHAOSGATE" list "$suite"
expect_output out "6 of 9 experiments selected" "list selects promoted experiments"
expect_output out "critical path" "list estimates the critical path"
expect_exit 0 "list --only" -- "$CHAOSGATE" list "$suite" --only team:checkout --include-status promoted,candidate
expect_output out "3 of 9 experiments selected" "--only team: with --include-status"
expect_exit 2 "bad selector" -- "$CHAOSGATE" list "$suite" --only owner:x
# An --only that matches nothing is a typo, not a green gate with nothing run.
expect_exit 2 "list --only matching nothing" -- "$CHAOSGATE" list "$suite" --only team:chekout
expect_output err '--only "team:chekout": no experiment of suite' "the error names the selector that matched nothing"
expect_exit 2 "run --only matching nothing" -- "$CHAOSGATE" run --suite "$suite" --only cart-survives-redis-paus --out "$scratch/only-typo"
[[ ! -e $scratch/only-typo ]] && ok "nothing ran and no --out was made for it" || fail "run --only matching nothing made $(ls -A "$scratch/only-typo")"
expect_exit 2 "bad shard" -- "$CHAOSGATE" list "$suite" --shard 4/3
expect_exit 2 "list of a broken suite" -- "$CHAOSGATE" list examples/broken/risk-out-of-range.json
"$CHAOSGATE" list "$suite" --shard 2/3 --format json > "$scratch/shard-a.json"
"$CHAOSGATE" list "$suite" --shard 2/3 --format json > "$scratch/shard-b.json"
cmp -s "$scratch/shard-a.json" "$scratch/shard-b.json" && ok "list --shard 2/3 --format json is stable" || fail "shard output differs between runs"
for i in 1 2 3; do "$CHAOSGATE" list "$suite" --shard $i/3 --format json > "$scratch/s$i.json"; done
python3 - "$scratch"/s1.json "$scratch"/s2.json "$scratch"/s3.json <<'PY' && ok "shards partition the selection" || fail "shards overlap or miss experiments"
import json, sys
ids = [e["id"] for f in sys.argv[1:] for e in json.load(open(f))["experiments"]]
assert len(ids) == len(set(ids)) == 6, ids
PY

# schema
expect_exit 0 "schema" -- "$CHAOSGATE" schema
python3 -c "import json,sys; s=json.load(open('$scratch/out')); assert s['\$schema'].endswith('2020-12/schema')" \
  && ok "schema is JSON Schema 2020-12" || fail "schema output"

# Suites over HTTP, pinned by sha256.
port=$(free_port)
: > "$scratch/seen"
python3 "$(dirname "$0")/lib/suite_server.py" "$CHAOSGATE_SOURCE_DIR/examples" "$port" "$scratch/seen" &
pids+=($!)
wait_port "$port" || fail "suite server did not start"
url="http://127.0.0.1:$port/shop-suite.yaml"
digest=$(sha256sum "$suite" | cut -d' ' -f1)
expect_exit 0 "suite over http" -- "$CHAOSGATE" list "$url"
expect_exit 0 "pinned suite with the right digest" -- "$CHAOSGATE" list "$url" --suite-sha256 "$digest"
expect_exit 2 "pinned suite with a wrong digest" -- "$CHAOSGATE" list "$url" --suite-sha256 "${digest//a/b}"
expect_output err "digest mismatch" "mismatch is explained"
expect_exit 2 "404" -- "$CHAOSGATE" validate "http://127.0.0.1:$port/missing.yaml"
expect_output out "404" "404 is named"
expect_exit 2 "oversize response" -- timeout 30 "$CHAOSGATE" validate "http://127.0.0.1:$port/big"
start=$(now_ms)
expect_exit 3 "a URL that never answers is unreachable (exit 3)" -- timeout 60 "$CHAOSGATE" list "http://127.0.0.1:$port/slow"
[[ $(( $(now_ms) - start )) -le 45000 ]] && ok "the hang is bounded" || fail "took too long"
closed=$(free_port)
expect_exit 3 "connection refused is unreachable (exit 3)" -- "$CHAOSGATE" list "http://127.0.0.1:$closed/shop-suite.yaml"
export SUITE_AUTH="Authorization: Bearer s3cr3t-suite-token"
expect_exit 0 "auth header from an environment variable" -- "$CHAOSGATE" -v list "$url" --suite-auth-header-env SUITE_AUTH
grep -q "Bearer s3cr3t-suite-token" "$scratch/seen" && ok "the server received the header" || fail "auth header not sent"
if grep -q "s3cr3t-suite-token" "$scratch/out" "$scratch/err"; then fail "token leaked into output"; else ok "token not in output"; fi

# libcurl is loaded on the first request, not linked: commands that send
# nothing start without it, and a machine without it gets a clear exit 3.
if ldd "$CHAOSGATE" | grep -q libcurl; then fail "the binary links libcurl"; else ok "the binary does not link libcurl"; fi
expect_exit 0 "validate needs no libcurl" -- env CHAOSGATE_LIBCURL=/nonexistent/libcurl.so.4 "$CHAOSGATE" validate "$suite"
expect_exit 3 "a suite over http without libcurl is unreachable (exit 3)" -- env CHAOSGATE_LIBCURL=/nonexistent/libcurl.so.4 "$CHAOSGATE" list "$url"
expect_output err "cannot load /nonexistent/libcurl.so.4" "the missing library is named"

finish
