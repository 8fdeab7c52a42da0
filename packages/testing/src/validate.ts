// Checks a reply body against the schema the spec gives its status, with ajv: JSON Schema 2020-12
// for OpenAPI 3.1, draft-07 plus OpenAPI's `nullable` for 3.0. One validator per spec document,
// compiled lazily per schema and kept for the next mock of the same spec.
import { createRequire } from "node:module";
import type { ValidateFunction, ErrorObject } from "ajv";
import { isObject, type LoadedSpec } from "./spec.js";

const require = createRequire(import.meta.url);
const SPEC_ID = "urn:satbind:mock-spec";

export interface BodyProblem {
  /** JSON pointer into the body ("" for the body itself). */
  pointer: string;
  message: string;
}

export type BodyCheck = (schemaPointer: string, body: unknown) => BodyProblem | undefined;

const checkers = new WeakMap<object, BodyCheck>();

export function bodyChecker(spec: LoadedSpec): BodyCheck {
  let check = checkers.get(spec.document);
  if (!check) {
    check = createChecker(spec);
    checkers.set(spec.document, check);
  }
  return check;
}

interface AjvLike {
  formats: Record<string, unknown>;
  addFormat(name: string, format: unknown): unknown;
  addSchema(schema: object): unknown;
  compile(schema: object): ValidateFunction;
}

function createChecker(spec: LoadedSpec): BodyCheck {
  const options = { strict: false, allErrors: false, validateFormats: true };
  const ajv: AjvLike =
    spec.version === "3.1"
      ? new (require("ajv/dist/2020") as { default: new (o: object) => AjvLike }).default(options)
      : new (require("ajv") as { default: new (o: object) => AjvLike }).default(options);
  const addFormats = require("ajv-formats") as ((ajv: AjvLike) => void) & { default?: (ajv: AjvLike) => void };
  (addFormats.default ?? addFormats)(ajv);
  // OpenAPI's own formats, which JSON Schema does not define.
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  for (const name of ["float", "double", "byte", "binary", "password"]) ajv.addFormat(name, true);
  // OpenAPI lets a spec name formats of its own (BTCPay's "decimal", "unix timestamp in seconds"...); they
  // document, they do not constrain: accept them quietly rather than have ajv warn once per schema.
  for (const name of formatsIn(spec.document)) if (!(name in ajv.formats)) ajv.addFormat(name, true);
  ajv.addSchema({ ...(spec.version === "3.0" ? (draft4Bounds(spec.document) as object) : spec.document), $id: SPEC_ID });

  const compiled = new Map<string, ValidateFunction>();
  return (schemaPointer, body) => {
    let validate = compiled.get(schemaPointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `${SPEC_ID}${schemaPointer}` });
      compiled.set(schemaPointer, validate);
    }
    if (validate(body)) return undefined;
    return describe(validate.errors?.[0]);
  };
}

function describe(error: ErrorObject | undefined): BodyProblem {
  if (!error) return { pointer: "", message: "does not match" };
  const params = error.params as Record<string, unknown>;
  let message = error.message ?? "does not match";
  if (error.keyword === "enum" && Array.isArray(params.allowedValues)) message = `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
  if (error.keyword === "required") {
    return { pointer: `${error.instancePath}/${escape(String(params.missingProperty))}`, message: "is required but missing" };
  }
  if (error.keyword === "additionalProperties") {
    return { pointer: `${error.instancePath}/${escape(String(params.additionalProperty))}`, message: "is not a property the spec allows here" };
  }
  return { pointer: error.instancePath, message };
}

function formatsIn(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) formatsIn(item, found);
  else if (isObject(node)) {
    if (typeof node.format === "string") found.add(node.format);
    for (const value of Object.values(node)) formatsIn(value, found);
  }
  return found;
}

function escape(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** OpenAPI 3.0 writes `exclusiveMinimum: true` beside `minimum` (draft-04); draft-07 wants the bound itself. */
function draft4Bounds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(draft4Bounds);
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = draft4Bounds(value);
  for (const [flag, bound] of [["exclusiveMinimum", "minimum"], ["exclusiveMaximum", "maximum"]] as const) {
    if (typeof out[flag] !== "boolean") continue;
    if (out[flag] === true && typeof out[bound] === "number") {
      out[flag] = out[bound];
      delete out[bound];
    } else delete out[flag];
  }
  return out;
}
