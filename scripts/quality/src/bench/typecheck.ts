// What a consumer pays in type-checking: one file that calls every operation of the four
// hand-written providers' clients, and the same calls against bare openapi-fetch with each
// package's generated `paths` types; the same pair again for BTCPay's 195 operations (the scale
// test); then the same two files narrowing every result (satbind on `ok` and a documented error
// `status`, with errorOf for the rest; openapi-fetch on `error`, the most it can narrow on). All
// compile in a scratch project that installs the packed tarballs with npm, as a user would; each
// is checked with tsc --extendedDiagnostics a few times.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { documentedResponses, exampleRequests } from "@satbind/test-support/contract";
import { packAll, repoRoot } from "../published.js";
import { NONE, median, meets, ratio, runCommand, scratchDir, seconds, type Row } from "./common.js";

/** Instantiations and check time: at most this much more than bare openapi-fetch. */
export const TYPECHECK_TARGET = 1.25;
const REPEATS = 3;
const BASE_URL = "http://127.0.0.1:9";

interface ClientUnderTest {
  /** The variable the calls are made on. */
  variable: string;
  specFile: string;
  /** How the satbind file creates it. */
  satbind: string;
  /** How the bare openapi-fetch file creates it. */
  bare: string;
}

/** A set of clients measured together: one file for satbind, one for bare openapi-fetch. */
interface Group {
  /** Row label and the prefix of its files. */
  name: string;
  clients: ClientUnderTest[];
  satbindHeader: string;
  bareHeader: string;
}

const FOUR_PROVIDERS: ClientUnderTest[] = [
  { variable: "umaAuth", specFile: "uma-auth/openapi.yaml", satbind: `createUmaAuthClient({ baseUrl: BASE_URL, token: "bench-token" })`, bare: "createClient<UmaAuthPaths>({ baseUrl: BASE_URL })" },
  { variable: "lexe", specFile: "lexe/openapi.yaml", satbind: "createLexeClient({ baseUrl: BASE_URL })", bare: "createClient<LexePaths>({ baseUrl: BASE_URL })" },
  { variable: "deezy", specFile: "deezy/openapi.yaml", satbind: `createDeezyClient({ baseUrl: BASE_URL, apiToken: "bench-token" })`, bare: "createClient<DeezyPaths>({ baseUrl: BASE_URL })" },
  { variable: "utexoV1", specFile: "utexo/v1.yaml", satbind: `createUtexoClient({ version: "v1", baseUrl: BASE_URL, keys })`, bare: "createClient<V1.paths>({ baseUrl: BASE_URL })" },
  { variable: "utexoV2", specFile: "utexo/v2.yaml", satbind: `createUtexoClient({ version: "v2", baseUrl: BASE_URL, keys })`, bare: "createClient<V2.paths>({ baseUrl: BASE_URL })" },
];

const FOUR_PROVIDERS_HEADER = `import { createUmaAuthClient, errorOf } from "@satbind/uma-auth";
import { createLexeClient } from "@satbind/lexe";
import { createDeezyClient } from "@satbind/deezy";
import { createUtexoClient } from "@satbind/utexo";

const keys = { xpubVan: "tpubBench", xpubCol: "tpubBench", masterFingerprint: "1f5bd7df" };
`;

const FOUR_PROVIDERS_BARE_HEADER = `import createClient from "openapi-fetch";
import type { paths as UmaAuthPaths } from "@satbind/uma-auth";
import type { paths as LexePaths } from "@satbind/lexe";
import type { paths as DeezyPaths } from "@satbind/deezy";
import type { V1, V2 } from "@satbind/utexo";
`;

/** The hand-written providers together, and BTCPay on its own: the scale test (issue 23), twice their size. */
const GROUPS: Group[] = [
  { name: "four providers", clients: FOUR_PROVIDERS, satbindHeader: FOUR_PROVIDERS_HEADER, bareHeader: FOUR_PROVIDERS_BARE_HEADER },
  {
    name: "btcpay",
    clients: [{ variable: "btcpay", specFile: "btcpay/openapi.yaml", satbind: `createBtcpayClient({ serverUrl: BASE_URL, apiKey: "bench-key" })`, bare: "createClient<BtcpayPaths>({ baseUrl: BASE_URL })" }],
    satbindHeader: `import { createBtcpayClient, errorOf } from "@satbind/btcpay";\n`,
    bareHeader: `import createClient from "openapi-fetch";\nimport type { paths as BtcpayPaths } from "@satbind/btcpay";\n`,
  },
];

