// specs/<provider>/manifest.json: which package a provider's specs become, and where they come from.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { isObject, loadSource, type SpecProblem } from "./spec.js";

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
  source: { kind: "hand-written" } | { kind: "fetched"; url: string; sha256: string };
}

export type ManifestResult = { ok: true; manifest: Manifest } | { ok: false; problems: SpecProblem[] };

export function listProviders(specsDir: string): string[] {
  if (!existsSync(specsDir)) return [];
  return readdirSync(specsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(specsDir, d.name, "manifest.json")))
    .map((d) => d.name)
    .sort();
}

export function readManifest(specsDir: string, provider: string): ManifestResult {
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
  if (!isObject(specs) || Object.keys(specs).length === 0) {
    fail("#/specs", 'expected "specs": { "<id>": "<file>" } with at least one entry');
  } else {
    for (const [id, file] of Object.entries(specs)) {
      if (!/^[a-z][a-z0-9]*$/.test(id)) fail(`#/specs/${id}`, `spec id "${id}" must be lowercase letters and digits`);
      if (typeof file !== "string") fail(`#/specs/${id}`, "expected a file name");
      else if (!existsSync(join(dir, file))) fail(`#/specs/${id}`, `spec file ${file} not found`);
    }
  }
  let parsedSource: Manifest["source"] | undefined;
  if (!isObject(source)) fail("#/source", 'expected "source": { "kind": "hand-written" | "fetched", ... }');
  else if (source.kind === "hand-written") parsedSource = { kind: "hand-written" };
  else if (source.kind === "fetched") {
    if (typeof source.url !== "string") fail("#/source/url", "a fetched spec needs its upstream url");
    if (typeof source.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(source.sha256)) fail("#/source/sha256", "a fetched spec needs a pinned sha256 (64 hex digits)");
    parsedSource = { kind: "fetched", url: String(source.url), sha256: String(source.sha256) };
  } else fail("#/source/kind", `unknown source kind ${JSON.stringify(source.kind)}`);

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
