// specs/<provider>/manifest.json: which package a provider's specs become, and where they come from.
import { existsSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isObject, loadSource, type JsonObject, type SpecProblem } from "./spec.js";

export interface Manifest {
  /** Directory name under specs/ and packages/. */
  provider: string;
  dir: string;
  manifestFile: string;
  packageName: string;
  description: string;
  keywords: string[];
  /** Spec id -> file (relative to dir). One id means one API surface; several become entry points. */
  specs: Record<string, string>;
  source: ManifestSource;
  /** Generate validates the spec and its types but writes no package (the package comes later). */
  specOnly: boolean;
}

/** An upstream document and the sha256 of its bytes as last accepted (pnpm specs:fetch --update re-pins it). */
export interface Upstream {
  url: string;
  sha256: string;
}

/**
 * One pristine upstream file kept in the repository (specs/<provider>/<file>, bytes exactly as
 * published) with its pinned sha256, and the url specs:fetch refreshes it from. Without a url the
 * copy is pinned by hand (say, a merge the upstream makes at run time); `origin` says where it came from.
 */
export interface UpstreamFile {
  file: string;
  sha256: string;
  url?: string;
  origin?: string;
}

/**
 * "fetched": the spec file is generated, offline, from the pristine upstream file(s) with
 * specs/<provider>/overlays/ applied (several files are deep-merged in order first).
 * "hand-written": the spec is ours; an upstream, when named, is only downloaded to compare with.
 */
export type ManifestSource = { kind: "hand-written"; upstream?: Upstream } | { kind: "fetched"; parts: UpstreamFile[]; merge: "deep" | undefined };

/** The upstream a manifest names, whatever the kind: for a fetched source, its first file with a url. */
export function upstreamOf(manifest: Manifest): Upstream | undefined {
  const { source } = manifest;
  if (source.kind === "fetched") {
    const part = source.parts.find((p) => p.url !== undefined);
    return part ? { url: part.url!, sha256: part.sha256 } : undefined;
  }
  return source.upstream;
}

export interface ReadManifestOptions {
  /** specs:fetch writes a fetched spec, so before its first run the file may not exist yet. */
  allowMissingFetchedSpec?: boolean;
}

export type ManifestResult = { ok: true; manifest: Manifest } | { ok: false; problems: SpecProblem[] };

export function listProviders(specsDir: string): string[] {
  if (!existsSync(specsDir)) return [];
  return readdirSync(specsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(specsDir, d.name, "manifest.json")))
    .map((d) => d.name)
    .sort();
}

/** The providers a command was asked for (all when none is named), or the line that says which are unknown. */
export function selectProviders(specsDir: string, requested: string[]): { ok: true; providers: string[] } | { ok: false; message: string } {
  const known = listProviders(specsDir);
  const unknown = requested.filter((p) => !known.includes(p));
  if (unknown.length > 0) return { ok: false, message: `unknown provider ${unknown.join(", ")}: specs/ has ${known.join(", ") || "none"}` };
  return { ok: true, providers: requested.length > 0 ? requested : known };
}

/** Writes a file through a temp file and a rename, so a reader never sees half of it. */
export function writeFileAtomically(file: string, content: string | Buffer): void {
  const temp = `${file}.satbind-tmp-${process.pid}`;
  writeFileSync(temp, content);
  renameSync(temp, file);
}

export function readManifest(specsDir: string, provider: string, options: ReadManifestOptions = {}): ManifestResult {
  const dir = join(specsDir, provider);
  const manifestFile = join(dir, "manifest.json");
  const loaded = loadSource(manifestFile);
  if (!loaded.ok) return loaded;
  const data = loaded.source.data;
  const problems: SpecProblem[] = [];
  const fail = (pointer: string, message: string) =>
    problems.push({ file: manifestFile, ...loaded.source.lineOf(pointer), pointer, message });

  if (!isObject(data)) {
    fail("", "manifest must be a JSON object");
    return { ok: false, problems };
  }
  const { package: packageName, description, keywords = [], specs, source, specOnly = false } = data;
  if (typeof specOnly !== "boolean") fail("#/specOnly", "expected true or false");
  if (typeof packageName !== "string" || !/^@satbind\/[a-z0-9-]+$/.test(packageName)) {
    fail("#/package", 'expected "package": "@satbind/<name>"');
  }
  if (typeof description !== "string" || description.length === 0) fail("#/description", 'expected a non-empty "description"');
  if (!Array.isArray(keywords) || !keywords.every((k) => typeof k === "string")) fail("#/keywords", "expected an array of strings");
  let parsedSource: Manifest["source"] | undefined;
  if (!isObject(source)) fail("#/source", 'expected "source": { "kind": "hand-written" | "fetched", ... }');
  else if (source.kind === "hand-written") {
    if (source.upstream === undefined) parsedSource = { kind: "hand-written" };
    else if (!isObject(source.upstream)) fail("#/source/upstream", 'expected "upstream": { "url": "<https url>", "sha256": "<64 hex digits>" }');
    else {
      const upstream = readUpstream(source.upstream, "#/source/upstream", "an upstream needs its url", "an upstream needs a pinned sha256 (64 hex digits)", fail);
      parsedSource = { kind: "hand-written", upstream };
    }
  } else if (source.kind === "fetched") {
    parsedSource = readFetched(source, fail);
  } else fail("#/source/kind", `unknown source kind ${JSON.stringify(source.kind)}`);

  if (!isObject(specs) || Object.keys(specs).length === 0) {
    fail("#/specs", 'expected "specs": { "<id>": "<file>" } with at least one entry');
  } else {
    const fetched = parsedSource?.kind === "fetched";
    // One upstream document becomes one spec file.
    if (fetched && Object.keys(specs).length > 1) fail("#/specs", `a fetched source has exactly one spec file; got ${Object.keys(specs).length}`);
    for (const [id, file] of Object.entries(specs)) {
      if (!/^[a-z][a-z0-9]*$/.test(id)) fail(`#/specs/${id}`, `spec id "${id}" must be lowercase letters and digits`);
      if (typeof file !== "string") fail(`#/specs/${id}`, "expected a file name");
      else if (!existsSync(join(dir, file)) && !(fetched && options.allowMissingFetchedSpec)) {
        fail(`#/specs/${id}`, fetched ? `spec file ${file} not found; run pnpm generate ${provider}` : `spec file ${file} not found`);
      }
    }
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    manifest: {
      provider,
      dir,
      manifestFile,
      packageName: packageName as string,
      description: description as string,
      keywords: keywords as string[],
      specs: specs as Record<string, string>,
      source: parsedSource!,
      specOnly: specOnly === true,
    },
  };
}

