// createMock(spec): a real HTTP server on 127.0.0.1 backed by Prism on the same spec. Each request:
// find its operation (Prism's router), pick a fault (before the body is read, so a reset can come
// first), read the body, get Prism's verdict and answer, then answer with the test's reply when
// the request is valid and the test gave one, else with Prism's, through the fault if any.
import type { IncomingMessage, ServerResponse } from "node:http";
import { MockError } from "./errors.js";
import { ANSWER_IS_SENT, type Fault } from "./faults.js";
import { coverageOf, formatCoverage, type CoverageRow, type MockCall } from "./journal.js";
import { OperationState, type OperationMock, type PlannedReply } from "./overrides.js";
import { createPrismEngine, invalidPreferences, preferencesOf, type PrismAnswer, type PrismEngine } from "./prism.js";
import { corsHeaders, readBody, sendThrough, startHttpServer, type Answer } from "./server.js";
import { loadSpec, responseFor, suggest, type LoadedSpec, type SpecOperation } from "./spec.js";
import type { FaultRequest, MockRequest, OperationId, OperationsOf, UntypedOperations } from "./types.js";
import { bodyChecker } from "./validate.js";

export interface MockOptions {
  /** Listen on this port of 127.0.0.1; default: a free one. */
  port?: number;
  /** Answers made up from the schemas (Prism --dynamic) instead of the spec's examples. Default false. */
  dynamic?: boolean;
  /** How long a `hang` or `stall-body` fault holds the connection before dropping it. Default 30 s. */
  hangMs?: number;
}

export interface Mock<Ops = UntypedOperations> {
  /** Base URL of the server, e.g. "http://127.0.0.1:49152". */
  readonly url: string;
  readonly port: number;
  /** Answers and faults for one operation (a MockError names close matches for an unknown id). */
  on<Id extends OperationId<Ops>>(operationId: Id): OperationMock<Ops, Id>;
  /** Every request received so far, in order (only this operation's when given). */
  calls(operationId?: OperationId<Ops>): MockCall<Ops>[];
  /** Resolves with the next request that arrives (of this operation, or matching this test), once its headers are in. */
  nextCall(match?: OperationId<Ops> | ((call: MockCall<Ops>) => boolean)): Promise<MockCall<Ops>>;
  /** Per operation: the statuses the spec documents and those the mock answered. */
  coverage(): CoverageRow<Ops>[];
  /** coverage() as a printable table. */
  coverageTable(): string;
  /** Clears every reply, fault and the journal. */
  reset(): void;
  /** Stops the server: open connections are dropped, timers cleared. Safe to call twice. */
  close(): Promise<void>;
}

/** A spec argument: a provider package's `spec`, an OpenAPI document object, or a file path (JSON or YAML). */
export type SpecInput = { readonly openapi: string } | string;

const DEFAULT_HANG_MS = 30_000;

/**
 * Starts a mock server of `spec`. Typed specs (`import { spec } from "@satbind/lexe/spec"`) give
 * typed operationIds, statuses and bodies; a path or a plain document is untyped.
 */
export async function createMock<const Spec extends SpecInput>(spec: Spec, options: MockOptions = {}): Promise<Mock<OperationsOf<Spec>>> {
  return startMock(spec, options, {}) as unknown as Promise<Mock<OperationsOf<Spec>>>;
}

/**
 * What a mock built on this one (a stateful simulator, say) can change: the answer a valid
 * request gets when the test set none (checked against the spec like a reply; undefined: Prism's),
 * and the clock the journal's times come from.
 */
export interface MockHooks {
  answer?: (request: MockRequest) => Promise<HookReply | undefined>;
  now?: () => number;
  /** Told of every hook answer once checked against the spec: `problem` is set when it failed (the client got a 500 naming it). */
  checked?: (operationId: string, problem: string | undefined) => void;
}

