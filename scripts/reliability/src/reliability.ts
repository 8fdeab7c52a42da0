// The reliability suite, run by every provider package against its own client: every operation
// through a mock of its spec with scripted faults (@satbind/testing), the retry and money-safety policy asserted per operation,
// timeouts, aborts, response validation, and a sweep of everything the calls produced for the
// configured secrets. Its totals go to .reliability-<subject>.json for pnpm test's summary table.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort } from "@satbind/test-support/test-server";
import type { Fault } from "@satbind/testing";
import { startScriptedMock, type ScriptedMock } from "./scripted-mock.js";
import { caller, newStats, operationsOf, type Caller, type CallOutcome, type LoadReport, type Operation, type ReliabilitySubject } from "./load.js";
import { loadAndValidateSpec } from "@satbind/codegen/spec";
import { responseSchemas, type ResponseSchemasData } from "@satbind/codegen/responses";

/** The file pnpm test reads a suite's totals from. */
export function statsFile(subject: string, suite: string): string {
  return join(process.cwd(), `.reliability-${subject}-${suite}.json`);
}

const RETRY_AFTER_S = 1;
/** Not a speed target: a bound far above what an abort takes, far below the hang it cuts short. */
const PROMPT_MS = 5_000;

export function describeReliability(subject: ReliabilitySubject): void {
  describe(`${subject.name} reliability`, () => suite(subject));
}

