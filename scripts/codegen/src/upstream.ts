// A fetched spec, offline: the pristine upstream file(s) kept in specs/<provider>/upstream/ (each
// checked against its pinned sha256), deep-merged in order when there are several, with
// specs/<provider>/overlays/*.yaml applied in file-name order, written in the spec file's own
// format (YAML with a provenance header, or JSON for a .json file). pnpm generate writes it,
// pnpm generate --check compares it with the file, specs:fetch only refreshes the pristine copies.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { parseDocument, stringify } from "yaml";
import type { Manifest, UpstreamFile } from "./manifest.js";
import { applyOverlays, loadOverlay, type LoadedOverlay } from "./overlay.js";
import { isObject, type JsonObject, type SpecProblem } from "./spec.js";

export interface BuiltSpec {
  /** Absolute path of the spec file the text belongs in. */
  specFile: string;
  text: string;
  document: JsonObject;
  /** Repository-relative, in the order applied. */
  overlays: string[];
}

export type BuildResult = { ok: true; spec: BuiltSpec } | { ok: false; problems: SpecProblem[] };

/** Upstream file bytes by the part's `file` (relative to the provider's directory). */
export type PartBytes = Map<string, Buffer>;

/** Reads the pristine upstream files from disk, checking each against its pin. */
export function readPristine(manifest: Manifest, parts: UpstreamFile[]): { ok: true; bytes: PartBytes } | { ok: false; problems: SpecProblem[] } {
  const bytes: PartBytes = new Map();
  const problems: SpecProblem[] = [];
  for (const [i, part] of parts.entries()) {
    const file = join(manifest.dir, part.file);
    const pointer = parts.length === 1 ? "#/source" : `#/source/parts/${i}`;
    if (!existsSync(file)) {
      const how = part.url !== undefined ? `run pnpm specs:fetch ${manifest.provider}` : `restore it (${part.origin ?? "pinned by hand"})`;
      problems.push({ file: manifest.manifestFile, pointer, message: `pristine upstream ${part.file} not found; ${how}` });
      continue;
    }
    const content = readFileSync(file);
    const sha256 = sha256Of(content);
    if (sha256 !== part.sha256) {
      problems.push({
        file,
        pointer: "",
        message: `sha256 ${short(sha256)} does not match the pin ${short(part.sha256)} in manifest.json: the pristine upstream must not be edited (fix it with an overlay in overlays/); to accept a new upstream run pnpm specs:fetch ${manifest.provider} --update`,
      });
      continue;
    }
    bytes.set(part.file, content);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, bytes };
}

/** Upstream bytes -> merged document -> overlays -> the spec file's text. Reads only the overlays from disk. */
export function buildFromBytes(root: string, manifest: Manifest, bytes: PartBytes): BuildResult {
  if (manifest.source.kind !== "fetched") throw new Error(`${manifest.provider}: not a fetched spec`);
  const { parts } = manifest.source;
  const problems: SpecProblem[] = [];
  const documents: unknown[] = [];
  for (const part of parts) {
    const file = join(manifest.dir, part.file);
    const parsed = parseBody(bytes.get(part.file)!);
    if (!parsed.ok) problems.push({ file, pointer: "", message: parsed.reason });
    else if (file.endsWith(".json") && !parsed.json) problems.push({ file, pointer: "", message: "the upstream is YAML, not JSON: name the pristine file .yaml in manifest.json (source file)" });
    else documents.push(parsed.data);
  }
  if (problems.length > 0) return { ok: false, problems };
  const merged = documents.length === 1 ? documents[0] : documents.reduce((a, b) => deepMerge(a, b));
  const notOpenApi = openApiProblem(merged);
  if (notOpenApi) return { ok: false, problems: [{ file: join(manifest.dir, parts[0]!.file), pointer: "", message: `not an OpenAPI document: ${notOpenApi}` }] };

  const overlays = loadOverlays(manifest.dir);
  if (!overlays.ok) return overlays;
  const overlaid = applyOverlays(merged, overlays.overlays);
  if (!overlaid.ok) return overlaid;
  const stillOpenApi = openApiProblem(overlaid.document);
  if (stillOpenApi) return { ok: false, problems: [{ file: overlays.overlays.at(-1)!.file, pointer: "", message: `not an OpenAPI document after the overlays: ${stillOpenApi}` }] };

  const specFile = join(manifest.dir, Object.values(manifest.specs)[0]!);
  const overlayFiles = overlays.overlays.map((o) => repoPath(root, o.file));
  const sources = parts.map((p) => `${repoPath(root, join(manifest.dir, p.file))} (sha256 ${short(p.sha256)})`);
  const document = overlaid.document as JsonObject;
  const text = specFile.endsWith(".json") ? toJson(document) : specHeader(sources, overlayFiles) + toYaml(document);
  return { ok: true, spec: { specFile, text, document: parseDocument(text).toJS() as JsonObject, overlays: overlayFiles } };
}

/** The offline build: pristine files from disk, checked, then buildFromBytes. */
export function buildFetchedSpec(root: string, manifest: Manifest): BuildResult {
  if (manifest.source.kind !== "fetched") throw new Error(`${manifest.provider}: not a fetched spec`);
  const pristine = readPristine(manifest, manifest.source.parts);
  if (!pristine.ok) return pristine;
  return buildFromBytes(root, manifest, pristine.bytes);
}

