// Starts Stoplight Prism on a spec, on a free loopback port, and stops it without leaving a
// process behind. Used by `pnpm mock` and by every package's contract tests.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";

export interface PrismServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface PrismOptions {
  port?: number;
  /** Reject requests and examples that break the spec (Prism --errors). Default true. */
  errors?: boolean;
  /** Make up response data from the schemas instead of using examples. Default false. */
  dynamic?: boolean;
  /** Give up waiting for Prism after this long. Default 30 s. */
  startTimeoutMs?: number;
}

const require = createRequire(import.meta.url);

function prismBin(): string {
  const manifest = require.resolve("@stoplight/prism-cli/package.json");
  const bin = (require(manifest) as { bin: { prism: string } }).bin.prism;
  return join(dirname(manifest), bin);
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("could not find a free port");
  return address.port;
}

export async function startPrism(specFile: string, options: PrismOptions = {}): Promise<PrismServer> {
  const port = options.port ?? (await freePort());
  const args = [prismBin(), "mock", "--host", "127.0.0.1", "--port", String(port)];
  if (options.errors ?? true) args.push("--errors");
  if (options.dynamic) args.push("--dynamic");
  args.push(specFile);
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, SCARF_ANALYTICS: "false" } });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilListening(child, () => output, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    await stopProcess(child);
    throw new Error(`Prism did not start on ${specFile}: ${(error as Error).message}\n${output.slice(-2000)}`);
  }
  return { url, port, stop: () => stopProcess(child) };
}

function waitUntilListening(child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no "listening" line within ${timeoutMs} ms`)), timeoutMs);
    const poll = setInterval(() => {
      if (/Prism is listening/.test(output())) done();
    }, 25);
    const onExit = (code: number | null) => done(new Error(`exited with code ${code}`));
    child.once("exit", onExit);
    function done(error?: Error) {
      clearTimeout(timer);
      clearInterval(poll);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve();
    }
  });
}

/** SIGTERM, then SIGKILL after 3 s; resolves once the process has exited. */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 3_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * A vitest globalSetup that runs one Prism on `specFile` for the whole test run, always stopped
 * afterwards. Tests read its URL with `inject("prismUrl")`.
 *
 *   export default prismGlobalSetup(specFile);
 */
export function prismGlobalSetup(specFile: string): (project: { provide(key: "prismUrl", value: string): void }) => Promise<() => Promise<void>> {
  return async (project) => {
    const prism = await startPrism(specFile);
    project.provide("prismUrl", prism.url);
    return () => prism.stop();
  };
}
