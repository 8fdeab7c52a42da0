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
}

/** An upstream document and the sha256 of its bytes as last accepted (pnpm specs:fetch --update re-pins it). */
export interface Upstream {
  url: string;
  sha256: string;
}

/**
 * "fetched": the spec file is the upstream document with specs/<provider>/overlays/ applied.
 * "hand-written": the spec is ours; an upstream, when named, is only downloaded to compare with.
 */
export type ManifestSource = { kind: "hand-written"; upstream?: Upstream } | ({ kind: "fetched" } & Upstream);

/** The upstream a manifest names, whatever the kind. */
export function upstreamOf(manifest: Manifest): Upstream | undefined {
  const { source } = manifest;
  if (source.kind === "fetched") return { url: source.url, sha256: source.sha256 };
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
  const { package: packageName, description, keywords = [], specs, source } = data;
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
    const upstream = readUpstream(source, "#/source", "a fetched spec needs its upstream url", "a fetched spec needs a pinned sha256 (64 hex digits)", fail);
    parsedSource = { kind: "fetched", ...upstream };
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
        fail(`#/specs/${id}`, fetched ? `spec file ${file} not found; run pnpm specs:fetch ${provider}` : `spec file ${file} not found`);
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
