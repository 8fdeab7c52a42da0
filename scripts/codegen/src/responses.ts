// The response schemas a client checks bodies against when created with validateResponses: for
// every operation, the JSON schema of each 2xx answer, and the component schemas they reference.
// Only the keywords the runtime's validator reads are kept, so the module stays small.
import { getAt, isObject, parsePointer, type JsonObject, type ValidSpec } from "./spec.js";

const COMPONENT_PREFIX = "#/components/schemas/";

/** Keywords whose value is one schema / a list of schemas / a map of name -> schema. */
const SCHEMA_KEYWORDS = new Set(["items", "additionalProperties"]);
const SCHEMA_LIST_KEYWORDS = new Set(["allOf", "anyOf", "oneOf"]);
const SCHEMA_MAP_KEYWORDS = new Set(["properties"]);
/** Keywords kept as they are. */
const VALUE_KEYWORDS = new Set([
  "$ref", "type", "nullable", "enum", "const", "required",
  "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems",
]);

export interface ResponseSchemasData {
  openapi: "3.0" | "3.1";
  operations: Record<string, Record<string, unknown>>;
  components: Record<string, unknown>;
}

export function responseSchemas(spec: ValidSpec): ResponseSchemasData {
  const { document } = spec;
  const deref = (value: unknown): JsonObject | undefined => {
    let current = value;
    for (let i = 0; i < 20 && isObject(current) && typeof current.$ref === "string"; i++) current = getAt(document, parsePointer(current.$ref));
    return isObject(current) ? current : undefined;
  };
  const used = new Set<string>();

  // Component references stay references (they may be recursive); any other $ref is inlined.
  const slim = (schema: unknown, depth = 0): unknown => {
    if (typeof schema === "boolean") return schema;
    if (!isObject(schema) || depth > 64) return true;
    if (typeof schema.$ref === "string" && !schema.$ref.startsWith(COMPONENT_PREFIX)) return slim(deref(schema), depth + 1);
    const out: JsonObject = {};
    for (const [keyword, value] of Object.entries(schema)) {
      if (keyword === "$ref") used.add(decode((value as string).slice(COMPONENT_PREFIX.length)));
      if (VALUE_KEYWORDS.has(keyword)) out[keyword] = value;
      else if (SCHEMA_KEYWORDS.has(keyword)) out[keyword] = typeof value === "boolean" ? value : slim(value, depth + 1);
      else if (SCHEMA_LIST_KEYWORDS.has(keyword) && Array.isArray(value)) out[keyword] = value.map((v) => slim(v, depth + 1));
      else if (SCHEMA_MAP_KEYWORDS.has(keyword) && isObject(value)) {
        out[keyword] = Object.fromEntries(Object.entries(value).map(([name, v]) => [name, slim(v, depth + 1)]));
      }
    }
    return out;
  };

  const operations: Record<string, Record<string, unknown>> = {};
  for (const { operationId, operation } of spec.operations) {
    const byStatus: Record<string, unknown> = {};
    for (const [status, response] of Object.entries((operation.responses ?? {}) as JsonObject)) {
      if (!/^2(\d\d|XX)$/.test(status)) continue;
      const content = deref(deref(response)?.content);
      const media = content && Object.entries(content).find(([type]) => /^application\/([\w.+-]+\+)?json\b/.test(type))?.[1];
      const schema = deref(media)?.schema;
      // A documented answer without a JSON body (204, say) accepts whatever comes.
      byStatus[status] = schema === undefined ? true : slim(schema);
    }
    operations[operationId] = byStatus;
  }

  // Components reachable from the answers, following references inside components too.
  const components: Record<string, unknown> = {};
  const all = (getAt(document, ["components", "schemas"]) ?? {}) as JsonObject;
  for (let pending = [...used]; pending.length > 0; pending = [...used].filter((name) => !(name in components))) {
    for (const name of pending) components[name] = slim(all[name]);
  }
  const sorted = Object.fromEntries(Object.keys(all).filter((name) => name in components).map((name) => [name, components[name]]));
  return { openapi: spec.version, operations, components: sorted };
}

function decode(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** The module src/generated/<spec>/responses.ts: one line per operation and per component, for readable diffs. */
export function renderResponsesModule(spec: ValidSpec): string {
  const data = responseSchemas(spec);
  const entries = (record: Record<string, unknown>) => Object.entries(record).map(([name, value]) => `    ${JSON.stringify(name)}: ${JSON.stringify(value)},`);
  return [
    'import type { ResponseSchemas } from "@satbind/runtime";',
    "",
    "/** What each 2xx answer's JSON must look like, for the response validator (`./validate`), which only clients that check answers import. */",
    "export const responseSchemas: ResponseSchemas = {",
    `  openapi: "${data.openapi}",`,
    "  operations: {",
    ...entries(data.operations),
    "  },",
    "  components: {",
    ...entries(data.components),
    "  },",
    "};",
    "",
  ].join("\n");
}
