// pnpm specs:changeset [--since <ref>]
//
// For each provider whose spec files changed since <ref> (default main), diffs each spec against
// its version at <ref> and writes .changeset/spec-<provider>-<hash>.md with the bump the diff
// computed (0.x packages: major -> minor) and the changes in words. The file name comes from the
// new specs' content, so running it twice writes the same file once.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { listProviders, readManifest, writeFileAtomically } from "@satbind/codegen/manifest";
import { diffSpecs, loadSpecFile, releaseBump, type Bump, type SpecChange } from "../src/spec-diff/index.js";
import { formatProblem } from "@satbind/codegen/spec";

export interface ChangesetOptions {
  root: string;
  since: string;
  log?: (line: string) => void;
  error?: (line: string) => void;
}

const ORDER: Bump[] = ["none", "patch", "minor", "major"];
const MOST_LISTED = 25;

/** Returns the process exit code: 0 ok (with or without files written), 1 on a failure. */
export function specsChangeset(options: ChangesetOptions): number {
  const { root, since } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const error = options.error ?? ((line: string) => console.error(line));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  try {
    git("rev-parse", "--verify", "--quiet", `${since}^{commit}`);
  } catch {
    error(`specs:changeset: ${since} is not a commit here; pass --since <ref>`);
    return 1;
  }
  const changed = new Set(git("diff", "--name-only", since, "--", "specs").split("\n").filter(Boolean));
  for (const line of git("ls-files", "--others", "--exclude-standard", "--", "specs").split("\n").filter(Boolean)) changed.add(line);

  const specsDir = join(root, "specs");
  let failed = false;
  for (const provider of listProviders(specsDir)) {
    const manifest = readManifest(specsDir, provider);
    if (!manifest.ok) {
      for (const p of manifest.problems) error(formatProblem(p, root));
      failed = true;
      continue;
    }
    const { packageName, specs } = manifest.manifest;
    const files = Object.values(specs).map((file) => `specs/${provider}/${file}`);
    const touched = files.filter((f) => changed.has(f));
    if (touched.length === 0) continue;
    if (manifest.manifest.specOnly) {
      log(`${provider}: spec only (no package yet), nothing to release`);
      continue;
    }

    const changes: { file: string; change: SpecChange }[] = [];
    let bump: Bump = "none";
    try {
      for (const file of touched) {
        const before = atRef(git, since, file);
        if (before === undefined) {
          log(`${provider}: ${file} is new since ${since}; describe a new package or API version by hand (pnpm changeset)`);
          continue;
        }
        const diff = diffSpecs(before, loadSpecFile(join(root, file)));
        for (const change of diff.changes) changes.push({ file, change });
        if (ORDER.indexOf(diff.bump) > ORDER.indexOf(bump)) bump = diff.bump;
      }
    } catch (e) {
      error(`${provider}: ${(e as Error).message}`);
      failed = true;
      continue;
    }
    if (bump === "none") {
      log(`${provider}: spec files changed since ${since}, but nothing a user would notice; no changeset`);
      continue;
    }
    const version = readPackageVersion(root, provider);
    const release = releaseBump(bump, version, packageName);
    const hash = createHash("sha256").update(touched.map((f) => readFileSync(join(root, f))).join("\0")).digest("hex").slice(0, 8);
    const target = join(root, ".changeset", `spec-${provider}-${hash}.md`);
    mkdirSync(dirname(target), { recursive: true });
    // The name comes from the spec's content: an existing file already describes this very spec,
    // perhaps with words a maintainer added. Keep it.
    if (existsSync(target)) {
      log(`${provider}: ${relative(root, target)} already describes this spec; kept as it is`);
      continue;
    }
    writeFileAtomically(target, render(packageName, release.bump, since, touched, changes, release.note));
    // This file covers every change since <ref>: one written earlier on this branch (after an
    // earlier edit of the same spec) would list them twice and bump twice.
    for (const stale of readdirSync(dirname(target))) {
      const file = `.changeset/${stale}`;
      if (!stale.startsWith(`spec-${provider}-`) || !stale.endsWith(".md") || join(root, file) === target || existsAt(git, since, file)) continue;
      rmSync(join(root, file));
      log(`${provider}: removed ${file}, which the new file replaces`);
    }
    log(`${provider}: wrote ${relative(root, target)} (${release.bump}${release.bump === bump ? "" : `, from ${bump}`}; ${changes.length} change${changes.length === 1 ? "" : "s"})`);
  }
  return failed ? 1 : 0;
}

