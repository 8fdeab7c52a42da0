// Per-call overhead of each provider client against a raw fetch of the same URL with the same
// headers, both against a loopback server in another process that answers a small fixed JSON body.
// Clients come from the built packages (packages/<slug>/dist), created as a user would. In the same
// interleaved runs: the same clients built from the previous release (before.ts), and as references
// bare openapi-fetch (whose contract satbind keeps) and a raw fetch with a timeout signal.
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { repoRoot, UTEXO_KEYS } from "../published.js";
import { prepareBefore, type BeforeBuild } from "./before.js";
import { NONE, median, meets, ratio, startChild, stopChild, type Row } from "./common.js";

/** The latency target: a client call may cost at most this much more than a raw fetch. */
export const LATENCY_TARGET = 1.1;
/** The throughput target: at concurrency 16, at least this share of a raw fetch's calls per second. */
export const THROUGHPUT_TARGET = 0.85;

const WARMUP_CALLS = 500;
const RUNS = 5;
const CALLS_PER_RUN = 1_000;
const CONCURRENCY = 16;
const THROUGHPUT_CALLS = 2_000;
const THROUGHPUT_ROUNDS = 3;

// The credentials each package's test/subject.ts configures (UTEXO's published test wallet: public
// keys, as in scripts/quality/src/published.ts), so every call carries its credentials as users send them.
const UMA_TOKEN = "eyJhbGciOiJFUzI1NiJ9.uma-reliability-connection-token.c2lnbmF0dXJl";
const LEXE_CREDENTIALS = "eyJsZXhlX2F1dGhfdG9rZW4iOiJyZWxpYWJpbGl0eS1zdWl0ZS1jcmVkZW50aWFscyJ9";
const DEEZY_TOKEN = "dzy_reliability_api_token_5f1c0e9a";

interface Target {
  /** How the table names it, e.g. "utexo v2". */
  name: string;
  slug: string;
  factory: string;
  options: (baseUrl: string) => Record<string, unknown>;
  path: string;
}

const TARGETS: Target[] = [
  { name: "uma-auth", slug: "uma-auth", factory: "createUmaAuthClient", options: (baseUrl) => ({ baseUrl, token: UMA_TOKEN }), path: "/info" },
  { name: "lexe", slug: "lexe", factory: "createLexeClient", options: (baseUrl) => ({ baseUrl, clientCredentials: LEXE_CREDENTIALS }), path: "/v2/node/node_info" },
  { name: "deezy", slug: "deezy", factory: "createDeezyClient", options: (baseUrl) => ({ baseUrl, apiToken: DEEZY_TOKEN }), path: "/v1/swap/info" },
  { name: "utexo v2", slug: "utexo", factory: "createUtexoClient", options: (baseUrl) => ({ version: "v2", baseUrl, keys: UTEXO_KEYS }), path: "/lightning/balance" },
];

interface BenchClient {
  GET(path: string, init?: Record<string, unknown>): Promise<{ data?: unknown; error?: unknown; response: Response }>;
}

export interface OverheadResult {
  provider: string;
  operation: string;
  /** The headers the client sends beyond a bare fetch's (names only; the raw fetch sends the same values). */
  clientHeaders: string[];
  latency: {
    runs: number;
    callsPerRun: number;
    warmupCalls: number;
    /** Per-run medians, in microseconds. */
    rawRunMediansUs: number[];
    openapiFetchRunMediansUs: number[];
    clientRunMediansUs: number[];
    rawMedianUs: number;
    openapiFetchMedianUs: number;
    clientMedianUs: number;
    /** clientMedianUs / rawMedianUs. */
    ratioOfMedians: number;
    /** The median over runs of (client run median / raw run median). */
    medianRunRatio: number;
    /** Reference: a raw fetch with an AbortSignal and a timer, what a timeout costs by itself. */
    timedRawMedianUs: number;
    timedRawRatioOfMedians: number;
    /** Reference: bare openapi-fetch, whose contract satbind keeps. */
    openapiFetchRatioOfMedians: number;
    /** clientMedianUs / openapiFetchMedianUs: what satbind adds on top of openapi-fetch. */
    clientOverOpenapiFetch: number;
    /** The same client built from the previous release (see before.ts), when there is one. */
    before?: { commit: string; runMediansUs: number[]; medianUs: number; ratioOfMedians: number; medianRunRatio: number };
  };
  throughput: {
    concurrency: number;
    callsPerRound: number;
    rounds: number;
    rawCallsPerSecond: number;
    clientCallsPerSecond: number;
    /** client / raw: below 1 means the client completes fewer calls per second. */
    ratio: number;
    before?: { commit: string; callsPerSecond: number; ratio: number };
  };
}

