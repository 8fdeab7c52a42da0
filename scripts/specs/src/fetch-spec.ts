// Refreshes a provider's pristine upstream copy: downloads each upstream file, checks it against the
// sha256 pinned in the manifest (or, with --update, re-pins it), checks that it is still an OpenAPI
// document the overlays apply to, and says what the spec would become. fetchSpec only reads;
// writeFetchedSpec writes the pristine files and the manifest (each to a temp file, then renamed),
// never the spec file: `pnpm generate` makes that, offline, from upstream + overlays. A failed run
// never replaces a good copy. Every failure is one Error line: "<provider>: <reason>".
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { readManifest, upstreamOf, type Manifest } from "@satbind/codegen/manifest";
import { applyOverlays } from "@satbind/codegen/overlay";
import { formatProblem, loadSource, type JsonObject, type SpecProblem } from "@satbind/codegen/spec";
import { buildFromBytes, loadOverlays, oneLine, openApiProblem, parseBody, readPristine, repoPath, sha256Of, short, toYaml, type PartBytes } from "@satbind/codegen/upstream";

export { repoPath, short } from "@satbind/codegen/upstream";

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

/** One downloaded upstream file. */
export interface FetchedPart {
  /** Absolute path of the pristine copy. */
  file: string;
  bytes: Buffer;
  sha256: string;
  previousSha256: string;
}

export interface FetchedSpec {
  provider: string;
  kind: Manifest["source"]["kind"];
  url: string;
  /** For "fetched": the spec as `pnpm generate` would now write it (upstream + overlays); for "hand-written": the upstream, overlaid. */
  document: JsonObject;
  /** Of the (first) downloaded file. */
  sha256: string;
  /** As pinned in the manifest. */
  previousSha256: string;
  /** A pin differs (possible only with update). */
  changed: boolean;
  /** Nothing to write: every pin holds and every pristine copy on disk has the downloaded bytes. */
  upToDate: boolean;
  /** "fetched": the downloaded files, to keep pristine in specs/<provider>/upstream/. */
  parts: FetchedPart[];
  /** "fetched": the spec file `pnpm generate` writes, and whether it differs from what it would write now. */
  specFile: string | undefined;
  specStale: boolean;
  manifestFile: string;
  /** The spec on disk now, parsed, when there is exactly one: the generated one, or our hand-written spec. */
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
  const upstream = upstreamOf(manifest) ?? fail("no upstream url in manifest: nothing to fetch");
  // Broken overlays fail before any download.
  const overlays = loadOverlays(manifest.dir);
  if (!overlays.ok) return fail(problemsLine(overlays.problems, root));
  const download: DownloadOptions = {
    timeoutMs: options.timeoutMs ?? DEFAULT_DOWNLOAD.timeoutMs,
    retries: options.retries ?? DEFAULT_DOWNLOAD.retries,
    backoffMs: options.backoffMs ?? DEFAULT_DOWNLOAD.backoffMs,
  };
  const get = async (url: string, pinned: string) => {
    const bytes = await downloadBytes(url, download).catch((error: Error) => fail(error.message));
    const sha256 = sha256Of(bytes);
    if (sha256 !== pinned && options.update !== true) fail(`sha256 mismatch: pinned ${short(pinned)}, got ${short(sha256)} (run with --update to accept)`);
    return { bytes, sha256 };
  };
  const specFiles = Object.values(manifest.specs).map((f) => join(manifest.dir, f));
  const current = specFiles.length === 1 ? readCurrent(specFiles[0]!) : undefined;
  const overlayFiles = overlays.overlays.map((o) => repoPath(root, o.file));
  const common = { provider, kind: manifest.source.kind, url: upstream.url, manifestFile: manifest.manifestFile, current, overlays: overlayFiles };

  if (manifest.source.kind === "hand-written") {
    const { bytes, sha256 } = await get(upstream.url, upstream.sha256);
    const parsed = parseBody(bytes);
    if (!parsed.ok) return fail(parsed.reason);
    const notOpenApi = openApiProblem(parsed.data);
    if (notOpenApi) fail(`not an OpenAPI document: ${notOpenApi}`);
    const overlaid = applyOverlays(parsed.data, overlays.overlays);
    if (!overlaid.ok) return fail(problemsLine(overlaid.problems, root));
    // Read back as every other tool reads a spec file (plain numbers), so comparing compares like with like.
    const document = parse(toYaml(overlaid.document)) as JsonObject;
    const changed = sha256 !== upstream.sha256;
    return { ...common, document, sha256, previousSha256: upstream.sha256, changed, upToDate: !changed, parts: [], specFile: undefined, specStale: false };
  }

