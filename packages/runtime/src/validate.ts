// Checks a response body against the spec's schema, for clients created with validateResponses.
// The subset of JSON Schema our specs use (OpenAPI 3.0 and 3.1): type (and 3.0's nullable), enum,
// const, properties, required, additionalProperties, items, allOf, anyOf, oneOf, string length,
// pattern, number bounds and array length. `format` is not checked: the generated types do not
// narrow on it, so a body cannot break a type by it.
//
// Problems name where (a JSON pointer into the body) and what, never the value found there: a
// response may carry a secret.

import { ResponseValidationError } from "./errors.js";
import type { OperationTable } from "./operations.js";
import type { ResponseValidator } from "./validator.js";

export type { CheckedAnswer, ResponseValidator } from "./validator.js";

/** A schema as the generator writes it: JSON, with references as "#/components/schemas/<name>". */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

/** What the generator emits per spec (src/generated/<spec>/responses.ts), loaded on first use. */
export interface ResponseSchemas {
  /** "3.0" reads `nullable: true`; "3.1" reads "null" in `type`. */
  readonly openapi: "3.0" | "3.1";
  /** operationId -> HTTP status -> the schema of its JSON body (`true` when it has none). Only 2xx answers are listed. */
  readonly operations: Readonly<Record<string, Readonly<Record<string, JsonSchema>>>>;
  /** components.schemas, for references. */
  readonly components: Readonly<Record<string, JsonSchema>>;
}

export interface ValidationProblem {
  /** Where in the body, as a JSON pointer ("" is the whole body). */
  pointer: string;
  message: string;
}

const MAX_PROBLEMS = 20;
const MAX_DEPTH = 64;

/**
 * The problems with a body for an operation's status, or undefined when the spec has no JSON
 * schema for that status (nothing to check against).
 */
export function validateResponse(schemas: ResponseSchemas, operationId: string, status: number, body: unknown): ValidationProblem[] | undefined {
  const byStatus = schemas.operations[operationId];
  if (!byStatus) return undefined;
  const schema = byStatus[String(status)] ?? byStatus[`${String(status)[0]}XX`];
  if (schema === undefined) {
    const documented = Object.keys(byStatus);
    return documented.length === 0 ? undefined : [{ pointer: "", message: `HTTP ${status} is not a documented answer (the spec lists ${documented.join(", ")})` }];
  }
  return validateValue(schema, body, schemas);
}

export function validateValue(schema: JsonSchema, value: unknown, schemas: Pick<ResponseSchemas, "openapi" | "components">): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  check(schema, value, "", { schemas, patterns: new Map() }, problems, 0);
  return problems.slice(0, MAX_PROBLEMS);
}

interface Context {
  schemas: Pick<ResponseSchemas, "openapi" | "components">;
  patterns: Map<string, RegExp | undefined>;
}

