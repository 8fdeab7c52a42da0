// Operations matched across the two documents (by method and path, or by operationId when they
// moved), their auth, the runtime behaviour flags, and the servers list (compared by index).
import { HTTP_METHODS, getAt, isObject, type JsonObject } from "@satbind/codegen/spec";
import { type Op, has, resolved, same, show } from "./core.js";
import { walkDocs } from "./document.js";
import { compareParameters, compareRequestBody, compareResponses } from "./messages.js";
import { BEHAVIOURAL_EXTENSIONS, type Diff, type Dir, report } from "./rules.js";



export function operationsOf(doc: JsonObject): Map<string, Op> {
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

export const opName = (op: Op) => (op.webhook ? op.label : op.id ? `operation ${op.id} (${op.label})` : `operation ${op.label}`);

export function compareOperations(d: Diff): void {
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

export function compareOperation(d: Diff, o: Op, n: Op): void {
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


export function compareBehaviour(d: Diff, o: Op, n: Op): void {
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

export function securityText(security: unknown): string {
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

export function securityMessage(subject: string, before: string, after: string): string {
  if (before === "none") return `${subject} now requires auth: ${after}`;
  if (after === "none") return `${subject} no longer requires auth (was ${before})`;
  return `auth requirement of ${subject} changed from ${before} to ${after}`;
}

/** Any change to who may call is major: adding auth breaks anonymous callers, changing or removing it breaks the credentials callers pass. */
export function compareGlobalSecurity(d: Diff): void {
  const [before, after] = [securityText(d.oldDoc.security), securityText(d.newDoc.security)];
  if (before === after) return;
  const inheriting = [...operationsOf(d.newDoc).values()].filter((op) => !op.webhook && op.op.security === undefined).length;
  // Operations that set their own `security` are compared one by one; if none inherits, nobody notices.
  if (inheriting === 0) return;
  const count = `${inheriting} operation${inheriting === 1 ? "" : "s"}`;
  report(d, "major", "security-changed", ["security"], `${securityMessage("the API", before, after)}, for the ${count} without their own \`security\``);
}

export function compareOperationSecurity(d: Diff, o: Op, n: Op): void {
  if (n.webhook) return;
  // An operation that inherits the global requirement in both versions is covered by compareGlobalSecurity.
  if (o.op.security === undefined && n.op.security === undefined) return;
  const before = securityText(o.op.security ?? d.oldDoc.security);
  const after = securityText(n.op.security ?? d.newDoc.security);
  if (before === after) return;
  report(d, "major", "security-changed", n.op.security === undefined ? n.segs : [...n.segs, "security"], securityMessage(n.label, before, after));
}

export function compareSecuritySchemes(d: Diff): void {
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

export function flowsEssence(flows: unknown): unknown {
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
 * Servers are compared by index, because the SDK exports them as a tuple and clients pick a
 * network by position (`servers[1].url`). A server whose URL is replaced in its own slot is minor
 * (the default base URL moves when it is the first; baseUrl is an option, no call breaks). A
 * server removed, or one that changed slot (a removal or insertion before it, a reordering), is
 * major: code that picks by index silently points at another server. A changed description is patch.
 */
export function compareServers(d: Diff): void {
  const list = (doc: JsonObject) =>
    (Array.isArray(doc.servers) ? doc.servers.filter(isObject) : []).map((s) => ({ url: String(s.url), variables: variablesEssence(s.variables) }));
  const [before, after] = [list(d.oldDoc), list(d.newDoc)];
  const oldIndex = new Map(before.map((s, i) => [s.url, i]));
  const newIndex = new Map(after.map((s, i) => [s.url, i]));
  const at = (i: number) => (after[i] ? after[i].url : "gone");
  // No servers means "/" (OpenAPI's default): a list that appears or disappears moves the default only.
  if (before.length === 0 || after.length === 0) {
    const [was, is] = [before[0]?.url ?? "/", after[0]?.url ?? "/"];
    if (was !== is) report(d, "minor", "server-changed", after.length > 0 ? ["servers", "0"] : [], `default server changed from ${was} to ${is}`);
    return;
  }
  before.forEach((s, i) => {
    const j = newIndex.get(s.url);
    if (j === undefined) {
      const replaced = after[i] !== undefined && !oldIndex.has(after[i].url);
      if (replaced) {
        const what = i === 0 ? "default server" : `server servers[${i}]`;
        report(d, "minor", "server-changed", ["servers", String(i)], `${what} changed from ${s.url} to ${after[i]!.url}`);
      } else {
        report(d, "major", "server-removed", ["servers"], `server ${s.url} (servers[${i}]) was removed: clients that pick a server by index now find ${after[i] ? `${after[i].url} at servers[${i}]` : `nothing at servers[${i}]`}`);
      }
    } else if (j !== i) {
      report(d, "major", "server-index-changed", ["servers", String(j)], `server ${s.url} moved from servers[${i}] to servers[${j}]: CLIENTS THAT PICK A SERVER BY INDEX NOW POINT AT ANOTHER SERVER (servers[${i}] is now ${at(i)})`);
    }
  });
  after.forEach((s, i) => {
    const old = oldIndex.get(s.url);
    if (old === undefined && !(before[i] !== undefined && !newIndex.has(before[i].url))) report(d, "minor", "server-added", ["servers", String(i)], `server ${s.url} was added as servers[${i}]`);
    const was = old === undefined ? undefined : before[old];
    if (was && !same(was.variables, s.variables)) report(d, "minor", "server-variables-changed", ["servers", String(i), "variables"], `variables of server ${s.url} changed`);
  });
}

export function variablesEssence(variables: unknown): unknown {
  if (!isObject(variables)) return {};
  const out: JsonObject = {};
  for (const [name, v] of Object.entries(variables)) if (isObject(v)) out[name] = { default: v.default, enum: v.enum };
  return out;
}

// --- parameters
