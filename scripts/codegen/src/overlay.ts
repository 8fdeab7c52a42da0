// OpenAPI Overlay 1.0 (https://spec.openapis.org/overlay/v1.0.0): the fixes we apply to an upstream
// document, kept apart from it so a re-fetch does not lose them. Every action must still select
// something: a target that selects nothing means the upstream changed and the fix no longer applies.
import { JSONPath } from "jsonpath-plus";
import { isObject, loadSource, type JsonObject, type SpecProblem } from "./spec.js";

export interface OverlayAction {
  target: string;
  description?: string;
  update?: unknown;
  remove?: boolean;
}

export interface Overlay {
  overlay: string;
  info: { title: string; version: string };
  extends?: string;
  actions: OverlayAction[];
}

/** A validated overlay and where it came from, so problems can name the file and line. */
export interface LoadedOverlay {
  file: string;
  overlay: Overlay;
  lineOf(pointer: string): { line: number; column: number } | undefined;
}

export type OverlayLoadResult = { ok: true; overlay: LoadedOverlay } | { ok: false; problems: SpecProblem[] };
export type OverlayApplyResult = { ok: true; document: unknown } | { ok: false; problems: SpecProblem[] };

const ACTION_FIELDS = new Set(["target", "description", "update", "remove"]);
const TOP_FIELDS = new Set(["overlay", "info", "extends", "actions"]);

export function loadOverlay(file: string): OverlayLoadResult {
  const loaded = loadSource(file);
  if (!loaded.ok) return loaded;
  return parseOverlay(loaded.source.data, file, (pointer) => loaded.source.lineOf(pointer));
}

/** Checks an overlay document's shape; every problem is its own line. */
export function parseOverlay(data: unknown, file: string, lineOf: LoadedOverlay["lineOf"] = () => undefined): OverlayLoadResult {
  const problems: SpecProblem[] = [];
  // An action's own line is its first field's: a list item's pointer finds only the list's key.
  const fail = (pointer: string, message: string, lineAt = pointer) => problems.push({ file, ...lineOf(lineAt), pointer, message });

  if (!isObject(data)) {
    fail("", "an overlay must be an object with overlay, info and actions");
    return { ok: false, problems };
  }
  for (const key of Object.keys(data)) {
    if (!TOP_FIELDS.has(key) && !key.startsWith("x-")) fail(`#/${key}`, `unknown field "${key}" (expected overlay, info, extends, actions or x-*)`);
  }
  if (typeof data.overlay !== "string" || !/^1\.0\.\d+$/.test(data.overlay)) {
    fail("#/overlay", `expected "overlay: 1.0.0"; got ${data.overlay === undefined ? "nothing" : JSON.stringify(data.overlay)}`);
  }
  const info = data.info;
  if (!isObject(info) || typeof info.title !== "string" || typeof info.version !== "string") {
    fail("#/info", 'expected "info": { "title": "<string>", "version": "<string>" }');
  }
  if (data.extends !== undefined && typeof data.extends !== "string") fail("#/extends", "expected a URL string");
  const actions = data.actions;
  if (!Array.isArray(actions) || actions.length === 0) {
    fail("#/actions", "expected a non-empty list of actions");
  } else {
    actions.forEach((action, i) => checkAction(action, `#/actions/${i}`, fail));
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, overlay: { file, overlay: data as unknown as Overlay, lineOf } };
}

function checkAction(action: unknown, at: string, fail: (pointer: string, message: string, lineAt?: string) => void): void {
  if (!isObject(action)) {
    fail(at, "an action must be an object with a target and update or remove");
    return;
  }
  for (const key of Object.keys(action)) {
    if (!ACTION_FIELDS.has(key) && !key.startsWith("x-")) fail(`${at}/${key}`, `unknown field "${key}" (expected target, description, update, remove or x-*)`);
  }
  if (typeof action.target !== "string" || !action.target.startsWith("$")) fail(`${at}/target`, 'expected a JSONPath string starting with "$"');
  if (action.description !== undefined && typeof action.description !== "string") fail(`${at}/description`, "expected a string");
  if (action.remove !== undefined && typeof action.remove !== "boolean") fail(`${at}/remove`, "expected true or false");
  // Valid per the spec, but an action that does nothing is always a mistake in a fix list.
  if (action.update === undefined && (action.remove === undefined || action.remove === false)) {
    const first = Object.keys(action)[0];
    fail(at, "action has neither update nor remove: true, so it does nothing", first === undefined ? at : `${at}/${first}`);
  }
}

/**
 * Applies the actions in order to a copy of the document. Returns the new document, or one
 * problem per action that could not apply (the others still run, so one pass shows them all).
 */
