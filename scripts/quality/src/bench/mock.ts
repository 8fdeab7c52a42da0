// What a @satbind/testing mock costs, on Lexe's spec: how long until it is ready and how long
// close() takes, and what it adds to each request over bare Prism (the Prism CLI's own server).
// Measured beside the other design we considered: Prism as a child process (the CLI) behind a
// front server of ours that relays each request (faults and the journal would live in the front).
// The targets: ready in under 1.5 s, under 0.5 ms added per request.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildProcess } from "node:child_process";
import { freePort } from "@satbind/test-support/process";
import { repoRoot } from "../published.js";
import { NONE, median, meets, runCommand, seconds, startChild, stopChild, type Row } from "./common.js";

const READY_TARGET_MS = 1_500;
const ADDED_TARGET_US = 500;
const READY_RUNS = 5;
const RUNS = 5;
const CALLS_PER_RUN = 300;
const WARMUP_CALLS = 200;

const SPEC = join(repoRoot, "specs/lexe/openapi.yaml");
const MAIN = fileURLToPath(new URL("./mock-main.ts", import.meta.url));

interface Request {
  name: string;
  path: string;
  init: RequestInit;
}

const REQUESTS: Request[] = [
  { name: "GET /v2/node/node_info", path: "/v2/node/node_info", init: {} },
  {
    name: "POST /v2/node/create_invoice (body validated)",
    path: "/v2/node/create_invoice",
    init: { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ expiration_secs: 3600, amount: "1000", description: "bench" }) },
  },
];

export interface MockResult {
  spec: string;
  ready: { kitColdMs: number[]; kitWarmMs: number[]; closeMs: number[]; prismChildMs: number[] };
  requests: { name: string; prismUs: number[]; kitUs: number[]; frontUs: number[]; prismMedianUs: number; kitMedianUs: number; frontMedianUs: number }[];
}

