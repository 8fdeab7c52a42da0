// Sends one call: a timeout per attempt, retries only for operations the table marks safe, and
// every failure turned into a typed error that says whether the request was sent.
//
// Middleware (onRequest) runs once before this and onResponse once after it: retries are the
// transport's own, as they were when this was the fetch function handed to openapi-fetch.
import { AbortError, AmbiguousOutcomeError, MAY_HAVE_MOVED, NetworkError, subject, TimeoutError, type ErrorContext } from "./errors.js";
import type { Logger } from "./logger.js";
import type { OperationRef } from "./operations.js";
import type { Redactor } from "./redact.js";

export interface RetryPolicy {
  /** First backoff delay; doubles each attempt. Default 500 ms. */
  initialDelayMs?: number;
  /** Longest backoff delay. Default 8 s. */
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the call fails with the server's answer. Default 60 s. */
  maxRetryAfterMs?: number;
}

/** HTTP statuses worth another try for a safe operation. */
const RETRY_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

/** Error codes that mean the connection was never made, so no byte of the request left. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT", "ConnectionRefused", "CERT_HAS_EXPIRED", "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** What one call sends. `request` is set when middleware or a caller's fetch needs a Request object. */
export interface Outgoing {
  url: string;
  init: RequestInit & { method: string };
  request?: Request | undefined;
}

export interface CallContext {
  operation: OperationRef | undefined;
  timeoutMs: number;
  maxRetries: number;
  retry: Required<RetryPolicy>;
  /** The caller's fetch, when there is one (it takes a Request); otherwise the global fetch is called with (url, init). */
  fetch: ((request: Request) => Promise<Response>) | undefined;
  redactor: Redactor;
  logger: Logger | undefined;
  /** What identifies this call if its outcome is unknown (provider-specific, already redacted). */
  reconcile: () => Record<string, unknown>;
  /** The caller's own AbortSignal, when the call was given one. */
  signal?: AbortSignal | undefined;
  /** Read the body as text (for JSON and text answers) rather than bytes. */
  asText: boolean;
}

/** A response and its body, read in full inside the attempt's timeout. */
export interface Answer {
  response: Response;
  body: string | ArrayBuffer;
}

const TIMEOUT = Symbol("satbind.timeout");

/**
 * Requests in flight, held strongly. A Request made with a signal passes an abort on only while
 * the garbage collector has not taken its internal controller (Node 20's undici holds it weakly),
 * so without this a timeout or abort could be lost and the call hang. A call sent as fetch(url,
 * init) makes no Request of ours: the controller it is given is held by the attempt itself.
 */
const inFlight = new Set<Request>();

/**
 * Sends a call: each attempt bounded by the timeout, with the whole body read inside it, so a
 * stalled body times out too. One async function for the whole loop: on the common path (one
 * attempt, an answer) a call pays for no nested promise.
 */
export async function sendWithPolicy(out: Outgoing, call: CallContext): Promise<Answer> {
  const retries = call.operation?.retrySafe ? call.maxRetries : 0;
  // A Request's body can be read once: keep an untouched copy for each further attempt. Bodies
  // sent from init (strings, FormData) can be sent again as they are.
  const template = retries > 0 && out.request?.body ? out.request.clone() : undefined;
  const userSignal = call.signal ?? out.request?.signal;
  // Only errors and log lines read the context: built on first use, not per call.
  let made: ErrorContext | undefined;
  const context = () => (made ??= errorContext(out, call));
  // Log details are built only when a logger listens at that level: most clients have none.
  const log = (level: "debug" | "warn" | "error", message: string, attempt: number, details: object) =>
    call.logger?.[level]?.(`satbind ${message}`, { ...context(), attempt: attempt + 1, ...details });
  for (let attempt = 0; ; attempt++) {
    const started = Date.now();
    if (call.logger) log("debug", "request", attempt, { timeoutMs: call.timeoutMs });
    if (userSignal?.aborted) throw new AbortError({ ...context(), requestSent: false });
    const controller = new AbortController();
    const signal = controller.signal;
    const timer = setTimeout(() => controller.abort(TIMEOUT), call.timeoutMs);
    const onAbort = () => controller.abort(userSignal!.reason);
    userSignal?.addEventListener("abort", onAbort, { once: true });
    const request = attempt > 0 && template ? template.clone() : out.request;
    let held: Request | undefined;
    let answer: Answer | undefined;
    let delay: number | undefined;
    let reason: object;
    try {
      let response: Response;
      if (request || call.fetch) {
        held = request ? new Request(request, { signal }) : new Request(out.url, { ...out.init, signal });
        inFlight.add(held);
        response = await (call.fetch ?? globalThis.fetch)(held);
      } else {
        // The init is this call's own object: each attempt sets its signal rather than copying it.
        out.init.signal = signal;
        response = await globalThis.fetch(out.url, out.init);
      }
      answer = { response, body: await (call.asText ? response.text() : response.arrayBuffer()) };
    } catch (caught) {
      const error = classify(caught, signal, userSignal, call, context());
      if (!(attempt < retries && (error instanceof NetworkError || error instanceof AmbiguousOutcomeError))) {
        log("error", "failed", attempt, { error: error.name, message: error.message });
        throw error;
      }
      delay = backoff(attempt, call.retry);
      reason = { reason: error.name };
    } finally {
      clearTimeout(timer);
      userSignal?.removeEventListener("abort", onAbort);
      if (held) inFlight.delete(held);
    }
    if (answer) {
      const { status, headers } = answer.response;
      if (call.logger) log("debug", "response", attempt, { status, durationMs: Date.now() - started });
      if (attempt < retries && RETRY_STATUSES.has(status)) delay = retryDelay(headers, attempt, call.retry);
      if (delay === undefined) return answer;
      reason = { status };
    }
    log("warn", "retrying", attempt, { ...reason!, delayMs: delay });
    await sleep(delay!, userSignal, context);
  }
}

