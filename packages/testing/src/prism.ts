// Stoplight Prism in this process, through @stoplight/prism-http's programmatic API: its router
// finds the operation of a request, its validators give the verdict on the request (parameters,
// body, security), and its mocker gives the answer Prism's own server would (the documented
// example, `Prefer: code=404`, a 401 or 422 for an invalid request). The server in front of it
// is ours (server.ts), so faults, overrides and the journal sit at the socket.
//
// Prism is loaded on the first mock (about half a second), not when @satbind/testing is imported.
// The deep imports (router, validator) are pinned with prism-http itself: see package.json.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** A request as Prism reads it. */
export interface PrismInput {
  method: string;
  url: { path: string; query: Record<string, string | string[]> };
  headers: Record<string, string>;
  body: unknown;
}

/** One problem Prism found with a request. */
export interface Violation {
  /** Where: ["body", "invoice"], ["query", "index"], ["header", "authorization"]... */
  location: string[];
  message: string;
  /** Prism's code for it ("required", "pattern", 401...). */
  code: string;
  severity: "error" | "warning" | "information" | "hint";
}

/** What Prism answers, as its server would send it. */
export interface PrismAnswer {
  status: number;
  headers: Record<string, string>;
  /** The body, already parsed (JSON) or text. */
  body: unknown;
  /** Violations of the request, then of the answer (for the sl-violations header). */
  violations: { request: Violation[]; response: Violation[] };
}

export interface PrismPreferences {
  code?: number;
  exampleKey?: string;
  dynamic?: boolean;
  seed?: string;
}

type Either<L, R> = { _tag: "Left"; left: L } | { _tag: "Right"; right: R };
interface Diagnostic {
  path?: (string | number)[];
  message: string;
  code?: string | number;
  severity: number;
}
interface ProblemError extends Error {
  status?: number;
  additional?: { headers?: Record<string, string> };
}
interface PrismModules {
  getHttpOperationsFromSpec(document: object): Promise<Resource[]>;
  createInstance(config: object, components: object): { request(input: PrismInput, resources: Resource[], config?: object): () => Promise<Either<ProblemError, { output: { statusCode: number; headers?: Record<string, string>; body?: unknown }; validations: { input: Diagnostic[]; output: Diagnostic[] } }>> };
  ProblemJsonError: { toProblemJson(error: Error): unknown; fromTemplate(template: object, detail: string, additional?: object): ProblemError };
  UNPROCESSABLE_ENTITY: object;
  VIOLATIONS: object;
  route(args: { resources: Resource[]; input: PrismInput }): Either<ProblemError, Resource>;
  validateInput(args: { resource: Resource; element: PrismInput }): Either<Diagnostic[], unknown>;
  validateSecurity(args: { resource: Resource; element: PrismInput }): Either<Diagnostic[], unknown>;
  createLogger(name: string, options: object): unknown;
}

/** An operation as Prism holds it. */
export interface Resource {
  iid?: string;
  method: string;
  path: string;
}

let modules: PrismModules | undefined;

function prism(): PrismModules {
  if (!modules) {
    const http = require("@stoplight/prism-http") as PrismModules;
    const router = require("@stoplight/prism-http/dist/router") as { default: PrismModules["route"] };
    const validator = require("@stoplight/prism-http/dist/validator") as Pick<PrismModules, "validateInput" | "validateSecurity">;
    const core = require("@stoplight/prism-core") as Pick<PrismModules, "createLogger">;
    modules = { ...http, route: router.default, validateInput: validator.validateInput, validateSecurity: validator.validateSecurity, createLogger: core.createLogger };
  }
  return modules;
}

const SEVERITIES = ["error", "warning", "information", "hint"] as const;

export interface PrismEngine {
  /** The operation a request is for, or the problem Prism answers when there is none (404, 405). */
  route(method: string, path: string): { resource: Resource } | { problem: PrismAnswer };
  /** Validates the request against `resource` and makes Prism's answer. */
  answer(input: PrismInput, resource: Resource, preferences: PrismPreferences): Promise<{ valid: boolean; violations: Violation[]; answer: PrismAnswer }>;
}

const resourcesByDocument = new WeakMap<object, Promise<Resource[]>>();

