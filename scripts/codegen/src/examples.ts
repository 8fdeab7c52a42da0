// Every example in a spec must validate against its schema: Prism answers with these examples and
// contract tests compare against them, so a wrong example would make both lie.
//
// Checked: media-type and parameter `example` / `examples.*.value` against their `schema`, and a
// schema's own `example` (3.0) or `examples` list (3.1). JSON Schema draft 2020-12 for OpenAPI 3.1,
// draft-07 plus `nullable` for 3.0. Formats are checked where ajv-formats knows them.
import { Ajv, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { addStandardFormats, registerFormats } from "./formats.js";
import { formatProblem, getAt, isObject, loadAndValidateSpec, loadSource, parsePointer, toPointer, type JsonObject, type SourceFile, type SpecProblem, type ValidSpec } from "./spec.js";


const SPEC_ID = "urn:satbind:spec";
/** Keys whose values are schemas: an example nested under one of these is a schema example. */
const SCHEMA_HINTS = ["type", "properties", "items", "anyOf", "oneOf", "allOf", "enum", "pattern", "$ref", "format", "const"];

interface Example {
  /** Where the example sits. */
  pointer: string;
  /** Where its schema sits. */
  schemaPointer: string;
  value: unknown;
}

export function exampleProblems(spec: ValidSpec): SpecProblem[] {
  const loaded = loadSource(spec.file);
  if (!loaded.ok) return loaded.problems;
  const source = loaded.source;
  const validate = schemaValidator(spec);
  const problems: SpecProblem[] = [];
  for (const example of collectExamples(spec.document)) {
    const result = validate(example.schemaPointer, resolveExampleRef(spec.document, example.value));
    if (result === undefined) continue;
    if ("compile" in result && result.compile !== undefined) problems.push(problem(source, example.schemaPointer, `schema cannot be compiled: ${result.compile}`));
    else if ("at" in result) problems.push(problem(source, example.pointer, `example does not match its schema${result.at ? ` at ${result.at}` : ""}: ${result.message}`));
  }
  return problems;
}

export type SchemaCheck = undefined | { compile: string } | { at: string; message: string };

/**
 * Validates values against the schema at a JSON pointer of the spec (for example
 * "#/components/schemas/Payment"). Returns undefined when the value is valid.
 */
export function schemaValidator(specOrFile: ValidSpec | string): (schemaPointer: string, value: unknown) => SchemaCheck {
  const spec = typeof specOrFile === "string" ? loadValid(specOrFile) : specOrFile;
  const ajv =
    spec.version === "3.1"
      ? new Ajv2020({ strict: false, allErrors: true, validateFormats: true })
      : new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addStandardFormats(ajv);
  // OpenAPI's formats and real upstreams' non-standard ones; any other is accepted (lint lists it once).
  registerFormats(ajv, spec.document);
  const document = spec.version === "3.0" ? draft4Bounds(spec.document) : spec.document;
  ajv.addSchema({ ...(document as JsonObject), $id: SPEC_ID });

  const validators = new Map<string, ValidateFunction | string>();
  return (schemaPointer, value) => {
    const pointer = schemaPointer.startsWith("#") ? schemaPointer : `#${schemaPointer}`;
    let validate = validators.get(pointer);
    if (validate === undefined) {
      try {
        validate = ajv.compile({ $ref: `${SPEC_ID}${pointer}` });
      } catch (error) {
        validate = (error as Error).message;
      }
      validators.set(pointer, validate);
    }
    if (typeof validate === "string") return { compile: validate };
    if (validate(value)) return undefined;
    const first = validate.errors?.[0];
    return { at: first?.instancePath ?? "", message: first?.message ?? "invalid" };
  };
}

function loadValid(file: string): ValidSpec {
  const result = loadAndValidateSpec(file);
  if (!result.ok) throw new Error(result.problems.map((p) => formatProblem(p)).join("\n"));
  return result.spec;
}

function collectExamples(document: unknown): Example[] {
  const found: Example[] = [];
  const visit = (node: unknown, at: (string | number)[]): void => {
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, [...at, i]));
    if (!isObject(node)) return;
    const here = toPointer(at);
    if ("schema" in node && isObject(node.schema)) {
      // A media type or parameter: `example`, or a map of Example Objects.
      const schemaPointer = `${here}/schema`;
      if ("example" in node) found.push({ pointer: `${here}/example`, schemaPointer, value: node.example });
      if (isObject(node.examples)) {
        for (const [name, ex] of Object.entries(node.examples)) {
          if (isObject(ex) && "value" in ex) found.push({ pointer: toPointer([...at, "examples", name, "value"]), schemaPointer, value: ex.value });
          else if (isObject(ex) && typeof ex.$ref === "string") found.push({ pointer: toPointer([...at, "examples", name]), schemaPointer, value: ex });
        }
      }
    } else if (SCHEMA_HINTS.some((k) => k in node) && !at.includes("examples")) {
      if ("example" in node) found.push({ pointer: `${here}/example`, schemaPointer: here, value: node.example });
      if (Array.isArray(node.examples)) node.examples.forEach((value, i) => found.push({ pointer: `${here}/examples/${i}`, schemaPointer: here, value }));
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === "example" || key === "examples" || key.startsWith("x-")) continue;
      visit(value, [...at, key]);
    }
  };
  visit(document, []);
  return found;
}

/** OpenAPI 3.0 writes `exclusiveMinimum: true` next to `minimum` (draft-04); draft-07 wants the bound itself. */
function draft4Bounds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(draft4Bounds);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
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

/** A `$ref` to components/examples stands for that Example Object's value. */
function resolveExampleRef(document: unknown, value: unknown): unknown {
  if (isObject(value) && typeof value.$ref === "string" && value.$ref.startsWith("#/")) {
    const target = getAt(document, parsePointer(value.$ref));
    return isObject(target) && "value" in target ? target.value : target;
  }
  return value;
}

function problem(source: SourceFile, pointer: string, message: string): SpecProblem {
  return { file: source.file, ...source.lineOf(pointer), pointer, message };
}
