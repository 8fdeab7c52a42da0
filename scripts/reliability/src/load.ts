// What the reliability suite knows about a provider package (its "subject"), how one call is made
// and accounted for, and the load run: many calls at bounded concurrency against a mock
// (@satbind/testing) that fails a share of them. No vitest here: the load runs in a child process
// of its own, so the test can see that the process exits by itself once the calls are done.
import { inspect } from "node:util";
import type { Fault, MockCall } from "@satbind/testing";
import { exampleRequests, type ExampleRequest } from "@satbind/test-support/contract";
import { CALL_HEADER, startScriptedMock, type ScriptedMock } from "./scripted-mock.js";

type Constructor = abstract new (...args: never[]) => Error;

/** The error classes a package exports (its re-export of @satbind/runtime). */
export interface ErrorClasses {
  SatbindError: Constructor;
  ApiError: Constructor;
  InternalServerError: Constructor;
  RateLimitError: Constructor;
  NetworkError: Constructor;
  AmbiguousOutcomeError: Constructor;
  TimeoutError: Constructor;
  AbortError: Constructor;
  ResponseParseError: Constructor;
  ResponseValidationError: Constructor;
  errorOf(result: { response: Response }): Error | undefined;
}

export interface ClientLike {
  request(method: string, path: string, init?: Record<string, unknown>): Promise<{ data?: unknown; error?: unknown; response: Response }>;
}

export interface ReliabilitySubject {
  /** "lexe", "utexo-v1"... also names the stats file. */
  name: string;
  specFile: string;
  operationTable: Readonly<Record<string, { method: string; path: string; retrySafe: boolean; movesFunds: boolean; auth: string }>>;
  /** The operations that can move funds, written out by hand: the table must say the same. */
  movesFunds: readonly string[];
  /**
   * Operations left out of the suite, each with the reason (BTCPay's checkout page answers HTML, not
   * an API body): the contract tests must cover them instead. Each must be in the operation table.
   */
  exclude?: Readonly<Record<string, string>>;
  /** The package's client factory, with every credential it takes set to one of `secrets`. */
  createClient(options: Record<string, unknown>): ClientLike;
  /** The credentials createClient configures. */
  secrets: readonly string[];
  /** The package's `responseValidator` (from its `validate` subpath), for `validateResponses`. */
  responseValidator: unknown;
  /** Request fields (query parameters, body keys at any depth) that hold secrets; calls fill them with fresh secret values. */
  secretFields?: readonly string[];
  errors: ErrorClasses;
}

export interface Operation extends ExampleRequest {
  retrySafe: boolean;
  movesFunds: boolean;
  auth: string;
}

/** Every operation of the subject, with a request built from the spec's examples. */
export function operationsOf(subject: ReliabilitySubject): Operation[] {
  const excluded = subject.exclude ?? {};
  for (const id of Object.keys(excluded)) if (!subject.operationTable[id]) throw new Error(`${subject.name}: excluded operation ${id} is not in the operation table`);
  return exampleRequests(subject.specFile).filter((request) => !(request.operationId in excluded)).map((request) => {
    const entry = subject.operationTable[request.operationId];
    if (!entry) throw new Error(`${subject.name}: ${request.operationId} is in the spec but not in the operation table`);
    return { ...request, retrySafe: entry.retrySafe, movesFunds: entry.movesFunds, auth: entry.auth };
  });
}

/** Running totals for the summary table. */
export interface Stats {
  subject: string;
  suite: string;
  calls: number;
  retries: number;
  faults: Record<string, number>;
  outcomes: Record<string, number>;
  /** Calls that ended in something other than a result or a satbind error, or whose attempts the server did not see. */
  unaccounted: number;
}

export function newStats(subject: string, suite: string): Stats {
  return { subject, suite, calls: 0, retries: 0, faults: {}, outcomes: {}, unaccounted: 0 };
}

export interface CallOutcome {
  /** The x-fault-call header the call's requests carried. */
  callId: string;
  result?: { data?: unknown; error?: unknown; response: Response };
  error?: unknown;
  /** The class that ended the call: "ok", or the error's name (an ApiError's too, with throwOnError off). */
  outcome: string;
  /** fetch calls the client made. */
  attempts: number;
  /** "satbind retrying" log lines. */
  retries: number;
  /** Attempts that ended in the client's timeout: the server may never have seen them. */
  timedOut: number;
  /** Whether the client was pointed at the fault server (not a closed port). */
  atThisServer: boolean;
  /** What the server received for this call. */
  requests: MockCall[];
  /** Every log line, as text. */
  logs: string[];
}

