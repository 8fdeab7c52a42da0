// What the operation-by-operation comparison does not see: exported components added or removed,
// documentation-only keys (compared on the raw documents, each change once where it is written),
// a pointer said in words, and the catch-all that never lets a changed document read "no changes".
import { HTTP_METHODS, getAt, isObject, parsePointer, type JsonObject } from "@satbind/codegen/spec";
import { has, resolved, same, show, unionKeys } from "./core.js";
import { type Diff, NAME_MAPS, NOT_DOCS, ROOT_DOC_KEYS, isDocKey, report } from "./rules.js";
import { fieldName } from "./schemas.js";


export const EXPORTED: [string, string][] = [
  ["schemas", "schema"],
  ["responses", "response"],
  ["parameters", "parameter"],
  ["requestBodies", "request body"],
  ["headers", "header"],
];

export function compareComponents(d: Diff): void {
  for (const [type, noun] of EXPORTED) {
    const list = (doc: JsonObject) => {
      const all = getAt(doc, ["components", type]);
      return isObject(all) ? all : {};
    };
    const [before, after] = [list(d.oldDoc), list(d.newDoc)];
    for (const name of Object.keys(before)) {
      if (!has(after, name)) report(d, "major", "component-removed", ["components", type, name], `${noun} \`${name}\` was removed, and with it the type the SDK exports for it`);
    }
    for (const name of Object.keys(after)) {
      if (!has(before, name)) report(d, "minor", "component-added", ["components", type, name], `${noun} \`${name}\` was added (the SDK exports a type for it)`);
    }
  }
}


/** Array items matched by what names them (parameters, tags, $refs, server urls), else by position. */
export function matchItems(before: unknown[], after: unknown[]): [number, number][] {
  const keyOf = (item: unknown, i: number) =>
    isObject(item) && typeof item.name === "string" ? `name:${String(item.in)}:${item.name}` : isObject(item) && typeof item.$ref === "string" ? `ref:${item.$ref}` : isObject(item) && typeof item.url === "string" ? `url:${item.url}` : `at:${i}`;
  const positions = new Map(after.map((item, j) => [keyOf(item, j), j]));
  return before.flatMap((item, i) => {
    const j = positions.get(keyOf(item, i));
    return j === undefined ? [] : [[i, j] as [number, number]];
  });
}

export function walkDocs(d: Diff, o: unknown, n: unknown, segs: string[], names: boolean): void {
  if (Array.isArray(o) && Array.isArray(n)) {
    for (const [i, j] of matchItems(o, n)) walkDocs(d, o[i], n[j], [...segs, String(j)], false);
    return;
  }
  if (!isObject(o) || !isObject(n)) return;
  if (names) {
    for (const key of Object.keys(n)) if (has(o, key)) walkDocs(d, o[key], n[key], [...segs, key], false);
    return;
  }
  // OpenAPI 3.0 ignores keys beside a $ref (so do the schema comparison and openapi-typescript):
  // a change to one changes nothing for callers, but the document did change, so it is said.
  const ignoresSiblings = typeof d.newDoc.openapi === "string" && d.newDoc.openapi.startsWith("3.0");
  const ignored = ignoresSiblings && typeof o.$ref === "string" && o.$ref === n.$ref;
  for (const key of unionKeys(o, n)) {
    const [a, b] = [o[key], n[key]];
    if (ignored && key !== "$ref" && !isDocKey(key)) {
      if (!same(a, b)) report(d, "patch", "ref-sibling-changed", [...segs, key], `\`${key}\` beside the $ref at ${describePlace(d, segs)} changed; OpenAPI 3.0 ignores keys beside a $ref, so nothing changes for callers`);
      continue;
    }
    if (segs.length === 0 && key === "info" && isObject(a) && isObject(b)) {
      for (const k of unionKeys(a, b)) if (!same(a[k], b[k])) docChange(d, ["info", k], `info.${k}`, "info-changed", a[k], b[k]);
      continue;
    }
    if (segs.length === 0 && ROOT_DOC_KEYS.has(key)) {
      if (!same(a, b)) docChange(d, [key], key === "openapi" ? "OpenAPI version" : key, key === "openapi" ? "openapi-version-changed" : `${key}-changed`, a, b);
      continue;
    }
    if (key === "examples" && segs.length === 1 && segs[0] === "components" && isObject(a) && isObject(b)) {
      for (const name of unionKeys(a, b)) if (!same(a[name], b[name])) docChange(d, ["components", "examples", name], `example \`${name}\``, "examples-changed", a[name], b[name]);
      continue;
    }
    if (isDocKey(key)) {
      if (!same(a, b)) {
        const what = key.startsWith("x-") ? `extension \`${key}\` of ${describePlace(d, segs)}` : `${key} of ${describePlace(d, segs)}`;
        docChange(d, [...segs, key], what, key.startsWith("x-") ? "extension-changed" : `${key}-changed`, a, b);
      }
      continue;
    }
    if (NOT_DOCS.has(key) || !has(o, key) || !has(n, key)) continue;
    walkDocs(d, a, b, [...segs, key], NAME_MAPS.has(key));
  }
}

