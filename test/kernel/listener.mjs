// A scenario listener on the real kernel, started inside a namespace by materialize.ts:
//
//   ip netns exec <ns> node listener.mjs <http|tcp|udp> <port> <addr> <body>
//
//   http  answers any HTTP request with status 200 and <body>
//   tcp   writes <body> on accept, then closes
//   udp   answers each datagram with <body>
//
// Prints "listening <kind> <addr>:<port>" on stdout once bound, so the harness knows when the
// world is ready; any error is printed on stderr and ends the process with exit code 1.
import { createServer as createHttpServer } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { createSocket } from "node:dgram";

const [kind, portText, addr, body = ""] = process.argv.slice(2);
const port = Number(portText);

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
    res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
  });
  server.keepAliveTimeout = 1000;
  server.on("error", die);
  server.listen(port, addr, ready);
} else if (kind === "tcp") {
  const server = createTcpServer((sock) => {
    sock.on("error", () => {});
    sock.end(body);
  });
  server.on("error", die);
  server.listen(port, addr, ready);
} else if (kind === "udp") {
  const sock = createSocket("udp4");
  sock.on("error", die);
  sock.on("message", (_msg, rinfo) => {
    sock.send(body, rinfo.port, rinfo.address);
  });
  sock.bind(port, addr, ready);
} else {
  die(new Error(`unknown listener kind ${kind}`));
}