export async function measureOverhead(log: (line: string) => void): Promise<{ result: { targets: OverheadResult[] }; rows: Row[] }> {
  const createOpenapiFetchClient = await loadOpenapiFetch();
  const before = await prepareBefore(log);
  const server = await startBenchServer();
  try {
    const results: OverheadResult[] = [];
    for (const target of TARGETS) {
      log(`overhead: ${target.name} GET ${target.path}`);
      results.push(await measureTarget(target, server, createOpenapiFetchClient, before));
    }
    return { result: { targets: results }, rows: results.flatMap(rowsOf) };
  } finally {
    await server.stop();
  }
}

function rowsOf(result: OverheadResult): Row[] {
  const { latency, throughput } = result;
  const us = (value: number) => `${value.toFixed(1)} µs`;
  const perSecond = (value: number) => `${Math.round(value)} calls/s`;
  const target = `<= ${ratio(LATENCY_TARGET)}`;
  const name = `${result.provider} ${result.operation}`;
  const was = latency.before && throughput.before;
  return [
    ...(latency.before && was
      ? [
          {
            measure: `${name}: BEFORE (${latency.before.commit}) latency, median of ${latency.runs}x${latency.callsPerRun} calls`,
            satbind: us(latency.before.medianUs),
            baseline: `${us(latency.rawMedianUs)} raw fetch`,
            ratio: ratio(latency.before.ratioOfMedians),
            target,
            met: meets(latency.before.ratioOfMedians, LATENCY_TARGET),
          },
          {
            measure: `${name}: BEFORE (${latency.before.commit}) throughput, ${throughput.callsPerRound} calls at concurrency ${throughput.concurrency}`,
            satbind: perSecond(throughput.before!.callsPerSecond),
            baseline: `${perSecond(throughput.rawCallsPerSecond)} raw fetch`,
            ratio: ratio(throughput.before!.ratio),
            target: `>= ${ratio(THROUGHPUT_TARGET)}`,
            met: throughput.before!.ratio >= THROUGHPUT_TARGET ? "yes" : "no",
          },
        ]
      : []),
    {
      measure: `${name}: latency, median of ${latency.runs}x${latency.callsPerRun} calls`,
      satbind: us(latency.clientMedianUs),
      baseline: `${us(latency.rawMedianUs)} raw fetch`,
      ratio: ratio(latency.ratioOfMedians),
      target,
      met: meets(latency.ratioOfMedians, LATENCY_TARGET),
    },
    { measure: `${name}: latency, median of per-run ratios`, satbind: NONE, baseline: NONE, ratio: ratio(latency.medianRunRatio), target, met: meets(latency.medianRunRatio, LATENCY_TARGET) },
    {
      measure: `${name}: latency, against bare openapi-fetch (reference)`,
      satbind: us(latency.clientMedianUs),
      baseline: `${us(latency.openapiFetchMedianUs)} openapi-fetch`,
      ratio: ratio(latency.clientOverOpenapiFetch),
      target: NONE,
      met: NONE,
    },
    {
      measure: `${name}: latency of a raw fetch with a timeout signal (reference: a timeout's own cost)`,
      satbind: NONE,
      baseline: `${us(latency.timedRawMedianUs)} timed raw fetch`,
      ratio: ratio(latency.timedRawRatioOfMedians),
      target: NONE,
      met: NONE,
    },
    {
      measure: `${name}: throughput, ${throughput.callsPerRound} calls at concurrency ${throughput.concurrency}`,
      satbind: perSecond(throughput.clientCallsPerSecond),
      baseline: `${perSecond(throughput.rawCallsPerSecond)} raw fetch`,
      ratio: ratio(throughput.ratio),
      target: `>= ${ratio(THROUGHPUT_TARGET)}`,
      met: throughput.ratio >= THROUGHPUT_TARGET ? "yes" : "no",
    },
  ];
}

type OpenapiFetchFactory = (options: { baseUrl: string; headers: Record<string, string> }) => BenchClient;

/** openapi-fetch as the packages use it (their own dependency), for the reference figure. */
async function loadOpenapiFetch(): Promise<OpenapiFetchFactory> {
  const runtimeRequire = createRequire(join(repoRoot, "packages/runtime/package.json"));
  const module = (await import(pathToFileURL(runtimeRequire.resolve("openapi-fetch")).href)) as { default: unknown };
  // The CommonJS build, imported from ESM, nests its default export one level deeper.
  const factory = typeof module.default === "function" ? module.default : (module.default as { default?: unknown } | undefined)?.default;
  if (typeof factory !== "function") throw new Error("could not load openapi-fetch from packages/runtime/node_modules");
  return factory as OpenapiFetchFactory;
}

