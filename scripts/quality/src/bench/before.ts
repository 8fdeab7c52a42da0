// The previous release, built from git, so the overhead bench can measure before and after in the
// same run on the same machine. Which commit: SATBIND_BENCH_BEFORE (a revision, or "none" to skip),
// else where this branch left main (git merge-base HEAD main), or, on main itself, HEAD's first
// parent. Until there is a first release, README's "Size and speed" names the revision its "before"
// column was measured at (the runtime before issue 18). It is exported with `git archive` into a folder under the temp dir (no git worktree, so
// the repository is left as it is), installed from the pnpm store and built once; later runs reuse
// the build (the folder name carries the commit).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../published.js";
import { runCommand } from "./common.js";

export interface BeforeBuild {
  /** The commit, abbreviated. */
  commit: string;
  /** A checkout of it, installed and built: its packages/<slug>/dist are importable. */
  root: string;
}

const git = (...args: string[]) => execFileSync("git", args, { cwd: repoRoot, encoding: "utf8" }).trim();

function chooseCommit(): string | undefined {
  const asked = process.env.SATBIND_BENCH_BEFORE;
  if (asked === "none") return undefined;
  if (asked) return git("rev-parse", "--verify", `${asked}^{commit}`);
  const head = git("rev-parse", "HEAD");
  let base: string;
  try {
    base = git("merge-base", "HEAD", "main");
  } catch {
    return undefined;
  }
  return base === head ? git("rev-parse", "HEAD^1") : base;
}

export async function prepareBefore(log: (line: string) => void): Promise<BeforeBuild | undefined> {
  const full = chooseCommit();
  if (!full) {
    log("before: no earlier commit to compare with (set SATBIND_BENCH_BEFORE=<rev>); measuring this tree only");
    return undefined;
  }
  const commit = full.slice(0, 12);
  const root = join(tmpdir(), `satbind-bench-before-${commit}`);
  const done = join(root, ".satbind-built");
  if (existsSync(done)) {
    log(`before: ${commit}, built earlier in ${root}`);
    return { commit, root };
  }
  log(`before: exporting ${commit} to ${root}, installing and building it (once; a few minutes)`);
  mkdirSync(root, { recursive: true });
  await runCommand("sh", ["-c", `git -C "${repoRoot}" archive ${full} | tar -x -C "${root}"`], { cwd: repoRoot });
  // The store already holds what this lockfile needs, unless the commit's lockfile differs.
  const offline = await runCommand("pnpm", ["install", "--frozen-lockfile", "--offline"], { cwd: root, check: false, timeoutMs: 600_000 });
  if (offline.code !== 0) await runCommand("pnpm", ["install", "--frozen-lockfile"], { cwd: root, timeoutMs: 600_000 });
  await runCommand("pnpm", ["build"], { cwd: root, timeoutMs: 900_000 });
  writeFileSync(done, `${full}\n`);
  return { commit, root };
}
