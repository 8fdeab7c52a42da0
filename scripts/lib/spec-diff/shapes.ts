import { type JsonObject } from "../spec.js";
import { resolve } from "./core.js";
import { type Member, normalize } from "./norm.js";
import { narrowing, widening } from "./rules.js";
import { type Add, type SchemaCtx, compareSchema } from "./schemas.js";

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

/** oneOf/anyOf members: matched by the component they refer to, then by position. */
export function compareVariants(c: SchemaCtx, before: Member[], after: Member[], field: string[], S: string, add: Add): void {
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
