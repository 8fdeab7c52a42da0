// What a spec documents, read for contract tests: every operation's responses with the example a
// mock server will answer with. Tests iterate this list, so a new status in the spec is a new test.
import { getAt, isObject, loadAndValidateSpec, parsePointer, type JsonObject } from "./spec.js";

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