export interface TscFigures {
  wallMs: number;
  /** User + system CPU time of the tsc process: steadier than wall times on a busy machine. */
  cpuTimeS: number;
  instantiations: number;
  types: number;
  checkTimeS: number;
  memoryUsedKB: number;
}

/** One pair of files: satbind and bare openapi-fetch, each checked REPEATS times. */
export interface TypecheckPair {
  satbind: { runs: TscFigures[]; median: TscFigures };
  bare: { runs: TscFigures[]; median: TscFigures };
  ratios: { wall: number; cpuTime: number; instantiations: number; types: number; checkTime: number; memoryUsed: number };
}

export interface GroupResult extends TypecheckPair {
  /** Calls per file, by client. */
  operations: Record<string, number>;
  /** The same calls, each result narrowed (<group>-satbind-narrowed.ts and <group>-bare-narrowed.ts). */
  narrowing: TypecheckPair;
}

export interface TypecheckResult extends GroupResult {
  typescript: string;
  openapiFetch: string;
  command: string;
  /** BTCPay's 195 operations on their own. */
  btcpay: GroupResult;
}

export async function measureTypecheck(log: (line: string) => void): Promise<{ result: TypecheckResult; rows: Row[] }> {
  const typescript = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies.typescript!;
  const openapiFetch = (JSON.parse(readFileSync(join(repoRoot, "packages/runtime/node_modules/openapi-fetch/package.json"), "utf8")) as { version: string }).version;
  const work = scratchDir("typecheck");
  const tarballDir = join(work, "tarballs");
  const project = join(work, "consumer");
  mkdirSync(tarballDir);
  mkdirSync(project);

  log("typecheck: packing the packages");
  const tarballs = [...packAll(tarballDir).values()];
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "satbind-bench-consumer", private: true, version: "0.0.0", type: "module" }, null, 2));
  log(`typecheck: npm install of the tarballs, typescript@${typescript} and openapi-fetch@${openapiFetch}`);
  await runCommand("npm", ["install", "--no-package-lock", ...tarballs, `typescript@${typescript}`, `openapi-fetch@${openapiFetch}`], {
    cwd: project,
    env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false" },
    timeoutMs: 300_000,
  });

  const groups = GROUPS.map((group) => ({ group, ...consumerFiles(group) }));
  for (const { files } of groups) for (const [name, content] of Object.entries(files)) writeFileSync(join(project, name), content);

  const flags = ["--noEmit", "--extendedDiagnostics", "--strict", "--exactOptionalPropertyTypes", "--skipLibCheck", "false", "--target", "es2022", "--lib", "es2022,dom", "--module", "nodenext", "--moduleResolution", "nodenext"];
  const tsc = join(project, "node_modules/typescript/bin/tsc");
  // Preloaded into tsc's process: prints its CPU time as it exits.
  const cpuTimer = join(project, "cpu-time.cjs");
  writeFileSync(cpuTimer, `process.on("exit", () => { const u = process.cpuUsage(); console.log("CPU time: " + ((u.user + u.system) / 1e6).toFixed(2) + "s"); });\n`);
  const check = async (file: string): Promise<TscFigures> => {
    const run = await runCommand(process.execPath, ["--require", cpuTimer, tsc, ...flags, file], { cwd: project, check: false, timeoutMs: 300_000 });
    // The comparison means nothing unless both files are correct.
    if (run.code !== 0) {
      const errors = run.stdout.split("\n").filter((line) => /error TS\d+/.test(line));
      throw new Error(`${file} does not type-check (tsc exit ${run.code}) in ${project}:\n${errors.slice(0, 30).join("\n") || run.stdout + run.stderr}`);
    }
    return { wallMs: Math.round(run.ms), ...diagnostics(run.stdout, file) };
  };
  const measurePair = async (what: string, satbindFile: string, bareFile: string): Promise<TypecheckPair> => {
    const satbindRuns: TscFigures[] = [];
    const bareRuns: TscFigures[] = [];
    // Alternated, and which goes first flips each round, so both files see the same machine conditions.
    for (let i = 0; i < REPEATS; i++) {
      log(`typecheck: tsc on ${satbindFile} and ${bareFile} (${what}), round ${i + 1} of ${REPEATS}`);
      if (i % 2 === 0) {
        satbindRuns.push(await check(satbindFile));
        bareRuns.push(await check(bareFile));
      } else {
        bareRuns.push(await check(bareFile));
        satbindRuns.push(await check(satbindFile));
      }
    }
    const satbind = medianFigures(satbindRuns);
    const bare = medianFigures(bareRuns);
    return {
      satbind: { runs: satbindRuns, median: satbind },
      bare: { runs: bareRuns, median: bare },
      ratios: {
        wall: round3(satbind.wallMs / bare.wallMs),
        cpuTime: round3(satbind.cpuTimeS / bare.cpuTimeS),
        instantiations: round3(satbind.instantiations / bare.instantiations),
        types: round3(satbind.types / bare.types),
        checkTime: round3(satbind.checkTimeS / bare.checkTimeS),
        memoryUsed: round3(satbind.memoryUsedKB / bare.memoryUsedKB),
      },
    };
  };
  const measured: GroupResult[] = [];
  const rows: Row[] = [];
  for (const { group, operations } of groups) {
    const file = (kind: string) => `${fileStem(group)}-${kind}.ts`;
    const calls = await measurePair(`${group.name}, calls`, file("satbind"), file("bare"));
    const narrowing = await measurePair(`${group.name}, calls and narrowing`, file("satbind-narrowed"), file("bare-narrowed"));
    measured.push({ operations, ...calls, narrowing });
    const total = Object.values(operations).reduce((a, b) => a + b, 0);
    rows.push(...pairRows(`typecheck, ${group.name} (${total} calls)`, calls), ...pairRows(`typecheck, ${group.name} (${total} calls, each narrowed)`, narrowing));
  }
  const [fourProviders, btcpay] = measured as [GroupResult, GroupResult];
  const result: TypecheckResult = { ...fourProviders, typescript, openapiFetch, command: `tsc ${flags.join(" ")} <file>`, btcpay };
  return { result, rows };
}