function suite(subject: ReliabilitySubject): void {
  const operations = operationsOf(subject);
  const loaded = loadAndValidateSpec(subject.specFile);
  if (!loaded.ok) throw new Error(`${subject.specFile} does not load`);
  const schemas = responseSchemas(loaded.spec);
  let server: ScriptedMock;
  let calls: Caller;
  let refusedUrl: string;
  const stats = newStats(subject.name, "faults");
  let unhandled = 0;
  const onUnhandled = () => unhandled++;

  beforeAll(async () => {
    server = await startScriptedMock({ specFile: subject.specFile });
    calls = caller(subject, server, stats);
    refusedUrl = `http://127.0.0.1:${await closedPort()}`;
    process.on("unhandledRejection", onUnhandled);
  });
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    stats.faults = server.faultCounts();
    writeFileSync(statsFile(subject.name, "faults"), JSON.stringify(stats, null, 2));
    await server.close();
  });

  const call = (operation: Operation, faults: Fault[], client: Record<string, unknown> = {}, init: Record<string, unknown> = {}, during?: (id: string) => Promise<void>) =>
    calls.call({ operation, faults, client, init, ...(during && { during }) });
  const { errors } = subject;

  describe(`${subject.name}: which operations move funds`, () => {
    it("the operation table marks exactly the operations that can move funds", () => {
      const marked = Object.entries(subject.operationTable).filter(([, op]) => op.movesFunds).map(([id]) => id);
      expect(marked.sort()).toEqual([...subject.movesFunds].sort());
    });
    it("no operation that moves funds is marked safe to retry", () => {
      expect(Object.entries(subject.operationTable).filter(([, op]) => op.movesFunds && op.retrySafe).map(([id]) => id)).toEqual([]);
    });
  });

  for (const operation of operations) {
    const { operationId, retrySafe: safe, movesFunds } = operation;
    const kind = movesFunds ? "moves funds: sent once" : safe ? "safe: retried" : "not retried";
    // Retries asked for: never used by operations that are not safe, whatever the number.
    const maxRetries = safe ? 2 : 5;
    const expectedAttempts = safe ? maxRetries + 1 : 1;

    describe.concurrent(`${subject.name} ${operationId} (${kind})`, () => {
      it("answers the documented example through the mock", async () => {
        const out = await call(operation, []);
        expect(out.outcome).toBe("ok");
        expect(out.requests).toHaveLength(1);
      });

      it(`5xx on every attempt: ${expectedAttempts} request(s), then InternalServerError`, async () => {
        const out = await call(operation, Array(6).fill({ kind: "status", status: 503 }), { maxRetries });
        expect(out.outcome).toBe("InternalServerError");
        expect(out.requests).toHaveLength(expectedAttempts);
        expect(out.retries).toBe(expectedAttempts - 1);
        const error = errors.errorOf(out.result!) as Error & { status: number; requestSent: unknown };
        expect(error).toBeInstanceOf(errors.InternalServerError);
        expect([error.status, error.requestSent]).toEqual([503, true]);
      });

      if (safe) {
        it("recovers when a 5xx clears within maxRetries", async () => {
          const out = await call(operation, [{ kind: "status", status: 500 }, { kind: "status", status: 502 }], { maxRetries: 2 });
          expect([out.outcome, out.requests.length, out.retries]).toEqual(["ok", 3, 2]);
        });
        it(`waits out Retry-After: ${RETRY_AFTER_S} s before the second attempt`, async () => {
          const out = await call(operation, [{ kind: "status", status: 429, retryAfter: String(RETRY_AFTER_S) }], { maxRetries: 1 });
          expect([out.outcome, out.requests.length]).toEqual(["ok", 2]);
          // Timers may fire a millisecond early; the wait itself is a whole second.
          expect(out.requests[1]!.receivedAt - out.requests[0]!.receivedAt).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - 5);
        });
        it("recovers from a reset before the body, a reset after it and a truncated answer", async () => {
          const out = await call(operation, [{ kind: "reset-before-body" }, { kind: "reset-after-body" }, { kind: "truncated" }], { maxRetries: 3 });
          expect([out.outcome, out.requests.length, out.retries]).toEqual(["ok", 4, 3]);
        });
      } else {
        it("429 with Retry-After: not retried, RateLimitError", async () => {
          const out = await call(operation, [{ kind: "status", status: 429, retryAfter: "0" }], { maxRetries: 5 });
          expect([out.outcome, out.requests.length, out.retries]).toEqual(["RateLimitError", 1, 0]);
        });
      }

      it("a Retry-After beyond maxRetryAfterMs is not waited for", async () => {
        const out = await call(operation, [{ kind: "status", status: 429, retryAfter: "120" }], { maxRetries: 2 });
        expect([out.outcome, out.requests.length]).toEqual(["RateLimitError", 1]);
      });

      for (const fault of ["reset-before-body", "reset-after-body", "truncated"] as const) {
        it(`${fault} on every attempt: AmbiguousOutcomeError after ${expectedAttempts} request(s)`, async () => {
          const out = await call(operation, Array(6).fill({ kind: fault }), { maxRetries });
          expectAmbiguous(out, operation);
          expect(out.error).not.toBeInstanceOf(errors.TimeoutError);
          expect(out.requests).toHaveLength(expectedAttempts);
        });
      }

      it("connection refused: NetworkError, nothing sent", async () => {
        const out = await call(operation, [], { baseUrl: refusedUrl, maxRetries });
        expect(out.error).toBeInstanceOf(errors.NetworkError);
        expect((out.error as { requestSent: unknown }).requestSent).toBe(false);
        expect(out.attempts).toBe(expectedAttempts);
        expect(out.requests).toHaveLength(0);
      });

      // Attempts are counted on the client: on a busy machine a timed-out attempt may not have reached the server yet.
      it("per-call timeout: a hanging server gives TimeoutError at the call's bound", async () => {
        const started = performance.now();
        const out = await call(operation, Array(3).fill({ kind: "hang" }), { timeoutMs: 60_000, maxRetries: 1 }, { timeoutMs: 400 });
        expectAmbiguous(out, operation);
        expect(out.error).toBeInstanceOf(errors.TimeoutError);
        expect((out.error as { timeoutMs: number }).timeoutMs).toBe(400);
        expect(out.attempts).toBe(safe ? 2 : 1);
        expect(out.requests.length).toBeLessThanOrEqual(out.attempts);
        expect(performance.now() - started).toBeGreaterThanOrEqual(400 * out.attempts - 5);
      });

      it("per-client timeout: the client's bound applies when the call gives none", async () => {
        const out = await call(operation, [{ kind: "stall-body" }], { timeoutMs: 300, maxRetries: 0 });
        expect(out.error).toBeInstanceOf(errors.TimeoutError);
        expect((out.error as { timeoutMs: number }).timeoutMs).toBe(300);
        expect(out.attempts).toBe(1);
      });

      it("a delay within the timeout is just a slow answer", async () => {
        const out = await call(operation, [{ kind: "delay", ms: 50 }], { timeoutMs: 10_000 });
        expect([out.outcome, out.requests.length]).toEqual(["ok", 1]);
      });

      it("AbortSignal before sending: AbortError, nothing sent", async () => {
        const controller = new AbortController();
        controller.abort();
        const out = await call(operation, [], {}, { signal: controller.signal });
        expect(out.error).toBeInstanceOf(errors.AbortError);
        expect((out.error as { requestSent: unknown }).requestSent).toBe(false);
        expect(out.requests).toHaveLength(0);
      });

      it("AbortSignal in flight: cancels at once, says the request may have been sent", async () => {
        const controller = new AbortController();
        let abortedAt = 0;
        const out = await call(operation, [{ kind: "hang" }], { timeoutMs: 60_000, maxRetries }, { signal: controller.signal }, async (id) => {
          await server.arrived(id);
          abortedAt = performance.now();
          controller.abort();
        });
        const error = out.error as { requestSent: unknown; movesFunds: boolean; reconcile: Record<string, unknown> };
        expect(out.error).toBeInstanceOf(errors.AbortError);
        expect([error.requestSent, error.movesFunds]).toEqual(["unknown", movesFunds]);
        if (movesFunds) expect(Object.keys(error.reconcile).length).toBeGreaterThan(0);
        expect(performance.now() - abortedAt).toBeLessThan(PROMPT_MS);
        expect(out.requests).toHaveLength(1);
      });

      // A 204 has no body by definition: the client never reads one (BTCPay's DeleteSubscriber).
      const noContent = Object.keys(schemas.operations[operationId] ?? {})[0] === "204";
      if (noContent) {
        it("a 204 answer's body is never read: bytes that are not JSON still give ok, sent once", async () => {
          const out = await call(operation, [{ kind: "not-json" }], { maxRetries });
          expect(out.outcome).toBe("ok");
          expect(out.result!.data).toBeUndefined();
          expect(out.requests).toHaveLength(1);
        });
      } else it("a 200 that is not JSON: ResponseParseError (the server did answer), never retried", async () => {
        const out = await call(operation, [{ kind: "not-json" }], { maxRetries });
        expect(out.error).toBeInstanceOf(errors.ResponseParseError);
        expect((out.error as { requestSent: unknown; bodySnippet: string }).bodySnippet).toContain("Bad Gateway");
        expect(out.requests).toHaveLength(1);
      });

      it("a JSON body labelled text/html is still read as JSON", async () => {
        const out = await call(operation, [{ kind: "wrong-content-type" }]);
        expect(out.outcome).toBe("ok");
      });

      // An answer the spec gives no schema for (BTCPay's bare "200: deleted") has nothing to break: any body passes.
      const undocumented = Object.values(schemas.operations[operationId] ?? {})[0] === true;
      if (undocumented) {
        it("the spec documents no body for its answer: any body passes, with validateResponses too", async () => {
          const out = await call(operation, [{ kind: "body", body: { anything: [1, "two"] } }], { validateResponses: subject.responseValidator });
          expect(out.outcome).toBe("ok");
          expect(out.result!.data).toEqual(noContent ? undefined : { anything: [1, "two"] });
        });
      } else it("a body that breaks the spec passes through by default, and raises ResponseValidationError with validateResponses", async () => {
        const bad = brokenBody(schemas, operationId);
        const passed = await call(operation, [{ kind: "body", body: bad.body }]);
        expect(passed.outcome).toBe("ok");
        expect(passed.result!.data).toEqual(bad.body);
        const checked = await call(operation, [{ kind: "body", body: bad.body }], { validateResponses: subject.responseValidator });
        expect(checked.error).toBeInstanceOf(errors.ResponseValidationError);
        const error = checked.error as { pointer: string; requestSent: unknown; movesFunds: boolean };
        expect([error.pointer, error.requestSent, error.movesFunds]).toEqual([bad.pointer, true, movesFunds]);
        expect(checked.requests).toHaveLength(1);
      });

      it("with validateResponses, the documented example passes", async () => {
        const out = await call(operation, [], { validateResponses: subject.responseValidator });
        expect(out.outcome).toBe("ok");
      });

      it("a server that echoes the request back: errors of every kind, for the secret sweep", async () => {
        const echoes: [Fault[], Record<string, unknown>, string[]][] = [
          [[{ kind: "echo", status: 400 }], {}, ["BadRequestError"]],
          [[{ kind: "echo", status: 500 }], { maxRetries: 0 }, ["InternalServerError"]],
          [[{ kind: "echo", status: 200, contentType: "text/html" }], {}, ["ResponseParseError"]],
          // An echo can happen to fit a loose schema.
          [[{ kind: "echo", status: 200 }], { validateResponses: subject.responseValidator }, ["ResponseValidationError", "ok"]],
          [[{ kind: "echo", status: 422 }], { throwOnError: true }, ["UnprocessableEntityError"]],
        ];
        for (const [faults, client, expected] of echoes) {
          const out = await call(operation, faults, client);
          expect(expected).toContain(out.outcome);
          expect(out.requests).toHaveLength(1);
        }
      });
    });
  }

  describe(`${subject.name}: nothing leaks`, () => {
    it("every call was accounted for and nothing was left unhandled", () => {
      expect(stats.unaccounted).toBe(0);
      expect(unhandled).toBe(0);
      expect(stats.calls).toBeGreaterThan(operations.length * 15);
    });

    it("no secret in any error, log line, inspected or serialised error, request or client", () => {
      const secrets = [...subject.secrets, ...calls.secrets];
      expect(calls.secrets.length > 0 || (subject.secretFields ?? []).length === 0).toBe(true);
      // The sweep must see the secrets reach the server, or it proves nothing.
      const sent = server.calls().map((r) => JSON.stringify(r)).join("\n");
      for (const secret of subject.secrets) expect(sent, "a configured secret was never sent").toContain(secret);
      const leaks: string[] = [];
      const sweep = (what: string, text: string) => {
        for (const secret of secrets) if (text.includes(secret)) leaks.push(`${what} holds ${secret.slice(0, 6)}…`);
      };
      calls.produced.forEach((item, i) => {
        for (const [how, text] of representations(item)) sweep(`#${i} ${(item as Error)?.name ?? "client"} ${how}`, text);
      });
      calls.logs.forEach((line, i) => sweep(`log line ${i}`, line));
      expect(leaks.slice(0, 20)).toEqual([]);
      expect(calls.produced.length).toBeGreaterThan(operations.length * 10);
      expect(calls.logs.length).toBeGreaterThan(operations.length * 10);
    });
  });
}

