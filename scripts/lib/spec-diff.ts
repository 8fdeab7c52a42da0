// Classifies the changes between two OpenAPI documents (3.0 or 3.1, any mix) by what they mean to
// someone using the generated SDK: major when their code or their assumptions can break, minor
// when something was added, patch when only documentation changed, none when nothing did.
//
// Direction decides most rules. What a caller SENDS (parameters, request bodies) may widen safely
// and breaks them when it narrows; what a caller READS (responses) may narrow safely and breaks
// them when it widens (a new enum value falls through an exhaustive switch, a field that may now
// be missing or null gets dereferenced). Webhooks turn this around: the caller reads the payload
// and writes the answer.
//
// Operations are compared one by one and every schema is followed through its $refs, so a change
// inside a shared component is reported once per place it is used, with the pointer it is reached
// by (through the operation), not at #/components. Documentation-only keys are compared separately
// on the raw documents, so a changed component description is reported once, where it is written.
//
// Decisions where the issue left a choice (each also noted where it is made):
// - Narrowing what callers read is minor, in every form: a removed response enum value, a
//   response type or format narrowed (number -> integer), a tightened response constraint. The
//   issue's "narrowed type or format = major" is applied to what callers send.
// - A removed error response (4xx/5xx/default) is minor; a removed 2xx response is major. A new
//   2xx response with a body is major (the SDK's `data` becomes a union); other new ones minor.
// - Server changes are minor (the default base URL moves; baseUrl is an option, no call breaks).
// - Deprecation, x-satbind-* behaviour flags, parameter serialisation and request defaults are
//   minor: nothing stops compiling, but what happens changes.
// - Components are exported from the SDK as named types: a removed one is major, a new one minor.
//   A change inside a component no operation uses is patch ("other-changed"), not none.
// - An operation whose path or method changed but kept its operationId is one "moved" (major).
import { HTTP_METHODS, formatProblem, getAt, isObject, loadSource, parsePointer, toPointer, type JsonObject } from "./spec.js";

export type Bump = "major" | "minor" | "patch" | "none";
export interface SpecChange {
  kind: string;
  pointer: string;
  bump: Exclude<Bump, "none">;
  message: string;
}
export interface SpecDiff {
  bump: Bump;
  changes: SpecChange[];
}

type Level = Exclude<Bump, "none">;
/** "in": the SDK user sends it (request); "out": the SDK user reads it (response). */
type Dir = "in" | "out";

const RANK: Record<Bump, number> = { none: 0, patch: 1, minor: 2, major: 3 };

/** Compares two parsed OpenAPI documents (3.0 or 3.1, any mix). `pointer` is a JSON pointer into the NEW document (or the old one for removals), e.g. "#/paths/~1pay/post/requestBody/content/application~1json/schema/properties/amount". */
export function diffSpecs(oldDoc: unknown, newDoc: unknown): SpecDiff {
  if (!isObject(oldDoc) || !isObject(newDoc)) throw new TypeError("diffSpecs: both documents must be parsed OpenAPI objects");
  const d: Diff = { oldDoc, newDoc, changes: [] };
  compareGlobalSecurity(d);
  compareSecuritySchemes(d);
  compareServers(d);
  compareOperations(d);
  compareComponents(d);
  walkDocs(d, oldDoc, newDoc, [], false);
  catchAll(d);

  const seen = new Set<string>();
  const changes = d.changes
    .filter((c) => {
      const key = `${c.kind}\0${c.pointer}\0${c.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => RANK[b.bump] - RANK[a.bump]);
  const bump = changes.reduce<Bump>((top, c) => (RANK[c.bump] > RANK[top] ? c.bump : top), "none");
  return { bump, changes };
}

/** semver's 0.x convention: below 1.0.0 a breaking change bumps the minor. Returns the bump to release and, when it was lowered, a sentence saying so (e.g. "@satbind/x is below 1.0.0 (0.3.1): a major change is released as a minor bump, as semver's 0.x convention does"). */
export function releaseBump(bump: Bump, packageVersion: string, packageName?: string): { bump: Bump; note?: string } {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.+-]*)?$/.exec(packageVersion.trim());
  if (!match) throw new Error(`"${packageVersion}" is not a semver version (expected e.g. 1.2.3)`);
  // Only the major is lowered, as the issue asks; minor and patch keep their meaning below 1.0.0.
  if (bump !== "major" || Number(match[1]) > 0) return { bump };
  const who = packageName ?? "The package";
  return { bump: "minor", note: `${who} is below 1.0.0 (${packageVersion}): a major change is released as a minor bump, as semver's 0.x convention does` };
}

/** Loads a YAML or JSON spec file into a plain object; throws an Error with a one-line message naming the file on failure. */
export function loadSpecFile(file: string): unknown {
  let loaded: ReturnType<typeof loadSource>;
  try {
    loaded = loadSource(file);
  } catch (err) {
    throw new Error(`${file}: cannot be read: ${firstLine((err as Error).message)}`);
  }
  if (!loaded.ok) {
    const [first, ...more] = loaded.problems;
    throw new Error(`${first ? formatProblem(first) : `${file}: cannot be parsed`}${more.length > 0 ? ` (and ${more.length} more)` : ""}`);
  }
  const data = loaded.source.data;
  if (!isObject(data)) throw new Error(`${file}: not an OpenAPI document (expected an object at the top level)`);
  if (typeof data.openapi !== "string" || !/^3\.[01]\.\d+/.test(data.openapi)) {
    const found = data.swagger !== undefined ? `swagger: ${String(data.swagger)}` : `openapi: ${JSON.stringify(data.openapi ?? null)}`;
    throw new Error(`${file}: not an OpenAPI 3.0 or 3.1 document (${found})`);
  }
  return data;
}

function firstLine(s: string): string {
  return s.split("\n")[0]!.trim();
}

// ---------------------------------------------------------------------------------------------
// Shared plumbing

interface Diff {
  oldDoc: JsonObject;
  newDoc: JsonObject;
  changes: SpecChange[];
}

function report(d: Diff, bump: Level, kind: string, segs: readonly string[], message: string): void {
  d.changes.push({ kind, pointer: toPointer(segs), bump, message });
}

/** A narrowed input breaks callers who sent what is now refused; a narrowed output is safe. */
const narrowing = (dir: Dir): Level => (dir === "in" ? "major" : "minor");
/** A widened input is safe; a widened output breaks callers who assumed the old range. */
const widening = (dir: Dir): Level => (dir === "in" ? "minor" : "major");

type Presence = "removed" | "added-required" | "added-optional" | "became-required" | "became-optional";

/** What a field, parameter or header appearing, disappearing or changing `required` does to a caller. */
function presence(dir: Dir, event: Presence): Level {
  switch (event) {
    case "removed":
      return "major"; // callers send it (a type error now) or read it (undefined now)
    case "added-required":
    case "became-required":
      return dir === "in" ? "major" : "minor"; // every existing call lacks it / it is now always there
    case "added-optional":
      return "minor";
    case "became-optional":
      return dir === "in" ? "minor" : "major"; // callers assumed it present
  }
}

function presenceWords(dir: Dir, event: Presence): string {
  switch (event) {
    case "removed":
      return "was removed";
    case "added-required":
      return dir === "in" ? "was added as required" : "was added";
    case "added-optional":
      return dir === "in" ? "was added (optional)" : "was added";
    case "became-required":
      return dir === "in" ? "became required" : "is now always present";
    case "became-optional":
      return dir === "in" ? "became optional" : "became optional (callers may find it missing)";
  }
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => has(b, k) && same(a[k], b[k]));
  }
  return false;
}

