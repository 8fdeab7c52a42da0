// The smokes at the edge: Cloudflare's workerd and Vercel's Edge Runtime. Neither resolves
// node_modules, so the smokes are bundled first, as wrangler and Vercel do (esbuild, each
// platform's export conditions, no Node built-ins). Each runtime then gets an HTTP request whose
// body is the URLs, runs every smoke inside that request, and answers the outcomes as JSON; then a
// second one, which must come to the same: the clients each smoke made when its module loaded are
// used again from another request's I/O context.
import { readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { build, type Plugin } from "esbuild";
import { freePort } from "@satbind/test-support/process";
import { runCommand, startGroup, stopGroup, tail } from "./exec.js";
import { smokeFile, type Outcome, type SmokeUrls } from "./project.js";

/** The module every edge bundle starts from: each smoke run in turn, errors caught per provider. */
function runnerModule(slugs: string[]): string {
  return [
    ...slugs.map((slug, i) => `import smoke${i} from "./${smokeFile(slug)}";`),
    `const smokes = { ${slugs.map((slug, i) => `${JSON.stringify(slug)}: smoke${i}`).join(", ")} };`,
    "export async function runAll(urls) {",
    "  const outcomes = [];",
    "  for (const [provider, providerUrls] of Object.entries(urls)) {",
    "    try {",
    "      outcomes.push({ provider, result: await smokes[provider](providerUrls) });",
    "    } catch (error) {",
    "      outcomes.push({ provider, error: { message: String(error?.message ?? error), stack: error?.stack } });",
    "    }",
    "  }",
    "  return outcomes;",
    "}",
    "",
  ].join("\n");
}

const WORKER_ENTRY = `import { runAll } from "./edge-runner.mjs";
export default {
  async fetch(request) {
    return Response.json(await runAll(await request.json()));
  },
};
`;

const EDGE_FUNCTION_ENTRY = `import { runAll } from "./edge-runner.mjs";
addEventListener("fetch", (event) => {
  event.respondWith(event.request.json().then(runAll).then((outcomes) => Response.json(outcomes)));
});
`;

/** Bundles the project's smokes for one platform; the bundle's text. Fails with esbuild's messages. */
async function bundle(projectDir: string, slugs: string[], target: "workerd" | "edge-light"): Promise<string> {
  const entry = target === "workerd" ? WORKER_ENTRY : EDGE_FUNCTION_ENTRY;
  try {
    const result = await build({
      absWorkingDir: projectDir,
      stdin: { contents: entry, resolveDir: projectDir, sourcefile: `${target}-entry.mjs` },
      plugins: [runnerPlugin(projectDir, slugs)],
      bundle: true,
      write: false,
      // A Worker is an ES module; an edge function (as edge-runtime runs it) is a classic script.
      format: target === "workerd" ? "esm" : "iife",
      platform: "browser",
      conditions: [target, "worker", "browser"],
      target: "es2022",
      logLevel: "silent",
    });
    return result.outputFiles[0]!.text;
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors;
    const detail = errors?.map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ""}${e.text}`).join("\n") ?? (error as Error).message;
    throw new Error(`bundling the smokes for ${target} failed:\n${detail}`);
  }
}

/** The runner module is made here, not written to the project: the bundle is its only user. */
function runnerPlugin(projectDir: string, slugs: string[]): Plugin {
  return {
    name: "smoke-runner",
    setup(b) {
      b.onResolve({ filter: /^\.\/edge-runner\.mjs$/ }, () => ({ path: "edge-runner.mjs", namespace: "smoke-runner" }));
      b.onLoad({ filter: /.*/, namespace: "smoke-runner" }, () => ({ contents: runnerModule(slugs), resolveDir: projectDir, loader: "js" }));
    },
  };
}

type OutcomeLine = { provider: string; result?: unknown; error?: { message: string; stack?: string } };

function outcomesOf(list: unknown): Map<string, Outcome> {
  if (!Array.isArray(list)) throw new Error(`expected a list of outcomes, got ${JSON.stringify(list)?.slice(0, 200)}`);
  return new Map((list as OutcomeLine[]).map((o) => [o.provider, o.error ? { error: o.error } : { result: o.result }]));
}

export interface EdgeRunOptions {
  /** The scratch project: smoke modules at its root, packages in its node_modules. */
  projectDir: string;
  /** Where the edge tools are installed (workerd, edge-runtime). */
  toolsDir: string;
  /** A directory of this runtime's own for bundles and configuration. */
  workDir: string;
  urls: SmokeUrls;
  timeoutMs: number;
}

/** workerd's version line, e.g. "workerd 2026-11-17". */
export async function workerdVersion(toolsDir: string): Promise<string> {
  const answer = await runCommand(workerdBin(toolsDir), ["--version"], { cwd: toolsDir, timeoutMs: 60_000 });
  const version = /workerd \S+/.exec(answer.stdout + answer.stderr)?.[0];
  if (answer.code !== 0 || !version) throw new Error(`workerd --version failed (exit ${answer.code}): ${tail(answer.stdout + answer.stderr)}`);
  return version;
}

const workerdBin = (toolsDir: string) => join(toolsDir, "node_modules", ".bin", "workerd");

/**
 * Runs every smoke inside one request to a Worker served by workerd. The Worker may reach loopback
 * (Prism and the hanging server) and nothing else; its compatibility date is workerd's own build
 * date, the newest it accepts.
 */
export async function runInWorkerd(options: EdgeRunOptions, compatibilityDate: string): Promise<Map<string, Outcome>> {
  const code = await bundle(options.projectDir, Object.keys(options.urls), "workerd");
  writeFileSync(join(options.workDir, "worker.mjs"), code);
  writeFileSync(
    join(options.workDir, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "smokes", worker = .smokes),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "smokes") ],
);
const smokes :Workerd.Worker = (
  modules = [ (name = "worker.mjs", esModule = embed "worker.mjs") ],
  compatibilityDate = "${compatibilityDate}",
  globalOutbound = "loopback",
);
`,
  );
  const port = await freePort();
  const workerd = startGroup(workerdBin(options.toolsDir), ["serve", "config.capnp", `--socket-addr=http=127.0.0.1:${port}`], { cwd: options.workDir });
  let output = "";
  workerd.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  workerd.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) => workerd.once("exit", (code, signal) => reject(new Error(`workerd exited (${signal ?? `code ${code}`})`))));
  exited.catch(() => {});
  try {
    await Promise.race([listening(port, options.timeoutMs), exited]);
    const request = () => Promise.race([postUrls(`http://127.0.0.1:${port}/`, options.urls, options.timeoutMs), exited]);
    return sameTwice(await request(), await request());
  } catch (error) {
    throw new Error(`${(error as Error).message}; workerd's output:\n${tail(output) || "(none)"}`);
  } finally {
    await stopGroup(workerd);
  }
}

