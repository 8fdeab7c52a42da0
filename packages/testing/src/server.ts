// The mock's real HTTP server: node:http on 127.0.0.1, every socket and timer tracked so close()
// leaves nothing behind, and the socket-level ways of answering (or not) that faults need.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { MockError } from "./errors.js";
import type { Fault } from "./faults.js";

/** An answer about to be sent. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  /** JSON value, text, or undefined for no body. */
  body: unknown;
}

export interface HttpServer {
  url: string;
  port: number;
  /** A timer that close() clears. */
  later(ms: number, fn: () => void): void;
  close(): Promise<void>;
}

export async function startHttpServer(handler: (req: IncomingMessage, res: ServerResponse) => void, port: number): Promise<HttpServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer(handler);
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  // A client that goes away mid-request is an ordinary event for a fault-injecting server.
  server.on("clientError", (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") reject(new MockError(`createMock: port ${port} on 127.0.0.1 is in use; pass another { port }, or none for a free one`));
      else if (error.code === "EACCES") reject(new MockError(`createMock: not allowed to listen on port ${port} (ports below 1024 need privileges); pass another { port }`));
      else reject(error);
    });
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    later(ms, fn) {
      if (closing) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, ms);
      timers.add(timer);
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}

/** The body as bytes; resolves with what arrived even if the client goes away. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", () => resolve(Buffer.concat(chunks)));
    req.on("close", () => resolve(Buffer.concat(chunks)));
  });
}

/** Prism's server answers every request with these when CORS is on, as it is by default. */
export function corsHeaders(requestHeaders: Record<string, string>): Record<string, string> {
  return {
    "access-control-allow-origin": requestHeaders.origin ?? "*",
    "access-control-allow-headers": requestHeaders["access-control-request-headers"] ?? "*",
    "access-control-allow-credentials": "true",
    "access-control-expose-headers": requestHeaders["access-control-expose-headers"] ?? "*",
  };
}

/** The bytes of an answer and its content type. */
export function serialize(answer: Answer): { text: string | undefined; contentType: string | undefined } {
  const declared = Object.entries(answer.headers).find(([name]) => name.toLowerCase() === "content-type")?.[1];
  if (answer.body === undefined) return { text: undefined, contentType: declared };
  if (typeof answer.body === "string" && declared !== undefined && !/json/i.test(declared)) return { text: answer.body, contentType: declared };
  return { text: JSON.stringify(answer.body), contentType: declared ?? "application/json" };
}

export function send(res: ServerResponse, answer: Answer, override: { contentType?: string; text?: string } = {}): void {
  if (res.destroyed || res.headersSent) return;
  const serialized = serialize(answer);
  const text = override.text ?? serialized.text;
  const headers = withoutContentType(answer.headers);
  const contentType = override.contentType ?? serialized.contentType;
  if (contentType !== undefined && text !== undefined) headers["content-type"] = contentType;
  headers["content-length"] = String(text === undefined ? 0 : Buffer.byteLength(text));
  res.writeHead(answer.status, headers);
  res.end(text);
}

const HTML_ERROR_PAGE = "<html><body><h1>502 Bad Gateway</h1><p>The upstream server did not answer.</p></body></html>";

/**
 * Sends `answer` through a fault. `hangMs` bounds hang and stall-body; `later` schedules on the
 * server's tracked timers. Returns the status sent, or undefined when no status line went out.
 */
export function sendThrough(fault: Fault | undefined, res: ServerResponse, answer: Answer, options: { hangMs: number; later: HttpServer["later"]; echo: () => unknown; requestHeaders: Record<string, string>; statusBody: (status: number) => unknown }): number | undefined {
  const drop = () => res.socket?.destroy();
  switch (fault?.kind) {
    case undefined:
      send(res, answer);
      return answer.status;
    case "delay":
      options.later(fault.ms, () => send(res, answer));
      return answer.status;
    case "reset-before-body":
    case "reset-after-body":
      drop();
      return undefined;
    case "hang":
      options.later(options.hangMs, drop);
      return undefined;
    case "status": {
      const retryAfter = fault.retryAfter === undefined ? {} : { "retry-after": String(fault.retryAfter) };
      const body = fault.body !== undefined ? fault.body : (options.statusBody(fault.status) ?? { error: `injected ${fault.status}` });
      send(res, { status: fault.status, headers: { ...pick(answer.headers, /^access-control-/), ...retryAfter, "content-type": "application/json" }, body });
      return fault.status;
    }
    case "truncated": {
      const text = serialize(answer).text ?? JSON.stringify({ truncated: true });
      res.writeHead(answer.status, { ...withoutContentType(answer.headers), "content-type": serialize(answer).contentType ?? "application/json", "content-length": String(Buffer.byteLength(text)) });
      res.write(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
      options.later(5, drop);
      return answer.status;
    }
    case "not-json":
      send(res, answer, { contentType: "text/html", text: HTML_ERROR_PAGE });
      return answer.status;
    case "wrong-content-type":
      send(res, answer, { contentType: "text/html", text: serialize(answer).text ?? "" });
      return answer.status;
    case "stall-body": {
      const text = serialize(answer).text ?? "{}";
      res.writeHead(answer.status, { ...withoutContentType(answer.headers), "content-type": "application/json", "content-length": String(Math.max(Buffer.byteLength(text), 2)) });
      res.write(text.slice(0, 1));
      options.later(options.hangMs, drop);
      return answer.status;
    }
    case "body": {
      const status = fault.status ?? answer.status;
      send(res, { status, headers: { ...pick(answer.headers, /^access-control-/), "content-type": "application/json" }, body: fault.body });
      return status;
    }
    case "echo": {
      const echoed = options.echo();
      const echoHeaders: Record<string, string> = {};
      for (const [name, value] of Object.entries(options.requestHeaders)) {
        if (/^[\t\x20-\x7e]*$/.test(value)) echoHeaders[`x-echo-${name}`] = value;
      }
      if (fault.contentType && !/json/i.test(fault.contentType)) {
        send(res, { status: fault.status, headers: { ...echoHeaders, "content-type": fault.contentType }, body: `<pre>${JSON.stringify(echoed)}</pre>` });
      } else {
        send(res, { status: fault.status, headers: { ...echoHeaders, "content-type": "application/json" }, body: { error: "echo", message: JSON.stringify(echoed), ...(echoed as object) } });
      }
      return fault.status;
    }
  }
}

function withoutContentType(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== "content-type" && name.toLowerCase() !== "content-length"));
}

function pick(headers: Record<string, string>, pattern: RegExp): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => pattern.test(name)));
}