/** A hook's answer; `then` drops ("reset") or stalls ("hang") it after the hook has acted on the request. */
export interface HookReply extends PlannedReply {
  then?: "reset" | "hang";
}

/** createMock, with hooks. Not part of the public API yet. */
export async function startMock(spec: SpecInput, options: MockOptions, hooks: MockHooks): Promise<Mock> {
  const port = options.port ?? 0;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new MockError(`createMock: port must be an integer from 0 to 65535, got ${JSON.stringify(options.port)}`);
  const hangMs = options.hangMs ?? DEFAULT_HANG_MS;
  if (!(Number.isFinite(hangMs) && hangMs >= 0)) throw new MockError(`createMock: hangMs must be a number of milliseconds >= 0, got ${JSON.stringify(options.hangMs)}`);
  const loaded = loadSpec(spec);
  const engine = await createPrismEngine(loaded.document, { dynamic: options.dynamic ?? false });
  const mock = new MockServer(loaded, engine, hangMs, hooks);
  await mock.listen(port);
  return mock.api();
}

class MockServer {
  private readonly journal: MockCall[] = [];
  private readonly states = new Map<string, OperationState>();
  private waiters: { match: (call: MockCall) => boolean; resolve: (call: MockCall) => void; reject: (error: Error) => void }[] = [];
  private readonly now: () => number;
  private readonly startedAt: number;
  private server: Awaited<ReturnType<typeof startHttpServer>> | undefined;
  private closed = false;

  constructor(
    private readonly spec: LoadedSpec,
    private readonly engine: PrismEngine,
    private readonly hangMs: number,
    private readonly hooks: MockHooks,
  ) {
    this.now = hooks.now ?? (() => performance.now());
    this.startedAt = this.now();
  }

  async listen(port: number): Promise<void> {
    this.server = await startHttpServer((req, res) => void this.handle(req, res).catch((error: Error) => this.crash(res, error)), port);
  }

  api(): Mock {
    const server = this.server!;
    return {
      url: server.url,
      port: server.port,
      on: ((operationId: string) => this.state(operationId).builder()) as Mock["on"],
      calls: (operationId) => (operationId === undefined ? [...this.journal] : this.journal.filter((c) => c.operationId === operationId)),
      nextCall: (match) => {
        if (this.closed) return Promise.reject(new MockError("mock.nextCall: the mock is closed"));
        const test = match === undefined ? () => true : typeof match === "function" ? match : (call: MockCall) => call.operationId === match;
        return new Promise((resolve, reject) => this.waiters.push({ match: test, resolve, reject }));
      },
      coverage: () => coverageOf([...this.spec.operations.values()], this.journal),
      coverageTable: () => formatCoverage(coverageOf([...this.spec.operations.values()], this.journal)),
      reset: () => {
        this.states.clear();
        this.journal.length = 0;
      },
      close: async () => {
        if (!this.closed) {
          this.closed = true;
          for (const waiter of this.waiters) waiter.reject(new MockError("mock closed before the call arrived"));
          this.waiters = [];
        }
        await server.close();
      },
    };
  }