const fileStem = (group: Group) => group.name.replace(/\W+/g, "-");

function pairRows(prefix: string, pair: TypecheckPair): Row[] {
  const { satbind, bare } = { satbind: pair.satbind.median, bare: pair.bare.median };
  const label = (what: string) => `${prefix}: ${what}, median of ${REPEATS}`;
  const target = `<= ${ratio(TYPECHECK_TARGET)}`;
  const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
  return [
    { measure: label("tsc wall time"), satbind: seconds(satbind.wallMs), baseline: `${seconds(bare.wallMs)} openapi-fetch`, ratio: ratio(pair.ratios.wall), target: NONE, met: NONE },
    { measure: label("tsc CPU time"), satbind: `${satbind.cpuTimeS.toFixed(2)} s`, baseline: `${bare.cpuTimeS.toFixed(2)} s`, ratio: ratio(pair.ratios.cpuTime), target: NONE, met: NONE },
    { measure: label("Instantiations"), satbind: String(satbind.instantiations), baseline: String(bare.instantiations), ratio: ratio(pair.ratios.instantiations), target, met: meets(pair.ratios.instantiations, TYPECHECK_TARGET) },
    { measure: label("Types"), satbind: String(satbind.types), baseline: String(bare.types), ratio: ratio(pair.ratios.types), target: NONE, met: NONE },
    { measure: label("Check time"), satbind: `${satbind.checkTimeS.toFixed(2)} s`, baseline: `${bare.checkTimeS.toFixed(2)} s`, ratio: ratio(pair.ratios.checkTime), target, met: meets(pair.ratios.checkTime, TYPECHECK_TARGET) },
    { measure: label("Memory used"), satbind: mb(satbind.memoryUsedKB), baseline: mb(bare.memoryUsedKB), ratio: ratio(pair.ratios.memoryUsed), target: NONE, met: NONE },
  ];
}

/**
 * The files a consumer might write: the same calls through satbind's clients and through bare
 * openapi-fetch, first as they are, then with every result narrowed.
 */
