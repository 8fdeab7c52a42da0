// Schemas, normalised so 3.0 and 3.1 spellings of the same thing compare equal: $refs followed,
// allOf merged, the ways of writing "or null" read as one, nested unions flattened.
import { isObject, type JsonObject } from "@satbind/codegen/spec";
import { has, idOf, resolve } from "./core.js";


/** A schema and the pointer it is reached by. */
export interface Member {
  schema: unknown;
  segs: string[];
}

export interface Bound {
  value: number;
  exclusive: boolean;
}

export interface Norm {
  /** The schema's keywords, allOf members merged in. */
  raw: JsonObject;
  name: string | undefined;
  id: number;
  unresolved: string | undefined;
  /** Without "null"; undefined means any type. An empty set is the null type alone. */
  types: Set<string> | undefined;
  nullable: boolean;
  format: string | undefined;
  /** Without null. */
  enum: unknown[] | undefined;
  props: Map<string, Member>;
  required: Set<string>;
  items: Member | undefined;
  /** true: extra keys allowed (the default); false: none; a schema: extra keys of that shape. */
  additional: boolean | Member;
  /** oneOf/anyOf members other than null, when two or more remain. */
  variants: Member[] | undefined;
  lower: Bound | undefined;
  upper: Bound | undefined;
  limits: Map<string, number>;
  pattern: string | undefined;
  multipleOf: number | undefined;
  uniqueItems: boolean;
}

export function blank(raw: JsonObject): Norm {
  return {
    raw,
    name: undefined,
    id: 0,
    unresolved: undefined,
    types: undefined,
    nullable: false,
    format: undefined,
    enum: undefined,
    props: new Map(),
    required: new Set(),
    items: undefined,
    additional: true,
    variants: undefined,
    lower: undefined,
    upper: undefined,
    limits: new Map(),
    pattern: undefined,
    multipleOf: undefined,
    uniqueItems: false,
  };
}

export const isNullOnly = (n: Norm): boolean => n.types !== undefined && n.types.size === 0 && n.nullable && n.variants === undefined;

/**
 * One schema's meaning: $refs followed, allOf merged, `nullable: true` / `type: [x, "null"]` /
 * a null member of oneOf/anyOf all read as `nullable`, and a oneOf/anyOf left with one member
 * read as that member (the 3.0 and 3.1 ways of writing "X or null"). Nested unions are flattened.
 */
export function normalize(doc: JsonObject, schema: unknown, segs: string[], seen: ReadonlySet<unknown> = new Set()): Norm {
  const r = resolve(doc, schema === true ? {} : schema === false ? { not: {} } : schema);
  const raw = isObject(r.value) ? r.value : {};
  const identity = isObject(r.target) ? r.target : raw;
  const result = blank(raw);
  result.id = idOf(identity);
  result.name = r.name;
  if (r.unresolved !== undefined) {
    result.unresolved = r.unresolved;
    return result;
  }
  // allOf that refers back to itself: the outer visit already has what it contributes.
  if (seen.has(identity)) return result;
  const inner = new Set(seen).add(identity);

  const allOf = Array.isArray(raw.allOf) ? raw.allOf.map((m, i) => normalize(doc, m, [...segs, "allOf", String(i)], inner)) : [];
  let nullVariant = false;
  const kept: Member[] = [];
  for (const keyword of ["oneOf", "anyOf"]) {
    const list = raw[keyword];
    if (!Array.isArray(list)) continue;
    list.forEach((schema, i) => {
      const member = { schema, segs: [...segs, keyword, String(i)] };
      const m = normalize(doc, schema, member.segs, inner);
      if (isNullOnly(m)) nullVariant = true;
      // A union nested in a union (`oneOf: [{ oneOf: [A, B] }, C]`) admits what its members do: flattened.
      else if (m.variants && m.types === undefined && m.props.size === 0 && !m.enum && !m.items) {
        kept.push(...m.variants);
        if (m.nullable) nullVariant = true;
      } else kept.push(member);
    });
  }
  const single = kept.length === 1 ? normalize(doc, kept[0]!.schema, kept[0]!.segs, inner) : undefined;
  const own = ownKeywords(raw, segs);
  const merged = [...allOf, ...(single ? [single] : []), own].reduce(merge);
  if (kept.length > 1) merged.variants = kept;
  merged.nullable = own.nullable || nullVariant || (single?.nullable ?? false) || (allOf.length > 0 && allOf.every((p) => p.nullable));
  merged.raw = { ...merged.raw, ...raw };
  merged.id = result.id;
  merged.name = r.name;
  return merged;
}

