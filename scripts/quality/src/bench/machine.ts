// Where the figures were measured: the machine, the Node version and the commit.
import { existsSync, readFileSync, statSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";

export interface Machine {
  cpuModel: string;
  cpuCount: number;
  totalMemoryGiB: number;
  node: string;
  platform: string;
  date: string;
  /** The checked-out commit, or null outside a git checkout. */
  commit: string | null;
}

export function describeMachine(root: string): Machine {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model.trim() ?? "unknown",
    cpuCount: cores.length,
    totalMemoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
    commit: headCommit(root),
  };
}

/**
 * What `git rev-parse HEAD` says, read from .git directly so the bench never runs git: HEAD is a
 * commit id or "ref: refs/heads/<branch>", found as a loose ref file or in packed-refs.
 */
export function headCommit(root: string): string | null {
  let gitDir = join(root, ".git");
  if (!existsSync(gitDir)) return null;
  // A worktree's .git is a file: "gitdir: <path>".
  if (statSync(gitDir).isFile()) {
    const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(gitDir, "utf8"));
    if (!pointer) return null;
    gitDir = resolve(root, pointer[1]!.trim());
  }
  const head = readFileSync(join(gitDir, "HEAD"), "utf8").trim();
  if (/^[0-9a-f]{40}$/.test(head)) return head;
  const ref = /^ref:\s*(.+)$/.exec(head)?.[1];
  if (!ref) return null;
  // Linked worktrees keep shared refs in the common dir.
  const commonDir = existsSync(join(gitDir, "commondir")) ? resolve(gitDir, readFileSync(join(gitDir, "commondir"), "utf8").trim()) : gitDir;
  for (const dir of [gitDir, commonDir]) {
    const loose = join(dir, ref);
    if (existsSync(loose)) return readFileSync(loose, "utf8").trim();
  }
  for (const dir of [gitDir, commonDir]) {
    const packed = join(dir, "packed-refs");
    if (!existsSync(packed)) continue;
    const line = readFileSync(packed, "utf8").split("\n").find((l) => l.endsWith(` ${ref}`));
    if (line) return line.split(" ")[0]!;
  }
  // A branch with no commit yet.
  return null;
}
