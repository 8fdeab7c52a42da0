// Downloads a provider's upstream OpenAPI document, checks it against the sha256 pinned in the
// manifest, normalises it and applies specs/<provider>/overlays/*.yaml. fetchSpec only reads;
// writeFetchedSpec writes (each file to a temp file, then renamed), so a failed run never leaves a
// half-written or replaced spec. Every failure is one Error line: "<provider>: <reason>".
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { parse, parseDocument, stringify } from "yaml";
import { readManifest, upstreamOf, type Manifest } from "./manifest.js";
import { applyOverlays, loadOverlay, type LoadedOverlay } from "./overlay.js";
import { formatProblem, isObject, loadSource, type JsonObject, type SpecProblem } from "./spec.js";

export interface DownloadOptions {
  /** Per attempt, covering the headers and the whole body. */
  timeoutMs: number;
  /** Further attempts after the first, for connection errors, timeouts, truncation, 5xx and 429. */
  retries: number;
  /** Wait before retry n is backoffMs * 2^(n-1). */
  backoffMs: number;
}

export const DEFAULT_DOWNLOAD: DownloadOptions = { timeoutMs: 15_000, retries: 2, backoffMs: 500 };

export interface FetchSpecOptions extends Partial<DownloadOptions> {
  /** The repository root (holds specs/). */
  root: string;
  provider: string;
  /** Accept whatever sha256 upstream has now (re-pin) instead of failing on a mismatch. */
  update?: boolean;
}

export interface FetchedSpec {
  provider: string;
  kind: Manifest["source"]["kind"];
  url: string;
  /** The upstream as normalised YAML with the overlays applied: the spec file's content for "fetched". */
  text: string;
  /** text parsed back (as loadSource would): for a hand-written spec, the upstream to compare ours with. */
  document: JsonObject;
  /** Of the downloaded bytes. */
  sha256: string;
  /** As pinned in the manifest. */
  previousSha256: string;
  /** sha256 differs from the pin (possible only with update). */
  changed: boolean;
  /** Nothing to write: the pin matches and, for "fetched", the spec file already holds text. */
  upToDate: boolean;
  /** Where text goes ("fetched" only); a hand-written spec is never written. */
  specFile: string | undefined;
  manifestFile: string;
  /** The spec on disk now, parsed, when there is exactly one: the old fetched output, or our hand-written spec. */
  current: { file: string; document: unknown } | undefined;
  /** Applied in this order (repository-relative). */
  overlays: string[];
}

/** Reads the manifest and overlays, downloads and checks the upstream. Writes nothing. */
export async function fetchSpec(options: FetchSpecOptions): Promise<FetchedSpec> {
  const { root, provider } = options;
  const fail = (reason: string): never => {
    throw new Error(`${provider}: ${reason}`);
  };
  const read = readManifest(join(root, "specs"), provider, { allowMissingFetchedSpec: true });
  if (!read.ok) return fail(problemsLine(read.problems, root));
  const manifest = read.manifest;
  const upstream = upstreamOf(manifest) ?? fail("no upstream in manifest");
  // Broken overlays fail before any download.
  const overlays = loadOverlays(manifest.dir);
  if (!overlays.ok) return fail(problemsLine(overlays.problems, root));

  const download: DownloadOptions = {
    timeoutMs: options.timeoutMs ?? DEFAULT_DOWNLOAD.timeoutMs,
    retries: options.retries ?? DEFAULT_DOWNLOAD.retries,
    backoffMs: options.backoffMs ?? DEFAULT_DOWNLOAD.backoffMs,
  };
  const bytes = await downloadBytes(upstream.url, download).catch((error: Error) => fail(error.message));
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== upstream.sha256 && options.update !== true) {
    fail(`sha256 mismatch: pinned ${short(upstream.sha256)}, got ${short(sha256)} (run with --update to accept)`);
  }

  const parsed = parseBody(bytes);
  if (!parsed.ok) return fail(parsed.reason);
  const notOpenApi = openApiProblem(parsed.data);
  if (notOpenApi) fail(`not an OpenAPI document: ${notOpenApi}`);
  const overlaid = applyOverlays(parsed.data, overlays.overlays);
  if (!overlaid.ok) return fail(problemsLine(overlaid.problems, root));
  const stillOpenApi = openApiProblem(overlaid.document);
  if (stillOpenApi) fail(`not an OpenAPI document after the overlays: ${stillOpenApi}`);

  const overlayFiles = overlays.overlays.map((o) => repoPath(root, o.file));
  const specFiles = Object.values(manifest.specs).map((f) => join(manifest.dir, f));
  const kind = manifest.source.kind;
  const specFile = kind === "fetched" ? specFiles[0] : undefined;
  const text = (kind === "fetched" ? header(upstream.url, sha256, overlayFiles) : "") + toYaml(overlaid.document);
  // Read back as every other tool reads the spec file (plain numbers), so comparing it with the old file compares like with like.
  const document = parse(text) as JsonObject;
  const changed = sha256 !== upstream.sha256;
  const upToDate = !changed && (specFile === undefined || (existsSync(specFile) && readFileSync(specFile, "utf8") === text));
  return {
    provider,
    kind,
    url: upstream.url,
    text,
    document,
    sha256,
    previousSha256: upstream.sha256,
    changed,
    upToDate,
    specFile,
    manifestFile: manifest.manifestFile,
    current: specFiles.length === 1 ? readCurrent(specFiles[0]!) : undefined,
    overlays: overlayFiles,
  };
}

