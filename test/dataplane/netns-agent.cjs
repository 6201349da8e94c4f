// The process the data-plane test runs inside its network namespaces (`ip netns exec NS node
// netns-agent.cjs ...`). Plain CommonJS so it starts fast without a TypeScript loader.
//
//   serve NAME TTL_MS PORT...       a TCP echo server on every PORT (all addresses). Each connection
//                                   gets one line `NAME LOCALPORT REMOTEADDRESS` and is closed, so the
//                                   test sees which pod answered, on which port after DNAT, and from
//                                   which source address the pod saw it (masquerade or not). Prints
//                                   `ready` once every port listens; exits by itself after TTL_MS so a
//                                   crashed test run cannot leave it behind for long.
//   probe HOST PORT COUNT TIMEOUT_MS DEADLINE_MS
//                                   COUNT sequential connections (each a new source port, hence a new
//                                   conntrack entry and a new load-balancing decision), each bounded
//                                   by TIMEOUT_MS; none is started after DEADLINE_MS, so a broken data
//                                   path costs seconds, not COUNT timeouts. Prints one JSON line: an
//                                   array with, per connection, `{reply}` (the server's line) or
//                                   `{error}` (errno code, `timeout`, or `deadline` when not attempted).
'use strict';
const net = require('node:net');

const [mode, ...args] = process.argv.slice(2);
if (mode === 'serve') serve(args);
else if (mode === 'probe') probe(args).catch((err) => {
  process.stderr.write(`probe failed: ${err && err.stack}\n`);
  process.exit(2);
});
else {
  process.stderr.write('usage: netns-agent.cjs serve NAME TTL_MS PORT... | probe HOST PORT COUNT TIMEOUT_MS DEADLINE_MS\n');
  process.exit(2);
}

function serve([name, ttlText, ...portTexts]) {
  const ttl = Number(ttlText);
  const ports = portTexts.map(Number);
  if (!name || !(ttl > 0) || ports.length === 0 || ports.some((p) => !(p > 0 && p < 65536))) {
    process.stderr.write('serve: bad arguments\n');
    process.exit(2);
  }
  setTimeout(() => process.exit(0), ttl);
  process.on('SIGTERM', () => process.exit(0));
  let listening = 0;
  for (const port of ports) {
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.end(`${name} ${socket.localPort} ${socket.remoteAddress}\n`);
    });
    server.on('error', (err) => {
      process.stderr.write(`serve ${name}:${port}: ${err.message}\n`);
      process.exit(1);
    });
    server.listen(port, '0.0.0.0', () => {
      listening += 1;
      if (listening === ports.length) process.stdout.write('ready\n');
    });
  }
}

async function probe([host, portText, countText, timeoutText, deadlineText]) {
  const port = Number(portText);
  const count = Number(countText);
  const timeoutMs = Number(timeoutText);
  const deadlineMs = Number(deadlineText);
  if (!host || !(port > 0) || !(count > 0 && count <= 1000) || !(timeoutMs > 0 && timeoutMs <= 10000) || !(deadlineMs > 0 && deadlineMs <= 60000)) {
    process.stderr.write('probe: bad arguments\n');
    process.exit(2);
  }
  const deadline = Date.now() + deadlineMs;
  const results = [];
  for (let i = 0; i < count; i++) {
    results.push(Date.now() < deadline ? await connectOnce(host, port, timeoutMs) : { error: 'deadline' });
  }
  process.stdout.write(JSON.stringify(results) + '\n');
}

function connectOnce(host, port, timeoutMs) {
  return new Promise((resolve) => {
    let data = '';
    let settled = false;
    const socket = net.connect({ host, port });
    const finish = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ error: 'timeout' }), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (data += chunk));
    socket.on('end', () => finish(data.trim() ? { reply: data.trim() } : { error: 'empty reply' }));
    socket.on('error', (err) => finish({ error: err.code || err.message }));
  });
}
