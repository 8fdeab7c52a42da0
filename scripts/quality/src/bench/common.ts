// What the bench sections share: one row type for the table, medians, and child processes and
// scratch directories that are always cleaned up (see cleanUp), also when a section throws.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One line of the bench table. Figures are already formatted; "—" where a column does not apply. */
export interface Row {
  measure: string;
  satbind: string;
  baseline: string;
  ratio: string;
  target: string;
  met: string;
}

export const NONE = "—";

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const ratio = (value: number) => `${value.toFixed(2)}x`;
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
/** "yes" / "no" for a target of the form value <= limit. */
export const meets = (value: number, limit: number) => (value <= limit ? "yes" : "no");

const children = new Set<ChildProcess>();
const scratchDirs = new Set<string>();

/** A fresh directory under the OS temp dir, removed by cleanUp(). */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `satbind-bench-${prefix}-`));
  scratchDirs.add(dir);
  return dir;
}

export function removeScratchDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  scratchDirs.delete(dir);
}

/**
 * Start a child process that cleanUp() will stop if it is still running. It leads a process group
 * of its own, so stopping it also stops what it started (pnpm -> turbo -> tsx, vitest -> Prism).
 */
export function startChild(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): ChildProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

export function stopChild(child: ChildProcess): Promise<void> {
  // Never started (spawn failed), or already gone.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const group = -child.pid;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(group, signal);
    } catch {
      // The group has already exited.
    }
  };
  return new Promise((resolve) => {
    const force = setTimeout(() => signalGroup("SIGKILL"), 3_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    signalGroup("SIGTERM");
  });
}

export interface CommandResult {
  /** The exit code (only ever non-zero with `check: false`). */
  code: number;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  ms: number;
}

/**
 * Runs a command to completion and times it. Throws, with the end of its output, when it outlives
 * timeoutMs, or exits non-zero unless `check` is false.
 */
export async function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; check?: boolean },
): Promise<CommandResult> {
  const what = `${command} ${args.join(" ")} (in ${options.cwd})`;
  const started = performance.now();
  const child = startChild(command, args, options);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const timeoutMs = options.timeoutMs ?? 300_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stopChild(child);
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (exitCode) => resolve(exitCode));
  }).finally(() => clearTimeout(timer));
  const ms = performance.now() - started;
  const tail = () => `${stdout}${stderr}`.trim().split("\n").slice(-40).join("\n");
  if (timedOut) throw new Error(`${what} did not finish within ${timeoutMs / 1000} s:\n${tail()}`);
  if (code === null) throw new Error(`${what} was killed:\n${tail()}`);
  if (code !== 0 && options.check !== false) throw new Error(`${what} exited with code ${code}:\n${tail()}`);
  return { code, stdout, stderr, ms };
}

/** Stops every child process still running and removes every scratch directory. */
export async function cleanUp(): Promise<void> {
  await Promise.all([...children].map(stopChild));
  for (const dir of [...scratchDirs]) removeScratchDir(dir);
}