export async function measureMock(log: (line: string) => void): Promise<{ result: MockResult; rows: Row[] }> {
  const ready: MockResult["ready"] = { kitColdMs: [], kitWarmMs: [], closeMs: [], prismChildMs: [] };
  for (let run = 0; run < READY_RUNS; run++) {
    log(`mock: ready and close, run ${run + 1} of ${READY_RUNS}`);
    const out = await runCommand(process.execPath, ["--import", "tsx", MAIN, "ready", SPEC], { cwd: repoRoot, timeoutMs: 120_000 });
    const line = out.stdout.split("\n").find((l) => l.startsWith("MOCK-READY "));
    if (!line) throw new Error(`mock-main printed no MOCK-READY line:\n${out.stdout}${out.stderr}`);
    const figures = JSON.parse(line.slice("MOCK-READY ".length)) as { coldMs: number; warmMs: number; closeMs: number };
    ready.kitColdMs.push(figures.coldMs);
    ready.kitWarmMs.push(figures.warmMs);
    ready.closeMs.push(figures.closeMs);
    const prism = await startPrismCli();
    ready.prismChildMs.push(prism.readyMs);
    await stopChild(prism.child);
  }

  log("mock: per-request cost against bare Prism and against Prism behind a front server");
  const prism = await startPrismCli();
  const kit = await startMain(["serve", SPEC]);
  const front = await startMain(["proxy", prism.url]);
  try {
    const requests: MockResult["requests"] = [];
    for (const request of REQUESTS) {
      const servers = [prism.url, kit.url, front.url];
      const calls = servers.map((base) => async () => {
        const response = await fetch(base + request.path, request.init);
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${base}${request.path} answered ${response.status}`);
      });
      for (const call of calls) for (let i = 0; i < WARMUP_CALLS; i++) await call();
      // Interleaved, the order rotating each run, so drift hits all three alike.
      const medians: number[][] = [[], [], []];
      for (let run = 0; run < RUNS; run++) {
        for (let k = 0; k < calls.length; k++) {
          const index = (k + run) % calls.length;
          medians[index]!.push(await sequentialMedianUs(calls[index]!, CALLS_PER_RUN));
        }
      }
      const [prismUs, kitUs, frontUs] = medians as [number[], number[], number[]];
      requests.push({ name: request.name, prismUs, kitUs, frontUs, prismMedianUs: median(prismUs), kitMedianUs: median(kitUs), frontMedianUs: median(frontUs) });
    }
    const result: MockResult = { spec: "specs/lexe/openapi.yaml", ready, requests };
    return { result, rows: rowsOf(result) };
  } finally {
    await Promise.all([stopChild(prism.child), stopChild(kit.child), stopChild(front.child)]);
  }
}

function rowsOf(result: MockResult): Row[] {
  const ms = (value: number) => `${Math.round(value)} ms`;
  const us = (value: number) => `${Math.round(value)} µs`;
  const { ready } = result;
  const cold = median(ready.kitColdMs);
  const child = median(ready.prismChildMs);
  const rows: Row[] = [
    { measure: "mock ready: createMock in a fresh process (Prism loads in-process)", satbind: ms(cold), baseline: `${ms(child)} Prism CLI child`, ratio: NONE, target: `< ${seconds(READY_TARGET_MS)}`, met: meets(cold, READY_TARGET_MS) },
    { measure: "mock ready: another createMock in the same process", satbind: ms(median(ready.kitWarmMs)), baseline: NONE, ratio: NONE, target: NONE, met: NONE },
    { measure: "mock close()", satbind: `${median(ready.closeMs).toFixed(2)} ms`, baseline: NONE, ratio: NONE, target: NONE, met: NONE },
  ];
  for (const request of result.requests) {
    const added = request.kitMedianUs - request.prismMedianUs;
    const frontAdded = request.frontMedianUs - request.prismMedianUs;
    rows.push({
      measure: `mock per request, ${request.name}: added over bare Prism`,
      satbind: `${us(request.kitMedianUs)} (${added >= 0 ? "+" : ""}${us(added)})`,
      baseline: `${us(request.prismMedianUs)} bare Prism`,
      ratio: NONE,
      target: `< +${us(ADDED_TARGET_US)}`,
      met: meets(added, ADDED_TARGET_US),
    });
    rows.push({
      measure: `  the alternative, Prism child behind a front server`,
      satbind: `${us(request.frontMedianUs)} (${frontAdded >= 0 ? "+" : ""}${us(frontAdded)})`,
      baseline: `${us(request.prismMedianUs)} bare Prism`,
      ratio: NONE,
      target: `< +${us(ADDED_TARGET_US)}`,
      met: meets(frontAdded, ADDED_TARGET_US),
    });
  }
  return rows;
}

async function sequentialMedianUs(call: () => Promise<void>, calls: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await call();
    times.push((performance.now() - start) * 1000);
  }
  return median(times);
}

/** The Prism CLI (`prism mock --errors`), as our contract tests ran it before the kit: the reference. */
async function startPrismCli(): Promise<{ child: ChildProcess; url: string; readyMs: number }> {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("@stoplight/prism-cli/package.json");
  const bin = join(dirname(manifest), (require(manifest) as { bin: { prism: string } }).bin.prism);
  const port = await freePort();
  const started = performance.now();
  const child = startChild(process.execPath, [bin, "mock", "--errors", "--host", "127.0.0.1", "--port", String(port), SPEC], { cwd: repoRoot, env: { ...process.env, SCARF_ANALYTICS: "false" } });
  await waitForLine(child, /Prism is listening/, "the Prism CLI");
  return { child, url: `http://127.0.0.1:${port}`, readyMs: performance.now() - started };
}

async function startMain(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = startChild(process.execPath, ["--import", "tsx", MAIN, ...args], { cwd: repoRoot });
  const match = await waitForLine(child, /listening (\d+)/, `mock-main ${args[0]}`);
  return { child, url: `http://127.0.0.1:${match[1]}` };
}

function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => done(new Error(`${what} printed no ${pattern} within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) done(undefined, match);
    };
    const onExit = (code: number | null) => done(new Error(`${what} exited with code ${code}:\n${output}`));
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", onExit);
    function done(error: Error | undefined, match?: RegExpExecArray) {
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      child.stderr!.off("data", onData);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve(match!);
    }
  });
}