function has(o: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

function unionKeys(a: JsonObject, b: JsonObject): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

interface Resolved {
  value: unknown;
  /** What the last $ref pointed at: the identity used to recognise a schema met again. */
  target: unknown;
  /** The last segment of the last $ref followed, e.g. "Invoice". */
  name: string | undefined;
  /** A $ref that is external or does not resolve; compared as text. */
  unresolved: string | undefined;
}

/** Follows local $refs. Keys written beside a $ref (3.1 allows it; 3.0 tools tolerate it) override the target's. */
function resolve(doc: JsonObject, value: unknown): Resolved {
  let current = value;
  let name: string | undefined;
  let unresolved: string | undefined;
  const siblings: JsonObject[] = [];
  for (let hops = 0; isObject(current) && typeof current.$ref === "string"; hops++) {
    const ref = current.$ref;
    const { $ref: _ref, ...rest } = current;
    if (Object.keys(rest).length > 0) siblings.push(rest);
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

function resolved(doc: JsonObject, value: unknown): JsonObject | undefined {
  const r = resolve(doc, value).value;
  return isObject(r) ? r : undefined;
}

const ids = new WeakMap<object, number>();
let nextId = 1;
function idOf(value: unknown): number {
  if (typeof value !== "object" || value === null) return 0;
  let id = ids.get(value);
  if (id === undefined) {
    id = nextId++;
    ids.set(value, id);
  }
  return id;
}

// ---------------------------------------------------------------------------------------------
// Schemas, normalised so 3.0 and 3.1 spellings of the same thing compare equal

/** A schema and the pointer it is reached by. */
interface Member {
  schema: unknown;
  segs: string[];
}

interface Bound {
  value: number;
  exclusive: boolean;
}

interface Norm {
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

function blank(raw: JsonObject): Norm {
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

const isNullOnly = (n: Norm): boolean => n.types !== undefined && n.types.size === 0 && n.nullable && n.variants === undefined;

/**
 * One schema's meaning: $refs followed, allOf merged, `nullable: true` / `type: [x, "null"]` /
 * a null member of oneOf/anyOf all read as `nullable`, and a oneOf/anyOf left with one member
 * read as that member (the 3.0 and 3.1 ways of writing "X or null").
 */
function normalize(doc: JsonObject, schema: unknown, segs: string[], seen: ReadonlySet<unknown> = new Set()): Norm {
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
      if (isNullOnly(normalize(doc, schema, member.segs, inner))) nullVariant = true;
      else kept.push(member);
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

function ownKeywords(raw: JsonObject, segs: string[]): Norm {
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
function bound(raw: JsonObject, inclusiveKey: string, exclusiveKey: string, tighter: (a: number, b: number) => boolean): Bound | undefined {
  const candidates: Bound[] = [];
  const inclusive = raw[inclusiveKey];
  const exclusive = raw[exclusiveKey];
  if (typeof inclusive === "number") candidates.push({ value: inclusive, exclusive: exclusive === true });
  if (typeof exclusive === "number") candidates.push({ value: exclusive, exclusive: true });
  return candidates.reduce<Bound | undefined>((best, b) => (!best || tighter(b.value, best.value) || (b.value === best.value && b.exclusive) ? b : best), undefined);
}

/** allOf: a later part's keywords win, except what all parts must agree on (types intersect, required adds up). */
function merge(a: Norm, b: Norm): Norm {
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
function covers(set: Set<string> | undefined, t: string): boolean {
  return set === undefined || set.has(t) || (t === "integer" && set.has("number"));
}

function intersectTypes(a: Set<string>, b: Set<string>): Set<string> {
  return new Set([...[...a].filter((t) => covers(b, t)), ...[...b].filter((t) => covers(a, t))]);
}

function typeRelation(before: Set<string> | undefined, after: Set<string> | undefined): "same" | "widened" | "narrowed" | "changed" {
  if (!before && !after) return "same";
  if (!before) return "narrowed";
  if (!after) return "widened";
  const gained = [...after].some((t) => !covers(before, t));
  const lost = [...before].some((t) => !covers(after, t));
  return gained && lost ? "changed" : gained ? "widened" : lost ? "narrowed" : "same";
}

function showTypes(n: Norm): string {
  if (!n.types) return "any type";
  if (n.types.size === 0) return "null";
  return [...n.types].sort().join(" | ");
}

/** Formats one is a superset of the other's values: int32 fits in int64, float in double. */
const WIDER_FORMAT: Record<string, string> = { int32: "int64", float: "double" };

/** Numeric limits: which way is tighter. */
const LIMITS = new Map<string, "smaller" | "larger">([
  ["maxLength", "smaller"],
  ["maxItems", "smaller"],
  ["maxProperties", "smaller"],
  ["minLength", "larger"],
  ["minItems", "larger"],
  ["minProperties", "larger"],
]);

/** Schema keywords this file understands; a change to any other (not, if/then/else...) is reported as major to be checked by hand. */
const HANDLED = new Set([
  "$ref", "type", "nullable", "format", "enum", "const", "properties", "required", "items", "additionalProperties",
  "allOf", "oneOf", "anyOf", "discriminator", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
  "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "pattern", "multipleOf",
  "uniqueItems", "readOnly", "writeOnly", "deprecated", "default", "$schema", "$id", "$anchor", "$defs", "definitions",
]);

// ---------------------------------------------------------------------------------------------
// Comparing two schemas reached at the same place

/** How to name what a schema is, in a message: its root ("request body of POST /pay") or a field in it. */
interface Where {
  root: string;
  field(path: string): string;
}

interface SchemaCtx {
  d: Diff;
  dir: Dir;
  /** Prefix of every change kind: request, response, parameter, response-header, payload... */
  label: string;
  where: Where;
  /** (old, new) schema pairs being compared on this path: a recursive schema stops where it repeats. */
  active: ReadonlySet<string>;
  /** Set on a union member whose union also admits any value of these types (see openTypes). */
  open?: ReadonlySet<string> | undefined;
}

/** ["payments", "[]", "status"] -> "payments[].status". Union members, written "(Name)", are left out (see subjectOf). */
function fieldName(path: readonly string[]): string {
  let out = "";
  for (const seg of path) if (!seg.startsWith("(")) out += seg === "[]" ? seg : out === "" ? seg : `.${seg}`;
  return out;
}

/** "response field `status` of GET /x", plus "(as `Payment`)" when reached through a oneOf/anyOf member. */
function subjectOf(c: SchemaCtx, field: readonly string[]): string {
  const name = fieldName(field);
  const variants = field.filter((seg) => seg.startsWith("(")).map((seg) => seg.slice(1, -1));
  return `${name === "" ? c.where.root : c.where.field(name)}${variants.length > 0 ? ` (as ${variants.join(", then ")})` : ""}`;
}

function compareSchema(c: SchemaCtx, o: Member, n: Member, field: string[]): void {
  if (c.active.size > 100) return;
  const { d, dir } = c;
  const on = normalize(d.oldDoc, o.schema, o.segs);
  const nn = normalize(d.newDoc, n.schema, n.segs);
  const key = `${on.id}:${nn.id}`;
  if (on.id !== 0 && c.active.has(key)) return;
  const cc: SchemaCtx = { ...c, open: undefined, active: new Set(c.active).add(key) };
  const S = subjectOf(c, field);
  const add = (bump: Level, suffix: string, message: string, segs: readonly string[] = n.segs) => report(d, bump, `${c.label}-${suffix}`, segs, message);

  if (on.unresolved !== undefined || nn.unresolved !== undefined) {
    if (on.unresolved !== nn.unresolved) add("major", "schema-changed", `${S}: reference changed from ${on.unresolved ?? "an inline schema"} to ${nn.unresolved ?? "an inline schema"}`);
    return;
  }

  // A plain schema became a union (or the other way round): report that, not every field of it.
  if ((on.variants === undefined) !== (nn.variants === undefined)) {
    const union = (on.variants ?? nn.variants)!;
    const plain = on.variants ? nn : on;
    const names = union.map((m, i) => variantName(on.variants ? d.oldDoc : d.newDoc, m, i));
    const kept = plain.name !== undefined && names.includes(`\`${plain.name}\``);
    if (nn.variants) add(kept ? widening(dir) : "major", "union-changed", `${S} can now be one of ${names.join(", ")}`);
    else add(kept ? narrowing(dir) : "major", "union-changed", `${S} is no longer one of ${names.join(", ")}`);
    return;
  }

  // Narrowed: major to send (values accepted before are refused), minor to read (callers see a subset).
  const relation = typeRelation(on.types, nn.types);
  if (relation === "changed") {
    add("major", "type-changed", `${S}: type changed from ${showTypes(on)} to ${showTypes(nn)}`);
    return;
  }
  if (relation === "widened") add(widening(dir), "type-widened", `${S}: type widened from ${showTypes(on)} to ${showTypes(nn)}`);
  if (relation === "narrowed") add(narrowing(dir), "type-narrowed", `${S}: type narrowed from ${showTypes(on)} to ${showTypes(nn)}`);

  // Becoming nullable is a widening: fine to send, a surprise to read.
  if (!on.nullable && nn.nullable) add(widening(dir), "became-nullable", dir === "in" ? `${S} now accepts null` : `${S} may now be null`);
  if (on.nullable && !nn.nullable) add(narrowing(dir), "no-longer-nullable", dir === "in" ? `${S} no longer accepts null` : `${S} is never null any more`);

  compareFormat(on, nn, dir, S, add);
  compareEnum(on, nn, dir, S, add, c.open);
  compareLimits(on, nn, dir, S, add);

  if (on.raw.deprecated !== true && nn.raw.deprecated === true) add("minor", "deprecated", `${S} was deprecated`);
  if (on.raw.deprecated === true && nn.raw.deprecated !== true) add("patch", "undeprecated", `${S} is no longer deprecated`);
  // A default only changes behaviour for what callers send and leave out.
  if (!same(on.raw.default, nn.raw.default)) {
    const [was, is] = [on.raw.default, nn.raw.default];
    const words = was === undefined ? `gained default ${show(is)}` : is === undefined ? `lost default ${show(was)}` : `default changed from ${show(was)} to ${show(is)}`;
    add(dir === "in" ? "minor" : "patch", "default-changed", `${S}: ${words}`);
  }
  if (!same(on.raw.discriminator, nn.raw.discriminator)) add("minor", "discriminator-changed", `${S}: discriminator changed`);
  for (const keyword of unionKeys(on.raw, nn.raw)) {
    if (HANDLED.has(keyword) || isDocKey(keyword)) continue;
    if (!same(on.raw[keyword], nn.raw[keyword])) add("major", "schema-changed", `${S}: \`${keyword}\` changed (not analysed; check by hand)`);
  }

  compareProperties(cc, on, nn, field);
  if (objectish(on) || objectish(nn)) compareAdditional(cc, on, nn, field, S, add);
  if (on.items && nn.items) compareSchema(cc, on.items, nn.items, [...field, "[]"]);
  else if (on.items && !nn.items) add(widening(dir), "items-changed", `${S}: items are no longer constrained`);
  else if (!on.items && nn.items) add(narrowing(dir), "items-changed", `${S}: items are now constrained`);
  if (on.variants && nn.variants) compareVariants(cc, on.variants, nn.variants, field, S, add);
}

type Add = (bump: Level, suffix: string, message: string, segs?: readonly string[]) => void;

function objectish(n: Norm): boolean {
  return n.types === undefined || n.types.has("object") || n.props.size > 0;
}

function compareFormat(on: Norm, nn: Norm, dir: Dir, S: string, add: Add): void {
  const [a, b] = [on.format, nn.format];
  if (a === b) return;
  // A format is a promise about the value: gaining one narrows, losing one widens.
  if (a === undefined) add(narrowing(dir), "format-narrowed", `${S} gained format ${b}`);
  else if (b === undefined) add(widening(dir), "format-widened", `${S} lost format ${a}`);
  else if (WIDER_FORMAT[a] === b) add(widening(dir), "format-widened", `${S}: format widened from ${a} to ${b}`);
  else if (WIDER_FORMAT[b] === a) add(narrowing(dir), "format-narrowed", `${S}: format narrowed from ${a} to ${b}`);
  else add("major", "format-changed", `${S}: format changed from ${a} to ${b}`);
}

function compareEnum(on: Norm, nn: Norm, dir: Dir, S: string, add: Add, open?: ReadonlySet<string>): void {
  // An open set (`anyOf: [{enum: [...]}, {type: string}]`): the listed values are only the known
  // ones, and the union admits any string whatever the list says. Neither the wire nor the
  // generated type changes when the list does.
  const typeOf = (v: unknown) => (typeof v === "number" && Number.isInteger(v) && !open?.has("number") ? "integer" : typeof v);
  if (on.enum && nn.enum && open && [...on.enum, ...nn.enum].every((v) => open.has(typeOf(v)))) {
    const before = new Set(on.enum.map(show));
    const after = new Set(nn.enum.map(show));
    for (const v of nn.enum) if (!before.has(show(v))) add("patch", "known-value-added", `${S} lists ${show(v)} as a known value (the set stays open)`);
    for (const v of on.enum) if (!after.has(show(v))) add("patch", "known-value-removed", `${S} no longer lists ${show(v)} as a known value (the set stays open)`);
    return;
  }
  if (on.enum && nn.enum) {
    const before = new Set(on.enum.map(show));
    const after = new Set(nn.enum.map(show));
    // A new value in a response falls through callers' exhaustive switches: major. A removed value
    // in a response only means callers see fewer cases: minor (TypeScript may flag a comparison with
    // the gone literal as impossible, but nothing the caller receives is new). Requests: the reverse.
    for (const v of nn.enum) if (!before.has(show(v))) add(widening(dir), "enum-value-added", `${S} gained enum value ${show(v)}`);
    for (const v of on.enum) if (!after.has(show(v))) add(narrowing(dir), "enum-value-removed", `${S} lost enum value ${show(v)}`);
  } else if (!on.enum && nn.enum) {
    add(narrowing(dir), "enum-added", `${S} is now limited to ${nn.enum.map(show).join(", ")}`);
  } else if (on.enum && !nn.enum) {
    add(widening(dir), "enum-removed", `${S} is no longer limited to ${on.enum.map(show).join(", ")}`);
  }
}

function compareLimits(on: Norm, nn: Norm, dir: Dir, S: string, add: Add): void {
  const tightened = (what: string) => add(narrowing(dir), "constraint-tightened", `${S}: ${what}`);
  const loosened = (what: string) => add(widening(dir), "constraint-loosened", `${S}: ${what}`);
  const showBound = (b: Bound, lower: boolean) => `${lower ? ">" : "<"}${b.exclusive ? "" : "="} ${b.value}`;
  for (const [name, lower] of [["minimum", true], ["maximum", false]] as const) {
    const a = lower ? on.lower : on.upper;
    const b = lower ? nn.lower : nn.upper;
    if (!a && !b) continue;
    if (!a) tightened(`gained ${name} ${showBound(b!, lower)}`);
    else if (!b) loosened(`lost ${name} ${showBound(a, lower)}`);
    else if (a.value !== b.value || a.exclusive !== b.exclusive) {
      const tighter = lower ? b.value > a.value || (b.value === a.value && b.exclusive) : b.value < a.value || (b.value === a.value && b.exclusive);
      (tighter ? tightened : loosened)(`${name} ${tighter ? "tightened" : "loosened"} from ${showBound(a, lower)} to ${showBound(b, lower)}`);
    }
  }
  for (const [name, tighterWhen] of LIMITS) {
    const a = on.limits.get(name);
    const b = nn.limits.get(name);
    if (a === b) continue;
    if (a === undefined) tightened(`gained ${name} ${b}`);
    else if (b === undefined) loosened(`lost ${name} ${a}`);
    else if ((tighterWhen === "smaller") === b < a) tightened(`${name} tightened from ${a} to ${b}`);
    else loosened(`${name} loosened from ${a} to ${b}`);
  }
  for (const [name, a, b] of [["pattern", on.pattern, nn.pattern], ["multipleOf", on.multipleOf, nn.multipleOf]] as const) {
    if (a === b) continue;
    if (a === undefined) tightened(`gained ${name} ${show(b)}`);
    else if (b === undefined) loosened(`lost ${name} ${show(a)}`);
    // Neither contains the other in general: values valid before may fail now, and the reverse.
    else add("major", "constraint-changed", `${S}: ${name} changed from ${show(a)} to ${show(b)}`);
  }
  if (!on.uniqueItems && nn.uniqueItems) tightened("items must now be unique");
  if (on.uniqueItems && !nn.uniqueItems) loosened("items no longer need to be unique");
}

function compareProperties(c: SchemaCtx, on: Norm, nn: Norm, field: string[]): void {
  const { d, dir } = c;
  // readOnly properties are never sent and writeOnly ones never read: they are not there for the caller.
  const hidden = dir === "in" ? "readOnly" : "writeOnly";
  const visible = (doc: JsonObject, m: Member | undefined) => m !== undefined && normalize(doc, m.schema, m.segs).raw[hidden] !== true;
  const subject = (name: string) => subjectOf(c, [...field, name]);
  const kind = (suffix: string) => `${c.label}-${suffix}`;
  for (const [name, om] of on.props) {
    if (!visible(d.oldDoc, om) || visible(d.newDoc, nn.props.get(name))) continue;
    report(d, presence(dir, "removed"), kind("field-removed"), om.segs, `${subject(name)} ${presenceWords(dir, "removed")}`);
  }
  for (const [name, nm] of nn.props) {
    if (!visible(d.newDoc, nm)) continue;
    const om = on.props.get(name);
    if (!visible(d.oldDoc, om)) {
      const event = nn.required.has(name) ? "added-required" : "added-optional";
      report(d, presence(dir, event), kind("field-added"), nm.segs, `${subject(name)} ${presenceWords(dir, event)}`);
      continue;
    }
    const [was, is] = [on.required.has(name), nn.required.has(name)];
    if (was !== is) {
      const event = is ? "became-required" : "became-optional";
      report(d, presence(dir, event), kind(is ? "field-required" : "field-optional"), nm.segs, `${subject(name)} ${presenceWords(dir, event)}`);
    }
    compareSchema(c, om!, nm, [...field, name]);
  }
}

function compareAdditional(c: SchemaCtx, on: Norm, nn: Norm, field: string[], S: string, add: Add): void {
  const [a, b] = [on.additional, nn.additional];
  if (typeof a === "object" && typeof b === "object") return compareSchema(c, a, b, [...field, "*"]);
  if (a === b) return;
  const dir = c.dir;
  if (b === false) add(narrowing(dir), "extra-properties-removed", `${S} no longer allows properties beyond those listed`);
  // New unlisted properties in a response are like new response fields: minor.
  else if (a === false) add("minor", "extra-properties-added", `${S} now allows properties beyond those listed`);
  else if (a === true) add(narrowing(dir), "extra-properties-narrowed", `${S}: unlisted properties must now match a schema`);
  else add(widening(dir), "extra-properties-widened", `${S}: unlisted properties may now be anything`);
}

function variantName(doc: JsonObject, m: Member, i: number): string {
  const name = resolve(doc, m.schema).name;
  return name !== undefined ? `\`${name}\`` : `shape #${i + 1}`;
}

/**
 * The types a union admits whole: a member that is a bare `type: X` (no enum, format, pattern or
 * limit) accepts every X, so the other members cannot narrow what an X may be.
 */
function openTypes(doc: JsonObject, members: Member[]): Set<string> {
  const out = new Set<string>();
  for (const m of members) {
    const n = normalize(doc, m.schema, m.segs);
    const bare = !n.enum && !n.format && !n.pattern && !n.lower && !n.upper && n.limits.size === 0 && n.multipleOf === undefined;
    if (n.types?.size === 1 && bare && n.props.size === 0 && !n.items && !n.variants) out.add([...n.types][0]!);
  }
  return out;
}

/** oneOf/anyOf members: matched by the component they refer to, then by position. */
function compareVariants(c: SchemaCtx, before: Member[], after: Member[], field: string[], S: string, add: Add): void {
  const { d, dir } = c;
  const openBefore = openTypes(d.oldDoc, before);
  const open = new Set([...openTypes(d.newDoc, after)].filter((t) => openBefore.has(t)));
  const names = (doc: JsonObject, list: Member[]) => list.map((m) => resolve(doc, m.schema).name);
  const [oldNames, newNames] = [names(d.oldDoc, before), names(d.newDoc, after)];
  const pairs: [number, number][] = [];
  const usedOld = new Set<number>();
  const usedNew = new Set<number>();
  oldNames.forEach((name, i) => {
    const j = name === undefined ? -1 : newNames.findIndex((other, k) => other === name && !usedNew.has(k));
    if (j >= 0) {
      pairs.push([i, j]);
      usedOld.add(i);
      usedNew.add(j);
    }
  });
  const restOld = before.map((_, i) => i).filter((i) => !usedOld.has(i) && oldNames[i] === undefined);
  const restNew = after.map((_, j) => j).filter((j) => !usedNew.has(j) && newNames[j] === undefined);
  for (let k = 0; k < Math.min(restOld.length, restNew.length); k++) {
    pairs.push([restOld[k]!, restNew[k]!]);
    usedOld.add(restOld[k]!);
    usedNew.add(restNew[k]!);
  }
  before.forEach((m, i) => {
    if (!usedOld.has(i)) add(narrowing(dir), "variant-removed", `${S} can no longer be ${variantName(d.oldDoc, m, i)}`, m.segs);
  });
  after.forEach((m, j) => {
    if (!usedNew.has(j)) add(widening(dir), "variant-added", `${S} can now also be ${variantName(d.newDoc, m, j)}`, m.segs);
  });
  for (const [i, j] of pairs) {
    const label = newNames[j] !== undefined ? `\`${newNames[j]}\`` : `shape #${j + 1}`;
    compareSchema({ ...c, open: open.size > 0 ? open : undefined }, before[i]!, after[j]!, [...field, `(${label})`]);
  }
}

// ---------------------------------------------------------------------------------------------
// Operations

interface Op {
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

function operationsOf(doc: JsonObject): Map<string, Op> {
  const ops = new Map<string, Op>();
  for (const [container, webhook] of [["paths", false], ["webhooks", true]] as const) {
    const items = doc[container];
    if (!isObject(items)) continue;
    for (const [path, rawItem] of Object.entries(items)) {
      const item = resolved(doc, rawItem);
      if (!item) continue;
      for (const method of HTTP_METHODS) {
        const op = item[method];
        if (!isObject(op)) continue;
        const M = method.toUpperCase();
        const label = webhook ? `webhook ${path}${method === "post" ? "" : ` (${M})`}` : `${M} ${path}`;
        ops.set(`${webhook ? "webhook " : ""}${M} ${path}`, {
          key: `${M} ${path}`,
          label,
          id: typeof op.operationId === "string" ? op.operationId : undefined,
          op,
          segs: [container, path, method],
          item,
          itemSegs: [container, path],
          webhook,
        });
      }
    }
  }
  return ops;
}

const opName = (op: Op) => (op.webhook ? op.label : op.id ? `operation ${op.id} (${op.label})` : `operation ${op.label}`);

function compareOperations(d: Diff): void {
  const olds = operationsOf(d.oldDoc);
  const news = operationsOf(d.newDoc);
  // An operation whose path or method changed but kept its operationId "moved": still breaking
  // (callers name the path), but one change, and its contents are compared too.
  const movedTo = new Map<string, string>();
  const movedFrom = new Map<string, string>();
  for (const [key, o] of olds) {
    if (news.has(key) || o.id === undefined) continue;
    for (const [newKey, n] of news) {
      if (!olds.has(newKey) && !movedFrom.has(newKey) && n.id === o.id && n.webhook === o.webhook) {
        movedTo.set(key, newKey);
        movedFrom.set(newKey, key);
        break;
      }
    }
  }
  for (const [key, o] of olds) {
    if (news.has(key) || movedTo.has(key)) continue;
    const then = o.id === undefined ? undefined : [...news.values()].find((n) => n.id === o.id);
    report(d, "major", o.webhook ? "webhook-removed" : "operation-removed", o.segs, `${opName(o)} was removed${then ? ` (${then.label} has its operationId now)` : ""}`);
  }
  for (const [key, n] of news) {
    const o = olds.get(key) ?? olds.get(movedFrom.get(key) ?? "");
    if (!o) {
      report(d, "minor", n.webhook ? "webhook-added" : "operation-added", n.segs, `${opName(n)} was added`);
      continue;
    }
    if (o !== olds.get(key)) {
      report(d, "major", "operation-moved", n.segs, `operation ${n.id} moved from ${o.label} to ${n.label}`);
      // The documentation walk pairs operations by path; a moved one is paired here.
      walkDocs(d, o.op, n.op, n.segs, false);
    }
    compareOperation(d, o, n);
  }
}

function compareOperation(d: Diff, o: Op, n: Op): void {
  const L = n.label;
  if (o.id !== n.id && !n.webhook) {
    // The generated operationTable and OperationId type are keyed by operationId.
    if (o.id !== undefined && n.id !== undefined) report(d, "major", "operation-renamed", [...n.segs, "operationId"], `operation ${L} was renamed from ${o.id} to ${n.id}`);
    else if (n.id !== undefined) report(d, "minor", "operation-renamed", [...n.segs, "operationId"], `operation ${L} got the operationId ${n.id}`);
    else report(d, "major", "operation-renamed", n.segs, `operation ${L} lost its operationId ${o.id}`);
  }
  if (o.op.deprecated !== true && n.op.deprecated === true) report(d, "minor", "operation-deprecated", n.segs, `${opName(n)} was deprecated`);
  if (o.op.deprecated === true && n.op.deprecated !== true) report(d, "patch", "operation-undeprecated", n.segs, `${opName(n)} is no longer deprecated`);
  compareBehaviour(d, o, n);
  compareOperationSecurity(d, o, n);
  const sendDir: Dir = n.webhook ? "out" : "in";
  compareParameters(d, o, n, sendDir);
  compareRequestBody(d, o, n, sendDir);
  compareResponses(d, o, n, sendDir === "in" ? "out" : "in");
}

/** Extensions the SDK's runtime acts on; every other x- key is documentation. */
const BEHAVIOURAL_EXTENSIONS = new Set(["x-satbind-moves-funds", "x-satbind-retry-safe"]);

function compareBehaviour(d: Diff, o: Op, n: Op): void {
  // The runtime retries or refuses to retry by these; callers' code does not change, what happens on failure does.
  const flag = (op: Op, key: string) => op.op[key] === true;
  const L = n.label;
  const texts: Record<string, [string, string]> = {
    "x-satbind-moves-funds": [`${L} is now marked as moving funds: the client never retries it`, `${L} is no longer marked as moving funds`],
    "x-satbind-retry-safe": [`${L} is now marked retry-safe: the client may send it again after a failure`, `${L} is no longer marked retry-safe`],
  };
  for (const key of BEHAVIOURAL_EXTENSIONS) {
    if (flag(o, key) === flag(n, key)) continue;
    const [on, off] = texts[key]!;
    report(d, "minor", "operation-behaviour-changed", [...n.segs, key], flag(n, key) ? on : off);
  }
}

// --- auth

function securityText(security: unknown): string {
  if (!Array.isArray(security) || security.length === 0) return "none";
  const alternatives = security.map((requirement) => {
    if (!isObject(requirement)) return "?";
    const schemes = Object.keys(requirement)
      .sort()
      .map((name) => {
        const scopes = Array.isArray(requirement[name]) ? (requirement[name] as unknown[]).map(String).sort() : [];
        return scopes.length > 0 ? `${name} (${scopes.join(", ")})` : name;
      });
    return schemes.length > 0 ? schemes.join(" + ") : "anonymous";
  });
  return [...new Set(alternatives)].sort().join(" or ");
}

function securityMessage(subject: string, before: string, after: string): string {
  if (before === "none") return `${subject} now requires auth: ${after}`;
  if (after === "none") return `${subject} no longer requires auth (was ${before})`;
  return `auth requirement of ${subject} changed from ${before} to ${after}`;
}

/** Any change to who may call is major: adding auth breaks anonymous callers, changing or removing it breaks the credentials callers pass. */
function compareGlobalSecurity(d: Diff): void {
  const [before, after] = [securityText(d.oldDoc.security), securityText(d.newDoc.security)];
  if (before === after) return;
  const inheriting = [...operationsOf(d.newDoc).values()].filter((op) => !op.webhook && op.op.security === undefined).length;
  // Operations that set their own `security` are compared one by one; if none inherits, nobody notices.
  if (inheriting === 0) return;
  const count = `${inheriting} operation${inheriting === 1 ? "" : "s"}`;
  report(d, "major", "security-changed", ["security"], `${securityMessage("the API", before, after)}, for the ${count} without their own \`security\``);
}

function compareOperationSecurity(d: Diff, o: Op, n: Op): void {
  if (n.webhook) return;
  // An operation that inherits the global requirement in both versions is covered by compareGlobalSecurity.
  if (o.op.security === undefined && n.op.security === undefined) return;
  const before = securityText(o.op.security ?? d.oldDoc.security);
  const after = securityText(n.op.security ?? d.newDoc.security);
  if (before === after) return;
  report(d, "major", "security-changed", n.op.security === undefined ? n.segs : [...n.segs, "security"], securityMessage(n.label, before, after));
}

function compareSecuritySchemes(d: Diff): void {
  const schemes = (doc: JsonObject) => {
    const all = getAt(doc, ["components", "securitySchemes"]);
    return isObject(all) ? all : {};
  };
  const [before, after] = [schemes(d.oldDoc), schemes(d.newDoc)];
  const used = new Set<string>();
  const collect = (security: unknown) => {
    if (Array.isArray(security)) for (const req of security) if (isObject(req)) for (const name of Object.keys(req)) used.add(name);
  };
  collect(d.newDoc.security);
  for (const op of operationsOf(d.newDoc).values()) collect(op.op.security);
  // What a client must send; description and bearerFormat are documentation.
  const essence = (doc: JsonObject, scheme: unknown) => {
    const s = resolved(doc, scheme) ?? {};
    const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v);
    return { type: s.type, in: s.in, name: s.in === "header" ? lower(s.name) : s.name, scheme: lower(s.scheme), flows: flowsEssence(s.flows), openIdConnectUrl: s.openIdConnectUrl };
  };
  for (const name of Object.keys(after)) {
    if (!used.has(name) || !has(before, name)) continue;
    const [a, b] = [essence(d.oldDoc, before[name]), essence(d.newDoc, after[name])];
    const changed = (Object.keys(b) as (keyof typeof b)[]).filter((k) => !same(a[k], b[k]));
    if (changed.length === 0) continue;
    const [rawA, rawB] = [resolved(d.oldDoc, before[name]) ?? {}, resolved(d.newDoc, after[name]) ?? {}];
    const detail = changed.map((k) => `${k} ${show(rawA[k] ?? null)} -> ${show(rawB[k] ?? null)}`).join(", ");
    report(d, "major", "security-scheme-changed", ["components", "securitySchemes", name], `auth scheme \`${name}\` changed: ${detail}`);
  }
}

function flowsEssence(flows: unknown): unknown {
  if (!isObject(flows)) return undefined;
  const out: JsonObject = {};
  for (const [name, flow] of Object.entries(flows)) {
    if (!isObject(flow)) continue;
    out[name] = { authorizationUrl: flow.authorizationUrl, tokenUrl: flow.tokenUrl, refreshUrl: flow.refreshUrl, scopes: isObject(flow.scopes) ? Object.keys(flow.scopes).sort() : [] };
  }
  return out;
}

// --- servers

/**
 * Server changes are minor: the SDK's default base URL comes from the first server, so a changed
 * list changes where an unconfigured client sends requests, but no typed call breaks (baseUrl is
 * an option). A changed server description is patch, like any description.
 */
function compareServers(d: Diff): void {
  const list = (doc: JsonObject) =>
    (Array.isArray(doc.servers) ? doc.servers.filter(isObject) : []).map((s) => ({ url: String(s.url), variables: variablesEssence(s.variables) }));
  const [before, after] = [list(d.oldDoc), list(d.newDoc)];
  // No servers means "/" (OpenAPI's default).
  const [oldDefault, newDefault] = [before[0]?.url ?? "/", after[0]?.url ?? "/"];
  const said = new Set<string>();
  if (oldDefault !== newDefault) {
    report(d, "minor", "server-changed", after.length > 0 ? ["servers", "0"] : [], `default server changed from ${oldDefault} to ${newDefault}`);
    said.add(oldDefault).add(newDefault);
  }
  const urls = (l: { url: string }[]) => new Set(l.map((s) => s.url));
  const [oldUrls, newUrls] = [urls(before), urls(after)];
  before.forEach((s, i) => {
    if (!newUrls.has(s.url) && !said.has(s.url)) report(d, "minor", "server-removed", ["servers", String(i)], `server ${s.url} was removed`);
  });
  after.forEach((s, i) => {
    if (!oldUrls.has(s.url) && !said.has(s.url)) report(d, "minor", "server-added", ["servers", String(i)], `server ${s.url} was added`);
    const old = before.find((b) => b.url === s.url);
    if (old && !same(old.variables, s.variables)) report(d, "minor", "server-variables-changed", ["servers", String(i), "variables"], `variables of server ${s.url} changed`);
  });
}

function variablesEssence(variables: unknown): unknown {
  if (!isObject(variables)) return {};
  const out: JsonObject = {};
  for (const [name, v] of Object.entries(variables)) if (isObject(v)) out[name] = { default: v.default, enum: v.enum };
  return out;
}

// --- parameters

interface Param {
  param: JsonObject;
  segs: string[];
  name: string;
  in: string;
}

/** Path-level parameters, overridden by operation-level ones with the same name and location. */
function paramsOf(doc: JsonObject, op: Op): Map<string, Param> {
  const out = new Map<string, Param>();
  for (const [list, base] of [[op.item.parameters, op.itemSegs], [op.op.parameters, op.segs]] as const) {
    if (!Array.isArray(list)) continue;
    list.forEach((raw, i) => {
      const param = resolved(doc, raw);
      if (!param || typeof param.name !== "string" || typeof param.in !== "string") return;
      // Header names are case-insensitive.
      const name = param.in === "header" ? param.name.toLowerCase() : param.name;
      out.set(`${param.in}:${name}`, { param, segs: [...base, "parameters", String(i)], name: param.name, in: param.in });
    });
  }
  return out;
}

const paramRequired = (p: Param) => p.in === "path" || p.param.required === true;
const paramName = (p: Param, L: string) => `${p.in} parameter \`${p.name}\` of ${L}`;

/** A parameter's schema, from `schema` or from its single `content` entry. */
function paramSchema(p: Param): Member {
  if (has(p.param, "schema")) return { schema: p.param.schema, segs: [...p.segs, "schema"] };
  const content = isObject(p.param.content) ? Object.keys(p.param.content)[0] : undefined;
  if (content !== undefined) return { schema: getAt(p.param, ["content", content, "schema"]) ?? {}, segs: [...p.segs, "content", content, "schema"] };
  return { schema: {}, segs: p.segs };
}

function serialization(p: Param): string {
  const defaults: Record<string, string> = { query: "form", cookie: "form", path: "simple", header: "simple" };
  const style = typeof p.param.style === "string" ? p.param.style : (defaults[p.in] ?? "simple");
  const explode = typeof p.param.explode === "boolean" ? p.param.explode : style === "form";
  return `${style}${explode ? ", exploded" : ""}`;
}

function compareParameters(d: Diff, o: Op, n: Op, dir: Dir): void {
  const L = n.label;
  const [before, after] = [paramsOf(d.oldDoc, o), paramsOf(d.newDoc, n)];
  const removed = [...before].filter(([k]) => !after.has(k)).map(([, p]) => p);
  const added = [...after].filter(([k]) => !before.has(k)).map(([, p]) => p);
  // Same name, new location: one change, not a removal and an addition.
  for (const r of [...removed]) {
    const a = added.find((p) => p.name.toLowerCase() === r.name.toLowerCase());
    if (!a) continue;
    removed.splice(removed.indexOf(r), 1);
    added.splice(added.indexOf(a), 1);
    report(d, "major", "parameter-moved", a.segs, `parameter \`${a.name}\` of ${L} moved from ${r.in} to ${a.in}`);
  }
  for (const p of removed) report(d, presence(dir, "removed"), "parameter-removed", p.segs, `${paramName(p, o.label)} ${presenceWords(dir, "removed")}`);
  for (const p of added) {
    const event = paramRequired(p) ? "added-required" : "added-optional";
    report(d, presence(dir, event), "parameter-added", p.segs, `${paramName(p, L)} ${presenceWords(dir, event)}`);
  }
  for (const [key, np] of after) {
    const op = before.get(key);
    if (!op) continue;
    if (paramRequired(op) !== paramRequired(np)) {
      const event = paramRequired(np) ? "became-required" : "became-optional";
      report(d, presence(dir, event), paramRequired(np) ? "parameter-required" : "parameter-optional", np.segs, `${paramName(np, L)} ${presenceWords(dir, event)}`);
    }
    if (op.param.deprecated !== true && np.param.deprecated === true) report(d, "minor", "parameter-deprecated", np.segs, `${paramName(np, L)} was deprecated`);
    // The SDK serialises parameters: callers' code is unchanged, what goes on the wire is not.
    if (serialization(op) !== serialization(np)) {
      report(d, "minor", "parameter-serialization-changed", np.segs, `${paramName(np, L)} is now serialised as ${serialization(np)} (was ${serialization(op)})`);
    }
    const where: Where = { root: paramName(np, L), field: (f) => `field \`${f}\` of ${paramName(np, L)}` };
    compareSchema({ d, dir, label: "parameter", where, active: new Set() }, paramSchema(op), paramSchema(np), []);
  }
}

// --- request bodies

function compareRequestBody(d: Diff, o: Op, n: Op, dir: Dir): void {
  const L = n.label;
  const label = n.webhook ? "payload" : "request";
  const noun = n.webhook ? "payload" : "request body";
  const [before, after] = [resolved(d.oldDoc, o.op.requestBody), resolved(d.newDoc, n.op.requestBody)];
  const segs = [...n.segs, "requestBody"];
  if (!before && !after) return;
  if (!before) {
    const event = after!.required === true ? "added-required" : "added-optional";
    report(d, presence(dir, event), `${label}-body-added`, segs, `${L} now takes a ${noun}${event === "added-required" ? " (required)" : " (optional)"}`);
    return;
  }
  if (!after) {
    report(d, "major", `${label}-body-removed`, [...o.segs, "requestBody"], `${L} no longer takes a ${noun}`);
    return;
  }
  if ((before.required === true) !== (after.required === true)) {
    const event = after.required === true ? "became-required" : "became-optional";
    report(d, presence(dir, event), `${label}-body-${after.required === true ? "required" : "optional"}`, segs, `the ${noun} of ${L} ${presenceWords(dir, event)}`);
  }
  const where = (mediaType: string): Where => {
    const suffix = mediaType === "application/json" ? "" : ` (${mediaType})`;
    return { root: `${noun} of ${L}${suffix}`, field: (f) => `${label} field \`${f}\` of ${L}${suffix}` };
  };
  compareContent(d, before, after, [...o.segs, "requestBody"], segs, dir, label, where, `${L} ${noun}`);
}

/** Media types of a request body or a response, each one's schema compared. */
function compareContent(
  d: Diff,
  before: JsonObject,
  after: JsonObject,
  oldSegs: string[],
  newSegs: string[],
  dir: Dir,
  label: string,
  where: (mediaType: string) => Where,
  what: string,
): void {
  const [oc, nc] = [resolved(d.oldDoc, before.content) ?? {}, resolved(d.newDoc, after.content) ?? {}];
  for (const mt of Object.keys(oc)) {
    if (has(nc, mt)) continue;
    report(d, "major", `${label}-media-type-removed`, [...oldSegs, "content", mt], `${what}: ${mt} is no longer ${dir === "in" ? "accepted" : "sent"}`);
  }
  for (const mt of Object.keys(nc)) {
    if (!has(oc, mt)) {
      report(d, "minor", `${label}-media-type-added`, [...newSegs, "content", mt], `${what}: ${mt} is now ${dir === "in" ? "accepted" : "sent"}`);
      continue;
    }
    const om = resolved(d.oldDoc, oc[mt]) ?? {};
    const nm = resolved(d.newDoc, nc[mt]) ?? {};
    compareSchema(
      { d, dir, label, where: where(mt), active: new Set() },
      { schema: om.schema ?? {}, segs: [...oldSegs, "content", mt, "schema"] },
      { schema: nm.schema ?? {}, segs: [...newSegs, "content", mt, "schema"] },
      [],
    );
  }
}

// --- responses

const isSuccess = (status: string) => /^2/.test(status);

function compareResponses(d: Diff, o: Op, n: Op, dir: Dir): void {
  const L = n.label;
  const label = n.webhook ? "webhook-response" : "response";
  const [before, after] = [resolved(d.oldDoc, o.op.responses) ?? {}, resolved(d.newDoc, n.op.responses) ?? {}];
  const hasBody = (doc: JsonObject, r: unknown) => {
    const content = resolved(doc, resolved(doc, r)?.content);
    return content !== undefined && Object.keys(content).length > 0;
  };
  for (const status of Object.keys(before)) {
    if (has(after, status)) continue;
    // A removed success response takes away what callers read: major. A documented error that
    // disappears is not breaking: callers' handling of it simply stops being needed.
    const bump: Level = dir === "in" || isSuccess(status) ? "major" : "minor";
    report(d, bump, `${label}-removed`, [...o.segs, "responses", status], `${L} no longer documents a ${status} response`);
  }
  for (const status of Object.keys(after)) {
    const segs = [...n.segs, "responses", status];
    if (!has(before, status)) {
      // A new success body widens what the SDK returns as `data` (a union of every 2xx body): callers'
      // reads may no longer type-check. A new error, or a new success without a body, is an addition.
      const bump: Level = dir === "out" && isSuccess(status) && hasBody(d.newDoc, after[status]) ? "major" : "minor";
      report(d, bump, `${label}-added`, segs, `${L} now documents a ${status} response${bump === "major" ? " with a body callers may receive instead" : ""}`);
      continue;
    }
    const [or, nr] = [resolved(d.oldDoc, before[status]) ?? {}, resolved(d.newDoc, after[status]) ?? {}];
    const suffix = (mt: string) => {
      const parts = [status === "200" ? undefined : `status ${status}`, mt === "application/json" ? undefined : mt].filter(Boolean);
      return parts.length > 0 ? ` (${parts.join(", ")})` : "";
    };
    const where = (mt: string): Where => ({
      root: `${n.webhook ? "the answer to" : "response body of"} ${L}${suffix(mt)}`,
      field: (f) => `${n.webhook ? "answer" : "response"} field \`${f}\` of ${L}${suffix(mt)}`,
    });
    compareHeaders(d, or, nr, [...o.segs, "responses", status], segs, dir, `${L}${suffix("application/json")}`);
    compareContent(d, or, nr, [...o.segs, "responses", status], segs, dir, label, where, `${status} response of ${L}`);
  }
}

function compareHeaders(d: Diff, before: JsonObject, after: JsonObject, oldSegs: string[], newSegs: string[], dir: Dir, where: string): void {
  const headers = (doc: JsonObject, r: JsonObject) => {
    const all = resolved(doc, r.headers) ?? {};
    return new Map(Object.keys(all).map((name) => [name.toLowerCase(), { name, header: resolved(doc, all[name]) ?? {} }]));
  };
  const [oh, nh] = [headers(d.oldDoc, before), headers(d.newDoc, after)];
  for (const [key, h] of oh) {
    if (!nh.has(key)) report(d, presence(dir, "removed"), "response-header-removed", [...oldSegs, "headers", h.name], `response header \`${h.name}\` of ${where} ${presenceWords(dir, "removed")}`);
  }
  for (const [key, h] of nh) {
    const segs = [...newSegs, "headers", h.name];
    const subject = `response header \`${h.name}\` of ${where}`;
    const old = oh.get(key);
    if (!old) {
      const event = h.header.required === true ? "added-required" : "added-optional";
      report(d, presence(dir, event), "response-header-added", segs, `${subject} ${presenceWords(dir, event)}`);
      continue;
    }
    if ((old.header.required === true) !== (h.header.required === true)) {
      const event = h.header.required === true ? "became-required" : "became-optional";
      report(d, presence(dir, event), `response-header-${h.header.required === true ? "required" : "optional"}`, segs, `${subject} ${presenceWords(dir, event)}`);
    }
    compareSchema(
      { d, dir, label: "response-header", where: { root: subject, field: (f) => `field \`${f}\` of ${subject}` }, active: new Set() },
      { schema: old.header.schema ?? {}, segs: [...oldSegs, "headers", old.name, "schema"] },
      { schema: h.header.schema ?? {}, segs: [...segs, "schema"] },
      [],
    );
  }
}

// --- components: each is exported from the SDK as a named type

const EXPORTED: [string, string][] = [
  ["schemas", "schema"],
  ["responses", "response"],
  ["parameters", "parameter"],
  ["requestBodies", "request body"],
  ["headers", "header"],
];

function compareComponents(d: Diff): void {
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

// ---------------------------------------------------------------------------------------------
// Documentation: compared on the raw documents, each change once where it is written

const DOC_KEYS = new Set(["description", "summary", "title", "example", "examples", "externalDocs", "$comment", "xml", "tags", "bearerFormat"]);
const ROOT_DOC_KEYS = new Set(["info", "tags", "externalDocs", "openapi", "jsonSchemaDialect"]);
/** Keys whose value maps names to objects: its keys are names (a property called "description"), not keywords. */
const NAME_MAPS = new Set([
  "paths", "webhooks", "callbacks", "properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "responses",
  "content", "headers", "links", "encoding", "variables", "securitySchemes", "schemas", "parameters", "requestBodies", "pathItems",
]);
/** Keys whose values are data or names, never documentation. */
const NOT_DOCS = new Set(["security", "required", "enum", "const", "default", "type", "mapping", "scopes"]);

function isDocKey(key: string): boolean {
  return DOC_KEYS.has(key) || (key.startsWith("x-") && !BEHAVIOURAL_EXTENSIONS.has(key));
}

/** Array items matched by what names them (parameters, tags, $refs), else by position. */
function matchItems(before: unknown[], after: unknown[]): [number, number][] {
  const keyOf = (item: unknown, i: number) =>
    isObject(item) && typeof item.name === "string" ? `name:${String(item.in)}:${item.name}` : isObject(item) && typeof item.$ref === "string" ? `ref:${item.$ref}` : `at:${i}`;
  const positions = new Map(after.map((item, j) => [keyOf(item, j), j]));
  return before.flatMap((item, i) => {
    const j = positions.get(keyOf(item, i));
    return j === undefined ? [] : [[i, j] as [number, number]];
  });
}

function walkDocs(d: Diff, o: unknown, n: unknown, segs: string[], names: boolean): void {
  if (Array.isArray(o) && Array.isArray(n)) {
    for (const [i, j] of matchItems(o, n)) walkDocs(d, o[i], n[j], [...segs, String(j)], false);
    return;
  }
  if (!isObject(o) || !isObject(n)) return;
  if (names) {
    for (const key of Object.keys(n)) if (has(o, key)) walkDocs(d, o[key], n[key], [...segs, key], false);
    return;
  }
  for (const key of unionKeys(o, n)) {
    const [a, b] = [o[key], n[key]];
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

function docChange(d: Diff, segs: string[], what: string, kind: string, before: unknown, after: unknown): void {
  const short = (v: unknown) => (typeof v === "string" && v.length <= 60 && !v.includes("\n")) || typeof v === "number" || typeof v === "boolean";
  const verb =
    before === undefined ? "was added" : after === undefined ? "was removed" : short(before) && short(after) ? `changed from ${show(before)} to ${show(after)}` : "changed";
  report(d, "patch", kind, segs, `${what} ${verb}`);
}

const COMPONENT_NOUNS: Record<string, string> = {
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
function describePlace(d: Diff, segs: string[]): string {
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
function stripDocs(value: unknown, segs: string[], names: boolean): unknown {
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

function firstDifference(a: unknown, b: unknown, segs: string[]): string[] {
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
function catchAll(d: Diff): void {
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
  if (same(a, b)) return;
  const segs = firstDifference(a, b, []);
  report(d, "patch", "other-changed", segs, `${describePlace(d, segs)} changed, but no operation uses it`);
}

/** Every local $ref reachable from the operations and webhooks, transitively. */
function reachedRefs(doc: JsonObject): Set<string> {
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