async function measureTarget(target: Target, server: BenchServer, createOpenapiFetchClient: OpenapiFetchFactory, before: BeforeBuild | undefined): Promise<OverheadResult> {
  const client = await createClient(target, server.url);
  const beforeClient = before && (await createClient(target, server.url, before.root));
  const url = server.url + target.path;
  const clientCall = async () => {
    const result = await client.GET(target.path);
    if (!result.response.ok || result.data === undefined) throw new Error(`${target.name} GET ${target.path} answered ${result.response.status} without data`);
  };

  // The raw fetch sends exactly what the client sends: the headers a bare fetch lacks, seen by the server.
  await clientCall();
  const sentByClient = await server.lastRequest();
  await (await fetch(url)).json();
  const sentByBareFetch = await server.lastRequest();
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(sentByClient.headers)) {
    if (sentByBareFetch.headers[name] !== value) headers[name] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  const rawCall = async () => {
    const response = await fetch(url, { method: "GET", headers });
    if (!response.ok) throw new Error(`raw fetch of ${url} answered ${response.status}`);
    await response.json();
  };
  const openapiFetch = createOpenapiFetchClient({ baseUrl: server.url, headers });
  const openapiFetchCall = async () => {
    const result = await openapiFetch.GET(target.path);
    if (!result.response.ok || result.data === undefined) throw new Error(`openapi-fetch GET ${url} answered ${result.response.status} without data`);
  };
  // The floor for any client that guarantees a timeout: a raw fetch given an AbortSignal and a timer.
  const timedRawCall = async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 60_000);
    try {
      const response = await fetch(url, { method: "GET", headers, signal: controller.signal });
      if (!response.ok) throw new Error(`raw fetch of ${url} answered ${response.status}`);
      await response.json();
    } finally {
      clearTimeout(timer);
    }
  };
  for (const [what, call] of [["raw fetch", rawCall], ["bare openapi-fetch", openapiFetchCall]] as const) {
    await call();
    const sent = await server.lastRequest();
    if (!sameRequest(sent, sentByClient)) {
      throw new Error(`${target.name}: the ${what} does not send what the client sends\n  client: ${JSON.stringify(sentByClient)}\n  ${what}: ${JSON.stringify(sent)}`);
    }
  }

  const beforeCall = beforeClient && (async () => {
    const result = await beforeClient.GET(target.path);
    if (!result.response.ok || result.data === undefined) throw new Error(`${target.name} (before) GET ${target.path} answered ${result.response.status} without data`);
  });
  if (beforeCall) {
    await beforeCall();
    if (!sameRequest(await server.lastRequest(), sentByClient)) throw new Error(`${target.name}: the client built from ${before!.commit} does not send what this one sends`);
  }
  const variants = [rawCall, openapiFetchCall, clientCall, timedRawCall, ...(beforeCall ? [beforeCall] : [])];
  for (const call of variants) await repeat(call, WARMUP_CALLS);
  // Interleaved, and the order rotates each run, so drift (CPU frequency, GC, other load) hits all alike.
  const runMedians: number[][] = variants.map(() => []);
  for (let run = 0; run < RUNS; run++) {
    for (let k = 0; k < variants.length; k++) {
      const index = (k + run) % variants.length;
      runMedians[index]!.push(await sequentialMedianUs(variants[index]!, CALLS_PER_RUN));
    }
  }
  const [rawRunMediansUs, openapiFetchRunMediansUs, clientRunMediansUs, timedRawRunMediansUs, beforeRunMediansUs] = runMedians as [number[], number[], number[], number[], number[]];
  const rawMedianUs = median(rawRunMediansUs);
  const openapiFetchMedianUs = median(openapiFetchRunMediansUs);
  const clientMedianUs = median(clientRunMediansUs);

  // Rounds rotate the order too.
  const rated = [rawCall, clientCall, ...(beforeCall ? [beforeCall] : [])];
  const rates: number[][] = rated.map(() => []);
  for (const call of rated) await callsPerSecond(call, CONCURRENCY * 20);
  for (let round = 0; round < THROUGHPUT_ROUNDS; round++) {
    for (let k = 0; k < rated.length; k++) {
      const index = (k + round) % rated.length;
      rates[index]!.push(await callsPerSecond(rated[index]!, THROUGHPUT_CALLS));
    }
  }
  const [rawCallsPerSecond, clientCallsPerSecond, beforeCallsPerSecond] = rates.map(median) as [number, number, number | undefined];

  return {
    provider: target.name,
    operation: `GET ${target.path}`,
    clientHeaders: Object.keys(headers).sort(),
    latency: {
      runs: RUNS,
      callsPerRun: CALLS_PER_RUN,
      warmupCalls: WARMUP_CALLS,
      rawRunMediansUs: rawRunMediansUs.map(round1),
      openapiFetchRunMediansUs: openapiFetchRunMediansUs.map(round1),
      clientRunMediansUs: clientRunMediansUs.map(round1),
      rawMedianUs: round1(rawMedianUs),
      openapiFetchMedianUs: round1(openapiFetchMedianUs),
      clientMedianUs: round1(clientMedianUs),
      ratioOfMedians: round3(clientMedianUs / rawMedianUs),
      medianRunRatio: round3(median(clientRunMediansUs.map((client, i) => client / rawRunMediansUs[i]!))),
      openapiFetchRatioOfMedians: round3(openapiFetchMedianUs / rawMedianUs),
      timedRawMedianUs: round1(median(timedRawRunMediansUs)),
      timedRawRatioOfMedians: round3(median(timedRawRunMediansUs) / rawMedianUs),
      clientOverOpenapiFetch: round3(clientMedianUs / openapiFetchMedianUs),
      ...(before &&
        beforeRunMediansUs && {
          before: {
            commit: before.commit,
            runMediansUs: beforeRunMediansUs.map(round1),
            medianUs: round1(median(beforeRunMediansUs)),
            ratioOfMedians: round3(median(beforeRunMediansUs) / rawMedianUs),
            medianRunRatio: round3(median(beforeRunMediansUs.map((b, i) => b / rawRunMediansUs[i]!))),
          },
        }),
    },
    throughput: {
      concurrency: CONCURRENCY,
      callsPerRound: THROUGHPUT_CALLS,
      rounds: THROUGHPUT_ROUNDS,
      rawCallsPerSecond: Math.round(rawCallsPerSecond),
      clientCallsPerSecond: Math.round(clientCallsPerSecond),
      ratio: round3(clientCallsPerSecond / rawCallsPerSecond),
      ...(before &&
        beforeCallsPerSecond !== undefined && {
          before: { commit: before.commit, callsPerSecond: Math.round(beforeCallsPerSecond), ratio: round3(beforeCallsPerSecond / rawCallsPerSecond) },
        }),
    },
  };
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const round3 = (value: number) => Math.round(value * 1000) / 1000;

