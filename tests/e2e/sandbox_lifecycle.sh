#!/usr/bin/env bash
# The sandbox staging itself (scripts/sandbox): every component answers on
# loopback, Prometheus has the backends' metrics, a cart round trip works
# through nginx, the two releases differ under the same redis stall, nginx
# absorbs the loss of one backend, and stop ends exactly what start began
# without leaving files outside the sandbox directory.
set -u
: "${CHAOSGATE_SOURCE_DIR:?path to the repository}"
: "${CHAOSGATE_BUILD_DIR:?path to the build directory}"
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() {  # check DESCRIPTION -- command...: ok when the command succeeds
  local what=$1; shift 2
  if "$@"; then ok "$what"; else fail "$what"; fi
}
finish() {
  echo "$passed passed, $failed failed"
  [[ $failed -eq 0 ]]
}
source "$CHAOSGATE_SOURCE_DIR/tests/e2e/lib/process_state.sh"

# Components must write nowhere but the sandbox dir: the scripts run with an
# empty HOME, TMPDIR and working directory, checked at the end.
scratch=$(mktemp -d /tmp/chaosgate-sandbox-e2e.XXXXXX)
scratch=$(cd "$scratch" && pwd -P)
sandbox=$scratch/sandbox
mkdir -p "$scratch/home" "$scratch/tmp" "$scratch/cwd"
touch "$scratch/marker"
sandbox_cmd() {
  (cd "$scratch/cwd" && HOME=$scratch/home TMPDIR=$scratch/tmp \
    "$CHAOSGATE_SOURCE_DIR/scripts/sandbox" "$@" --dir "$sandbox" \
    --backend "$CHAOSGATE_BUILD_DIR/examples/sandbox/shop-backend")
}
foreign=()  # processes that only pose as sandbox pids: must survive every stop
cleanup() {
  sandbox_cmd stop > /dev/null 2>&1
  for pid in "${foreign[@]}"; do kill "$pid" 2>/dev/null; done
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# The whole test is bounded: a hung component must not hang ctest.
( for _ in $(seq 850); do sleep 0.1; done; echo "FAIL: sandbox_lifecycle exceeded 85 s" >&2; kill -TERM $$ ) &
watchdog=$!
foreign+=("$watchdog")

if [[ ! -x $CHAOSGATE_BUILD_DIR/examples/sandbox/shop-backend ]]; then
  fail "no shop-backend in $CHAOSGATE_BUILD_DIR (cmake --build ... --target shop-backend)"
  finish; exit 1
fi

started_pids=()
remember_pids() { local file; for file in "$sandbox"/pids/*.pid; do started_pids+=("$(cat "$file")"); done; }

start_sandbox() {  # start_sandbox RELEASE: starts, sources sandbox.env, records the pids
  local began=$SECONDS
  if ! sandbox_cmd start --release "$1" 2> "$scratch/start.log"; then
    fail "sandbox start --release $1"; sed 's/^/  | /' "$scratch/start.log"; finish; exit 1
  fi
  ok "sandbox start --release $1 ($((SECONDS - began)) s)"
  # shellcheck disable=SC1091
  source "$sandbox/sandbox.env"
  remember_pids
}

# sample URL SECONDS OUT: GET URL every 100 ms for SECONDS (each request on its
# own, 2 s timeout, like the gate's sampled probes); OUT gets "code seconds".
sample() {
  local url=$1 count requests=()
  count=$(awk -v s="$2" 'BEGIN { print int(s * 10 + 0.5) }')
  : > "$3"
  for ((i = 0; i < count; i++)); do
    curl -s -o /dev/null --max-time 2 -w '%{http_code} %{time_total}\n' "$url" >> "$3" &
    requests+=("$!")
    sleep 0.1
  done
  wait "${requests[@]}"
}
success_ratio() { awk '{ n++; if ($1 == 200) ok++ } END { printf "%.2f", (n ? ok / n : 0) }' "$1"; }
p95() { sort -n -k2 "$1" | awk '{ t[NR] = $2 } END { i = int(NR * 0.95 + 0.999); if (i < 1) i = 1; printf "%.2f", t[i] }'; }
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
below() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

# The regression scenario: redis frozen (SIGSTOP) for 1.5 s while GET
# ${SHOP_URL}/cart/demo is sampled every 100 ms during the stall.
redis_stall() {  # redis_stall OUT
  sample "$SHOP_URL/cart/demo" 1.5 "$1" &
  local sampler=$!
  sleep 0.05
  kill -STOP "$(cat "$REDIS_PIDFILE")"
  sleep 1.5
  kill -CONT "$(cat "$REDIS_PIDFILE")"
  wait "$sampler"
}

promql() {  # promql QUERY: the first value of an instant query ("" when none)
  curl -fsS --max-time 2 "$PROMETHEUS_URL/api/v1/query" --data-urlencode "query=$1" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")'
}
eventually_promql() {  # eventually_promql QUERY MIN: value >= MIN within 5 s (scrapes are 1 s apart)
  local value
  for _ in $(seq 25); do
    value=$(promql "$1" 2>/dev/null)
    [[ -n $value ]] && at_least "$value" "$2" && return 0
    sleep 0.2
  done
  echo "  | $1 = '${value}', wanted >= $2"
  return 1
}

redis_ping() ( exec 3<>"/dev/tcp/$REDIS_HOST/$REDIS_PORT" && printf 'PING\r\n' >&3 && read -r -t 2 line <&3 && [[ $line == +PONG* ]] )
body_has() { curl -fsS --max-time 2 "${@:2}" | grep -qF -- "$1"; }
loopback_only() {  # every listening socket of the sandbox's processes is on 127.0.0.1
  local pid listeners
  for pid in "${started_pids[@]}"; do
    listeners=$(ss -Hltnp 2>/dev/null | grep "pid=$pid," | awk '{print $4}')
    [[ -n $listeners ]] || continue
    if grep -qv '^127\.0\.0\.1:' <<< "$listeners"; then echo "  | pid $pid listens on: $listeners"; return 1; fi
  done
}

# 1. The good release: components, data, metrics.
start_sandbox good
for name in SHOP_URL SHOP_BACKEND_A_URL SHOP_BACKEND_B_URL SHOP_BACKEND_A_PIDFILE SHOP_BACKEND_B_PIDFILE REDIS_HOST \
            REDIS_PORT REDIS_PIDFILE PROMETHEUS_URL NGINX_PIDFILE SANDBOX_DIR SANDBOX_RELEASE; do
  [[ -n ${!name:-} ]] || fail "sandbox.env lacks $name"
done
ok "sandbox.env exports every variable"
all_running() { sandbox_cmd status > /dev/null; }
check "status: all running" -- all_running
check "redis answers PING on its own port" -- redis_ping
[[ $REDIS_PORT != 6379 ]] && ok "redis is not on the default port" || fail "redis on 6379"
check "backend a healthy and ready" -- body_has '"instance":"a"' "$SHOP_BACKEND_A_URL/ready"
check "backend b healthy and ready" -- body_has '"instance":"b"' "$SHOP_BACKEND_B_URL/ready"
check "nginx serves the catalogue" -- body_has '"Chaos monkey plush"' "$SHOP_URL/products"
check "prometheus ready" -- body_has 'Ready' "$PROMETHEUS_URL/-/ready"
check "every component listens on 127.0.0.1 only" -- loopback_only
if sandbox_cmd start --release good > /dev/null 2> "$scratch/again.log"; then fail "a second start was accepted"
else grep -q "already running" "$scratch/again.log" && ok "a second start is refused" || fail "second start: no clear message"; fi

check "cart: add an item through nginx" -- body_has '"quantity":2' -X POST -d '{"product":1,"quantity":2}' "$SHOP_URL/cart/e2e/items"
check "cart: add another through nginx" -- body_has '"quantity":1' -X POST -d '{"product":3}' "$SHOP_URL/cart/e2e/items"
check "cart: read back through nginx" -- body_has '"items":{"1":2,"3":1}' "$SHOP_URL/cart/e2e"
check "checkout" -- body_has '"items":2' -X POST -d '{"cart":"e2e"}' "$SHOP_URL/checkout"
check "bad input answers 400" -- test "$(curl -s -o /dev/null -w '%{http_code}' -X POST -d 'nope' "$SHOP_URL/cart/e2e/items")" = 400

check "prometheus scrapes both backends" -- eventually_promql 'count(up{job="shop"} == 1)' 2
check "prometheus has the cart requests" -- eventually_promql 'sum(shop_http_requests_total{route="cart",code="200"})' 1
check "prometheus has the latency histogram" -- eventually_promql 'count(shop_http_request_duration_seconds_bucket{route="products"})' 2
check "prometheus knows the release" -- eventually_promql 'count(shop_build_info{release="good"})' 2

redis_stall "$scratch/good-stall"
good_ratio=$(success_ratio "$scratch/good-stall")
echo "  good release, redis frozen 1.5 s: success ratio $good_ratio, p95 $(p95 "$scratch/good-stall") s over $(wc -l < "$scratch/good-stall") samples"
check "good release absorbs a 1.5 s redis stall (ratio $good_ratio >= 0.95)" -- at_least "$good_ratio" 0.95
check "prometheus counts the retries" -- eventually_promql 'sum(shop_redis_retries_total)' 1

# One backend lost: frozen (nginx times out on it and fails over), then killed.
kill -STOP "$(cat "$SHOP_BACKEND_A_PIDFILE")"
sample "$SHOP_URL/products" 2 "$scratch/freeze"
kill -CONT "$(cat "$SHOP_BACKEND_A_PIDFILE")"
ratio=$(success_ratio "$scratch/freeze")
echo "  backend a frozen 2 s: /products success ratio $ratio, p95 $(p95 "$scratch/freeze") s"
check "backend a frozen: nginx fails over to b (ratio $ratio >= 0.95)" -- at_least "$ratio" 0.95
kill -KILL "$(cat "$SHOP_BACKEND_A_PIDFILE")"
sample "$SHOP_URL/cart/e2e" 1 "$scratch/killed"
ratio=$(success_ratio "$scratch/killed")
echo "  backend a killed: /cart success ratio $ratio, p95 $(p95 "$scratch/killed") s"
check "backend a killed: nginx fails over to b (ratio $ratio = 1)" -- at_least "$ratio" 1
check "status reports the killed backend" -- grep -q "backend-a: not running" <(sandbox_cmd status)

check "stop" -- sandbox_cmd stop 2> /dev/null
for pid in "${started_pids[@]}"; do process_running "$pid" && fail "pid $pid survived stop"; done
ok "no process of the good sandbox is alive"

# 2. The regressing release; stale pid files (one naming a foreign live process)
# must neither block start nor get that process killed.
sleep 30 &
foreign+=("$!")
mkdir -p "$sandbox/pids" && echo "${foreign[-1]}" > "$sandbox/pids/nginx.pid"
start_sandbox regressing
check "start cleaned the stale pid file without killing its foreign pid" -- process_running "${foreign[-1]}"
check "prometheus knows the release" -- eventually_promql 'count(shop_build_info{release="regressing"})' 2
redis_stall "$scratch/bad-stall"
bad_ratio=$(success_ratio "$scratch/bad-stall")
echo "  regressing release, redis frozen 1.5 s: success ratio $bad_ratio, p95 $(p95 "$scratch/bad-stall") s over $(wc -l < "$scratch/bad-stall") samples"
check "regressing release fails under the same stall (ratio $bad_ratio < 0.8)" -- below "$bad_ratio" 0.8
check "prometheus counts the redis errors" -- eventually_promql 'sum(shop_redis_errors_total)' 1
check "prometheus sees the 5xx" -- eventually_promql 'sum(shop_http_requests_total{route="cart",code="503"})' 1
check "no retries in the regressing release" -- test "$(promql 'sum(shop_redis_retries_total)')" = 0
check "the shop recovers after the stall" -- body_has '"id":"e2e"' "$SHOP_URL/cart/e2e"

check "stop" -- sandbox_cmd stop 2> /dev/null
check "stop again (idempotent)" -- sandbox_cmd stop 2> /dev/null
for pid in "${started_pids[@]}"; do process_running "$pid" && fail "pid $pid survived stop"; done
ok "no started process is alive (${#started_pids[@]} pids)"
check "pid files removed" -- test -z "$(ls "$sandbox/pids")"
echo "${foreign[-1]}" > "$sandbox/pids/redis.pid"
sandbox_cmd stop 2> /dev/null
check "stop never kills a pid that is not the sandbox's" -- process_running "${foreign[-1]}"

# 3. Nothing outside the sandbox directory.
check "HOME, TMPDIR and the working directory stay empty" -- \
  test -z "$(find "$scratch/home" "$scratch/tmp" "$scratch/cwd" -mindepth 1 -print -quit)"
# Where the packaged programs write by default (the repository is edited
# concurrently, so it is not scanned).
stray=$(find /var/log/nginx /var/lib/nginx /var/log/redis /var/lib/redis /var/lib/prometheus /run/nginx.pid \
  /run/redis /run/prometheus -newer "$scratch/marker" 2>/dev/null)
[[ -z $stray ]] && ok "no file written outside the sandbox dir" || fail "files outside the sandbox dir: $stray"

kill "$watchdog" 2>/dev/null
finish
