// Runs a script's real work in a detached worker process, so that its cleanup cannot be cut short.
// Why: under `tsx`, a Ctrl-C that the script is slow to acknowledge (a loaded machine is enough)
// makes tsx SIGKILL it, which would leave the rehearsal's registry, Prism and scratch folders
// behind. The worker is outside tsx's reach: the launching process only forwards signals to it
// and exits with its code, and the worker cleans up by itself if the launching process dies.
import { spawn } from "node:child_process";
import { constants } from "node:os";

const LAUNCHER_PID = "SATBIND_DETACHED_LAUNCHER_PID";

/**
 * In the launching process: starts `scriptFile` again as the worker, and never resolves (the
 * process exits with the worker's exit code). In the worker: resolves at once, and calls
 * `onLauncherGone` if the launching process disappears.
 */
export function inDetachedWorker(scriptFile: string, onLauncherGone: () => void): Promise<void> {
  const launcher = Number(process.env[LAUNCHER_PID]);
  if (launcher > 0) {
    delete process.env[LAUNCHER_PID]; // Not for the worker's own children.
    // Our stdout may be a pipe whose reader has gone with the launcher: losing output must not
    // crash the cleanup.
    process.stdout.on("error", () => {});
    process.stderr.on("error", () => {});
    const watch = setInterval(() => {
      if (isAlive(launcher)) return;
      clearInterval(watch);
      onLauncherGone();
    }, 500);
    watch.unref();
    return Promise.resolve();
  }

  const worker = spawn(process.execPath, [...process.execArgv, scriptFile, ...process.argv.slice(2)], {
    detached: true,
    stdio: "inherit",
    env: { ...process.env, [LAUNCHER_PID]: String(process.pid) },
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => worker.kill(signal));
  worker.once("error", (error) => {
    console.error(`could not start the worker process for ${scriptFile}: ${error.message}`);
    process.exit(1);
  });
  worker.once("exit", (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  return new Promise(() => {});
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
