// Runs the release rehearsal's commands (pnpm, npm, changeset, node) with their output kept in a
// log file, shown only when a command fails. Every command runs in its own process group so that
// a timeout or Ctrl-C stops its children too (turbo, tsup, npm under pnpm).
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, writeFileSync } from "node:fs";

export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where the command's output goes; it is printed (the end of it) when the command fails. */
  logFile: string;
  /** Stop the command after this long; it guards against a hang, it is not a performance check. */
  timeoutMs: number;
}

const running = new Set<ChildProcess>();

/** Runs `command args` and resolves to its standard output; rejects with a one-line cause and the log's end. */
export function run(command: string, args: string[], options: RunOptions): Promise<string> {
  const shown = [command, ...args].join(" ");
  writeFileSync(options.logFile, `$ ${shown}\n  (in ${options.cwd})\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    running.add(child);
    let stdout = "";
    let tail = "";
    const keep = (chunk: Buffer) => {
      appendFileSync(options.logFile, chunk);
      tail = (tail + chunk.toString()).slice(-6000);
    };
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      keep(chunk);
    });
    child.stderr!.on("data", keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, "SIGKILL");
    }, options.timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(new Error(`could not start \`${shown}\` in ${options.cwd}: ${error.message}`));
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (code === 0) return resolve(stdout);
      const why = timedOut ? `did not finish within ${options.timeoutMs / 1000} s` : signal ? `was killed by ${signal}` : `exited with code ${code}`;
      reject(new Error(`\`${shown}\` ${why} (in ${options.cwd})\n  the end of its output:\n${indent(tail)}`));
    });
  });
}

/** Stops every command `run` still has going (used when the rehearsal is interrupted). */
export function stopRunningCommands(): void {
  for (const child of running) killGroup(child, "SIGKILL");
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

export function indent(text: string): string {
  return text
    .trimEnd()
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}