function check(schema: JsonSchema, value: unknown, pointer: string, ctx: Context, problems: ValidationProblem[], depth: number): void {
  if (schema === true || problems.length >= MAX_PROBLEMS) return;
  if (schema === false) return void problems.push({ pointer, message: "no value is allowed here" });
  if (depth > MAX_DEPTH) return;
  const s = schema as Record<string, unknown>;
  // 3.0's nullable also covers a $ref or allOf beside it, as the generated types read it.
  const nullable = s.nullable === true && ctx.schemas.openapi === "3.0";
  if (value === null && nullable) return;

  if (typeof s.$ref === "string") {
    const target = resolve(s.$ref, ctx);
    if (target !== undefined) check(target, value, pointer, ctx, problems, depth + 1);
  }
  if (Array.isArray(s.allOf)) for (const part of s.allOf) check(part as JsonSchema, value, pointer, ctx, problems, depth + 1);
  if (Array.isArray(s.anyOf)) checkBranches(s.anyOf as JsonSchema[], "any", value, pointer, ctx, problems, depth);
  if (Array.isArray(s.oneOf)) checkBranches(s.oneOf as JsonSchema[], "one", value, pointer, ctx, problems, depth);

  if ("const" in s && !deepEqual(s.const, value)) return void problems.push({ pointer, message: "is not the one value the spec allows" });
  if (Array.isArray(s.enum) && !s.enum.some((allowed) => deepEqual(allowed, value))) {
    return void problems.push({ pointer, message: `is not one of ${s.enum.map((e) => JSON.stringify(e)).join(", ")}` });
  }

  const types = typeof s.type === "string" ? [s.type] : Array.isArray(s.type) ? (s.type as string[]) : undefined;
  if (types && !types.some((t) => hasType(value, t))) {
    return void problems.push({ pointer, message: `expected ${types.join(" or ")}${nullable ? " or null" : ""}, got ${typeOf(value)}` });
  }

  if (typeof value === "string") checkString(s, value, pointer, ctx, problems);
  else if (typeof value === "number") checkNumber(s, value, pointer, problems);
  else if (Array.isArray(value)) {
    if (typeof s.minItems === "number" && value.length < s.minItems) problems.push({ pointer, message: `has ${value.length} items, fewer than ${s.minItems}` });
    if (typeof s.maxItems === "number" && value.length > s.maxItems) problems.push({ pointer, message: `has ${value.length} items, more than ${s.maxItems}` });
    if (s.items !== undefined && !Array.isArray(s.items)) {
      value.forEach((item, i) => check(s.items as JsonSchema, item, `${pointer}/${i}`, ctx, problems, depth + 1));
    }
  } else if (value !== null && typeof value === "object") checkObject(s, value as Record<string, unknown>, pointer, ctx, problems, depth);
}

function checkObject(s: Record<string, unknown>, value: Record<string, unknown>, pointer: string, ctx: Context, problems: ValidationProblem[], depth: number): void {
  const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
  if (Array.isArray(s.required)) {
    for (const name of s.required as string[]) {
      if (!Object.hasOwn(value, name)) problems.push({ pointer: `${pointer}/${escape(name)}`, message: "is required but missing" });
    }
  }
  for (const [name, child] of Object.entries(value)) {
    const at = `${pointer}/${escape(name)}`;
    if (Object.hasOwn(properties, name)) check(properties[name]!, child, at, ctx, problems, depth + 1);
    else if (s.additionalProperties === false) problems.push({ pointer: at, message: "is not a field the spec allows here" });
    else if (s.additionalProperties !== undefined && s.additionalProperties !== true) {
      check(s.additionalProperties as JsonSchema, child, at, ctx, problems, depth + 1);
    }
  }
}

function checkString(s: Record<string, unknown>, value: string, pointer: string, ctx: Context, problems: ValidationProblem[]): void {
  const length = [...value].length;
  if (typeof s.minLength === "number" && length < s.minLength) problems.push({ pointer, message: `is shorter than ${s.minLength} characters` });
  if (typeof s.maxLength === "number" && length > s.maxLength) problems.push({ pointer, message: `is longer than ${s.maxLength} characters` });
  if (typeof s.pattern === "string") {
    const pattern = compile(s.pattern, ctx);
    if (pattern && !pattern.test(value)) problems.push({ pointer, message: `does not match the pattern ${s.pattern}` });
  }
}

function checkNumber(s: Record<string, unknown>, value: number, pointer: string, problems: ValidationProblem[]): void {
  const exclusiveMin = s.exclusiveMinimum === true ? s.minimum : s.exclusiveMinimum;
  const exclusiveMax = s.exclusiveMaximum === true ? s.maximum : s.exclusiveMaximum;
  if (typeof s.minimum === "number" && s.exclusiveMinimum !== true && value < s.minimum) problems.push({ pointer, message: `is less than ${s.minimum}` });
  if (typeof s.maximum === "number" && s.exclusiveMaximum !== true && value > s.maximum) problems.push({ pointer, message: `is more than ${s.maximum}` });
  if (typeof exclusiveMin === "number" && value <= exclusiveMin) problems.push({ pointer, message: `is not more than ${exclusiveMin}` });
  if (typeof exclusiveMax === "number" && value >= exclusiveMax) problems.push({ pointer, message: `is not less than ${exclusiveMax}` });
}

