// pnpm spec-diff <old> <new> [--json] [--package-version <semver>] [--package <name>]
//
// What changed between two versions of an OpenAPI spec, from an SDK user's side: one line per
// change with its bump (major, minor, patch), then the overall bump. With --package-version, the
// bump to release too (below 1.0.0 a major change is released as a minor). Exit code 0 whatever
// the bump; 2 for bad usage or a file that cannot be read as OpenAPI 3.0/3.1.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { diffSpecs, loadSpecFile, releaseBump, type Bump, type SpecDiff } from "../src/spec-diff/index.js";

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

const USAGE = "usage: pnpm spec-diff <old> <new> [--json] [--package-version <semver>] [--package <name>]";
const SEMVER = /^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/;

interface Options {
  files: string[];
  json: boolean;
  packageVersion?: string;
  packageName?: string;
}

function parseArgs(argv: readonly string[]): Options | string {
  const options: Options = { files: [], json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string | undefined => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) return undefined;
      i++;
      return next;
    };
    if (flag === "--json" && inline === undefined) options.json = true;
    else if (flag === "--package-version") {
      const v = value();
      if (v === undefined) return `--package-version needs a value; ${USAGE}`;
      if (!SEMVER.test(v)) return `--package-version must be a semver version such as 0.3.1; got ${JSON.stringify(v)}`;
      options.packageVersion = v;
    } else if (flag === "--package") {
      const v = value();
      if (v === undefined) return `--package needs a value; ${USAGE}`;
      options.packageName = v;
    } else if (arg.startsWith("-") && arg !== "-") return `unknown option ${arg}; ${USAGE}`;
    else options.files.push(arg);
  }
  if (options.files.length !== 2) return `expected two spec files (old and new), got ${options.files.length}; ${USAGE}`;
  return options;
}

/** Returns the exit code: 0 compared (whatever the bump), 2 bad usage or an unreadable spec. */
export function main(argv: readonly string[], io: CliIO = { out: (t) => console.log(t), err: (t) => console.error(t) }): number {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.out(USAGE);
    return 0;
  }
  const options = parseArgs(argv);
  if (typeof options === "string") {
    io.err(`spec-diff: ${options}`);
    return 2;
  }
  let diff: SpecDiff;
  try {
    const [before, after] = options.files.map((file) => loadSpecFile(file));
    diff = diffSpecs(before, after);
  } catch (err) {
    io.err(`spec-diff: ${(err as Error).message.split("\n")[0]}`);
    return 2;
  }
  const release = options.packageVersion === undefined ? undefined : releaseBump(diff.bump, options.packageVersion, options.packageName);

  if (options.json) {
    const changes = diff.changes.map(({ kind, pointer, bump, message }) => ({ kind, pointer, bump, message }));
    const output: { bump: Bump; changes: typeof changes; release?: { bump: Bump; note?: string } } = { bump: diff.bump, changes };
    if (release) output.release = release.note === undefined ? { bump: release.bump } : { bump: release.bump, note: release.note };
    io.out(JSON.stringify(output, null, 2));
    return 0;
  }
  io.out(renderText(diff, release));
  return 0;
}

/** One line per change (bump, message, pointer), a count, then `bump: <level>` and the 0.x note if any. */
export function renderText(diff: SpecDiff, release?: { bump: Bump; note?: string }): string {
  const lines = diff.changes.map((c) => `${c.bump.padEnd(5)}  ${c.message}  ${c.pointer}`);
  if (diff.changes.length === 0) lines.push("no changes");
  else {
    const count = (level: Bump) => diff.changes.filter((c) => c.bump === level).length;
    const parts = (["major", "minor", "patch"] as const).filter((l) => count(l) > 0).map((l) => `${count(l)} ${l}`);
    lines.push("", `${diff.changes.length} change${diff.changes.length === 1 ? "" : "s"}: ${parts.join(", ")}`);
  }
  lines.push(`bump: ${diff.bump}`);
  if (release?.note) lines.push(release.note);
  return lines.join("\n");
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) process.exitCode = main(process.argv.slice(2));
