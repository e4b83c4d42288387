#!/usr/bin/env bash
# `chaosgate proxy` driven by the real Toxiproxy client from npm
# (toxiproxy-node-client): create a proxy, add a latency toxic and measure it
# on open and new connections, update and remove it, disable, reset, populate,
# delete. Also: a bad --config is exit 2 naming file, line and field, a bad
# --loops is exit 2, and SIGTERM stops the proxy with exit 0. The proxy runs 3
# event loops, so open and new connections live on different loops.
source "$(dirname "$0")/lib/common.sh"
cd "$CHAOSGATE_SOURCE_DIR" || exit 1
for tool in node npm; do
  command -v "$tool" > /dev/null || { fail "$tool not installed (scripts/install-deps)"; finish; exit 1; }
done

# The client goes under /tmp/chaosgate-npm/toxiproxy once (bounded in time).
npm_prefix=/tmp/chaosgate-npm/toxiproxy
if [[ ! -f $npm_prefix/node_modules/toxiproxy-node-client/package.json ]]; then
  mkdir -p "$npm_prefix"
  (cd / && timeout -k 10 300 npm install --prefix "$npm_prefix" --no-audit --no-fund --loglevel=error \
    toxiproxy-node-client@4.1.0) > "$scratch/npm.log" 2>&1 || { cat "$scratch/npm.log"; fail "npm install toxiproxy-node-client"; finish; exit 1; }
fi

# A config with a mistake: exit 2, the file, the line and the field.
printf '[\n  {"name": "redis",\n   "listen": "127.0.0.1:0"}\n]\n' > "$scratch/bad.json"
expect_exit 2 "proxy --config with a missing upstream" -- "$CHAOSGATE" proxy --config "$scratch/bad.json" --listen 127.0.0.1:0
expect_output err "bad.json:2:" "the error names the file and line"
expect_output err '[0]: missing required field "upstream"' "the error names the field"

expect_exit 2 "proxy --loops -1" -- "$CHAOSGATE" proxy --loops -1 --listen 127.0.0.1:0
expect_output err "--loops: expected 0 (one per core) or more" "the error names the option"

# A config that is fine: its proxies exist before the API answers.
echo_port=$(free_port)
config_port=$(free_port)
printf '[{"name": "from-config", "listen": "127.0.0.1:%s", "upstream": "127.0.0.1:%s"}]\n' "$config_port" "$echo_port" > "$scratch/proxies.json"
api_port=$(free_port)
"$CHAOSGATE" proxy --config "$scratch/proxies.json" --listen "127.0.0.1:$api_port" --loops 3 > "$scratch/proxy.out" 2> "$scratch/proxy.err" &
proxy_pid=$!
pids+=("$proxy_pid")
if wait_port "$api_port"; then ok "chaosgate proxy serves its API on 127.0.0.1:$api_port"; else
  fail "the control API did not come up"; cat "$scratch/proxy.err"; finish; exit 1; fi
curl -sf "http://127.0.0.1:$api_port/proxies/from-config" > "$scratch/from-config.json" \
  && grep -q "\"listen\":\"127.0.0.1:$config_port\"" "$scratch/from-config.json" \
  && ok "the config's proxy exists and listens where it said" || fail "config proxy: $(cat "$scratch/from-config.json")"
curl -sf -X DELETE "http://127.0.0.1:$api_port/proxies/from-config" && ok "config proxy deleted" || fail "DELETE from-config"

if NODE_PATH=$npm_prefix/node_modules timeout -k 5 120 node tests/e2e/lib/toxiproxy_client_check.cjs "http://127.0.0.1:$api_port" > "$scratch/node.log" 2>&1; then
  ok "toxiproxy-node-client: every step as Toxiproxy would answer"
else
  fail "toxiproxy-node-client run"
fi
sed 's/^/  | /' "$scratch/node.log"

kill -TERM "$proxy_pid"
wait "$proxy_pid"
code=$?
[[ $code -eq 0 ]] && ok "SIGTERM stops the proxy (exit 0)" || fail "SIGTERM: exit $code"
grep -q "SIGTERM: stopping the fault proxy" "$scratch/proxy.err" && ok "the stop is logged" || fail "no stop line in the log"
finish