  private state(operationId: unknown): OperationState {
    if (typeof operationId !== "string") throw new MockError(`mock.on: pass an operationId (a string), got ${typeof operationId}`);
    let state = this.states.get(operationId);
    if (!state) {
      const operation = this.spec.operations.get(operationId);
      if (!operation) throw new MockError(`mock.on("${operationId}"): unknown operationId; ${suggest(operationId, [...this.spec.operations.keys()])}`);
      state = new OperationState(operation, bodyChecker(this.spec));
      this.states.set(operationId, state);
    }
    return state;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://mock.invalid");
    const method = (req.method ?? "GET").toUpperCase();
    const headers = flatHeaders(req);
    const cors = corsHeaders(headers);
    // A browser's CORS preflight is answered as Prism answers it, and is not an API call.
    if (method === "OPTIONS" && headers.origin && headers["access-control-request-method"]) {
      res.writeHead(204, { ...cors, "access-control-allow-methods": headers["access-control-request-method"], vary: "origin", "content-length": "0" });
      return void res.end();
    }
    const query = queryOf(url.searchParams);
    const routed = this.engine.route(method, url.pathname);
    const operation = "resource" in routed ? this.operationOf(routed.resource.iid, method, routed.resource.path) : undefined;
    const call: MockCall = {
      operationId: operation?.operationId,
      method,
      path: url.pathname,
      query,
      headers,
      body: undefined,
      status: undefined,
      valid: undefined,
      violations: [],
      fault: undefined,
      receivedAt: Math.round((this.now() - this.startedAt) * 1000) / 1000,
    };
    this.journal.push(call);
    const state = operation ? this.states.get(operation.operationId) : undefined;
    const seen: FaultRequest = { operationId: call.operationId ?? "", method, path: call.path, pathParams: operation ? pathParams(operation, call.path) : {}, query, headers };
    let fault: Fault | undefined;
    try {
      fault = state?.takeFault(seen);
    } catch (error) {
      call.error = (error as Error).message;
    }
    call.fault = fault?.kind;
    this.notify(call);
    if (fault?.kind === "reset-before-body") return void req.socket.destroy();

    const bytes = await readBody(req);
    const parsed = parseBody(bytes, headers);
    call.body = parsed.body;
    let answer: Answer;
    if (call.error !== undefined) {
      answer = mockProblem(call.error);
    } else if (!("resource" in routed)) {
      call.valid = false;
      call.violations = [{ location: ["path"], message: String((routed.problem.body as { detail?: string }).detail ?? "no operation matches"), code: "route", severity: "error" }];
      answer = fromPrism(routed.problem);
    } else if (parsed.problem) {
      call.valid = false;
      call.violations = [{ location: ["body"], message: parsed.problem, code: "invalid-json", severity: "error" }];
      answer = { status: 400, headers: { "content-type": "application/problem+json" }, body: { type: "https://stoplight.io/prism/errors#INVALID_JSON", title: "Invalid request body", status: 400, detail: parsed.problem } };
    } else {
      const preferences = preferencesOf(headers, query);
      const input = { method: method.toLowerCase(), url: { path: url.pathname, query }, headers, body: bytes.length === 0 ? null : parsed.body };
      const verdict = await this.engine.answer(input, routed.resource, "invalid" in preferences ? {} : preferences);
      call.valid = verdict.valid;
      call.violations = verdict.violations;
      if ("invalid" in preferences) {
        // As Prism's server: a Prefer header it cannot read is answered 422, whatever else.
        answer = fromPrism(invalidPreferences(preferences.invalid));
      } else {
        answer = fromPrism(verdict.answer);
        // The test's answer replaces Prism's only for a valid request, and only when the fault lets it be sent.
        if (verdict.valid && (fault === undefined || ANSWER_IS_SENT.has(fault.kind))) {
          try {
            const request = { ...seen, body: parsed.body } as MockRequest;
            const reply: HookReply | undefined = (await state?.takeReply(request)) ?? (await this.hookAnswer(operation!, request));
            if (reply) answer = { status: reply.status, headers: { ...(reply.body === undefined ? {} : { "content-type": "application/json" }), ...reply.headers }, body: reply.body };
            // The hook acted (a payment committed), then its answer is lost.
            if (reply?.then) {
              fault = reply.then === "reset" ? { kind: "reset-after-body" } : { kind: "hang" };
              call.fault = reply.then === "reset" ? "commit-then-reset" : "commit-then-hang";
            }
          } catch (error) {
            call.error = (error as Error).message;
            answer = mockProblem(call.error);
          }
        }
      }
    }
    answer.headers = { ...cors, ...answer.headers };
    call.status = sendThrough(fault, res, answer, {
      hangMs: this.hangMs,
      later: this.server!.later,
      requestHeaders: headers,
      echo: () => ({ headers, url: req.url ?? "", body: bytes.toString("utf8") }),
      statusBody: (status) => (operation ? responseFor(operation, status)?.example : undefined),
    });
  }

