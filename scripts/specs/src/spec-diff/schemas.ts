// Two schemas reached at the same place, compared by what a caller sending or reading values of
// them would notice: type, nullability, format, enum, limits, fields, items; unions go to shapes.ts.
import { type JsonObject } from "@satbind/codegen/spec";
import { resolve, same, show, unionKeys } from "./core.js";
import { type Bound, HANDLED, LIMITS, type Member, type Norm, WIDER_FORMAT, normalize, showTypes, typeRelation } from "./norm.js";
import { type Diff, type Dir, type Level, isDocKey, narrowing, presence, presenceWords, report, widening } from "./rules.js";
import { admits, openTypes, sameShape, side, variantName } from "./shapes.js";


/** How to name what a schema is, in a message: its root ("request body of POST /pay") or a field in it. */
export interface Where {
  root: string;
  field(path: string): string;
}

export interface SchemaCtx {
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
export function fieldName(path: readonly string[]): string {
  let out = "";
  for (const seg of path) if (!seg.startsWith("(")) out += seg === "[]" ? seg : out === "" ? seg : `.${seg}`;
  return out;
}

/** "response field `status` of GET /x", plus "(as `Payment`)" when reached through a oneOf/anyOf member. */
export function subjectOf(c: SchemaCtx, field: readonly string[]): string {
  const name = fieldName(field);
  const variants = field.filter((seg) => seg.startsWith("(")).map((seg) => seg.slice(1, -1));
  return `${name === "" ? c.where.root : c.where.field(name)}${variants.length > 0 ? ` (as ${variants.join(", then ")})` : ""}`;
}

export function compareSchema(c: SchemaCtx, o: Member, n: Member, field: string[]): void {
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

  // A plain schema became a union (or the other way round): report that once, by what the values
  // do. Compared by shape, so `X` -> `oneOf: [X inline, Y]` is a widening and `oneOf: [integer,
  // number]` -> `number` is no change of values (nor of the TypeScript type): said as a patch.
  if ((on.variants === undefined) !== (nn.variants === undefined)) {
    const union = (on.variants ?? nn.variants)!;
    const names = union.map((m, i) => variantName(on.variants ? d.oldDoc : d.newDoc, m, i)).join(", ");
    const [oldSide, newSide] = [{ doc: d.oldDoc, n: on }, { doc: d.newDoc, n: nn }];
    const wider = admits(newSide, oldSide);
    const narrower = admits(oldSide, newSide);
    const words = nn.variants ? `can now be one of ${names}` : `is no longer one of ${names}`;
    if (wider && narrower) add("patch", "union-rewritten", `${S} ${nn.variants ? `is now written as one of ${names}` : `is no longer written as one of ${names}`} (the same values)`);
    else if (wider) add(widening(dir), "union-changed", `${S} ${words} (every value of before still fits)`);
    else if (narrower) add(narrowing(dir), "union-changed", `${S} ${words} (it admits fewer values than before)`);
    else add("major", "union-changed", `${S} ${words}`);
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

export type Add = (bump: Level, suffix: string, message: string, segs?: readonly string[]) => void;

export function objectish(n: Norm): boolean {
  return n.types === undefined || n.types.has("object") || n.props.size > 0;
}

export function compareFormat(on: Norm, nn: Norm, dir: Dir, S: string, add: Add): void {
  const [a, b] = [on.format, nn.format];
  if (a === b) return;
  // A format is a promise about the value: gaining one narrows, losing one widens.
  if (a === undefined) add(narrowing(dir), "format-narrowed", `${S} gained format ${b}`);
  else if (b === undefined) add(widening(dir), "format-widened", `${S} lost format ${a}`);
  else if (WIDER_FORMAT[a] === b) add(widening(dir), "format-widened", `${S}: format widened from ${a} to ${b}`);
  else if (WIDER_FORMAT[b] === a) add(narrowing(dir), "format-narrowed", `${S}: format narrowed from ${a} to ${b}`);
  else add("major", "format-changed", `${S}: format changed from ${a} to ${b}`);
}

export function compareEnum(on: Norm, nn: Norm, dir: Dir, S: string, add: Add, open?: ReadonlySet<string>): void {
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

export function compareLimits(on: Norm, nn: Norm, dir: Dir, S: string, add: Add): void {
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

export function compareProperties(c: SchemaCtx, on: Norm, nn: Norm, field: string[]): void {
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

export function compareAdditional(c: SchemaCtx, on: Norm, nn: Norm, field: string[], S: string, add: Add): void {
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

/**
 * oneOf/anyOf members: matched by the component they refer to, then by shape (the same object
 * inline or by $ref), then an old member to a new one that admits all of it; the unnamed rest by
 * position. An old member that some new member admits is not "removed"; a new member that some old
 * member admits is not "added".
 */
export function compareVariants(c: SchemaCtx, before: Member[], after: Member[], field: string[], S: string, add: Add): void {
  const { d, dir } = c;
  const openBefore = openTypes(d.oldDoc, before);
  const open = new Set([...openTypes(d.newDoc, after)].filter((t) => openBefore.has(t)));
  const names = (doc: JsonObject, list: Member[]) => list.map((m) => resolve(doc, m.schema).name);
  const [oldNames, newNames] = [names(d.oldDoc, before), names(d.newDoc, after)];
  const [olds, news] = [before.map((m) => side(d.oldDoc, m)), after.map((m) => side(d.newDoc, m))];
  const pairs: [number, number][] = [];
  const usedOld = new Set<number>();
  const usedNew = new Set<number>();
  const pairUp = (match: (i: number, j: number) => boolean, onlyUnnamed = false) => {
    before.forEach((_, i) => {
      if (usedOld.has(i) || (onlyUnnamed && oldNames[i] !== undefined)) return;
      const j = after.findIndex((_, k) => !usedNew.has(k) && !(onlyUnnamed && newNames[k] !== undefined) && match(i, k));
      if (j < 0) return;
      pairs.push([i, j]);
      usedOld.add(i);
      usedNew.add(j);
    });
  };
  pairUp((i, j) => oldNames[i] !== undefined && oldNames[i] === newNames[j]);
  pairUp((i, j) => sameShape(olds[i]!, news[j]!));
  pairUp((i, j) => admits(news[j]!, olds[i]!));
  pairUp(() => true, true);
  before.forEach((m, i) => {
    if (usedOld.has(i) || news.some((n) => admits(n, olds[i]!))) return;
    add(narrowing(dir), "variant-removed", `${S} can no longer be ${variantName(d.oldDoc, m, i)}`, m.segs);
  });
  after.forEach((m, j) => {
    if (usedNew.has(j) || olds.some((o) => admits(o, news[j]!))) return;
    add(widening(dir), "variant-added", `${S} can now also be ${variantName(d.newDoc, m, j)}`, m.segs);
  });
  for (const [i, j] of pairs) {
    const label = newNames[j] !== undefined ? `\`${newNames[j]}\`` : `shape #${j + 1}`;
    compareSchema({ ...c, open: open.size > 0 ? open : undefined }, before[i]!, after[j]!, [...field, `(${label})`]);
  }
}