async function createClient(target: Target, baseUrl: string, root = repoRoot): Promise<BenchClient> {
  const entry = join(root, "packages", target.slug, "dist", "index.js");
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run pnpm build first`);
  const module = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  const factory = module[target.factory];
  if (typeof factory !== "function") throw new Error(`${entry} does not export ${target.factory}`);
  return (factory as (options: Record<string, unknown>) => BenchClient)(target.options(baseUrl));
}

async function repeat(call: () => Promise<void>, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await call();
}

/** `calls` calls one after another; the median call's latency in microseconds. */
async function sequentialMedianUs(call: () => Promise<void>, calls: number): Promise<number> {
  const latencies = new Array<number>(calls);
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await call();
    latencies[i] = (performance.now() - started) * 1000;
  }
  return median(latencies);
}

/** `total` calls, CONCURRENCY at a time; completed calls per second. */
async function callsPerSecond(call: () => Promise<void>, total: number): Promise<number> {
  let started = 0;
  const begin = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (started < total) {
        started++;
        await call();
      }
    }),
  );
  return total / ((performance.now() - begin) / 1000);
}

interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

function sameRequest(a: SeenRequest, b: SeenRequest): boolean {
  const sorted = (r: SeenRequest) => JSON.stringify([r.method, r.url, Object.entries(r.headers).sort(([x], [y]) => x.localeCompare(y))]);
  return sorted(a) === sorted(b);
}

interface BenchServer {
  url: string;
  lastRequest(): Promise<SeenRequest>;
  stop(): Promise<void>;
}

export async function startBenchServer(): Promise<BenchServer> {
  const script = fileURLToPath(new URL("./server-main.ts", import.meta.url));
  // cwd is the repository root, where `--import tsx` resolves.
  const child = startChild(process.execPath, ["--import", "tsx", script], { cwd: repoRoot });
  try {
    const port = await waitForPort(child);
    const url = `http://127.0.0.1:${port}`;
    return {
      url,
      async lastRequest() {
        const seen = (await (await fetch(`${url}/__bench/last`)).json()) as SeenRequest | null;
        if (!seen) throw new Error("the bench server has seen no request yet");
        return seen;
      },
      stop: () => stopChild(child),
    };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => done(new Error(`the bench server printed no "listening" line within 15 s:\n${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match) done(undefined, Number(match[1]));
    };
    const onExit = (code: number | null) => done(new Error(`the bench server exited with code ${code}:\n${output}`));
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", onExit);
    function done(error: Error | undefined, port?: number) {
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      child.stderr!.off("data", onData);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve(port!);
    }
  });
}
