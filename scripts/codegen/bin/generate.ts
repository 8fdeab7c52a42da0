// pnpm generate [provider...] [--check]
//
// specs/<provider>/ -> packages/<provider>/src/generated/, the operation table in the package
// README, and the package.json fields the generator owns. A fetched spec is first made, offline,
// from its pristine upstream file(s) and overlays (lib/upstream.ts); --check also catches drift
// there. A spec-only provider (manifest `specOnly`) is validated and typed but gets no package. Every selected provider is validated and
// rendered in memory first; if anything is wrong nothing is written. Generated directories are
// built beside the old one and swapped in with renames, so a crash never leaves half a package.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readManifest, selectProviders, writeFileAtomically, type Manifest } from "../src/manifest.js";
import { checkSpecOnly, renderProvider, type RenderedFiles } from "../src/render.js";
import { buildFetchedSpec, type BuiltSpec } from "../src/upstream.js";
import { formatProblem, type SpecProblem } from "../src/spec.js";

interface Rendered {
  provider: string;
  files: RenderedFiles;
  generatedDir: string;
}

export interface GenerateOptions {
  root: string;
  providers: string[];
  check: boolean;
  log?: (line: string) => void;
  error?: (line: string) => void;
}

/** Returns the process exit code: 0 ok, 1 stale (with --check) or invalid specs, 2 bad usage. */
export async function generate(options: GenerateOptions): Promise<number> {
  const { root, check } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const error = options.error ?? ((line: string) => console.error(line));
  const specsDir = join(root, "specs");
  const selection = selectProviders(specsDir, options.providers);
  if (!selection.ok) {
    error(selection.message);
    return 2;
  }
  const selected = selection.providers;

  const problems: SpecProblem[] = [];
  const rendered: Rendered[] = [];
  // Fetched specs first: upstream + overlays -> the spec file, offline.
  const specs: BuiltSpec[] = [];
  const manifests: Manifest[] = [];
  for (const provider of selected) {
    const manifest = readManifest(specsDir, provider, { allowMissingFetchedSpec: true });
    if (!manifest.ok) {
      problems.push(...manifest.problems);
      continue;
    }
    manifests.push(manifest.manifest);
    if (manifest.manifest.source.kind !== "fetched") continue;
    const built = buildFetchedSpec(root, manifest.manifest);
    if (built.ok) specs.push(built.spec);
    else problems.push(...built.problems);
  }
  const staleSpecs = specs.filter((s) => !existsSync(s.specFile) || readFileSync(s.specFile, "utf8") !== s.text);
  if (problems.length > 0) return fail(problems);
  // The renderer reads the spec file: a regenerated one goes in first, and back out if rendering fails.
  const restore = check ? [] : staleSpecs.map((s) => ({ file: s.specFile, old: existsSync(s.specFile) ? readFileSync(s.specFile, "utf8") : undefined }));
  if (!check) for (const s of staleSpecs) writeFileAtomically(s.specFile, s.text);
  let specOnly = 0;
  for (const manifest of manifests) {
    const { provider } = manifest;
    // With --check, a spec file that is missing cannot be rendered from; it is reported as stale below.
    if (check && staleSpecs.some((s) => s.specFile.startsWith(manifest.dir + "/") && !existsSync(s.specFile))) continue;
    if (manifest.specOnly) {
      problems.push(...(await checkSpecOnly(manifest)));
      specOnly++;
      continue;
    }
    const result = await renderProvider(root, manifest);
    if (result.ok) rendered.push({ provider, files: result.files, generatedDir: result.generatedDir });
    else problems.push(...result.problems);
  }
  if (problems.length > 0) {
    for (const { file, old } of restore) {
      if (old === undefined) rmSync(file, { force: true });
      else writeFileAtomically(file, old);
    }
    return fail(problems);
  }

  if (check) {
    const stale = [
      ...staleSpecs.map((s) => `${relative(root, s.specFile)} (upstream + overlays make a different spec)`),
      ...rendered.flatMap((r) => staleFiles(root, r)),
    ];
    if (stale.length > 0) {
      for (const file of stale) error(`stale: ${file}`);
      error(`generate --check: ${stale.length} generated file${stale.length === 1 ? " is" : "s are"} out of date; run pnpm generate`);
      return 1;
    }
    const count = rendered.length + specOnly;
    log(`generate --check: ${count} provider${count === 1 ? "" : "s"} up to date`);
    return 0;
  }

  for (const s of staleSpecs) log(`${relative(root, s.specFile)}: written from upstream + overlays`);
  for (const r of rendered) {
    const changed = staleFiles(root, r);
    writeProvider(root, r);
    log(`${r.provider}: ${changed.length === 0 ? "unchanged" : `${changed.length} file${changed.length === 1 ? "" : "s"} updated`}`);
  }
  for (const m of manifests.filter((m) => m.specOnly)) log(`${m.provider}: spec only (validated, types generated; no package yet)`);
  return 0;

  function fail(list: SpecProblem[]): number {
    for (const p of list) error(formatProblem(p, root));
    error(`generate: ${list.length} problem${list.length === 1 ? "" : "s"}; nothing was written`);
    return 1;
  }
}

/** Files whose content differs from what the generator would write, plus leftovers in generated/. */
function staleFiles(root: string, r: Rendered): string[] {
  const stale: string[] = [];
  for (const [file, content] of r.files) {
    const full = join(root, file);
    if (!existsSync(full) || readFileSync(full, "utf8") !== content) stale.push(file);
  }
  for (const file of listFiles(join(root, r.generatedDir))) {
    const relativePath = relative(root, file);
    if (!r.files.has(relativePath)) stale.push(`${relativePath} (not generated any more)`);
  }
  return stale.sort();
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? listFiles(join(dir, d.name)) : [join(dir, d.name)],
  );
}

function writeProvider(root: string, r: Rendered): void {
  const generatedDir = join(root, r.generatedDir);
  const staging = join(dirname(generatedDir), `.satbind-tmp-${process.pid}`);
  const retired = `${staging}-old`;
  rmSync(staging, { recursive: true, force: true });
  rmSync(retired, { recursive: true, force: true });
  try {
    for (const [file, content] of r.files) {
      const full = join(root, file);
      if (!full.startsWith(generatedDir + "/")) continue;
      const target = join(staging, relative(generatedDir, full));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
    if (existsSync(generatedDir)) renameSync(generatedDir, retired);
    renameSync(staging, generatedDir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(retired, { recursive: true, force: true });
  }
  // Files outside generated/ are replaced one by one, each atomically.
  for (const [file, content] of r.files) {
    const full = join(root, file);
    if (full.startsWith(generatedDir + "/")) continue;
    if (existsSync(full) && readFileSync(full, "utf8") === content) continue;
    writeFileAtomically(full, content);
  }
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const args = process.argv.slice(2);
  const flags = args.filter((a) => a.startsWith("-"));
  const badFlags = flags.filter((f) => f !== "--check");
  if (badFlags.length > 0) {
    console.error(`unknown option ${badFlags.join(", ")}; usage: pnpm generate [provider...] [--check]`);
    process.exit(2);
  }
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
  const code = await generate({ root, providers: args.filter((a) => !a.startsWith("-")), check: flags.includes("--check") });
  process.exit(code);
}
