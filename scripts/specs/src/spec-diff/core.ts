// Plumbing every comparison uses: deep equality, $ref resolution (3.0 ignores keys beside a $ref,
// 3.1 merges them), and an identity per schema object to recognise one met again.
import { getAt, isObject, parsePointer, type JsonObject } from "@satbind/codegen/spec";

export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => has(b, k) && same(a[k], b[k]));
  }
  return false;
}

export function has(o: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

export function unionKeys(a: JsonObject, b: JsonObject): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

export function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

export interface Resolved {
  value: unknown;
  /** What the last $ref pointed at: the identity used to recognise a schema met again. */
  target: unknown;
  /** The last segment of the last $ref followed, e.g. "Invoice". */
  name: string | undefined;
  /** A $ref that is external or does not resolve; compared as text. */
  unresolved: string | undefined;
}

/**
 * Follows local $refs. Keys written beside a $ref override the target's in 3.1; OpenAPI 3.0 says
 * they SHALL be ignored, so in a 3.0 document they are (a `nullable: true` beside a $ref changes nothing).
 */
export function resolve(doc: JsonObject, value: unknown): Resolved {
  const siblingsCount = !(typeof doc.openapi === "string" && doc.openapi.startsWith("3.0"));
  let current = value;
  let name: string | undefined;
  let unresolved: string | undefined;
  const siblings: JsonObject[] = [];
  for (let hops = 0; isObject(current) && typeof current.$ref === "string"; hops++) {
    const ref = current.$ref;
    const { $ref: _ref, ...rest } = current;
    if (siblingsCount && Object.keys(rest).length > 0) siblings.push(rest);
    const target = hops < 32 && ref.startsWith("#") ? getAt(doc, parsePointer(ref)) : undefined;
    if (target === undefined) {
      unresolved = ref;
      break;
    }
    name = parsePointer(ref).at(-1);
    current = target;
  }
  const target = current;
  if (unresolved === undefined && siblings.length > 0 && isObject(current)) current = Object.assign({}, current, ...siblings.reverse());
  return { value: current, target, name, unresolved };
}

export function resolved(doc: JsonObject, value: unknown): JsonObject | undefined {
  const r = resolve(doc, value).value;
  return isObject(r) ? r : undefined;
}

export const ids = new WeakMap<object, number>();
let nextId = 1;
export function idOf(value: unknown): number {
  if (typeof value !== "object" || value === null) return 0;
  let id = ids.get(value);
  if (id === undefined) {
    id = nextId++;
    ids.set(value, id);
  }
  return id;
}

/** One operation of a document (a path's method, or a webhook), as the diff walks it. */
export interface Op {
  key: string;
  /** "GET /invoices", or "webhook payment_finalized". */
  label: string;
  id: string | undefined;
  op: JsonObject;
  segs: string[];
  item: JsonObject;
  itemSegs: string[];
  webhook: boolean;
}