function consumerFiles(group: Group): { files: Record<string, string>; operations: Record<string, number> } {
  const { calls, operations } = renderCalls(group.clients, false);
  const narrowed = renderCalls(group.clients, true).calls;
  const file = (header: string, create: (c: ClientUnderTest) => string, body: string) =>
    `${header}\nconst BASE_URL = ${JSON.stringify(BASE_URL)};\n${group.clients.map((c) => `const ${c.variable} = ${create(c)};`).join("\n")}\n\n${body}`;
  const stem = fileStem(group);
  return {
    files: {
      [`${stem}-satbind.ts`]: file(group.satbindHeader, (c) => c.satbind, calls.satbind),
      [`${stem}-bare.ts`]: file(group.bareHeader, (c) => c.bare, calls.bare),
      [`${stem}-satbind-narrowed.ts`]: file(group.satbindHeader, (c) => c.satbind, narrowed.satbind),
      [`${stem}-bare-narrowed.ts`]: file(group.bareHeader, (c) => c.bare, narrowed.bare),
    },
    operations,
  };
}

/**
 * The bodies the files share: every operation of every client, called with the spec's own
 * (validated) examples for its parameters and body, so the arguments are typed correctly. With
 * `narrow`, each result is narrowed as each library allows: satbind on `ok`, then on the
 * operation's first documented error status, then errorOf for the rest; openapi-fetch on `error`,
 * then on `response.status` (which narrows nothing there).
 */
function renderCalls(clients: ClientUnderTest[], narrow: boolean): { calls: { satbind: string; bare: string }; operations: Record<string, number> } {
  const operations: Record<string, number> = {};
  const satbind: string[] = ["export async function callEveryOperation(): Promise<unknown[]> {", "  const results: unknown[] = [];"];
  const bare = [...satbind];
  for (const client of clients) {
    const specFile = join(repoRoot, "specs", client.specFile);
    const requests = exampleRequests(specFile);
    if (requests.length === 0) throw new Error(`specs/${client.specFile} has no operations`);
    const firstError = new Map<string, number>();
    for (const r of documentedResponses(specFile)) if (r.status >= 400 && !firstError.has(r.operationId)) firstError.set(r.operationId, r.status);
    operations[client.variable] = requests.length;
    for (const lines of [satbind, bare]) lines.push(`  // ${client.variable}: ${requests.length} operations from specs/${client.specFile}`);
    for (const request of requests) {
      const params = Object.fromEntries(Object.entries(request.params).filter(([, values]) => values && Object.keys(values).length > 0));
      const init = { ...(Object.keys(params).length > 0 && { params }), ...(request.body !== undefined && { body: request.body }) };
      const args = [JSON.stringify(request.path), ...(Object.keys(init).length > 0 ? [JSON.stringify(init)] : [])];
      const call = `await ${client.variable}.${request.method}(${args.join(", ")})`;
      if (!narrow) {
        for (const lines of [satbind, bare]) lines.push(`  results.push((${call}).data);`);
        continue;
      }
      const status = firstError.get(request.operationId);
      if (status === undefined) throw new Error(`specs/${client.specFile}: ${request.operationId} documents no error status`);
      satbind.push(
        `  { const r = ${call}; if (r.ok) results.push(r.data); else if (r.status === ${status}) results.push(r.error); else results.push(errorOf(r).body); }`,
      );
      bare.push(
        `  { const r = ${call}; if (r.error === undefined) results.push(r.data); else if (r.response.status === ${status}) results.push(r.error); else results.push(r.error); }`,
      );
    }
  }
  for (const lines of [satbind, bare]) lines.push("  return results;", "}", "");
  return { calls: { satbind: satbind.join("\n"), bare: bare.join("\n") }, operations };
}

function diagnostics(output: string, file: string): Omit<TscFigures, "wallMs"> {
  const figure = (label: string): number => {
    const match = new RegExp(`^${label}:\\s+([\\d.]+)[Ks]?\\s*$`, "m").exec(output);
    if (!match) throw new Error(`tsc --extendedDiagnostics on ${file} printed no "${label}" line:\n${output.slice(-2000)}`);
    return Number(match[1]);
  };
  return { cpuTimeS: figure("CPU time"), instantiations: figure("Instantiations"), types: figure("Types"), checkTimeS: figure("Check time"), memoryUsedKB: figure("Memory used") };
}

function medianFigures(runs: TscFigures[]): TscFigures {
  const of = (key: keyof TscFigures) => median(runs.map((r) => r[key]));
  return { wallMs: Math.round(of("wallMs")), cpuTimeS: of("cpuTimeS"), instantiations: of("instantiations"), types: of("types"), checkTimeS: of("checkTimeS"), memoryUsedKB: of("memoryUsedKB") };
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