  // Files with a url are downloaded; a part pinned by hand is read from disk (and must match its pin).
  const bytes: PartBytes = new Map();
  const parts: FetchedPart[] = [];
  const byHand = manifest.source.parts.filter((p) => p.url === undefined);
  const pristine = readPristine(manifest, byHand);
  if (!pristine.ok) return fail(problemsLine(pristine.problems, root));
  for (const [file, content] of pristine.bytes) bytes.set(file, content);
  for (const part of manifest.source.parts) {
    if (part.url === undefined) continue;
    const got = await get(part.url, part.sha256);
    // Said plainly here, before the build would say it with a file and a pointer.
    const parsed = parseBody(got.bytes);
    if (!parsed.ok) return fail(parsed.reason);
    if (part.file.endsWith(".json") && !parsed.json) {
      fail(`${repoPath(root, join(manifest.dir, part.file))}: the upstream at ${part.url} is YAML, not JSON; name the file .yaml ("file" in manifest.json), so a .json file never holds YAML`);
    }
    const notOpenApi = manifest.source.parts.length === 1 ? openApiProblem(parsed.data) : undefined;
    if (notOpenApi) fail(`not an OpenAPI document: ${notOpenApi}`);
    bytes.set(part.file, got.bytes);
    parts.push({ file: join(manifest.dir, part.file), bytes: got.bytes, sha256: got.sha256, previousSha256: part.sha256 });
  }
  // The new upstream must still make a spec: parseable, OpenAPI, and every overlay still applies.
  const pinned: Manifest = { ...manifest, source: { ...manifest.source, parts: manifest.source.parts.map((p) => ({ ...p, sha256: sha256Of(bytes.get(p.file)!) })) } };
  const built = buildFromBytes(root, pinned, bytes);
  if (!built.ok) return fail(problemsLine(built.problems, root));
  const changed = parts.some((p) => p.sha256 !== p.previousSha256);
  const onDisk = (p: FetchedPart) => existsSync(p.file) && readFileSync(p.file).equals(p.bytes);
  const specStale = !(existsSync(built.spec.specFile) && readFileSync(built.spec.specFile, "utf8") === built.spec.text);
  return {
    ...common,
    document: built.spec.document,
    sha256: parts[0]!.sha256,
    previousSha256: parts[0]!.previousSha256,
    changed,
    upToDate: !changed && parts.every(onDisk),
    parts,
    specFile: built.spec.specFile,
    specStale,
  };
}

/**
 * Writes what fetchSpec found: the pristine upstream files that differ from the download and, when
 * a pin changed, the manifest. All are staged first and then renamed into place, the manifest
 * first. The spec file is not written here: `pnpm generate` makes it from upstream + overlays.
 * Returns the files written (absolute paths).
 */
export function writeFetchedSpec(result: FetchedSpec): string[] {
  const writes: [file: string, content: string | Buffer][] = [];
  if (result.changed) writes.push([result.manifestFile, repinnedManifest(result)]);
  for (const part of result.parts) {
    if (!(existsSync(part.file) && readFileSync(part.file).equals(part.bytes))) writes.push([part.file, part.bytes]);
  }
  writeAtomically(writes, result.provider);
  return writes.map(([file]) => file);
}

/** The manifest JSON with the new pins, key order kept; 2-space indentation and a trailing newline. */
function repinnedManifest(result: FetchedSpec): string {
  type Pin = { sha256?: string; url?: string };
  const data = JSON.parse(readFileSync(result.manifestFile, "utf8")) as { source: Pin & { upstream?: Pin; parts?: Pin[] } };
  if (result.kind === "hand-written") data.source.upstream!.sha256 = result.sha256;
  else {
    const pins = data.source.parts ?? [data.source];
    // Parts with a url were downloaded in manifest order.
    pins.filter((p) => p.url !== undefined).forEach((pin, i) => (pin.sha256 = result.parts[i]!.sha256));
  }
  return JSON.stringify(data, null, 2) + "\n";
}

function writeAtomically(writes: [string, string | Buffer][], provider: string): void {
  const staged: [temp: string, file: string][] = [];
  try {
    for (const [file, content] of writes) {
      const temp = `${file}.satbind-tmp-${process.pid}`;
      staged.push([temp, file]);
      mkdirSync(dirname(file), { recursive: true });
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

// ---- files ----

function readCurrent(file: string): FetchedSpec["current"] {
  if (!existsSync(file)) return undefined;
  const loaded = loadSource(file);
  return loaded.ok ? { file, document: loaded.source.data } : undefined;
}

/** Several problems still make one line. */
function problemsLine(problems: SpecProblem[], root: string): string {
  return problems.map((p) => oneLine(formatProblem(p, root))).join("; ");
}