export interface CallSpec {
  operation: Operation;
  faults?: Fault[];
  /** Client options on top of the defaults (baseUrl = the server, fast backoff). */
  client?: Record<string, unknown>;
  /** Call options on top of the operation's example request. */
  init?: Record<string, unknown>;
  /** Called once the call is under way, with the call id (to await the server's arrival, abort...). */
  during?: (callId: string) => void | Promise<void>;
}

export interface Caller {
  call(spec: CallSpec): Promise<CallOutcome>;
  /** Fresh values put into `secretFields`, for the secret sweep. */
  secrets: string[];
  logs: string[];
  /** Every error and every client the calls produced, for the secret sweep. */
  produced: unknown[];
  stats: Stats;
}

let nextCall = 0;

/** Makes calls through the subject's client to a fault server, recording everything a sweep and the summary need. */
export function caller(subject: ReliabilitySubject, server: ScriptedMock, stats: Stats): Caller {
  const secrets: string[] = [];
  const logs: string[] = [];
  const produced: unknown[] = [];

  async function call(spec: CallSpec): Promise<CallOutcome> {
    const callId = `${spec.operation.operationId}-${++nextCall}`;
    server.script(callId, spec.faults ?? []);
    const atThisServer = spec.client?.baseUrl === undefined || spec.client.baseUrl === server.url;
    const callLogs: string[] = [];
    let retries = 0;
    let attempts = 0;
    let timedOut = 0;
    const line = (level: string) => (message: string, details: Record<string, unknown>) => {
      const text = `${level} ${message} ${JSON.stringify(details)} ${inspect(details, { depth: Infinity })}`;
      callLogs.push(text);
      logs.push(text);
      if (message === "satbind retrying") retries++;
      if (details.reason === "TimeoutError" || details.error === "TimeoutError") timedOut++;
    };
    const client = subject.createClient({
      baseUrl: server.url,
      retry: { initialDelayMs: 1, maxDelayMs: 5 },
      logger: { debug: line("debug"), info: line("info"), warn: line("warn"), error: line("error") },
      ...spec.client,
    });
    const { params, body } = withSecrets(spec.operation, subject.secretFields ?? [], secrets);
    const init: Record<string, unknown> = {
      params: { ...params, header: { ...params.header, [CALL_HEADER]: callId } },
      ...(body !== undefined && { body }),
      fetch: (request: Request) => {
        attempts++;
        return globalThis.fetch(request);
      },
      ...spec.init,
    };
    const pending = client.request(spec.operation.method.toLowerCase(), spec.operation.path, init);
    // A hook that waits for something the call never does must not hold the call up.
    Promise.resolve(spec.during?.(callId)).catch(() => {});
    let outcome: CallOutcome;
    try {
      const result = await pending;
      const apiError = result.response.ok ? undefined : subject.errors.errorOf(result);
      if (apiError) produced.push(apiError);
      outcome = { callId, result, outcome: apiError?.name ?? "ok", attempts, retries, timedOut, atThisServer, requests: server.requestsFor(callId), logs: callLogs };
    } catch (error) {
      produced.push(error);
      const typed = error instanceof subject.errors.SatbindError;
      outcome = { callId, error, outcome: typed ? (error as Error).name : `untyped ${(error as Error)?.name ?? typeof error}`, attempts, retries, timedOut, atThisServer, requests: server.requestsFor(callId), logs: callLogs };
    }
    produced.push(client);
    stats.calls++;
    stats.retries += outcome.retries;
    stats.outcomes[outcome.outcome] = (stats.outcomes[outcome.outcome] ?? 0) + 1;
    if (!isAccounted(outcome)) stats.unaccounted++;
    return outcome;
  }

  return { call, secrets, logs, produced, stats };
}

/**
 * A call is accounted for when it ended in a result or a satbind error, every attempt after the
 * first is a logged retry, and the server saw no more requests than the client made attempts (no
 * hidden resend) and no fewer, except attempts the client's timeout cut short before they
 * arrived. A client pointed elsewhere must reach this server not at all.
 */