export function docChange(d: Diff, segs: string[], what: string, kind: string, before: unknown, after: unknown): void {
  const short = (v: unknown) => (typeof v === "string" && v.length <= 60 && !v.includes("\n")) || typeof v === "number" || typeof v === "boolean";
  const verb =
    before === undefined ? "was added" : after === undefined ? "was removed" : short(before) && short(after) ? `changed from ${show(before)} to ${show(after)}` : "changed";
  report(d, "patch", kind, segs, `${what} ${verb}`);
}

export const COMPONENT_NOUNS: Record<string, string> = {
  schemas: "schema",
  responses: "response",
  parameters: "parameter",
  requestBodies: "request body",
  headers: "header",
  securitySchemes: "auth scheme",
  examples: "example",
  links: "link",
  callbacks: "callback",
  pathItems: "path item",
};

/** Where a pointer is, in words: "field `amount` in request body of POST /pay", "schema `Invoice`". */
export function describePlace(d: Diff, segs: string[]): string {
  if (segs.length === 0) return "the document";
  const [head, a, b] = segs;
  const methods = new Set<string>(HTTP_METHODS);
  let base: string;
  let start: number;
  if ((head === "paths" || head === "webhooks") && a !== undefined) {
    const prefix = head === "webhooks" ? "webhook " : "";
    if (b !== undefined && methods.has(b)) [base, start] = [head === "webhooks" ? `webhook ${a}` : `${b.toUpperCase()} ${a}`, 3];
    else [base, start] = [`${prefix}path ${a}`, 2];
  } else if (head === "components" && a !== undefined && b !== undefined) {
    [base, start] = [`${COMPONENT_NOUNS[a] ?? a} \`${b}\``, 3];
  } else if (head === "servers" && a !== undefined) {
    [base, start] = [`server ${String(getAt(d.newDoc, ["servers", a, "url"]) ?? a)}`, 2];
  } else {
    return segs.join("/");
  }
  let context: string | undefined;
  const field: string[] = [];
  for (let i = start; i < segs.length; i++) {
    const s = segs[i]!;
    const next = segs[i + 1];
    if (s === "requestBody") context = "request body";
    else if (s === "responses" && next !== undefined) [context, i] = [`${next} response`, i + 1];
    else if (s === "parameters" && next !== undefined) {
      const param = resolved(d.newDoc, getAt(d.newDoc, segs.slice(0, i + 2)));
      [context, i] = [`parameter \`${typeof param?.name === "string" ? param.name : next}\``, i + 1];
    } else if (s === "headers" && next !== undefined) [context, i] = [`header \`${next}\``, i + 1];
    else if (s === "properties" && next !== undefined) [field[field.length], i] = [next, i + 1];
    else if (s === "items") field.push("[]");
    else if (s === "additionalProperties") field.push("*");
    else if (next !== undefined && (s === "content" || s === "allOf" || s === "oneOf" || s === "anyOf" || s === "variables")) i++;
  }
  const inField = field.length > 0 ? `field \`${fieldName(field)}\` in ` : "";
  return `${inField}${context ? `${context} of ` : ""}${base}`;
}

