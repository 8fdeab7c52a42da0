// A fault-injection server: a real node:http server on loopback that answers a spec's operations
// with their documented examples, or with the failure a test scripts for each request. Every
// request is recorded with the call it belongs to (the x-fault-call header) and the fault it got.
//
// Bounded, so a client bug cannot hang a test run: a hang ends (the socket is destroyed) after
// maxHangMs, and requests beyond maxRequests get HTTP 418 and count as over budget.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { documentedResponses } from "./contract.js";
import { loadAndValidateSpec } from "./spec.js";
import { listenOnLoopback } from "./test-server.js";

export type Fault =
  /** The operation's documented 2xx answer. */
  | { kind: "ok" }
  /** Wait, then answer as "ok". */
  | { kind: "delay"; ms: number }
  /** Drop the connection as soon as the request line and headers arrive, body unread. */
  | { kind: "reset-before-body" }
  /** Read the whole request, then drop the connection without answering. */
  | { kind: "reset-after-body" }
  /** Answer this status (5xx, 429...), with Retry-After when given. */
  | { kind: "status"; status: number; retryAfter?: string; body?: unknown }
  /** Send headers and half the example body, then drop the connection. */
  | { kind: "truncated" }
  /** HTTP 200 with an HTML page. */
  | { kind: "not-json" }
  /** HTTP 200 with the example as JSON, labelled text/html. */
  | { kind: "wrong-content-type" }
  /** HTTP 200 with this body instead of the example. */
  | { kind: "body"; body: unknown }
  /** Read the request and never answer (until maxHangMs). */
  | { kind: "hang" }
  /** Headers sent, then the body never finishes (until maxHangMs). */
  | { kind: "stall-body" }
  /** Answer `status` with everything the request carried (headers, query, body) copied into the body and into response headers: a server that echoes secrets. */
  | { kind: "echo"; status: number; contentType?: string };

export type FaultKind = Fault["kind"];

export interface FaultRequest {
  /** 1 for the first request this server received. */
  index: number;
  /** The x-fault-call header: which test call this request belongs to. */
  callId: string | undefined;
  operationId: string | undefined;
  method: string;
  /** Path and query. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** undefined when the fault dropped the connection before the body was read. */
  body: string | undefined;
  /** performance.now() when the request's headers arrived. */
  receivedAt: number;
  fault: FaultKind;
}

export interface FaultServerOptions {
  /** The spec whose operations are served (their documented 2xx examples answer "ok"). */
  specFile: string;
  /** Chooses the fault for each request. Default: per-call scripts set with `script`, else "ok". */
  plan?: (request: Omit<FaultRequest, "fault" | "body">, attempt: number) => Fault;
  maxRequests?: number;
  maxHangMs?: number;
}

export interface FaultServer {
  url: string;
  requests: FaultRequest[];
  /** The faults for a call's attempts, in order; attempts past the end get "ok". */
  script(callId: string, faults: Fault[]): void;
  /** The requests that carried this call id. */
  requestsFor(callId: string): FaultRequest[];
  /** Resolves when the next request of this call has arrived (its headers, at least). */
  arrived(callId: string): Promise<FaultRequest>;
  /** Faults injected, by kind ("ok" not counted). */
  faultCounts(): Record<string, number>;
  overBudget: number;
  close(): Promise<void>;
}

export const CALL_HEADER = "x-fault-call";

interface Route {
  operationId: string;
  method: string;
  pattern: RegExp;
  status: number;
  example: unknown;
}