export function isAccounted(outcome: CallOutcome): boolean {
  if (outcome.outcome.startsWith("untyped")) return false;
  const abortedBeforeSending = outcome.attempts === 0 && outcome.outcome === "AbortError";
  if (!abortedBeforeSending && outcome.attempts !== outcome.retries + 1) return false;
  const seen = outcome.requests.length;
  if (!outcome.atThisServer) return seen === 0;
  return seen <= outcome.attempts && seen >= outcome.attempts - outcome.timedOut;
}

/** The operation's example request with every secret field given a fresh, recognisable value. */
function withSecrets(operation: Operation, fields: readonly string[], secrets: string[]): { params: Operation["params"]; body: unknown } {
  const fresh = (name: string) => {
    const value = `S3CRET-${name}-${Math.random().toString(36).slice(2, 10)}`;
    secrets.push(value);
    return value;
  };
  const replace = (value: unknown, depth = 0): unknown => {
    if (value === null || typeof value !== "object" || depth > 16) return value;
    if (Array.isArray(value)) return value.map((v) => replace(v, depth + 1));
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [key, fields.includes(key) && typeof v === "string" ? fresh(key) : replace(v, depth + 1)]),
    );
  };
  return {
    params: { ...operation.params, ...(operation.params.query && { query: replace(operation.params.query) as Record<string, unknown> }) },
    body: replace(operation.body),
  };
}

/** A small seeded generator, so a load run's faults can be replayed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface LoadOptions {
  calls: number;
  concurrency: number;
  /** Share of requests that get a fault. */
  faultRate: number;
  seed: number;
  /** Per-attempt timeout, so injected hangs end. */
  timeoutMs: number;
}

export interface LoadReport {
  stats: Stats;
  /** Highest number of calls in flight at once. */
  peakConcurrency: number;
  requests: number;
  unhandledRejections: number;
  /** process.getActiveResourcesInfo() once the server is closed and the calls are done. */
  activeResources: string[];
}

/** The faults a load run draws from, each as likely as the others. */
const LOAD_FAULTS: Fault[] = [
  { kind: "delay", ms: 20 },
  { kind: "reset-before-body" },
  { kind: "reset-after-body" },
  { kind: "status", status: 503 },
  { kind: "status", status: 500 },
  { kind: "status", status: 429, retryAfter: "0" },
  { kind: "truncated" },
  { kind: "not-json" },
  { kind: "wrong-content-type" },
  { kind: "hang" },
  { kind: "stall-body" },
];

/** `calls` calls over every operation in turn, at most `concurrency` at once, a `faultRate` share of requests failing. */
export async function runLoad(subject: ReliabilitySubject, options: LoadOptions): Promise<LoadReport> {
  const random = seeded(options.seed);
  let unhandledRejections = 0;
  const onUnhandled = () => unhandledRejections++;
  process.on("unhandledRejection", onUnhandled);
  const server = await startScriptedMock({
    specFile: subject.specFile,
    hangMs: 10_000,
    plan: () => (random() < options.faultRate ? LOAD_FAULTS[Math.floor(random() * LOAD_FAULTS.length)]! : undefined),
  });
  const stats = newStats(subject.name, "load");
  const { call } = caller(subject, server, stats);
  const outcomes: CallOutcome[] = [];
  const operations = operationsOf(subject);
  let next = 0;
  let inFlight = 0;
  let peakConcurrency = 0;
  const worker = async () => {
    while (next < options.calls) {
      const operation = operations[next++ % operations.length]!;
      inFlight++;
      peakConcurrency = Math.max(peakConcurrency, inFlight);
      outcomes.push(await call({ operation, client: { timeoutMs: options.timeoutMs, maxRetries: 2 } }));
      inFlight--;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  // Accounted again now that every request is in: one the client gave up on may have arrived since.
  await new Promise((resolve) => setTimeout(resolve, 100));
  stats.unaccounted = outcomes.filter((outcome) => !isAccounted({ ...outcome, requests: server.requestsFor(outcome.callId) })).length;
  stats.faults = server.faultCounts();
  const requests = server.calls().length;
  await server.close();
  // Let closed sockets finish closing before looking at what is still open.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 50));
  process.off("unhandledRejection", onUnhandled);
  return { stats, peakConcurrency, requests, unhandledRejections, activeResources: process.getActiveResourcesInfo() };
}