function readUpstream(data: JsonObject, at: string, noUrl: string, noSha: string, fail: (pointer: string, message: string) => void): Upstream {
  const { url, sha256 } = data;
  if (typeof url !== "string") fail(`${at}/url`, noUrl);
  else if (!/^https?:\/\/[^/]/.test(url) || !URL.canParse(url)) fail(`${at}/url`, `expected an http(s) url; got ${JSON.stringify(url)}`);
  if (typeof sha256 !== "string" || !/^[0-9a-f]{64}$/.test(sha256)) fail(`${at}/sha256`, noSha);
  return { url: String(url), sha256: String(sha256) };
}

/**
 * `{ url, sha256, file? }` (one upstream file; file defaults to upstream/<last segment of the url>),
 * `{ file, sha256, origin }` (pinned by hand, no url), or `{ parts: [...], merge: "deep" }`.
 */
function readFetched(source: JsonObject, fail: (pointer: string, message: string) => void): ManifestSource {
  const single = source.parts === undefined;
  const list = single ? [source] : source.parts;
  if (!Array.isArray(list) || list.length === 0) {
    fail("#/source/parts", 'expected "parts": [{ "file": "upstream/<name>", "sha256": "<64 hex digits>", "url": "<https url>" }, ...]');
    return { kind: "fetched", parts: [], merge: undefined };
  }
  if (!single && list.length > 1 && source.merge !== "deep") fail("#/source/merge", 'several parts need "merge": "deep" (each part deep-merged into the ones before it, in order)');
  const parts = list.map((raw, i): UpstreamFile => {
    const at = single ? "#/source" : `#/source/parts/${i}`;
    if (!isObject(raw)) {
      fail(at, "expected an object");
      return { file: "", sha256: "" };
    }
    const { url, sha256, origin } = raw;
    let file = raw.file;
    let urlOk = false;
    if (url !== undefined) {
      if (typeof url !== "string") fail(`${at}/url`, "a fetched spec needs its upstream url");
      else if (!/^https?:\/\/[^/]/.test(url) || !URL.canParse(url)) fail(`${at}/url`, `expected an http(s) url; got ${JSON.stringify(url)}`);
      else urlOk = true;
      if (urlOk && file === undefined) file = `upstream/${new URL(url as string).pathname.split("/").filter(Boolean).at(-1) ?? "openapi"}`;
    } else if (typeof origin !== "string" || typeof file !== "string") {
      fail(`${at}/url`, 'a fetched spec needs its upstream url (or, for a copy pinned by hand, "file" and "origin")');
    }
    if (typeof sha256 !== "string" || !/^[0-9a-f]{64}$/.test(sha256)) fail(`${at}/sha256`, "a fetched spec needs a pinned sha256 (64 hex digits)");
    const fileOk = typeof file === "string" && /^upstream\/[A-Za-z0-9._/-]+\.(json|ya?ml)$/.test(file) && !file.includes("..");
    if (!fileOk && (raw.file !== undefined || urlOk)) fail(`${at}/file`, `expected "upstream/<name>.json" or ".yaml" for the pristine copy; got ${JSON.stringify(file)}`);
    return { file: String(file), sha256: String(sha256), ...(typeof url === "string" && { url }), ...(typeof origin === "string" && { origin }) };
  });
  return { kind: "fetched", parts, merge: source.merge === "deep" ? "deep" : undefined };
}