function classify(error: unknown, signal: AbortSignal, userSignal: AbortSignal | undefined, call: CallContext, context: ErrorContext): Error {
  const movesFunds = call.operation?.movesFunds ?? false;
  const cause = sanitize(error, call.redactor);
  if (signal.aborted && signal.reason === TIMEOUT) {
    return new TimeoutError({ ...context, movesFunds, reconcile: call.reconcile(), timeoutMs: call.timeoutMs });
  }
  if (userSignal?.aborted) return new AbortError({ ...context, requestSent: "unknown", movesFunds, reconcile: call.reconcile() }, { cause });
  const what = subject(context);
  if (wasNeverSent(error)) {
    return new NetworkError(`${what} could not be sent: ${cause.message}`, context, { cause });
  }
  const advice = movesFunds ? MAY_HAVE_MOVED : "";
  return new AmbiguousOutcomeError(`${what}: connection lost before a complete answer (${cause.message})${advice}`, {
    ...context,
    movesFunds,
    reconcile: call.reconcile(),
  }, { cause });
}

function wasNeverSent(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && NOT_SENT_CODES.has(e.code)) return true;
  }
  return false;
}

/** A plain Error with the cause chain's messages and codes, secrets scrubbed. */
function sanitize(error: unknown, redactor: Redactor): Error & { code?: string } {
  const parts: string[] = [];
  let code: string | undefined;
  for (let e = error as { message?: unknown; code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.message === "string" && e.message) parts.push(e.message);
    if (typeof e.code === "string") code ??= e.code;
  }
  const clean: Error & { code?: string } = new Error(redactor.text(parts.join(": ") || String(error)));
  if (code) clean.code = code;
  return clean;
}

function errorContext(out: Outgoing, call: CallContext): ErrorContext {
  // The redacted URL costs a parse and a scan; only errors and log lines read it.
  let url: string | undefined;
  return {
    operationId: call.operation?.operationId,
    method: out.request?.method ?? out.init.method,
    get url() {
      return (url ??= call.redactor.url(out.request?.url ?? out.url));
    },
  };
}

/** Exponential backoff with jitter: up to a quarter shorter, so clients don't retry in step. */
function backoff(attempt: number, policy: Required<RetryPolicy>): number {
  const base = Math.min(policy.initialDelayMs * 2 ** attempt, policy.maxDelayMs);
  return Math.round(base * (1 - Math.random() * 0.25));
}

/** Retry-After (seconds or an HTTP date) or retry-after-ms when present, else backoff. Undefined: don't retry. */
export function retryDelay(headers: Headers, attempt: number, policy: Required<RetryPolicy>, now = Date.now()): number | undefined {
  let fromServer: number | undefined;
  const ms = headers.get("retry-after-ms");
  const after = headers.get("retry-after");
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) fromServer = Number(ms);
  else if (after !== null) {
    if (/^\d+$/.test(after.trim())) fromServer = Number(after) * 1000;
    else if (!Number.isNaN(Date.parse(after))) fromServer = Math.max(0, Date.parse(after) - now);
  }
  if (fromServer === undefined) return backoff(attempt, policy);
  return fromServer > policy.maxRetryAfterMs ? undefined : fromServer;
}

function sleep(ms: number, signal: AbortSignal | undefined, context: () => ErrorContext): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortError({ ...context(), requestSent: "unknown" }));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError({ ...context(), requestSent: "unknown" }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