export function ownKeywords(raw: JsonObject, segs: string[]): Norm {
  const n = blank(raw);
  let types = typeof raw.type === "string" ? [raw.type] : Array.isArray(raw.type) ? raw.type.filter((t): t is string => typeof t === "string") : undefined;
  if (types?.includes("null")) {
    n.nullable = true;
    types = types.filter((t) => t !== "null");
  }
  if (raw.nullable === true) n.nullable = true;
  if (types) n.types = new Set(types);
  const values = Array.isArray(raw.enum) ? raw.enum : has(raw, "const") ? [raw.const] : undefined;
  if (values) {
    if (values.includes(null)) n.nullable = true;
    const rest = values.filter((v) => v !== null);
    if (rest.length > 0) n.enum = rest;
    else n.types = new Set(); // enum: [null] is the null type
  }
  if (typeof raw.format === "string") n.format = raw.format;
  if (isObject(raw.properties)) {
    for (const name of Object.keys(raw.properties)) n.props.set(name, { schema: raw.properties[name], segs: [...segs, "properties", name] });
  }
  if (Array.isArray(raw.required)) for (const name of raw.required) if (typeof name === "string") n.required.add(name);
  if (isObject(raw.items) || typeof raw.items === "boolean") n.items = { schema: raw.items, segs: [...segs, "items"] };
  if (raw.additionalProperties === false) n.additional = false;
  else if (isObject(raw.additionalProperties)) n.additional = { schema: raw.additionalProperties, segs: [...segs, "additionalProperties"] };
  n.lower = bound(raw, "minimum", "exclusiveMinimum", (a, b) => a > b);
  n.upper = bound(raw, "maximum", "exclusiveMaximum", (a, b) => a < b);
  for (const key of LIMITS.keys()) if (typeof raw[key] === "number") n.limits.set(key, raw[key]);
  if (typeof raw.pattern === "string") n.pattern = raw.pattern;
  if (typeof raw.multipleOf === "number") n.multipleOf = raw.multipleOf;
  n.uniqueItems = raw.uniqueItems === true;
  return n;
}

/** 3.0 writes `minimum: 0, exclusiveMinimum: true`; 3.1 writes `exclusiveMinimum: 0`. Both become {0, exclusive}. */
export function bound(raw: JsonObject, inclusiveKey: string, exclusiveKey: string, tighter: (a: number, b: number) => boolean): Bound | undefined {
  const candidates: Bound[] = [];
  const inclusive = raw[inclusiveKey];
  const exclusive = raw[exclusiveKey];
  if (typeof inclusive === "number") candidates.push({ value: inclusive, exclusive: exclusive === true });
  if (typeof exclusive === "number") candidates.push({ value: exclusive, exclusive: true });
  return candidates.reduce<Bound | undefined>((best, b) => (!best || tighter(b.value, best.value) || (b.value === best.value && b.exclusive) ? b : best), undefined);
}

/** allOf: a later part's keywords win, except what all parts must agree on (types intersect, required adds up). */
export function merge(a: Norm, b: Norm): Norm {
  return {
    raw: { ...a.raw, ...b.raw },
    name: b.name ?? a.name,
    id: b.id || a.id,
    unresolved: b.unresolved ?? a.unresolved,
    types: a.types && b.types ? intersectTypes(a.types, b.types) : (b.types ?? a.types),
    nullable: a.nullable || b.nullable,
    format: b.format ?? a.format,
    enum: b.enum ?? a.enum,
    props: new Map([...a.props, ...b.props]),
    required: new Set([...a.required, ...b.required]),
    items: b.items ?? a.items,
    additional: a.additional === false || b.additional === false ? false : b.additional !== true ? b.additional : a.additional,
    variants: b.variants ?? a.variants,
    lower: b.lower ?? a.lower,
    upper: b.upper ?? a.upper,
    limits: new Map([...a.limits, ...b.limits]),
    pattern: b.pattern ?? a.pattern,
    multipleOf: b.multipleOf ?? a.multipleOf,
    uniqueItems: a.uniqueItems || b.uniqueItems,
  };
}

/** Does a type set admit type t? integer is a kind of number. */
export function covers(set: Set<string> | undefined, t: string): boolean {
  return set === undefined || set.has(t) || (t === "integer" && set.has("number"));
}

export function intersectTypes(a: Set<string>, b: Set<string>): Set<string> {
  return new Set([...[...a].filter((t) => covers(b, t)), ...[...b].filter((t) => covers(a, t))]);
}

export function typeRelation(before: Set<string> | undefined, after: Set<string> | undefined): "same" | "widened" | "narrowed" | "changed" {
  if (!before && !after) return "same";
  if (!before) return "narrowed";
  if (!after) return "widened";
  const gained = [...after].some((t) => !covers(before, t));
  const lost = [...before].some((t) => !covers(after, t));
  return gained && lost ? "changed" : gained ? "widened" : lost ? "narrowed" : "same";
}

export function showTypes(n: Norm): string {
  if (!n.types) return "any type";
  if (n.types.size === 0) return "null";
  return [...n.types].sort().join(" | ");
}

/** Formats one is a superset of the other's values: int32 fits in int64, float in double. */
export const WIDER_FORMAT: Record<string, string> = { int32: "int64", float: "double" };

/** Numeric limits: which way is tighter. */
export const LIMITS = new Map<string, "smaller" | "larger">([
  ["maxLength", "smaller"],
  ["maxItems", "smaller"],
  ["maxProperties", "smaller"],
  ["minLength", "larger"],
  ["minItems", "larger"],
  ["minProperties", "larger"],
]);

/** Schema keywords this file understands; a change to any other (not, if/then/else...) is reported as major to be checked by hand. */
export const HANDLED = new Set([
  "$ref", "type", "nullable", "format", "enum", "const", "properties", "required", "items", "additionalProperties",
  "allOf", "oneOf", "anyOf", "discriminator", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
  "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "pattern", "multipleOf",
  "uniqueItems", "readOnly", "writeOnly", "deprecated", "default", "$schema", "$id", "$anchor", "$defs", "definitions",
]);