/**
 * How several upstream files make one document: objects merge key by key, arrays are concatenated
 * (as our overlays' updates do, and as BTCPay's server merges its templates), and any other value
 * from a later file wins.
 */
export function deepMerge(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (!isObject(a) || !isObject(b)) return b;
  const out: JsonObject = { ...a };
  for (const [key, value] of Object.entries(b)) out[key] = key in out ? deepMerge(out[key], value) : value;
  return out;
}

function specHeader(sources: string[], overlays: string[]): string {
  const applied = overlays.length === 0 ? "" : `# with ${overlays.join(", ")} applied.\n`;
  const from = sources.length === 1 ? sources[0] : `${sources.length} files deep-merged in order: ${sources.join(", ")}`;
  return `# Generated by pnpm generate from ${from}\n${applied}# Do not edit: fix upstream problems with an overlay in the overlays/ directory beside this file.\n`;
}

// ---- parsing ----

/** The document as plain data (and whether it was JSON), or why the bytes are not YAML or JSON. */
export function parseBody(bytes: Buffer): { ok: true; data: unknown; json: boolean } | { ok: false; reason: string } {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: "not YAML or JSON: not UTF-8 text" };
  }
  if (/^\s*<(!doctype|html|\?xml|head|body)\b/i.test(text)) {
    return { ok: false, reason: "not YAML or JSON: the body is HTML or XML (does the url name a web page rather than the raw file?)" };
  }
  let json = false;
  if (/^\s*[[{]/.test(text)) {
    // It looks like JSON, so JSON's error message is the useful one.
    try {
      JSON.parse(text);
      json = true;
    } catch (error) {
      const message = (error as Error).message;
      const at = /at position (\d+)/.exec(message);
      const where = at ? ` at ${lineColumn(text, Number(at[1]))}` : "";
      return { ok: false, reason: `not YAML or JSON: ${message.replace(/ in JSON at position \d+.*$/, "")}${where}` };
    }
  }
  // YAML reads JSON too. Integers past 2^53 stay exact (an API's u64 bounds are common here).
  const doc = parseDocument(text, { intAsBigInt: true, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    return { ok: false, reason: `not YAML or JSON: ${oneLine(first.message)} at ${lineColumn(text, first.pos[0])}` };
  }
  const data = doc.toJS({ maxAliasCount: 10_000, reviver: (_key, value) => (typeof value === "bigint" && isSafe(value) ? Number(value) : value) }) as unknown;
  return { ok: true, data, json };
}

function isSafe(value: bigint): boolean {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);
}

/** What makes a document not one we can use, or undefined. */
export function openApiProblem(document: unknown): string | undefined {
  if (!isObject(document)) return `expected an object at the top level, got ${document === null ? "null" : Array.isArray(document) ? "an array" : `a ${typeof document}`}`;
  if (document.swagger !== undefined) return `Swagger ${String(document.swagger)} (expected openapi 3.0.x or 3.1.x)`;
  if (document.openapi === undefined) return 'no "openapi" field';
  if (typeof document.openapi !== "string" || !/^3\.[01]\.\d+$/.test(document.openapi)) {
    return `unsupported version ${String(document.openapi)} (expected openapi 3.0.x or 3.1.x)`;
  }
  if (document.paths === undefined) return 'no "paths" object';
  if (!isObject(document.paths)) return '"paths" is not an object';
  return undefined;
}

/** Stable output: 2-space YAML, upstream's key order, no folded lines, no anchors. */
export function toYaml(document: unknown): string {
  return stringify(document, { indent: 2, lineWidth: 0, aliasDuplicateObjects: false });
}

/** 2-space JSON with a trailing newline; integers past 2^53 written exactly. */
export function toJson(document: unknown): string {
  const marked = JSON.stringify(document, (_key, value: unknown) => (typeof value === "bigint" ? `\u0000bigint:${value.toString()}` : value), 2);
  return `${marked.replace(/"\\u0000bigint:(-?\d+)"/g, "$1")}\n`;
}

// ---- overlays and files ----

export type OverlaysResult = { ok: true; overlays: LoadedOverlay[] } | { ok: false; problems: SpecProblem[] };

/** specs/<provider>/overlays/*.yaml, in file-name order. */
export function loadOverlays(dir: string): OverlaysResult {
  const overlaysDir = join(dir, "overlays");
  if (!existsSync(overlaysDir)) return { ok: true, overlays: [] };
  const files = readdirSync(overlaysDir)
    .filter((f) => f.endsWith(".yaml"))
    .sort();
  const overlays: LoadedOverlay[] = [];
  const problems: SpecProblem[] = [];
  for (const file of files) {
    const loaded = loadOverlay(join(overlaysDir, file));
    if (loaded.ok) overlays.push(loaded.overlay);
    else problems.push(...loaded.problems);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, overlays };
}

export function sha256Of(content: Buffer | string): string {
  return createHash("sha256").update(content).digest("hex");
}

export function repoPath(root: string, file: string): string {
  return relative(root, file).split(sep).join("/");
}

export function short(sha256: string): string {
  return `${sha256.slice(0, 8)}…`;
}

export function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, " ").trim();
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}
