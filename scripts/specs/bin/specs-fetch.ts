// pnpm specs:fetch [provider...] [--update]
//
// For each provider whose manifest names an upstream: download it, check its sha256 against the pin
// and, for a fetched spec, refresh the pristine copy in specs/<provider>/upstream/ (only when the
// download is good and every overlay still applies; `pnpm generate` then makes the spec, offline).
// --update accepts a new upstream: re-pins the sha256 and says what the spec would change. A hand-written spec is
// never overwritten; its upstream is only checked (and with --update re-pinned and compared with ours).
// One line per provider; exit 1 if any failed (the others still run), 2 on bad usage.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fetchSpec, repoPath, short, writeFetchedSpec, type DownloadOptions, type FetchedSpec } from "../src/fetch-spec.js";
import { readManifest, selectProviders, upstreamOf } from "@satbind/codegen/manifest";
import { diffSpecs } from "../src/spec-diff/index.js";
import { formatProblem } from "@satbind/codegen/spec";

export type DescribeChanges = (oldDoc: unknown, newDoc: unknown) => string[];

/** spec-diff's view, as `pnpm spec-diff` prints it: one line per change (bump, message, pointer), then the overall bump. */
export const describeSpecChanges: DescribeChanges = (oldDoc, newDoc) => {
  const diff = diffSpecs(oldDoc, newDoc);
  if (diff.changes.length === 0) return [];
  return [...diff.changes.map((c) => `${c.bump.padEnd(5)}  ${c.message}  ${c.pointer}`), `bump: ${diff.bump}`];
};

export interface SpecsFetchOptions extends Partial<DownloadOptions> {
  root: string;
  providers: string[];
  update: boolean;
  /** Lines saying what changed between two versions of a spec; without it, --update lists nothing. */
  describeChanges?: DescribeChanges;
  log?: (line: string) => void;
  error?: (line: string) => void;
}

const USAGE = "usage: pnpm specs:fetch [provider...] [--update]";

/** Returns the process exit code: 0 ok, 1 if any provider failed, 2 on bad usage. */
export async function specsFetch(options: SpecsFetchOptions): Promise<number> {
  const { root, update } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const error = options.error ?? ((line: string) => console.error(line));
  const specsDir = join(root, "specs");
  const selection = selectProviders(specsDir, options.providers);
  if (!selection.ok) {
    error(selection.message);
    return 2;
  }
  const selected = selection.providers;

  let failed = 0;
  for (const provider of selected) {
    const manifest = readManifest(specsDir, provider, { allowMissingFetchedSpec: true });
    if (!manifest.ok) {
      for (const p of manifest.problems) error(`${provider}: ${formatProblem(p, root)}`);
      failed++;
      continue;
    }
    if (upstreamOf(manifest.manifest) === undefined) {
      const { source } = manifest.manifest;
      const byHand = source.kind === "fetched" ? source.parts.map((p) => `${p.file} (${p.origin ?? "pinned by hand"})`).join(", ") : undefined;
      log(byHand ? `${provider}: ${byHand} has no url to fetch from, skipped` : `${provider}: no upstream in manifest, skipped`);
      continue;
    }
    try {
      const result = await fetchSpec({ ...downloadOptions(options), root, provider, update });
      const written = writeFetchedSpec(result);
      for (const line of report(root, result, written, options.describeChanges)) log(line);
    } catch (e) {
      error(oneLine(provider, e));
      failed++;
    }
  }
  return failed > 0 ? 1 : 0;
}

/** What happened to one provider: its line, with a new pin what changed, and for a fetched spec whether `pnpm generate` has work to do. */
function report(root: string, result: FetchedSpec, written: string[], describe: DescribeChanges | undefined): string[] {
  const { provider } = result;
  const files = written.map((f) => repoPath(root, f)).join(", ");
  const regenerate = result.specStale && result.specFile !== undefined ? [`  run pnpm generate ${provider} to write ${repoPath(root, result.specFile)} from upstream + overlays`] : [];
  if (!result.changed) {
    const line = written.length === 0 ? `${provider}: up to date (sha256 ${short(result.sha256)})` : `${provider}: wrote ${files} (sha256 ${short(result.sha256)})`;
    return [line, ...regenerate];
  }
  const pin = `${short(result.previousSha256)} -> ${short(result.sha256)}`;
  if (result.kind === "fetched") {
    const lines = [`${provider}: sha256 ${pin}; wrote ${files}`];
    if (describe && result.current) lines.push(...describeLines(describe, result.current.document, result.document));
    return [...lines, ...regenerate];
  }
  const lines = [`${provider}: upstream sha256 ${pin}; wrote ${files} (the hand-written spec is not touched)`];
  if (describe && result.current) {
    lines.push(`  upstream compared with ${repoPath(root, result.current.file)}:`);
    lines.push(...describeLines(describe, result.current.document, result.document).map((l) => `  ${l}`));
  }
  return lines;
}

function describeLines(describe: DescribeChanges, oldDoc: unknown, newDoc: unknown): string[] {
  try {
    const lines = describe(oldDoc, newDoc);
    return lines.length === 0 ? ["  no API changes"] : lines.map((l) => `  ${l}`);
  } catch (e) {
    // The files are written either way; a failing description must not hide that.
    return [`  could not describe the changes: ${(e as Error).message.split("\n")[0]}`];
  }
}

function downloadOptions(options: Partial<DownloadOptions>): Partial<DownloadOptions> {
  return {
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    ...(options.retries !== undefined && { retries: options.retries }),
    ...(options.backoffMs !== undefined && { backoffMs: options.backoffMs }),
  };
}

/** fetchSpec's errors already start with the provider; anything else (a bug, a full disk) gets it too. */
function oneLine(provider: string, e: unknown): string {
  const message = (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, " ").trim();
  return message.startsWith(`${provider}: `) ? message : `${provider}: ${message}`;
}

export interface FetchIo extends Partial<DownloadOptions> {
  root: string;
  log: (line: string) => void;
  error: (line: string) => void;
}

/** The command line: argv without node and the script. */
export async function main(argv: string[], io: FetchIo): Promise<number> {
  const flags = argv.filter((a) => a.startsWith("-"));
  const badFlags = flags.filter((f) => f !== "--update");
  if (badFlags.length > 0) {
    io.error(`unknown option ${badFlags.join(", ")}; ${USAGE}`);
    return 2;
  }
  const { log, error, ...rest } = io;
  return specsFetch({
    ...downloadOptions(rest),
    root: io.root,
    providers: argv.filter((a) => !a.startsWith("-")),
    update: flags.includes("--update"),
    describeChanges: describeSpecChanges,
    log,
    error,
  });
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
  const code = await main(process.argv.slice(2), { root, log: (l) => console.log(l), error: (l) => console.error(l) });
  process.exit(code);
}
