// pnpm bench [--only overhead,typecheck,generate,contract,mock]
//
// Measures and prints; never asserts on timings and never runs in CI. One table: each figure, its
// baseline and its target. A full run (no --only) also writes bench/results.json with the machine
// it ran on; a partial run only prints, so results.json never mixes runs.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { repoRoot } from "../src/published.js";
import { cleanUp, type Row } from "../src/bench/common.js";
import { measureContract } from "../src/bench/contract.js";
import { measureGenerate } from "../src/bench/generate.js";
import { measureMock } from "../src/bench/mock.js";
import { describeMachine } from "../src/bench/machine.js";
import { measureOverhead } from "../src/bench/overhead.js";
import { measureTypecheck } from "../src/bench/typecheck.js";

const SECTIONS = ["overhead", "typecheck", "generate", "contract", "mock"] as const;
type Section = (typeof SECTIONS)[number];

const measure: Record<Section, (log: (line: string) => void) => Promise<{ rows: Row[]; result: object }>> = {
  overhead: measureOverhead,
  typecheck: measureTypecheck,
  generate: measureGenerate,
  contract: measureContract,
  mock: measureMock,
};

function parseArgs(args: string[]): Section[] {
  const usage = `usage: pnpm bench [--only ${SECTIONS.join(",")}]`;
  if (args.length === 0) return [...SECTIONS];
  const value = args[0] === "--only" ? args[1] : args[0]?.startsWith("--only=") ? args[0].slice("--only=".length) : undefined;
  const rest = args.slice(args[0] === "--only" ? 2 : 1);
  if (!value || rest.length > 0) throw new UsageError(usage);
  const chosen = value.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = chosen.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (chosen.length === 0 || unknown.length > 0) throw new UsageError(`unknown section ${unknown.join(", ") || "(none given)"}; ${usage}`);
  // Always in the table's order, whatever order they were given in.
  return SECTIONS.filter((s) => chosen.includes(s));
}

class UsageError extends Error {}

function printTable(rows: Row[]): void {
  const head: Row = { measure: "measure", satbind: "satbind", baseline: "baseline", ratio: "ratio", target: "target", met: "met?" };
  const columns = Object.keys(head) as (keyof Row)[];
  const widths = columns.map((c) => Math.max(...[head, ...rows].map((r) => r[c].length)));
  const line = (r: Row) => columns.map((c, i) => (i === 0 ? r[c].padEnd(widths[i]!) : r[c].padStart(widths[i]!))).join(" | ");
  console.log(`\n${line(head)}`);
  console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<number> {
  let sections: Section[];
  try {
    sections = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    return 2;
  }
  const started = performance.now();
  const machine = describeMachine(repoRoot);
  console.log(`satbind bench: ${sections.join(", ")} on ${machine.cpuCount}x ${machine.cpuModel}, ${machine.totalMemoryGiB} GiB, Node ${machine.node}, ${machine.platform}`);
  const log = (line: string) => console.log(`  ${line}`);
  const rows: Row[] = [];
  const results: Partial<Record<Section, unknown>> = {};
  for (const section of sections) {
    const sectionStarted = performance.now();
    const measured = await measure[section](log);
    rows.push(...measured.rows);
    results[section] = { wallSeconds: Math.round(performance.now() - sectionStarted) / 1000, ...measured.result };
  }
  const totalSeconds = Math.round(performance.now() - started) / 1000;
  printTable(rows);
  console.log(`\nbench took ${totalSeconds.toFixed(1)} s`);

  if (sections.length === SECTIONS.length) {
    const file = join(repoRoot, "bench", "results.json");
    mkdirSync(join(repoRoot, "bench"), { recursive: true });
    writeFileSync(file, JSON.stringify({ machine, totalSeconds, ...results, table: rows }, null, 2) + "\n");
    console.log(`wrote ${relative(repoRoot, file)}`);
  } else {
    console.log("partial run (--only): bench/results.json left as it was; a full run writes it");
  }
  return 0;
}

// Ctrl-C: stop the children (bench server, tsc, turbo, vitest) and remove the scratch dirs first.
process.once("SIGINT", () => {
  void cleanUp().finally(() => process.exit(130));
});

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await cleanUp();
}
process.exit(exitCode);
