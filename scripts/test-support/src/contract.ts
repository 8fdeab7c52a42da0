// What a spec documents, read for contract tests: every operation's responses with the example a
// mock server will answer with. Tests iterate this list, so a new status in the spec is a new test.
import { getAt, isObject, loadAndValidateSpec, parsePointer, type JsonObject } from "@satbind/codegen/spec";

export interface DocumentedResponse {
  operationId: string;
  method: string;
  path: string;
  status: number;
  /** The example a mock answers with (media-type example, first named example, or schema example). */
  example: unknown;
  /** Every example the spec gives for this response. */
  examples: unknown[];
}

export function documentedResponses(specFile: string): DocumentedResponse[] {
  const result = loadAndValidateSpec(specFile);
  if (!result.ok) throw new Error(`${specFile}: ${result.problems.map((p) => `${p.pointer} ${p.message}`).join("; ")}`);
  const { document, operations } = result.spec;
  const deref = (value: unknown): unknown => {
    let current = value;
    for (let i = 0; i < 20 && isObject(current) && typeof current.$ref === "string"; i++) {
      current = getAt(document, parsePointer(current.$ref));
    }
    return current;
  };
  return operations.flatMap(({ operationId, method, path, operation }) =>
    Object.entries((operation.responses ?? {}) as JsonObject)
      .filter(([status]) => /^\d{3}$/.test(status))
      .map(([status, response]) => {
        const media = deref((deref(response) as JsonObject | undefined)?.content) as JsonObject | undefined;
        const json = deref(media?.["application/json"]) as JsonObject | undefined;
        const named = isObject(json?.examples) ? (deref(Object.values(json.examples)[0]) as JsonObject | undefined)?.value : undefined;
        const example = json?.example ?? named ?? (deref(json?.schema) as JsonObject | undefined)?.example;
        const all = isObject(json?.examples) ? Object.values(json.examples).map((e) => (deref(e) as JsonObject | undefined)?.value) : [];
        const examples = json && "example" in json ? [json.example, ...all] : all;
        return { operationId, method: method.toUpperCase(), path, status: Number(status), example, examples };
      }),
  );
}

export interface ExampleRequest {
  operationId: string;
  method: string;
  path: string;
  /** openapi-fetch's `params`, filled from each parameter's example. */
  params: { query?: Record<string, unknown>; header?: Record<string, unknown>; path?: Record<string, unknown> };
  /** The request body's example, when the operation takes one. */
  body?: unknown;
}

/** One request per operation, built from the spec's own (validated) examples. */
export function exampleRequests(specFile: string): ExampleRequest[] {
  const result = loadAndValidateSpec(specFile);
  if (!result.ok) throw new Error(`${specFile}: ${result.problems.map((p) => `${p.pointer} ${p.message}`).join("; ")}`);
  const { document, operations } = result.spec;
  const deref = (value: unknown): JsonObject | undefined => {
    let current = value;
    for (let i = 0; i < 20 && isObject(current) && typeof current.$ref === "string"; i++) current = getAt(document, parsePointer(current.$ref));
    return isObject(current) ? current : undefined;
  };
  const exampleOf = (holder: JsonObject | undefined): unknown => {
    if (!holder) return undefined;
    if ("example" in holder) return holder.example;
    if (isObject(holder.examples)) return deref(Object.values(holder.examples)[0])?.value;
    const schema = deref(holder.schema);
    return schema?.example ?? (Array.isArray(schema?.examples) ? schema.examples[0] : undefined);
  };
  return operations.map(({ operationId, method, path, operation }) => {
    const params: ExampleRequest["params"] = {};
    const item = deref(getAt(document, ["paths", path])) ?? {};
    for (const raw of [...((item.parameters as unknown[]) ?? []), ...((operation.parameters as unknown[]) ?? [])]) {
      const param = deref(raw);
      const where = param?.in as "query" | "header" | "path" | undefined;
      // A required parameter the spec gives no example for (BTCPay's path ids, say) gets one made from its schema.
      const value = exampleOf(param) ?? (param?.required === true ? sampleOf(deref(param.schema), deref, 0) : undefined);
      if (!param || !where || where === ("cookie" as string) || value === undefined) continue;
      (params[where] ??= {})[String(param.name)] = value;
    }
    const media = deref(deref(operation.requestBody)?.content)?.["application/json"];
    const body = exampleOf(deref(media)) ?? (media ? sampleOf(deref(deref(media)?.schema), deref, 0) : undefined);
    return { operationId, method: method.toUpperCase(), path, params, ...(body !== undefined && { body }) };
  });
}

/**
 * A value for a schema the spec gives no whole example for, made from its parts: the schema's own
 * example, enum or default, else an object of its required properties and those with examples
 * (all of an allOf merged), a list of one item, or a placeholder of the right type.
 */
function sampleOf(schema: JsonObject | undefined, deref: (value: unknown) => JsonObject | undefined, depth: number): unknown {
  if (!schema || depth > 8) return undefined;
  if ("example" in schema) return schema.example;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if ("default" in schema) return schema.default;
  for (const key of ["oneOf", "anyOf"] as const) {
    if (Array.isArray(schema[key])) return sampleOf(deref(schema[key][0]), deref, depth + 1);
  }
  if (Array.isArray(schema.allOf)) {
    const parts = schema.allOf.map((part) => sampleOf(deref(part), deref, depth + 1));
    if (parts.every((part) => isObject(part) || part === undefined)) return Object.assign({}, ...parts);
    return parts.find((part) => part !== undefined);
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === "object" || isObject(schema.properties)) {
    const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
    const out: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries((schema.properties ?? {}) as JsonObject)) {
      const property = deref(raw);
      if (!required.has(name) && !(property && "example" in property)) continue;
      const value = sampleOf(property, deref, depth + 1);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }
  if (type === "array") {
    const item = sampleOf(deref(schema.items), deref, depth + 1);
    return item === undefined ? [] : [item];
  }
  if (type === "integer" || type === "number") return typeof schema.minimum === "number" ? schema.minimum : 1;
  if (type === "boolean") return true;
  if (type === "string") return schema.format === "decimal" ? "1" : "example";
  return undefined;
}