/**
 * anyOf passes when a branch passes; oneOf when exactly one does. When none does, the branch that
 * got furthest into the body explains best (for `anyOf: [Payment, null]`, Payment's missing field
 * rather than "expected null").
 */
function checkBranches(branches: JsonSchema[], mode: "any" | "one", value: unknown, pointer: string, ctx: Context, problems: ValidationProblem[], depth: number): void {
  const results = branches.map((branch) => {
    const found: ValidationProblem[] = [];
    check(branch, value, pointer, ctx, found, depth + 1);
    return found;
  });
  const passing = results.filter((r) => r.length === 0).length;
  if (mode === "one" && passing > 1) return void problems.push({ pointer, message: `matches ${passing} of the oneOf shapes; the spec allows exactly one` });
  if (passing > 0) return;
  const reach = (found: ValidationProblem[]) => Math.max(...found.map((p) => p.pointer.split("/").length));
  const best = results.reduce((a, b) => (reach(b) > reach(a) || (reach(b) === reach(a) && b.length < a.length) ? b : a));
  if (reach(best) > pointer.split("/").length) problems.push(...best);
  else problems.push({ pointer, message: `matches none of the ${branches.length} shapes the spec allows (${best[0]!.message})` });
}

function resolve(ref: string, ctx: Context): JsonSchema | undefined {
  const prefix = "#/components/schemas/";
  if (!ref.startsWith(prefix)) return undefined;
  const name = ref.slice(prefix.length).replace(/~1/g, "/").replace(/~0/g, "~");
  return ctx.schemas.components[name];
}

function compile(pattern: string, ctx: Context): RegExp | undefined {
  if (!ctx.patterns.has(pattern)) {
    let compiled: RegExp | undefined;
    try {
      compiled = new RegExp(pattern, "u");
    } catch {
      compiled = undefined; // A pattern JavaScript cannot read is not checked rather than failing every answer.
    }
    ctx.patterns.set(pattern, compiled);
  }
  return ctx.patterns.get(pattern);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "null": return value === null;
    case "boolean": return typeof value === "boolean";
    case "string": return typeof value === "string";
    case "integer": return Number.isInteger(value);
    case "number": return typeof value === "number" && Number.isFinite(value);
    case "array": return Array.isArray(value);
    case "object": return value !== null && typeof value === "object" && !Array.isArray(value);
    default: return true;
  }
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (value === undefined) return "no body";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function escape(name: string): string {
  return name.replace(/~/g, "~0").replace(/\//g, "~1");
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * A validator for `validateResponses`, for clients of the API whose operation table and response
 * schemas (both generated) it is given. Given a client of another API it throws, rather than
 * check nothing.
 */
export function createResponseValidator(operations: OperationTable, schemas: ResponseSchemas): ResponseValidator {
  return ({ operations: table, operation, method, url, status, body, redactor, logger }) => {
    if (table !== operations) throw new TypeError("validateResponses: this validator is for another API than the client's; import the one from the client's own package");
    const problems = validateResponse(schemas, operation.operationId, status, body);
    if (!problems?.length) return;
    const error = new ResponseValidationError({
      operationId: operation.operationId,
      method,
      url: redactor.url(url),
      status,
      movesFunds: operation.movesFunds,
      problems: problems.map((p) => ({ pointer: redactor.text(p.pointer), message: redactor.text(p.message) })),
      body: redactor.value(body),
    });
    logger?.warn?.("satbind response does not match the spec", { operationId: error.operationId, method, url: error.url, status, pointer: error.pointer });
    throw error;
  };
}
