// A spec as the mock reads it: the document (from a provider package's `spec`, a plain object or a
// file), and per operation its method, path and documented responses: where each status's JSON
// schema sits and the example that stands for it.
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { distance } from "fastest-levenshtein";
import { MockError } from "./errors.js";

const require = createRequire(import.meta.url);

type JsonObject = { [key: string]: unknown };

export interface DocumentedResponse {
  /** The response's key in the spec: "200", "4XX" or "default". */
  key: string;
  /** JSON pointer to the schema of its JSON body, when it has one. */
  schemaPointer: string | undefined;
  /** Whether the spec gives this status a body at all. */
  hasBody: boolean;
  /** The body's example (media-type example, first named example, or the schema's), if any. */
  example: unknown;
}

export interface SpecOperation {
  operationId: string;
  /** Upper case. */
  method: string;
  /** The path template, e.g. "/invoices/{payment_hash}". */
  path: string;
  pathParamNames: string[];
  pathPattern: RegExp;
  responses: DocumentedResponse[];
  /** The statuses written out as numbers, sorted. */
  statuses: number[];
}

export interface LoadedSpec {
  document: JsonObject;
  version: "3.0" | "3.1";
  /** The spec's title, for messages. */
  title: string;
  operations: Map<string, SpecOperation>;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const loaded = new WeakMap<object, LoadedSpec>();

/** Reads a spec argument: a document object, or the path of a JSON or YAML file. */
export function loadSpec(input: unknown): LoadedSpec {
  if (typeof input === "string") return loadSpecFile(input);
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new MockError(`createMock: pass a provider's spec (import { spec } from "@satbind/<provider>/spec"), an OpenAPI document or a file path; got ${input === null ? "null" : typeof input}`);
  }
  let spec = loaded.get(input);
  if (!spec) {
    spec = indexSpec(input as JsonObject, "the spec");
    loaded.set(input, spec);
  }
  return spec;
}

/** The same unchanged file gives the same document, so the next mock of it starts from the caches. */
const files = new Map<string, { stamp: string; spec: LoadedSpec }>();

function loadSpecFile(file: string): LoadedSpec {
  let stamp = "";
  try {
    const stat = statSync(file);
    stamp = `${stat.mtimeMs}:${stat.size}`;
  } catch {
    // readSpecFile says what is wrong.
  }
  const cached = files.get(file);
  if (cached && stamp && cached.stamp === stamp) return cached.spec;
  const spec = indexSpec(readSpecFile(file), file);
  if (stamp) files.set(file, { stamp, spec });
  return spec;
}

