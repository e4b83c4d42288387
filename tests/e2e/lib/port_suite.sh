# A TCP listener on 127.0.0.1 (cleaned up by pid with the rest) and a JSON
# suite of experiments whose steady state is that its port answers: each
# a `true` fault with a `true` rollback, on six targets, every fifth on two.

# start_port_listener: sets `port`; the listener accepts and closes.
start_port_listener() {
  local port_file=$scratch/listener.port
  python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(64)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
while True:
    c, _ = s.accept(); c.close()
' "$port_file" &
  pids+=($!)
  for _ in $(seq 100); do [[ -s $port_file ]] && break; sleep 0.1; done
  port=$(cat "$port_file")
}

# write_port_suite PATH PORT COUNT
write_port_suite() {
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
path, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
experiments = [{
    "id": "e%02d" % i, "title": "experiment %d" % i, "service": "svc", "hypothesis": "the port answers",
    "incidentCategory": "cat", "attackGroup": "application", "risk": {"likelihood": 2, "impact": 3},
    "status": "promoted", "followUp": ["look"], "targets": ["t%d" % (i % 6)] + (["t%d" % ((i + 1) % 6)] if i % 5 == 0 else []),
    "steadyState": [{"name": "port", "tcp": {"host": "127.0.0.1", "port": port}}],
    "method": [{"name": "fault", "command": {"argv": ["true"]}, "fault": True,
                "rollback": {"name": "undo", "command": {"argv": ["true"]}}}],
} for i in range(count)]
suite = {"apiVersion": "chaosgate/v1", "name": "port-suite", "version": "1",
         "catalog": {"teams": [{"id": "team", "name": "Team"}], "services": [{"id": "svc", "owner": "team"}],
                     "incidentCategories": [{"id": "cat", "title": "Category"}]},
         "experiments": experiments}
json.dump(suite, open(path, "w"))
PY
}
