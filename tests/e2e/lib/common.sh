# Shared helpers for the end-to-end tests: checks that count, a scratch dir and
# processes that are always cleaned up by pid.
set -u
: "${CHAOSGATE:?path to the chaosgate binary}"
: "${CHAOSGATE_SOURCE_DIR:?path to the repository}"
passed=0
failed=0
pids=()
scratch=$(mktemp -d /tmp/chaosgate-e2e.XXXXXX)
# The scripts run in the source tree: without this, every `run` not given
# --state-dir shared <source>/.chaosgate (a developer's own tickets included),
# and one script's tickets were resolved or counted by another.
export CHAOSGATE_STATE_DIR=$scratch/default-state

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  rm -rf "$scratch"
}
trap cleanup EXIT

ok() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
source "$(dirname "${BASH_SOURCE[0]}")/process_state.sh"

# expect_exit CODE DESCRIPTION -- command...
expect_exit() {
  local want=$1 what=$2; shift 3
  "$@" > "$scratch/out" 2> "$scratch/err"
  local got=$?
  if [[ $got -eq $want ]]; then ok "$what (exit $got)"; else
    fail "$what: exit $got, wanted $want"; sed 's/^/  | /' "$scratch/out" "$scratch/err" | head -20; fi
}

# expect_output FILE TEXT DESCRIPTION: FILE (out or err) contains TEXT
expect_output() {
  if grep -qF -- "$2" "$scratch/$1"; then ok "$3"; else
    fail "$3: $1 lacks: $2"; sed 's/^/  | /' "$scratch/$1" | head -20; fi
}

# Milliseconds on the monotonic clock, for timing a step: the VM's wall clock
# (date +%s) was seen to jump ahead by 10 s and more mid-test (a "took too
# long" of over 45 s in a script ctest timed at 35 s).
now_ms() { python3 -c 'import time; print(int(time.monotonic() * 1000))'; }

# A free TCP port on 127.0.0.1 (the kernel picks it).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# Waits until 127.0.0.1:PORT accepts connections (at most 10 s).
wait_port() {
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

finish() {
  echo "$passed passed, $failed failed"
  [[ $failed -eq 0 ]]
}

# find_html_checker: sets html_checker to a command that checks HTML5 files,
# the Nu Html Checker (vnu.jar, the W3C's validator) from npm, pinned and
# installed once into the user's cache; Java comes with scripts/install-deps.
# Its one note on our pages, a trailing slash on <meta/> (kept so that the
# page is also XML the unit tests can parse), is an info, not an error.
find_html_checker() {
  local version=26.9.27
  local dir=${XDG_CACHE_HOME:-$HOME/.cache}/chaosgate/vnu-$version
  local jar=$dir/node_modules/vnu-jar/build/dist/vnu.jar
  if [[ ! -f $jar ]]; then
    mkdir -p "$dir" && (cd "$dir" && npm install --silent --no-audit --no-fund "vnu-jar@$version" >/dev/null 2>&1)
  fi
  if [[ ! -f $jar ]] || ! command -v java >/dev/null; then fail "Nu Html Checker (npm vnu-jar@$version, java) not available"; return 1; fi
  html_checker=(java -jar "$jar" --Werror --filterpattern '.*Trailing slash on void elements.*')
}

# The third-party validators (../shared/validators next to the repository, or
# $CHAOSGATE_VALIDATORS). Missing validators fail the test: they must run, not skip.
find_validators() {
  local dir
  for dir in "${CHAOSGATE_VALIDATORS:-}" "$CHAOSGATE_SOURCE_DIR/../shared/validators" /work/shared/validators; do
    if [[ -n $dir && -x $dir/validate-sarif && -x $dir/validate-junit ]]; then validators=$(cd "$dir" && pwd); return 0; fi
  done
  fail "validators not found (../shared/validators next to the repository, or set CHAOSGATE_VALIDATORS)"
  return 1
}
