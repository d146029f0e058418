// A scenario listener on the real kernel, started inside a namespace by materialize.ts:
//
//   ip netns exec <ns> node listener.mjs <http|tcp|udp> <port> <addr> <body>
//
//   http  answers any HTTP request with status 200 and <body>
//   tcp   writes <body> on accept, then closes
//   udp   answers each datagram with <body>
//
// <body> may name what the answering socket sees, substituted per connection / datagram:
//   {peer} {peer_ip}    the remote address:port (getpeername of the accepted socket; the
//                       datagram's source for udp) — after any NAT on the way
//   {local} {local_ip}  the local address:port (getsockname of the accepted socket; for udp the
//                       bound socket's address, 0.0.0.0 when bound to any)
//
// Prints "listening <kind> <addr>:<port>" on stdout once bound, so the harness knows when the
// world is ready; any error is printed on stderr and ends the process with exit code 1.
import { createServer as createHttpServer } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { createSocket } from "node:dgram";

const [kind, portText, addr, body = ""] = process.argv.slice(2);
const port = Number(portText);

/** <body> with the placeholders filled in for one connection or datagram. */
function expand(text, peerIp, peerPort, localIp, localPort) {
  return text.replace(/\{(peer|peer_ip|local|local_ip)\}/g, (_m, key) => {
    if (key === "peer") return `${peerIp}:${peerPort}`;
    if (key === "peer_ip") return String(peerIp);
    if (key === "local") return `${localIp}:${localPort}`;
    return String(localIp);
  });
}

function ready() {
  process.stdout.write(`listening ${kind} ${addr}:${port}\n`);
}

function die(err) {
  process.stderr.write(`listener ${kind} ${addr}:${port}: ${err && err.message ? err.message : String(err)}\n`);
  process.exit(1);
}

if (!Number.isInteger(port) || port <= 0 || port > 65535 || !addr) {
  die(new Error("usage: listener.mjs <http|tcp|udp> <port> <addr> <body>"));
}

process.on("SIGTERM", () => process.exit(0));

if (kind === "http") {
  const server = createHttpServer((req, res) => {
    req.resume();
    // No Date header: `curl -i` output must not change from one second to the next.
    res.sendDate = false;
    const s = req.socket;
    const text = expand(body, s.remoteAddress, s.remotePort, s.localAddress, s.localPort);
    res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  });
  server.keepAliveTimeout = 1000;
  server.on("error", die);
  server.listen(port, addr, ready);
} else if (kind === "tcp") {
  const server = createTcpServer((sock) => {
    sock.on("error", () => {});
    sock.end(expand(body, sock.remoteAddress, sock.remotePort, sock.localAddress, sock.localPort));
  });
  server.on("error", die);
  server.listen(port, addr, ready);
} else if (kind === "udp") {
  const sock = createSocket("udp4");
  sock.on("error", die);
  sock.on("message", (_msg, rinfo) => {
    const local = sock.address();
    sock.send(expand(body, rinfo.address, rinfo.port, local.address, local.port), rinfo.port, rinfo.address);
  });
  sock.bind(port, addr, ready);
} else {
  die(new Error(`unknown listener kind ${kind}`));
}
