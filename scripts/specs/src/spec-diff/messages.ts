// What a caller sends and reads, per operation: parameters (header spelling included), request
// bodies, responses (a success status replaced by another said once), response headers, and the
// media types of each, down to compareSchema.
import { getAt, isObject, type JsonObject } from "@satbind/codegen/spec";
import { type Op, has, resolved, same } from "./core.js";
import { stripDocs } from "./document.js";
import { type Member } from "./norm.js";
import { type Diff, type Dir, type Level, presence, presenceWords, report } from "./rules.js";
import { type Where, compareSchema } from "./schemas.js";


export interface Param {
  param: JsonObject;
  segs: string[];
  name: string;
  in: string;
}

/** Path-level parameters, overridden by operation-level ones with the same name and location. */
export function paramsOf(doc: JsonObject, op: Op): Map<string, Param> {
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

export const paramRequired = (p: Param) => p.in === "path" || p.param.required === true;
export const paramName = (p: Param, L: string) => `${p.in} parameter \`${p.name}\` of ${L}`;

/** A parameter's schema, from `schema` or from its single `content` entry. */
export function paramSchema(p: Param): Member {
  if (has(p.param, "schema")) return { schema: p.param.schema, segs: [...p.segs, "schema"] };
  const content = isObject(p.param.content) ? Object.keys(p.param.content)[0] : undefined;
  if (content !== undefined) return { schema: getAt(p.param, ["content", content, "schema"]) ?? {}, segs: [...p.segs, "content", content, "schema"] };
  return { schema: {}, segs: p.segs };
}

export function serialization(p: Param): string {
  const defaults: Record<string, string> = { query: "form", cookie: "form", path: "simple", header: "simple" };
  const style = typeof p.param.style === "string" ? p.param.style : (defaults[p.in] ?? "simple");
  const explode = typeof p.param.explode === "boolean" ? p.param.explode : style === "form";
  return `${style}${explode ? ", exploded" : ""}`;
}

export function compareParameters(d: Diff, o: Op, n: Op, dir: Dir): void {
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
    // Matched case-insensitively (the same header on the wire), but the generated type keys
    // `params.header` by the spelling: `{ Referral }` stops compiling when it becomes `referral`.
    if (op.name !== np.name) {
      report(d, "major", "parameter-renamed", np.segs, `${paramName(op, o.label)} is now spelt \`${np.name}\` (the same header on the wire, but the typed client keys headers by their spelling)`);
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

export function compareRequestBody(d: Diff, o: Op, n: Op, dir: Dir): void {
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
export function compareContent(
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

export const isSuccess = (status: string) => /^2/.test(status);

export function compareResponses(d: Diff, o: Op, n: Op, dir: Dir): void {
  const L = n.label;
  const label = n.webhook ? "webhook-response" : "response";
  const [before, after] = [resolved(d.oldDoc, o.op.responses) ?? {}, resolved(d.newDoc, n.op.responses) ?? {}];
  const hasBody = (doc: JsonObject, r: unknown) => {
    const content = resolved(doc, resolved(doc, r)?.content);
    return content !== undefined && Object.keys(content).length > 0;
  };
  // One success status replaced by another with the same body (200 -> 201): one change, even when
  // the body's descriptions were reworded with it (a real Boltz change did both; the rewording
  // changes nothing a caller can see, so it is not listed). Results narrow on the `status`
  // literal, so `if (r.status === 200)` stops compiling (or never matches in plain JS): major.
  const goneOk = Object.keys(before).filter((s) => isSuccess(s) && !has(after, s));
  const newOk = Object.keys(after).filter((s) => isSuccess(s) && !has(before, s));
  const sameBody = (from: string, to: string) =>
    same(stripDocs(resolved(d.oldDoc, before[from])?.content, ["content"], true), stripDocs(resolved(d.newDoc, after[to])?.content, ["content"], true));
  const statusMoved = goneOk.length === 1 && newOk.length === 1 && sameBody(goneOk[0]!, newOk[0]!) ? { from: goneOk[0]!, to: newOk[0]! } : undefined;
  for (const status of Object.keys(before)) {
    if (has(after, status) || status === statusMoved?.from) continue;
    // A removed success response takes away what callers read: major. A documented error that
    // disappears is not breaking: callers' handling of it simply stops being needed.
    const bump: Level = dir === "in" || isSuccess(status) ? "major" : "minor";
    report(d, bump, `${label}-removed`, [...o.segs, "responses", status], `${L} no longer documents a ${status} response`);
  }
  for (const status of Object.keys(after)) {
    const segs = [...n.segs, "responses", status];
    const from = status === statusMoved?.to ? statusMoved.from : status;
    if (status === statusMoved?.to) {
      const words = `${L} now answers ${status} where it answered ${from}, with the same body: results narrow on \`status\`, so code that checks for ${from} no longer compiles`;
      report(d, "major", `${label}-status-changed`, segs, words);
    } else if (!has(before, status)) {
      // A new success body widens what the SDK returns as `data` (a union of every 2xx body): callers'
      // reads may no longer type-check. A new error, or a new success without a body, is an addition.
      const bump: Level = dir === "out" && isSuccess(status) && hasBody(d.newDoc, after[status]) ? "major" : "minor";
      report(d, bump, `${label}-added`, segs, `${L} now documents a ${status} response${bump === "major" ? " with a body callers may receive instead" : ""}`);
      continue;
    }
    const [or, nr] = [resolved(d.oldDoc, before[from]) ?? {}, resolved(d.newDoc, after[status]) ?? {}];
    const suffix = (mt: string) => {
      const parts = [status === "200" ? undefined : `status ${status}`, mt === "application/json" ? undefined : mt].filter(Boolean);
      return parts.length > 0 ? ` (${parts.join(", ")})` : "";
    };
    const where = (mt: string): Where => ({
      root: `${n.webhook ? "the answer to" : "response body of"} ${L}${suffix(mt)}`,
      field: (f) => `${n.webhook ? "answer" : "response"} field \`${f}\` of ${L}${suffix(mt)}`,
    });
    compareHeaders(d, or, nr, [...o.segs, "responses", from], segs, dir, `${L}${suffix("application/json")}`);
    compareContent(d, or, nr, [...o.segs, "responses", from], segs, dir, label, where, `${status} response of ${L}`);
  }
}

export function compareHeaders(d: Diff, before: JsonObject, after: JsonObject, oldSegs: string[], newSegs: string[], dir: Dir, where: string): void {
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
    // The wire is case-insensitive and callers read headers through Headers.get: a new spelling changes only the documented name.
    if (old.name !== h.name) report(d, "patch", "response-header-renamed", segs, `response header \`${old.name}\` of ${where} is now spelt \`${h.name}\` (the same header on the wire)`);
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