/** edge-runtime's package version, e.g. "edge-runtime 4.0.1". */
export async function edgeRuntimeVersion(toolsDir: string): Promise<string> {
  const manifest = JSON.parse(readFileSync(join(toolsDir, "node_modules", "edge-runtime", "package.json"), "utf8")) as { version: string };
  return `edge-runtime ${manifest.version}`;
}

// Runs in a Node process of its own, so a runtime that never settles is killed with its group.
const EDGE_HOST = `import { readFileSync } from "node:fs";
import { EdgeRuntime } from "edge-runtime";
const runtime = new EdgeRuntime({ initialCode: readFileSync(process.argv[2], "utf8") });
for (let i = 0; i < 2; i++) {
  const response = await runtime.dispatchFetch("http://edge.local/smokes", { method: "POST", body: process.env.SATBIND_EDGE_URLS });
  console.log(JSON.stringify(await response.json()));
}
`;

/** Runs every smoke inside one request to an edge function in Vercel's Edge Runtime. */
export async function runInEdgeRuntime(options: EdgeRunOptions): Promise<Map<string, Outcome>> {
  const code = await bundle(options.projectDir, Object.keys(options.urls), "edge-light");
  const functionFile = join(options.workDir, "edge-function.js");
  const hostFile = join(options.toolsDir, "edge-host.mjs");
  writeFileSync(functionFile, code);
  writeFileSync(hostFile, EDGE_HOST);
  const finished = await runCommand(process.execPath, [hostFile, functionFile], {
    cwd: options.toolsDir,
    env: { ...process.env, SATBIND_EDGE_URLS: JSON.stringify(options.urls) },
    timeoutMs: options.timeoutMs,
  });
  const answers = finished.stdout.split("\n").filter((line) => line.startsWith("["));
  if (finished.code !== 0 || answers.length !== 2) {
    const how = finished.timedOut ? `timed out after ${options.timeoutMs / 1000} s` : `exited with code ${finished.code}`;
    throw new Error(`the edge-runtime host ${how}:\n${tail(finished.stdout + finished.stderr)}`);
  }
  return sameTwice(outcomesOf(JSON.parse(answers[0]!)), outcomesOf(JSON.parse(answers[1]!)));
}

/** The first request's outcomes, where the second came to the same; else the difference, as an error. */
function sameTwice(first: Map<string, Outcome>, second: Map<string, Outcome>): Map<string, Outcome> {
  const outcomes = new Map<string, Outcome>();
  for (const [provider, outcome] of first) {
    const again = second.get(provider);
    outcomes.set(
      provider,
      "result" in outcome && !isDeepStrictEqual(outcome, again)
        ? { error: { message: `a second request came to ${JSON.stringify(again)}, the first to ${JSON.stringify(outcome.result)}` } }
        : outcome,
    );
  }
  return outcomes;
}

async function postUrls(url: string, urls: SmokeUrls, timeoutMs: number): Promise<Map<string, Outcome>> {
  const response = await fetch(url, { method: "POST", body: JSON.stringify(urls), signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  if (!response.ok) throw new Error(`the Worker answered HTTP ${response.status}: ${tail(text)}`);
  return outcomesOf(JSON.parse(text));
}

/** Resolves once something accepts connections on the port. */
async function listening(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeoutMs / 1000} s`);
}