export function applyOverlay(document: unknown, loaded: LoadedOverlay): OverlayApplyResult {
  const result = clone(document);
  const problems: SpecProblem[] = [];
  loaded.overlay.actions.forEach((action, i) => {
    const pointer = `#/actions/${i}`;
    const fail = (at: string, message: string) => problems.push({ file: loaded.file, ...loaded.lineOf(at), pointer: at, message });
    const selected = select(result, action.target);
    if (typeof selected === "string") return fail(`${pointer}/target`, selected);
    if (selected.length === 0) {
      return fail(`${pointer}/target`, `target ${action.target} selects nothing; the upstream changed and this fix no longer applies`);
    }
    if (action.remove === true) {
      const error = removeAll(selected);
      if (error) fail(`${pointer}/target`, error);
    } else {
      for (const match of selected) {
        const error = update(match.node, action.update);
        if (error) return fail(`${pointer}/update`, `${error} (at ${match.pointer || "the root"})`);
      }
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, document: result };
}

/** Applies several overlays in order; stops at the first overlay with problems (later ones would build on a wrong document). */
export function applyOverlays(document: unknown, overlays: readonly LoadedOverlay[]): OverlayApplyResult {
  let current = document;
  for (const overlay of overlays) {
    const result = applyOverlay(current, overlay);
    if (!result.ok) return result;
    current = result.document;
  }
  return { ok: true, document: overlays.length === 0 ? clone(document) : current };
}

interface Match {
  node: unknown;
  /** null for the document root. */
  parent: JsonObject | unknown[] | null;
  key: string | number | null;
  pointer: string;
}

/** The nodes a JSONPath selects, each with its parent so it can be removed; or why it cannot be used. */
function select(document: unknown, target: string): Match[] | string {
  let results: { value: unknown; parent: unknown; parentProperty: string | number | null; pointer: string }[];
  try {
    results = JSONPath({ path: target, json: document as object, resultType: "all", eval: "safe", wrap: true });
  } catch (error) {
    return `invalid JSONPath ${target}: ${String((error as Error).message).split("\n")[0]}`;
  }
  const seen = new Set<string>();
  const matches: Match[] = [];
  for (const r of results) {
    if (seen.has(r.pointer)) continue; // a union may name a node twice; apply once
    seen.add(r.pointer);
    if (r.pointer === "") {
      matches.push({ node: document, parent: null, key: null, pointer: "" });
      continue;
    }
    // The ~ (property name) operator yields names, not nodes: nothing to update or remove.
    if (r.parentProperty === null || (!isObject(r.parent) && !Array.isArray(r.parent))) {
      return `target ${target} selects property names, not nodes`;
    }
    const key = Array.isArray(r.parent) ? Number(r.parentProperty) : String(r.parentProperty);
    matches.push({ node: r.value, parent: r.parent as JsonObject | unknown[], key, pointer: r.pointer });
  }
  return matches;
}

function removeAll(matches: Match[]): string | undefined {
  if (matches.some((m) => m.parent === null)) return "remove cannot remove the whole document";
  // Array items go last index first, so removing one does not shift the others.
  const fromObjects = matches.filter((m) => !Array.isArray(m.parent));
  const fromArrays = matches.filter((m) => Array.isArray(m.parent)).sort((a, b) => (b.key as number) - (a.key as number));
  for (const { parent, key } of [...fromObjects, ...fromArrays]) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete (parent as JsonObject)[key as string];
  }
  return undefined;
}

/** Merges an update into an object, or appends it to an array, in place (on our copy). */
function update(node: unknown, value: unknown): string | undefined {
  if (Array.isArray(node)) {
    // An array update appends its items; any other value is one entry.
    node.push(...(Array.isArray(value) ? value.map(clone) : [clone(value)]));
    return undefined;
  }
  if (isObject(node)) {
    if (!isObject(value)) return `target is an object, so update must be an object; got ${kindOf(value)}`;
    merge(node, value);
    return undefined;
  }
  return `target is ${kindOf(node)}; update can only merge into an object or append to an array (target its parent instead)`;
}

/** Objects merge key by key, arrays get the update's items appended, anything else is replaced. */
function merge(target: JsonObject, value: JsonObject): void {
  for (const [key, incoming] of Object.entries(value)) {
    const current = Object.prototype.hasOwnProperty.call(target, key) ? target[key] : undefined;
    if (isObject(current) && isObject(incoming)) merge(current, incoming);
    else if (Array.isArray(current) && Array.isArray(incoming)) current.push(...incoming.map(clone));
    else setKey(target, key, clone(incoming));
  }
}

/** A deep copy that shares nothing: YAML aliases become separate copies, so a fix to one is not a fix to all. */
export function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clone) as T;
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) setKey(out, key, clone(child));
    return out as T;
  }
  return value;
}

/** Plain assignment of "__proto__" would set the prototype; a document may well contain that key. */
function setKey(target: JsonObject, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (isObject(value)) return "an object";
  return `a ${typeof value}`;
}
