// Unions compared by shape: admits() says whether one schema accepts every value another does
// (the same object inline or by $ref is the same), and compareVariants matches union members by
// name, then by shape, then by what admits them.
import { type JsonObject } from "@satbind/codegen/spec";
import { resolve, show } from "./core.js";
import { type Bound, LIMITS, type Member, type Norm, WIDER_FORMAT, covers, normalize } from "./norm.js";

export function variantName(doc: JsonObject, m: Member, i: number): string {
  const name = resolve(doc, m.schema).name;
  return name !== undefined ? `\`${name}\`` : `shape #${i + 1}`;
}

/**
 * The types a union admits whole: a member that is a bare `type: X` (no enum, format, pattern or
 * limit) accepts every X, so the other members cannot narrow what an X may be.
 */
export function openTypes(doc: JsonObject, members: Member[]): Set<string> {
  const out = new Set<string>();
  for (const m of members) {
    const n = normalize(doc, m.schema, m.segs);
    const bare = !n.enum && !n.format && !n.pattern && !n.lower && !n.upper && n.limits.size === 0 && n.multipleOf === undefined;
    if (n.types?.size === 1 && bare && n.props.size === 0 && !n.items && !n.variants) out.add([...n.types][0]!);
  }
  return out;
}

/** A schema read from one of the two documents. */
interface Side {
  doc: JsonObject;
  n: Norm;
}

export const side = (doc: JsonObject, m: Member): Side => ({ doc, n: normalize(doc, m.schema, m.segs) });

/**
 * Does `outer` accept every value `inner` accepts? Compared by shape, not by $ref name: the same
 * object written inline or through a component is the same. Conservative: false when unsure. A
 * property that `outer` lists (optional) and `inner` does not is let through, as TypeScript
 * assigns `{ a }` to `{ a; b? }`.
 */
export function admits(outer: Side, inner: Side, seen: ReadonlySet<string> = new Set()): boolean {
  const [o, i] = [outer.n, inner.n];
  const key = `${o.id}:${i.id}`;
  // A recursive schema met again on this path: what it adds is being checked further up.
  if (o.id !== 0 && i.id !== 0 && seen.has(key)) return true;
  if (seen.size > 64) return false;
  const next = o.id !== 0 && i.id !== 0 ? new Set(seen).add(key) : seen;
  const down = (oDoc: JsonObject, om: Member, iDoc: JsonObject, im: Member) => admits(side(oDoc, om), side(iDoc, im), next);
  if (o.unresolved !== undefined || i.unresolved !== undefined) return o.unresolved === i.unresolved;
  if (i.nullable && !o.nullable) return false;
  const notNull = (s: Side): Side => ({ doc: s.doc, n: { ...s.n, nullable: false } });
  if (i.variants) return i.variants.every((m) => admits(outer, notNull(side(inner.doc, m)), next));
  if (o.variants) return o.variants.some((m) => admits(side(outer.doc, m), notNull(inner), next));

  if (o.types && (!i.types || [...i.types].some((t) => !covers(o.types, t)))) return false;
  if (o.enum) {
    const allowed = new Set(o.enum.map(show));
    if (!i.enum || !i.enum.every((v) => allowed.has(show(v)))) return false;
  }
  if (o.format !== undefined && o.format !== i.format && !(i.format !== undefined && WIDER_FORMAT[i.format] === o.format)) return false;
  const within = (ob: Bound | undefined, ib: Bound | undefined, lower: boolean) =>
    !ob || (ib !== undefined && (lower ? ib.value > ob.value : ib.value < ob.value || false) || (ib !== undefined && ib.value === ob.value && (ib.exclusive || !ob.exclusive)));
  if (!within(o.lower, i.lower, true) || !within(o.upper, i.upper, false)) return false;
  for (const [name, tighterWhen] of LIMITS) {
    const [a, b] = [o.limits.get(name), i.limits.get(name)];
    if (a !== undefined && (b === undefined || (tighterWhen === "smaller" ? b > a : b < a))) return false;
  }
  if ((o.pattern !== undefined && o.pattern !== i.pattern) || (o.multipleOf !== undefined && o.multipleOf !== i.multipleOf)) return false;
  if (o.uniqueItems && !i.uniqueItems) return false;

  for (const name of o.required) if (!i.required.has(name)) return false;
  for (const [name, om] of o.props) {
    const im = i.props.get(name);
    if (im && !down(outer.doc, om, inner.doc, im)) return false;
  }
  // A field `outer` does not list fits only a free-form object or its additionalProperties schema:
  // TypeScript refuses `{ message }` where `{ sats? }` is expected.
  const freeForm = o.props.size === 0 && o.additional === true;
  for (const [name, im] of i.props) {
    if (o.props.has(name) || freeForm) continue;
    if (typeof o.additional !== "object" || !down(outer.doc, o.additional, inner.doc, im)) return false;
  }
  if (o.additional === false && i.additional !== false) return false;
  if (typeof o.additional === "object") {
    if (i.additional === true) return false;
    if (typeof i.additional === "object" && !down(outer.doc, o.additional, inner.doc, i.additional)) return false;
  }
  if (o.items && (!i.items || !down(outer.doc, o.items, inner.doc, i.items))) return false;
  return true;
}

/** Same values both ways: a rewrite, not a change. */
export function sameShape(a: Side, b: Side): boolean {
  return admits(a, b) && admits(b, a);
}
