// A raw HTTP client for looking at what a mock does at the socket: the status line, headers, the
// bytes that arrived, and how the connection ended.
import { request } from "node:http";

export interface RawResult {
  status: number | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** The body bytes that arrived, as text. */
  body: string;
  /** How the exchange ended: "complete", or the socket error ("ECONNRESET", "aborted"...). */
  ended: string;
  ms: number;
}

export function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let status: number | undefined;
    let headers: RawResult["headers"] = {};
    let body = "";
    let settled = false;
    const done = (ended: string) => {
      if (settled) return;
      settled = true;
      resolve({ status, headers, body, ended, ms: performance.now() - started });
    };
    const req = request(url, { method: options.method ?? "GET", headers: { ...(options.body !== undefined && { "content-type": "application/json" }), ...options.headers }, agent: false }, (res) => {
      status = res.statusCode;
      headers = res.headers;
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => done(res.complete ? "complete" : "aborted"));
      res.on("aborted", () => done("aborted"));
      res.on("error", (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
      res.on("close", () => done(res.complete ? "complete" : "aborted"));
    });
    req.on("error", (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    req.end(options.body);
  });
}