/** Everything a caller might print or send on: inspect (shallow, deep, hidden), JSON, String, stack, the cause chain. */
function representations(item: unknown): [string, string][] {
  const out: [string, string][] = [
    ["inspect", inspect(item)],
    ["inspect(depth: Infinity, showHidden)", inspect(item, { depth: Infinity, showHidden: true, getters: true })],
    ["JSON.stringify", safeJson(item)],
    ["String", String(item)],
  ];
  for (let e = item as { stack?: unknown; cause?: unknown } | undefined, depth = 0; e && typeof e === "object" && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.stack === "string") out.push([`stack ${depth}`, e.stack]);
    out.push([`own properties ${depth}`, safeJson(Object.getOwnPropertyNames(e).map((k) => [k, String((e as Record<string, unknown>)[k])]))]);
  }
  return out;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch (error) {
    return `unserialisable: ${(error as Error).message}`;
  }
}

function expectAmbiguous(out: CallOutcome, operation: Operation): void {
  const error = out.error as { requestSent: unknown; movesFunds: boolean; reconcile: Record<string, unknown>; message: string };
  expect(out.error, `${operation.operationId}: ${out.outcome}`).toBeInstanceOf(Error);
  expect(error.constructor.name === "TimeoutError" || error.constructor.name === "AmbiguousOutcomeError").toBe(true);
  expect([error.requestSent, error.movesFunds]).toEqual(["unknown", operation.movesFunds]);
  if (operation.movesFunds) {
    expect(Object.keys(error.reconcile).length).toBeGreaterThan(0);
    expect(error.message).toContain("reconcile before retrying");
  }
}