function readSpecFile(file: string): JsonObject {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new MockError(`createMock: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    const data: unknown = /\.json$/i.test(file) ? JSON.parse(text) : (require("@stoplight/yaml") as { parse(text: string): unknown }).parse(text);
    if (typeof data === "object" && data !== null && !Array.isArray(data)) return data as JsonObject;
  } catch (error) {
    throw new MockError(`createMock: ${file} is not valid ${/\.json$/i.test(file) ? "JSON" : "YAML"}: ${(error as Error).message}`);
  }
  throw new MockError(`createMock: ${file} does not hold an OpenAPI document`);
}

function indexSpec(document: JsonObject, what: string): LoadedSpec {
  const openapi = document.openapi;
  if (typeof openapi !== "string" || !/^3\.[01]\./.test(openapi)) {
    throw new MockError(`createMock: ${what} is not an OpenAPI 3.0 or 3.1 document (openapi: ${JSON.stringify(openapi ?? null)})`);
  }
  const deref = (value: unknown, pointer: string): [JsonObject | undefined, string] => {
    let current = value;
    let at = pointer;
    for (let i = 0; i < 20 && isObject(current) && typeof current.$ref === "string" && current.$ref.startsWith("#"); i++) {
      at = current.$ref;
      current = resolvePointer(document, current.$ref);
    }
    return [isObject(current) ? current : undefined, at];
  };
  const operations = new Map<string, SpecOperation>();
  for (const [path, rawItem] of Object.entries(isObject(document.paths) ? document.paths : {})) {
    const [item] = deref(rawItem, `#/paths/${escape(path)}`);
    for (const method of METHODS) {
      const operation = item?.[method];
      if (!isObject(operation)) continue;
      const operationId = typeof operation.operationId === "string" ? operation.operationId : `${method.toUpperCase()} ${path}`;
      const responses: DocumentedResponse[] = Object.entries(isObject(operation.responses) ? operation.responses : {}).map(([key, raw]) => {
        const [response, at] = deref(raw, `#/paths/${escape(path)}/${method}/responses/${escape(key)}`);
        const [content, contentAt] = deref(response?.content, `${at}/content`);
        const mediaType = Object.keys(content ?? {}).find((type) => /^application\/([\w.+-]+\+)?json\b/.test(type)) ?? Object.keys(content ?? {})[0];
        const [media, mediaAt] = mediaType ? deref(content?.[mediaType], `${contentAt}/${escape(mediaType)}`) : [undefined, ""];
        const hasSchema = media !== undefined && media.schema !== undefined;
        return { key, schemaPointer: hasSchema ? `${mediaAt}/schema` : undefined, hasBody: mediaType !== undefined, example: exampleOf(media, (v) => deref(v, "")[0]) };
      });
      const statuses = responses.map((r) => Number(r.key)).filter((n) => Number.isInteger(n)).sort((a, b) => a - b);
      const pathParamNames = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      const pathPattern = new RegExp(`^${path.split(/\{[^}]+\}/).map(escapeRegExp).join("([^/]+)")}$`);
      operations.set(operationId, { operationId, method: method.toUpperCase(), path, pathParamNames, pathPattern, responses, statuses });
    }
  }
  const info = isObject(document.info) ? document.info : {};
  return { document, version: openapi.startsWith("3.1") ? "3.1" : "3.0", title: typeof info.title === "string" ? info.title : "API", operations };
}

function exampleOf(media: JsonObject | undefined, deref: (value: unknown) => JsonObject | undefined): unknown {
  if (!media) return undefined;
  if ("example" in media) return media.example;
  if (isObject(media.examples)) {
    const first = deref(Object.values(media.examples)[0]);
    if (first && "value" in first) return first.value;
  }
  const schema = deref(media.schema);
  return schema?.example ?? (Array.isArray(schema?.examples) ? schema.examples[0] : undefined);
}

/** The documented response a status falls under: its own code, then "4XX", then "default". */
export function responseFor(operation: SpecOperation, status: number): DocumentedResponse | undefined {
  const { responses } = operation;
  return responses.find((r) => r.key === String(status)) ?? responses.find((r) => r.key.toUpperCase() === `${String(status)[0]}XX`) ?? responses.find((r) => r.key === "default");
}

/** "did you mean pay_invoice?" for a mistyped operationId, then every operation the spec has. */
export function suggest(name: string, known: string[]): string {
  const plain = (text: string) => text.toLowerCase().replace(/[-_\s]/g, "");
  const wanted = plain(name);
  const close = known
    .map((id) => ({ id, d: distance(wanted, plain(id)) }))
    .filter(({ id, d }) => d <= Math.max(2, Math.floor(id.length / 3)) || (wanted.length >= 3 && plain(id).includes(wanted)))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map(({ id }) => id);
  return `${close.length > 0 ? `did you mean ${close.join(" or ")}? ` : ""}(the spec has ${known.length} operations: ${known.join(", ")})`;
}

export function resolvePointer(document: unknown, pointer: string): unknown {
  let current = document;
  for (const part of pointer.replace(/^#\/?/, "").split("/")) {
    if (part === "") continue;
    const key = decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~");
    current = isObject(current) || Array.isArray(current) ? (current as JsonObject)[key] : undefined;
  }
  return current;
}

function escape(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
