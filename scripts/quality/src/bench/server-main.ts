// The overhead bench's server, in a process of its own so its work does not share the measuring
// process's event loop: `node --import tsx server-main.ts`. Answers every request with the same
// small JSON body, and GET /__bench/last with the method, URL and headers of the last other request
// (so the bench can send a raw fetch with exactly the headers a client sent). Prints
// "listening <port>" once ready; exits on SIGTERM.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const BODY = JSON.stringify({ ok: true, network: "mainnet", alias: "bench", block_height: 871234, balance_sats: 500000 });
const LAST_PATH = "/__bench/last";

let last: { method: string; url: string; headers: Record<string, string | string[] | undefined> } | undefined;

const server = createServer((req, res) => {
  if (req.url === LAST_PATH) {
    const text = JSON.stringify(last ?? null);
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  last = { method: req.method ?? "", url: req.url ?? "", headers: req.headers };
  // Drain any request body before answering, as a real server would.
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(BODY) });
    res.end(BODY);
  });
});
// Keep connections open between runs, so no run pays for reconnecting.
server.keepAliveTimeout = 120_000;
server.listen(0, "127.0.0.1", () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