/** The document without anything documentation-only, to tell "nothing changed" from "something we did not classify". */
export function stripDocs(value: unknown, segs: string[], names: boolean): unknown {
  if (Array.isArray(value)) return value.map((item, i) => stripDocs(item, [...segs, String(i)], false));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (names) out[key] = stripDocs(child, [...segs, key], false);
    else if ((segs.length === 0 && ROOT_DOC_KEYS.has(key)) || isDocKey(key)) continue;
    else out[key] = NOT_DOCS.has(key) ? child : stripDocs(child, [...segs, key], NAME_MAPS.has(key));
  }
  return out;
}

export function firstDifference(a: unknown, b: unknown, segs: string[]): string[] {
  if (isObject(a) && isObject(b)) {
    for (const key of unionKeys(a, b)) if (!same(a[key], b[key])) return firstDifference(a[key], b[key], [...segs, key]);
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return firstDifference(a[i], b[i], [...segs, String(i)]);
  }
  return segs;
}

/**
 * Something changed that no rule above classified (a component no operation uses, a keyword
 * outside operations): say so as a patch rather than claim the documents are the same. What the
 * operations reach was compared above, by meaning, so its spelling (3.0 vs 3.1) is left out here.
 */
export function catchAll(d: Diff): void {
  if (d.changes.some((c) => c.bump !== "patch")) return;
  const reached = new Set([...reachedRefs(d.oldDoc), ...reachedRefs(d.newDoc)]);
  const rest = (doc: JsonObject) => {
    const copy = stripDocs(doc, [], false) as JsonObject;
    for (const key of ["paths", "webhooks", "security", "servers"]) delete copy[key];
    if (isObject(copy.components)) delete copy.components.securitySchemes;
    for (const ref of reached) {
      const segs = parsePointer(ref);
      const parent = getAt(copy, segs.slice(0, -1));
      if (isObject(parent)) delete parent[segs.at(-1)!];
    }
    return copy;
  };
  const [a, b] = [rest(d.oldDoc), rest(d.newDoc)];
  if (!same(a, b)) {
    const segs = firstDifference(a, b, []);
    report(d, "patch", "other-changed", segs, `${describePlace(d, segs)} changed, but no operation uses it`);
    return;
  }
  // Nothing said at all, yet what the operations reach differs: a keyword no rule reads (a real
  // one: `"required": true` inside a property, which OpenAPI 3.0 does not define there).
  if (d.changes.length > 0) return;
  const [whole, wholeAfter] = [stripDocs(d.oldDoc, [], false), stripDocs(d.newDoc, [], false)];
  if (same(whole, wholeAfter)) return;
  const segs = firstDifference(whole, wholeAfter, []);
  report(d, "patch", "other-changed", segs, `${describePlace(d, segs)} changed, but what callers send and receive stays the same`);
}

/** Every local $ref reachable from the operations and webhooks, transitively. */
export function reachedRefs(doc: JsonObject): Set<string> {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isObject(value)) {
      if (typeof value.$ref === "string" && value.$ref.startsWith("#") && !found.has(value.$ref)) {
        found.add(value.$ref);
        visit(getAt(doc, parsePointer(value.$ref)));
      }
      // Example payloads are data: a "$ref" inside one is not a reference.
      for (const [key, child] of Object.entries(value)) if (key !== "example" && key !== "examples") visit(child);
    }
  };
  visit(doc.paths);
  visit(doc.webhooks);
  return found;
}