/**
 * A 2xx body the spec does not allow, and the pointer the validator must name: the example with
 * its first required field removed when it has one, else a value of the wrong type.
 */
function brokenBody(schemas: ResponseSchemasData, operationId: string): { body: unknown; pointer: string } {
  const byStatus = schemas.operations[operationId] ?? {};
  const schema = byStatus[Object.keys(byStatus)[0] ?? ""];
  const required = firstRequired(schema, schemas.components, 0);
  if (required) return { body: required.rest, pointer: `/${required.name.replace(/~/g, "~0").replace(/\//g, "~1")}` };
  return { body: true, pointer: "" };
}

/** An object shape reachable through $ref and allOf, with a required field and an example without it. */
function firstRequired(schema: unknown, components: Record<string, unknown>, depth: number): { name: string; rest: Record<string, unknown> } | undefined {
  if (!schema || typeof schema !== "object" || depth > 10) return undefined;
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === "string") return firstRequired(components[s.$ref.split("/").pop()!], components, depth + 1);
  if (Array.isArray(s.required) && s.required.length > 0 && !s.anyOf && !s.oneOf) {
    const name = String(s.required[0]);
    // The other required fields present (as null: any problem with them comes after the missing one).
    const rest = Object.fromEntries((s.required as string[]).slice(1).map((field) => [field, null]));
    return { name, rest };
  }
  for (const part of (s.allOf as unknown[] | undefined) ?? []) {
    const found = firstRequired(part, components, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The load test: a child process runs the load and must end by itself once it is done. */
export function describeLoad(options: { subjectModule: string; exportName: string; calls?: number; concurrency?: number; faultRate?: number }): void {
  const calls = options.calls ?? 2_000;
  const concurrency = options.concurrency ?? 50;
  it(`${calls} calls at concurrency ${concurrency} with ${(options.faultRate ?? 0.05) * 100}% faults: every call accounted for, no unhandled rejection, no open socket or timer, and the process exits by itself`, { timeout: 180_000 }, async () => {
    const main = join(dirname(fileURLToPath(import.meta.url)), "load-main.ts");
    const tsx = createRequire(import.meta.url).resolve("tsx");
    const child = spawn(process.execPath, ["--import", tsx, main, options.subjectModule, options.exportName, JSON.stringify({ calls, concurrency, faultRate: options.faultRate ?? 0.05, seed: 20261121, timeoutMs: 5_000 })], {
      cwd: process.cwd(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let reportedAt = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
      if (!reportedAt && stdout.includes("\nLOAD-REPORT ")) reportedAt = performance.now();
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    const exitedAfterMs = performance.now() - reportedAt;
    expect(code, stderr).toBe(0);
    const line = stdout.split("\n").find((l) => l.startsWith("LOAD-REPORT "));
    expect(line, `no report from the load run:\n${stdout}\n${stderr}`).toBeDefined();
    const report = JSON.parse(line!.slice("LOAD-REPORT ".length)) as LoadReport;
    writeFileSync(statsFile(report.stats.subject, "load"), JSON.stringify(report.stats, null, 2));
    const outcomes = Object.values(report.stats.outcomes).reduce((a, b) => a + b, 0);
    expect(report.stats.calls).toBe(calls);
    expect(outcomes).toBe(calls);
    expect(report.stats.unaccounted).toBe(0);
    expect(Object.keys(report.stats.outcomes).filter((o) => o.startsWith("untyped"))).toEqual([]);
    expect(report.unhandledRejections).toBe(0);
    expect(report.peakConcurrency).toBe(concurrency);
    expect(report.requests).toBe(calls + report.stats.retries);
    const injected = Object.entries(report.stats.faults).filter(([kind]) => kind !== "delay").reduce((a, [, n]) => a + n, 0);
    expect(injected).toBeGreaterThan(0);
    expect(report.activeResources.filter((r) => r !== "PipeWrap" && r !== "TTYWrap" && r !== "ProcessWrap" && r !== "FSReqCallback")).toEqual([]);
    expect(exitedAfterMs).toBeLessThan(PROMPT_MS);
  });
}