export async function createPrismEngine(document: object, options: { dynamic: boolean }): Promise<PrismEngine> {
  const p = prism();
  let pending = resourcesByDocument.get(document);
  if (!pending) {
    // Prism dereferences the document in place: it gets a copy, never the caller's object.
    pending = p.getHttpOperationsFromSpec(structuredClone(document));
    resourcesByDocument.set(document, pending);
  }
  const resources = await pending;
  // The verdict on each request, caught on its way through Prism's own validators.
  const verdicts = new WeakMap<PrismInput, Diagnostic[]>();
  const record = (input: PrismInput, result: Either<Diagnostic[], unknown>) => {
    if (result._tag === "Left") verdicts.set(input, [...(verdicts.get(input) ?? []), ...result.left]);
    return result;
  };
  const logger = p.createLogger("satbind-mock", { level: "silent" });
  const instance = p.createInstance(
    { validateRequest: true, validateResponse: true, checkSecurity: true, errors: true, upstreamProxy: undefined, isProxy: false, mock: { dynamic: options.dynamic } },
    {
      logger,
      validateInput: (args: { resource: Resource; element: PrismInput }) => record(args.element, p.validateInput(args)),
      validateSecurity: (args: { resource: Resource; element: PrismInput }) => record(args.element, p.validateSecurity(args)),
    },
  );
  const problem = (error: ProblemError, request: Violation[]): PrismAnswer => ({
    status: error.status ?? 500,
    headers: { "content-type": "application/problem+json", ...error.additional?.headers },
    body: p.ProblemJsonError.toProblemJson(error),
    violations: { request, response: [] },
  });

  return {
    route(method, path) {
      const input: PrismInput = { method: method.toLowerCase(), url: { path, query: {} }, headers: {}, body: undefined };
      const routed = p.route({ resources, input });
      return routed._tag === "Right" ? { resource: routed.right } : { problem: problem(routed.left, []) };
    },
    async answer(input, resource, preferences) {
      const config = { mock: { dynamic: options.dynamic, ...withoutUndefined(preferences) } };
      const result = await instance.request(input, [resource], config)();
      const request = (verdicts.get(input) ?? []).map(violation);
      const valid = !request.some((v) => v.severity === "error");
      if (result._tag === "Left") return { valid, violations: request, answer: problem(result.left, request) };
      const { output, validations } = result.right;
      const response = validations.output.map(violation);
      // As Prism's server with --errors: an answer that breaks the spec becomes a 500 naming why.
      const broken = response.filter((v) => v.severity === "error");
      if (broken.length > 0) {
        const error = p.ProblemJsonError.fromTemplate(p.VIOLATIONS, "The mock's answer does not match the spec, so it answers this error instead.", { validation: broken });
        return { valid, violations: request, answer: { ...problem(error, request), violations: { request, response } } };
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(output.headers ?? {})) headers[name.toLowerCase()] = String(value);
      return { valid, violations: request, answer: { status: output.statusCode, headers, body: output.body, violations: { request, response } } };
    },
  };
}

function violation(d: Diagnostic): Violation {
  return { location: (d.path ?? []).map(String), message: d.message, code: String(d.code ?? ""), severity: SEVERITIES[d.severity] ?? "error" };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Prism's `Prefer` header (`code=404, example=paid, dynamic=true`), or its `__code` query parameters. */
export function preferencesOf(headers: Record<string, string>, query: Record<string, string | string[]>): PrismPreferences | { invalid: string } {
  const raw: Record<string, string> = {};
  if (headers.prefer) {
    for (const part of headers.prefer.split(/[,;]/)) {
      const [name, ...value] = part.split("=");
      if (name?.trim()) raw[name.trim().toLowerCase()] = value.join("=").trim().replace(/^"(.*)"$/, "$1");
    }
  } else {
    for (const name of ["code", "dynamic", "seed", "example"]) {
      const value = query[`__${name}`];
      if (typeof value === "string") raw[name] = value;
    }
  }
  const preferences: PrismPreferences = {};
  if (raw.code !== undefined) {
    if (!/^\d{3}$/.test(raw.code)) return { invalid: `Prefer code must be a three-digit status, got "${raw.code}"` };
    preferences.code = Number(raw.code);
  }
  if (raw.dynamic !== undefined) {
    if (raw.dynamic !== "true" && raw.dynamic !== "false") return { invalid: `Prefer dynamic must be true or false, got "${raw.dynamic}"` };
    preferences.dynamic = raw.dynamic === "true";
  }
  if (raw.example !== undefined) preferences.exampleKey = raw.example;
  if (raw.seed !== undefined) preferences.seed = raw.seed;
  return preferences;
}

/** Prism's 422 for a Prefer header it cannot read. */
export function invalidPreferences(detail: string): PrismAnswer {
  const p = prism();
  const error = p.ProblemJsonError.fromTemplate(p.UNPROCESSABLE_ENTITY, detail);
  return { status: error.status ?? 422, headers: { "content-type": "application/problem+json" }, body: p.ProblemJsonError.toProblemJson(error), violations: { request: [], response: [] } };
}
