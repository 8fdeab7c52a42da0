// Child processes for the runtime matrix: run a command to the end with a time limit, or start a
// long-lived one (Chromium). Each runs in its own process group so that stopping it also stops
// whatever it started (Chromium's helpers, npm's install scripts); any group still alive when
// this process exits, even through Ctrl-C, is killed.
import { spawn, type ChildProcess } from "node:child_process";

const liveGroups = new Set<number>();
process.on("exit", killAllGroups);

/** Kills every process group started here that has not been stopped yet. */
export function killAllGroups(): void {
  for (const pid of liveGroups) killGroup(pid);
  liveGroups.clear();
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // The group is already gone.
  }
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
}

export interface Finished {
  /** Exit code; null when killed by a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs `command` until it exits, killing its whole group after `timeoutMs`. Rejects only when it cannot start. */
export function runCommand(command: string, args: string[], options: RunOptions): Promise<Finished> {
  const child = startGroup(command, args, options);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      stopGroup(child);
    }, options.timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      forgetGroup(child);
      reject(new Error(`could not start ${command}: ${error.message}`));
    });
    // "close", not "exit": all output has been read by then.
    child.once("close", (code) => {
      clearTimeout(timer);
      // Nothing it started may outlive it.
      if (child.pid !== undefined) killGroup(child.pid);
      forgetGroup(child);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** Starts `command` in a new process group with stdin closed and stdout/stderr piped. */
export function startGroup(command: string, args: string[], options: Omit<RunOptions, "timeoutMs">): ChildProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  if (child.pid !== undefined) liveGroups.add(child.pid);
  return child;
}

/** Kills the child's whole process group and resolves once the child has exited. */
export function stopGroup(child: ChildProcess): Promise<void> {
  const exited = child.exitCode !== null || child.signalCode !== null || child.pid === undefined;
  const done = exited ? Promise.resolve() : new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // Helpers left in the group may outlive the leader: kill the group even when the leader is gone.
  if (child.pid !== undefined) killGroup(child.pid);
  return done.then(() => forgetGroup(child));
}

function forgetGroup(child: ChildProcess): void {
  if (child.pid !== undefined) liveGroups.delete(child.pid);
}

/** The last `max` characters of some output, for an error message. */
export function tail(text: string, max = 2000): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `...${trimmed.slice(-max)}` : trimmed;
}