/**
 * Writes what fetchSpec found: the spec file ("fetched", when its content differs) and, when the
 * pin changed, the manifest's sha256. Both are staged first and then renamed into place, the
 * manifest first: if the second rename fails, the next plain run notices the stale spec and rewrites it.
 * Returns the files written (absolute paths).
 */
export function writeFetchedSpec(result: FetchedSpec): string[] {
  const writes: [file: string, content: string][] = [];
  if (result.changed) writes.push([result.manifestFile, repinnedManifest(result)]);
  if (result.specFile !== undefined && !(existsSync(result.specFile) && readFileSync(result.specFile, "utf8") === result.text)) {
    writes.push([result.specFile, result.text]);
  }
  writeAtomically(writes, result.provider);
  return writes.map(([file]) => file);
}

/** The manifest JSON with the new pin, key order kept; 2-space indentation and a trailing newline. */
function repinnedManifest(result: FetchedSpec): string {
  const data = JSON.parse(readFileSync(result.manifestFile, "utf8")) as { source: { sha256?: string; upstream?: { sha256: string } } };
  if (result.kind === "fetched") data.source.sha256 = result.sha256;
  else data.source.upstream!.sha256 = result.sha256;
  return JSON.stringify(data, null, 2) + "\n";
}

function writeAtomically(writes: [string, string][], provider: string): void {
  const staged: [temp: string, file: string][] = [];
  try {
    for (const [file, content] of writes) {
      const temp = `${file}.satbind-tmp-${process.pid}`;
      staged.push([temp, file]);
      writeFileSync(temp, content);
    }
    for (const [temp, file] of staged) renameSync(temp, file);
  } catch (error) {
    throw new Error(`${provider}: could not write: ${oneLine((error as Error).message)}`);
  } finally {
    // After the renames there is nothing left to remove; after a failure, leave no temp file behind.
    for (const [temp] of staged) {
      try {
        rmSync(temp, { force: true });
      } catch {
        // Not ours to remove (say, a directory in the way): the error above already says so.
      }
    }
  }
}

// ---- download ----

type Attempt = { ok: true; bytes: Buffer } | { ok: false; reason: string; retry: boolean };