  /** The hook's answer, checked against the spec like a test's reply. */
  private async hookAnswer(operation: SpecOperation, request: MockRequest): Promise<HookReply | undefined> {
    const answer = await this.hooks.answer?.(request);
    if (!answer) return undefined;
    const checker = new OperationState(operation, bodyChecker(this.spec));
    let checked: PlannedReply;
    try {
      checked = checker.checkReply(`the mock's own answer to ${operation.operationId}`, answer.status, answer.body, answer.headers);
    } catch (error) {
      this.hooks.checked?.(operation.operationId, (error as Error).message);
      throw error;
    }
    this.hooks.checked?.(operation.operationId, undefined);
    return answer.then ? { ...checked, then: answer.then } : checked;
  }

  private operationOf(iid: string | undefined, method: string, path: string): SpecOperation | undefined {
    return (iid && this.spec.operations.get(iid)) || this.spec.operations.get(`${method} ${path}`);
  }

  private notify(call: MockCall): void {
    const waiter = this.waiters.find((w) => w.match(call));
    if (!waiter) return;
    this.waiters = this.waiters.filter((w) => w !== waiter);
    waiter.resolve(call);
  }

  /** A bug of ours must not hang the client: answer 500 naming it. */
  private crash(res: ServerResponse, error: Error): void {
    if (!res.headersSent && !res.destroyed) {
      const text = JSON.stringify({ type: "https://satbind.dev/testing#MOCK_FAILED", title: "The mock failed", status: 500, detail: error.message });
      res.writeHead(500, { "content-type": "application/problem+json", "content-length": String(Buffer.byteLength(text)) });
      res.end(text);
    } else res.socket?.destroy();
  }
}

function fromPrism(answer: PrismAnswer): Answer {
  const headers = { ...answer.headers };
  const violations = [
    ...answer.violations.request.map((v) => ({ location: ["request", ...v.location], severity: capitalise(v.severity), code: v.code, message: v.message })),
    ...answer.violations.response.map((v) => ({ location: ["response", ...v.location], severity: capitalise(v.severity), code: v.code, message: v.message })),
  ];
  // As Prism's server: the violations go in a header too, so a client can read why it got a 4xx.
  if (violations.length > 0) {
    const value = JSON.stringify(violations);
    headers["sl-violations"] = value.length > 8092 ? `Too many violations! ${value.slice(0, 8092)}` : value;
  }
  return { status: answer.status, headers, body: answer.body };
}

function mockProblem(detail: string): Answer {
  return { status: 500, headers: { "content-type": "application/problem+json" }, body: { type: "https://satbind.dev/testing#INVALID_REPLY", title: "The test's reply could not be used", status: 500, detail } };
}

function capitalise(text: string): string {
  return text[0]!.toUpperCase() + text.slice(1);
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  return headers;
}

function queryOf(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  return query;
}

function pathParams(operation: SpecOperation, path: string): Record<string, string> {
  const match = operation.pathPattern.exec(path);
  if (!match) return {};
  return Object.fromEntries(operation.pathParamNames.map((name, i) => [name, safeDecode(match[i + 1] ?? "")]));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** JSON when labelled JSON (a parse failure is the request's problem), else text; nothing for an empty body. */
function parseBody(bytes: Buffer, headers: Record<string, string>): { body: unknown; problem?: string } {
  if (bytes.length === 0) return { body: undefined };
  const text = bytes.toString("utf8");
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(headers["content-type"] ?? "")) return { body: text };
  try {
    return { body: JSON.parse(text) as unknown };
  } catch (error) {
    return { body: text, problem: `the body is labelled JSON but is not: ${(error as Error).message}` };
  }
}