export async function startFaultServer(options: FaultServerOptions): Promise<FaultServer> {
  const maxRequests = options.maxRequests ?? 20_000;
  const maxHangMs = options.maxHangMs ?? 30_000;
  const routes = routesOf(options.specFile);
  const scripts = new Map<string, Fault[]>();
  const attempts = new Map<string, number>();
  const waiters = new Map<string, ((r: FaultRequest) => void)[]>();
  const requests: FaultRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let overBudget = 0;

  const plan = options.plan ?? ((request: { callId: string | undefined }, attempt: number): Fault =>
    (request.callId && scripts.get(request.callId)?.[attempt]) || { kind: "ok" });

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const server = createServer((req, res) => {
    const receivedAt = performance.now();
    const callId = header(req, CALL_HEADER);
    const path = (req.url ?? "").split("?")[0]!;
    const route = routes.find((r) => r.method === req.method && r.pattern.test(path));
    const attempt = callId ? (attempts.get(callId) ?? 0) : 0;
    if (callId) attempts.set(callId, attempt + 1);
    const base = { index: requests.length + 1, callId, operationId: route?.operationId, method: req.method ?? "", url: req.url ?? "", headers: req.headers, receivedAt };
    if (requests.length >= maxRequests) {
      overBudget++;
      return void sendJson(res, 418, { faultServer: "request budget exhausted" });
    }
    const fault = plan(base, attempt);
    const record: FaultRequest = { ...base, body: undefined, fault: fault.kind };
    requests.push(record);
    const notify = () => {
      const list = callId ? waiters.get(callId) : undefined;
      if (list?.length) list.shift()!(record);
    };
    if (fault.kind === "reset-before-body") {
      notify();
      return void req.socket.destroy();
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("error", () => {});
    req.on("end", () => {
      record.body = Buffer.concat(chunks).toString("utf8");
      notify();
      answer(fault, record, route, res);
    });
  });

  function answer(fault: Fault, record: FaultRequest, route: Route | undefined, res: ServerResponse): void {
    const okStatus = route?.status ?? 200;
    const example = route?.example;
    switch (fault.kind) {
      case "ok":
        return sendExample(res, okStatus, example);
      case "delay":
        return later(fault.ms, () => sendExample(res, okStatus, example));
      case "reset-after-body":
        return void res.socket?.destroy();
      case "status":
        return sendJson(res, fault.status, fault.body ?? { error: `injected ${fault.status}` }, fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter });
      case "truncated": {
        const text = JSON.stringify(example ?? { truncated: true });
        res.writeHead(okStatus, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
        res.write(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
        return later(5, () => res.socket?.destroy());
      }
      case "not-json":
        return sendText(res, 200, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>");
      case "wrong-content-type":
        return sendText(res, okStatus, "text/html", JSON.stringify(example ?? {}));
      case "body":
        return sendJson(res, 200, fault.body);
      case "hang":
        return later(maxHangMs, () => res.socket?.destroy());
      case "stall-body":
        res.writeHead(okStatus, { "content-type": "application/json", "content-length": 1000 });
        res.write("{");
        return later(maxHangMs, () => res.socket?.destroy());
      case "echo": {
        const echoed = { headers: record.headers, url: record.url, body: record.body };
        const echoHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(record.headers)) {
          if (typeof value === "string" && /^[\t\x20-\x7e]*$/.test(value)) echoHeaders[`x-echo-${name}`] = value;
        }
        if (fault.contentType && fault.contentType !== "application/json") {
          return sendText(res, fault.status, fault.contentType, `<pre>${JSON.stringify(echoed)}</pre>`, echoHeaders);
        }
        return sendJson(res, fault.status, { error: "echo", message: JSON.stringify(echoed), ...echoed }, echoHeaders);
      }
    }
  }

  const listening = await listenOnLoopback(server);

  return {
    url: listening.url,
    requests,
    script(callId, faults) {
      scripts.set(callId, faults);
    },
    requestsFor(callId) {
      return requests.filter((r) => r.callId === callId);
    },
    arrived(callId) {
      return new Promise((resolve) => {
        const list = waiters.get(callId) ?? [];
        list.push(resolve);
        waiters.set(callId, list);
      });
    },
    faultCounts() {
      const counts: Record<string, number> = {};
      for (const r of requests) if (r.fault !== "ok") counts[r.fault] = (counts[r.fault] ?? 0) + 1;
      return counts;
    },
    get overBudget() {
      return overBudget;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return listening.close();
    },
  };
}

/** Each operation's path as a pattern and its first documented 2xx answer. */
function routesOf(specFile: string): Route[] {
  const loaded = loadAndValidateSpec(specFile);
  if (!loaded.ok) throw new Error(`${specFile}: ${loaded.problems.map((p) => p.message).join("; ")}`);
  const responses = documentedResponses(specFile);
  const routes = loaded.spec.operations.map(({ operationId, method, path }) => {
    const ok = responses.find((r) => r.operationId === operationId && r.status >= 200 && r.status < 300);
    const pattern = new RegExp(`^${path.split(/\{[^}]+\}/).map(escapeRegExp).join("[^/]+")}$`);
    return { operationId, method: method.toUpperCase(), pattern, status: ok?.status ?? 200, example: ok?.example };
  });
  // Literal paths before templated ones, so /payments/list is not taken for /payments/{id}.
  return routes.sort((a, b) => templated(a) - templated(b));
}

function templated(route: Route): number {
  return route.pattern.source.includes("[^/]+") ? 1 : 0;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendExample(res: ServerResponse, status: number, example: unknown): void {
  if (example === undefined || status === 204) {
    res.writeHead(status, { "content-length": 0 });
    return void res.end();
  }
  sendJson(res, status, example);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendText(res, status, "application/json", JSON.stringify(body), headers);
}

function sendText(res: ServerResponse, status: number, contentType: string, text: string, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { ...headers, "content-type": contentType, "content-length": Buffer.byteLength(text) });
  res.end(text);
}