function existsAt(git: (...args: string[]) => string, ref: string, file: string): boolean {
  try {
    git("cat-file", "-e", `${ref}:${file}`);
    return true;
  } catch {
    return false;
  }
}

/** The spec at <ref>, parsed; undefined when the file did not exist there. */
function atRef(git: (...args: string[]) => string, ref: string, file: string): unknown {
  try {
    git("cat-file", "-e", `${ref}:${file}`);
  } catch {
    return undefined;
  }
  return parse(git("show", `${ref}:${file}`));
}

function readPackageVersion(root: string, provider: string): string {
  const file = join(root, "packages", provider, "package.json");
  if (!existsSync(file)) return "0.0.0";
  const version = (JSON.parse(readFileSync(file, "utf8")) as { version?: unknown }).version;
  return typeof version === "string" ? version : "0.0.0";
}

const HEADINGS: Record<Exclude<Bump, "none">, string> = {
  major: "Breaking for callers",
  minor: "New",
  patch: "Documentation and examples",
};

function render(packageName: string, bump: Bump, since: string, files: string[], changes: { file: string; change: SpecChange }[], note?: string): string {
  const lines = [`---`, `"${packageName}": ${bump}`, `---`, ``, `Spec update (${files.join(", ")}, compared with ${since}).`];
  const several = files.length > 1;
  for (const level of ["major", "minor", "patch"] as const) {
    const items = changes.filter((c) => c.change.bump === level);
    if (items.length === 0) continue;
    lines.push(``, `${HEADINGS[level]}:`, ``);
    const entries = grouped(items.map(({ file, change }) => `${change.message}${several ? ` (${file})` : ""}`));
    for (const entry of entries.slice(0, MOST_LISTED)) lines.push(`- ${entry}`);
    if (entries.length > MOST_LISTED) lines.push(`- and ${entries.length - MOST_LISTED} more`);
  }
  if (note) lines.push(``, note);
  return `${lines.join("\n")}\n`;
}

/**
 * A change inside a shared schema is reported once per operation that reaches it. Lines that say
 * the same thing of several operations become one, listing where: "response field `kind` lists
 * ... (in GET /a, POST /b)".
 */
function grouped(messages: string[]): string[] {
  const place = / of ((?:GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|TRACE) \S+|webhook \S+)(?: \(as [^)]*\))?/;
  const groups = new Map<string, string[]>();
  const order: string[] = [];
  for (const message of messages) {
    const match = place.exec(message);
    const key = match ? message.replace(match[0], "") : message;
    if (!groups.has(key)) order.push(key);
    groups.set(key, [...(groups.get(key) ?? []), match ? match[1]! : message]);
  }
  return order.map((key) => {
    const places = groups.get(key)!;
    if (places.length === 1) return messages.find((m) => (place.exec(m) ? m.replace(place.exec(m)![0], "") : m) === key)!;
    return `${key} (in ${places.join(", ")})`;
  });
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--since");
  const since = at >= 0 ? args[at + 1] : "main";
  const rest = args.filter((_, i) => i !== at && i !== at + 1);
  if (since === undefined || since.startsWith("-") || rest.length > 0) {
    console.error("usage: pnpm specs:changeset [--since <ref>]");
    process.exit(2);
  }
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
  process.exit(specsChangeset({ root, since }));
}
