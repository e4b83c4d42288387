// Drives `chaosgate proxy` with the real Toxiproxy client from npm
// (toxiproxy-node-client) against a local TCP echo server, measuring what the
// toxics do. Usage: node toxiproxy_client_check.cjs API_URL. Exit 1 on any mismatch.
"use strict";
const net = require("net");
const { Toxiproxy } = require("toxiproxy-node-client");

const api = process.argv[2];
let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? "ok" : "FAIL"}: ${what}`);
  if (!ok) failures++;
};

function echoServer() {
  return new Promise((resolve) => {
    const server = net.createServer((socket) => socket.pipe(socket));
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

function connect(address) {
  const [host, port] = [address.slice(0, address.lastIndexOf(":")), Number(address.slice(address.lastIndexOf(":") + 1))];
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port }, () => resolve(socket));
    socket.once("error", reject);
  });
}

// One message through the socket and back: milliseconds.
function roundTrip(socket, message = "ping") {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    let seen = "";
    const onData = (chunk) => {
      seen += chunk.toString();
      if (seen.length >= message.length) {
        socket.off("data", onData);
        if (seen !== message) reject(new Error(`echo mismatch: ${seen}`));
        resolve(Number(process.hrtime.bigint() - start) / 1e6);
      }
    };
    socket.on("data", onData);
    socket.write(message);
    setTimeout(() => reject(new Error("no echo within 5 s")), 5000).unref();
  });
}

async function median(socket, n = 5) {
  const times = [];
  for (let i = 0; i < n; i++) times.push(await roundTrip(socket));
  times.sort((a, b) => a - b);
  return times[Math.floor(n / 2)];
}

async function rejects(promise) {
  try {
    await promise;
    return false;
  } catch (e) {
    return true;
  }
}

async function main() {
  const echo = await echoServer();
  const upstream = `127.0.0.1:${echo.address().port}`;
  const toxiproxy = new Toxiproxy(api);

  const version = await toxiproxy.getVersion();
  check(version.includes("chaosgate"), `getVersion answers (${version.trim()})`);

  const proxy = await toxiproxy.createProxy({ name: "echo", listen: "127.0.0.1:0", upstream });
  check(proxy.name === "echo" && proxy.upstream === upstream && proxy.enabled === true, "createProxy returns the proxy");
  check(/^127\.0\.0\.1:[1-9][0-9]*$/.test(proxy.listen), `listen is the bound address (${proxy.listen})`);
  check(await rejects(toxiproxy.createProxy({ name: "echo", listen: "127.0.0.1:0", upstream })), "a second createProxy of the same name is refused (409)");

  const open = await connect(proxy.listen);
  const base = await median(open);
  check(base < 50, `no toxic: round trip ${base.toFixed(2)} ms`);

  const toxic = await proxy.addToxic({ type: "latency", attributes: { latency: 200, jitter: 0 } });
  check(toxic.name === "latency_downstream" && toxic.stream === "downstream" && toxic.toxicity === 1, "addToxic: Toxiproxy's defaults (name, stream, toxicity)");
  check(toxic.attributes.latency === 200 && toxic.attributes.jitter === 0, "addToxic: attributes echoed");
  const onOpen = await median(open);
  check(onOpen >= 195 && onOpen < 400, `latency 200 ms on the connection opened before the toxic: ${onOpen.toFixed(1)} ms`);
  const fresh = await connect(proxy.listen);
  const onFresh = await median(fresh);
  check(onFresh >= 195 && onFresh < 400, `latency 200 ms on a new connection: ${onFresh.toFixed(1)} ms`);

  const fetched = await proxy.getToxic("latency_downstream");
  check(fetched.attributes.latency === 200, "getToxic reads it back");
  const updated = await fetched.update({ attributes: { latency: 300 } });
  check(updated.attributes.latency === 300, "toxic.update changes the attributes");
  const onUpdated = await median(fresh, 3);
  check(onUpdated >= 295, `updated latency applies: ${onUpdated.toFixed(1)} ms`);

  await updated.remove();
  const removed = await median(open);
  check(removed < 50, `toxic removed: round trip back to ${removed.toFixed(2)} ms`);
  check(await rejects(proxy.getToxic("latency_downstream")), "getToxic of a removed toxic fails (404)");

  await proxy.addToxic({ type: "latency", name: "again", attributes: { latency: 150 } });
  const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream });
  check(disabled.enabled === false, "update enabled=false");
  check(await rejects(connect(proxy.listen)), "a disabled proxy refuses connections");
  await toxiproxy.reset();
  const afterReset = await toxiproxy.get("echo");
  check(afterReset.enabled === true, "reset enables the proxy again");
  const resetSocket = await connect(afterReset.listen);
  const afterResetMs = await median(resetSocket);
  check(afterResetMs < 50, `reset removed every toxic: ${afterResetMs.toFixed(2)} ms`);
  check(await rejects(proxy.getToxic("again")), "the toxic is gone after reset");

  const populated = await toxiproxy.populate([
    { name: "echo", listen: afterReset.listen, upstream },
    { name: "second", listen: "127.0.0.1:0", upstream },
  ]);
  check(Object.keys(populated).sort().join(",") === "echo,second", "populate returns every proxy");
  const all = await toxiproxy.getAll();
  check(Object.keys(all).sort().join(",") === "echo,second", "getAll lists both");

  for (const s of [open, fresh, resetSocket]) s.destroy();
  await (await toxiproxy.get("second")).remove();
  await proxy.remove();
  check(await rejects(toxiproxy.get("echo")), "a deleted proxy is gone (404)");
  check(Object.keys(await toxiproxy.getAll()).length === 0, "no proxy left");
  echo.close();
}

main()
  .catch((e) => {
    console.log(`FAIL: ${e.stack || e}`);
    failures++;
  })
  .finally(() => process.exit(failures === 0 ? 0 : 1));