/** The body's bytes, or an Error whose message is the reason (without the provider). */
export async function downloadBytes(url: string, options: DownloadOptions): Promise<Buffer> {
  for (let attempts = 1; ; attempts++) {
    const result = await attempt(url, options.timeoutMs);
    if (result.ok) return result.bytes;
    if (!result.retry || attempts > options.retries) {
      throw new Error(`download failed${attempts > 1 ? ` after ${attempts} attempts` : ""}: ${result.reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.backoffMs * 2 ** (attempts - 1)));
  }
}

async function attempt(url: string, timeoutMs: number): Promise<Attempt> {
  // One deadline for headers and body alike: a server that stalls mid-body is a timeout too.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const timedOut = (): Attempt => ({ ok: false, reason: `timed out after ${timeoutMs} ms`, retry: true });
  try {
    let response: Response;
    try {
      response = await fetch(url, {
        signal: controller.signal,
        headers: { accept: "application/yaml, application/json;q=0.9, text/plain;q=0.8, */*;q=0.5", "user-agent": "satbind-specs-fetch" },
      });
    } catch (error) {
      return controller.signal.aborted ? timedOut() : { ok: false, ...networkError(error) };
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      return { ok: false, reason: `HTTP ${response.status}`, retry: response.status >= 500 || response.status === 429 };
    }
    const expected = expectedLength(response);
    const chunks: Uint8Array[] = [];
    let received = 0;
    try {
      const reader = response.body!.getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        chunks.push(chunk.value);
        received += chunk.value.byteLength;
      }
    } catch (error) {
      if (controller.signal.aborted) return timedOut();
      if (expected !== undefined && received < expected) return { ok: false, reason: `truncated: got ${received} of ${expected} bytes`, retry: true };
      return { ok: false, reason: `connection lost after ${received} bytes (${networkError(error).reason})`, retry: true };
    }
    if (expected !== undefined && received !== expected) {
      return { ok: false, reason: `truncated: got ${received} of ${expected} bytes`, retry: true };
    }
    return { ok: true, bytes: Buffer.concat(chunks) };
  } finally {
    clearTimeout(timer);
  }
}

/** Content-Length counts the bytes on the wire; fetch decompresses, so only an uncompressed body can be checked against it. */
function expectedLength(response: Response): number | undefined {
  const encoding = response.headers.get("content-encoding");
  if (encoding !== null && encoding.trim().toLowerCase() !== "identity") return undefined;
  const length = response.headers.get("content-length");
  return length !== null && /^\d+$/.test(length.trim()) ? Number(length) : undefined;
}

function networkError(error: unknown): { reason: string; retry: boolean } {
  const cause = (error as { cause?: { code?: string; message?: string; hostname?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code;
  switch (code) {
    case "ECONNREFUSED":
      return { reason: "connection refused", retry: true };
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
      return { reason: "connection reset", retry: true };
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return { reason: `host not found${cause?.hostname ? `: ${cause.hostname}` : ""}`, retry: true };
    case "ERR_INVALID_URL":
      return { reason: `invalid url`, retry: false };
  }
  const message = oneLine(cause?.message ?? (error as Error).message ?? String(error));
  return { reason: code ? `${code}: ${message}` : message, retry: true };
}

// ---- parsing ----

/** The document as plain data, or why the body is not YAML or JSON. */
function parseBody(bytes: Buffer): { ok: true; data: unknown } | { ok: false; reason: string } {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: "not YAML or JSON: not UTF-8 text" };
  }
  if (/^\s*<(!doctype|html|\?xml|head|body)\b/i.test(text)) {
    return { ok: false, reason: "not YAML or JSON: the body is HTML or XML (does the url name a web page rather than the raw file?)" };
  }
  if (/^\s*[[{]/.test(text)) {
    // It looks like JSON, so JSON's error message is the useful one.
    try {
      JSON.parse(text);
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
  return { ok: true, data };
}

function isSafe(value: bigint): boolean {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);
}

/** What makes a document not one we can use, or undefined. */
function openApiProblem(document: unknown): string | undefined {
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

function header(url: string, sha256: string, overlays: string[]): string {
  const applied = overlays.length === 0 ? "" : `# with ${overlays.join(", ")} applied.\n`;
  return `# Fetched by pnpm specs:fetch from ${url} (sha256 ${sha256})\n${applied}# Do not edit: fix upstream problems with an overlay in the overlays/ directory beside this file.\n`;
}

// ---- overlays and files ----

type OverlaysResult = { ok: true; overlays: LoadedOverlay[] } | { ok: false; problems: SpecProblem[] };

/** specs/<provider>/overlays/*.yaml, in file-name order. */
function loadOverlays(dir: string): OverlaysResult {
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

function readCurrent(file: string): FetchedSpec["current"] {
  if (!existsSync(file)) return undefined;
  const loaded = loadSource(file);
  return loaded.ok ? { file, document: loaded.source.data } : undefined;
}

/** Several problems still make one line. */
function problemsLine(problems: SpecProblem[], root: string): string {
  return problems.map((p) => oneLine(formatProblem(p, root))).join("; ");
}

export function repoPath(root: string, file: string): string {
  return relative(root, file).split(sep).join("/");
}

export function short(sha256: string): string {
  return `${sha256.slice(0, 8)}…`;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, " ").trim();
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}
