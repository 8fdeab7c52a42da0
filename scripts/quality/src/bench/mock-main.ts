// The mock bench's child process: `node --import tsx mock-main.ts <mode> <arg>`.
//   ready <spec file>: start a mock in this fresh process (Prism loaded from cold), print how long
//          until it listened, then a second one in the same process (warm), then how long close() took.
//   serve <spec file>: start a mock and print "listening <port>"; stop on SIGTERM.
//   proxy <url>: a node:http front server relaying every request to <url> (the design that runs
//          Prism as a child process behind our own server); print "listening <port>".
// Imports @satbind/testing as built (dist), the way a user's test would.
import { request, createServer, Agent } from "node:http";
import type { AddressInfo } from "node:net";

const started = performance.now();
const [mode, arg] = process.argv.slice(2);
if (!arg || !["ready", "serve", "proxy"].includes(mode ?? "")) {
  console.error("usage: mock-main.ts ready|serve <spec file> | proxy <url>");
  process.exit(2);
}
if (mode === "ready") {
  const { createMock } = await import("@satbind/testing");
  const cold = await createMock(arg);
  const coldMs = performance.now() - started;
  const warmStart = performance.now();
  const warm = await createMock(arg);
  const warmMs = performance.now() - warmStart;
  const closeStart = performance.now();
  await cold.close();
  await warm.close();
  const closeMs = (performance.now() - closeStart) / 2;
  console.log(`MOCK-READY ${JSON.stringify({ coldMs, warmMs, closeMs })}`);
} else if (mode === "serve") {
  const { createMock } = await import("@satbind/testing");
  const mock = await createMock(arg);
  console.log(`listening ${mock.port}`);
  process.on("SIGTERM", () => void mock.close().then(() => process.exit(0)));
} else {
  const target = new URL(arg);
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req, res) => {
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.socket?.destroy());
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 120_000;
  server.listen(0, "127.0.0.1", () => console.log(`listening ${(server.address() as AddressInfo).port}`));
  process.on("SIGTERM", () => {
    server.closeAllConnections();
    agent.destroy();
    server.close(() => process.exit(0));
  });
}
