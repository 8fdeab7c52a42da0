// The failures a mock can inject, each at the socket level of a real HTTP server: what a network,
// a proxy or a broken server does to an answer. Faults apply to every request (valid or not): they
// happen before or around the server's answer, not instead of Prism's verdict.
import { MockError } from "./errors.js";

export type Fault =
  /** Wait `ms`, then answer as usual. */
  | { kind: "delay"; ms: number }
  /** Drop the connection as soon as the request line and headers arrive, body unread. */
  | { kind: "reset-before-body" }
  /** Read the whole request, then drop the connection without answering. */
  | { kind: "reset-after-body" }
  /** Answer this status instead (any status: a proxy's 502, a 429...). The body is the spec's example for that status when it documents one. */
  | { kind: "status"; status: number; retryAfter?: string | number; body?: unknown }
  /** Send the headers and half the body, then drop the connection. */
  | { kind: "truncated" }
  /** Answer with an HTML page (a proxy's error page) instead of JSON, same status. */
  | { kind: "not-json" }
  /** Answer the JSON as usual, labelled text/html. */
  | { kind: "wrong-content-type" }
  /** Read the request and never answer; the connection is dropped after the mock's `hangMs`. */
  | { kind: "hang" }
  /** Send the headers and the first byte of the body, then nothing until `hangMs`, then drop. */
  | { kind: "stall-body" }
  /** Answer this body unchecked, with the usual status or `status`: a server that breaks its spec. */
  | { kind: "body"; body: unknown; status?: number }
  /** Answer `status` with everything the request carried (headers, URL, body) copied into the body and into `x-echo-*` headers: a server that echoes secrets. */
  | { kind: "echo"; status: number; contentType?: string };

export type FaultKind = Fault["kind"];

export const FAULT_KINDS: readonly FaultKind[] = [
  "delay",
  "reset-before-body",
  "reset-after-body",
  "status",
  "truncated",
  "not-json",
  "wrong-content-type",
  "hang",
  "stall-body",
  "body",
  "echo",
];

/** Faults after which the answer (a queued `replyOnce`) has been sent, at least in part. */
export const ANSWER_IS_SENT: ReadonlySet<FaultKind> = new Set(["delay", "truncated", "wrong-content-type", "stall-body"]);

/** Checks a fault given at run time (JavaScript callers, computed values); throws naming what is wrong. */
export function checkFault(fault: unknown, where: string): Fault {
  const kinds = FAULT_KINDS.join(", ");
  if (typeof fault === "string") {
    const hint = (FAULT_KINDS as readonly string[]).includes(fault) ? `; pass { kind: "${fault}" }` : `; kinds: ${kinds}`;
    throw new MockError(`${where}: a fault is an object { kind, ... }, got the string "${fault}"${hint}`);
  }
  if (typeof fault !== "object" || fault === null || typeof (fault as { kind?: unknown }).kind !== "string") {
    throw new MockError(`${where}: a fault is an object { kind, ... }; kinds: ${kinds}`);
  }
  const f = fault as Record<string, unknown> & { kind: string };
  if (!(FAULT_KINDS as readonly string[]).includes(f.kind)) throw new MockError(`${where}: unknown fault kind "${f.kind}"; kinds: ${kinds}`);
  if (f.kind === "delay" && !(typeof f.ms === "number" && Number.isFinite(f.ms) && f.ms >= 0)) {
    throw new MockError(`${where}: a delay needs ms, a number of milliseconds >= 0`);
  }
  if ((f.kind === "status" || f.kind === "echo" || (f.kind === "body" && f.status !== undefined)) && !isHttpStatus(f.status)) {
    throw new MockError(`${where}: a ${f.kind} fault needs status, an HTTP status from 100 to 599; got ${JSON.stringify(f.status)}`);
  }
  if (f.kind === "status" && f.retryAfter !== undefined && typeof f.retryAfter !== "string" && typeof f.retryAfter !== "number") {
    throw new MockError(`${where}: retryAfter is a Retry-After value: seconds or an HTTP date`);
  }
  return f as Fault;
}

export function isHttpStatus(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 100 && value <= 599;
}
