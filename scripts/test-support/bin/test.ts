// pnpm test: every package's tests through turbo (build and typecheck first), then one summary
// over all of them from the JSON reports vitest writes. The last line is "N passed, N failed".
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const listed = spawnSync("pnpm", ["-r", "--json", "list", "--depth", "-1"], { cwd: root, encoding: "utf8" });
if (listed.status !== 0) {
  console.error(`could not list the workspace packages: ${listed.stderr}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}
// Every workspace package that has tests (a "test" script), the tooling packages included.
const dirs = (JSON.parse(listed.stdout) as { path: string }[])
  .map((p) => p.path)
  .filter((dir) => dir !== root && JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).scripts?.test !== undefined);

// A report left by an earlier run must not be counted as this run's.
const reliabilityFiles = (dir: string) => readdirSync(dir).filter((f) => /^\.reliability-.+\.json$/.test(f)).map((f) => join(dir, f));
const simulatorFiles = (dir: string) => readdirSync(dir).filter((f) => /^\.simulator-.+\.json$/.test(f)).map((f) => join(dir, f));
for (const dir of dirs) {
  rmSync(join(dir, ".vitest-results.json"), { force: true });
  for (const file of [...reliabilityFiles(dir), ...simulatorFiles(dir)]) rmSync(file, { force: true });
}
const turbo = spawnSync("pnpm", ["exec", "turbo", "run", "test", "--continue", ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });

interface Report {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  success: boolean;
  testResults: { name: string; status: string; assertionResults: { status: string }[] }[];
}

/** A test file that failed with no failed test in it (a hook or an import threw: its tests were skipped) is one failure. */
function brokenFiles(report: Report): number {
  return report.testResults.filter((file) => file.status === "failed" && !file.assertionResults.some((t) => t.status === "failed")).length;
}
let passed = 0;
let failed = 0;
let skipped = 0;
const rows: string[] = [];
const missing: string[] = [];
for (const dir of dirs) {
  const name = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name as string;
  const file = join(dir, ".vitest-results.json");
  if (!existsSync(file)) {
    missing.push(name);
    continue;
  }
  const report = JSON.parse(readFileSync(file, "utf8")) as Report;
  const failedHere = report.numFailedTests + brokenFiles(report);
  passed += report.numPassedTests;
  failed += failedHere;
  skipped += report.numPendingTests + report.numTodoTests;
  rows.push(`  ${name.padEnd(22)} ${String(report.numPassedTests).padStart(5)} passed ${String(failedHere).padStart(4)} failed`);
}
console.log("\nsatbind test summary");
for (const row of rows) console.log(row);
// A package whose tests never ran (its build or typecheck broke) counts as one failure.
for (const name of missing) console.log(`  ${name.padEnd(22)} did not run (see its build/typecheck output above)`);
failed += missing.length;
printReliability(dirs.flatMap(reliabilityFiles));
failed += printSimulators(dirs.flatMap(simulatorFiles));
const code = turbo.status !== 0 || failed > 0 ? 1 : 0;
// Skipped tests (those that need ../shared, say) get a line of their own: the last line is read by CI.
if (skipped) console.log(`${skipped} skipped`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(code);

interface ReliabilityStats { subject: string; suite: string; calls: number; retries: number; faults: Record<string, number>; outcomes: Record<string, number>; unaccounted: number }

/** The reliability suites' totals (fault injection per operation, and the load runs): one table. */
function printReliability(files: string[]): void {
  if (files.length === 0) return;
  const rows = files.map((f) => JSON.parse(readFileSync(f, "utf8")) as ReliabilityStats).sort((a, b) => `${a.subject} ${a.suite}`.localeCompare(`${b.subject} ${b.suite}`));
  const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);
  const total: ReliabilityStats = { subject: "all", suite: "", calls: 0, retries: 0, faults: {}, outcomes: {}, unaccounted: 0 };
  for (const row of rows) {
    total.calls += row.calls;
    total.retries += row.retries;
    total.unaccounted += row.unaccounted;
    for (const [k, n] of Object.entries(row.faults)) total.faults[k] = (total.faults[k] ?? 0) + n;
    for (const [k, n] of Object.entries(row.outcomes)) total.outcomes[k] = (total.outcomes[k] ?? 0) + n;
  }
  const classes = Object.keys(total.outcomes).sort((a, b) => (a === "ok" ? -1 : b === "ok" ? 1 : total.outcomes[b]! - total.outcomes[a]!));
  const head = ["subject", "suite", "calls", "faults", "retries", ...classes, "unaccounted"];
  const line = (r: ReliabilityStats) => [r.subject, r.suite, r.calls, sum(r.faults), r.retries, ...classes.map((c) => r.outcomes[c] ?? 0), r.unaccounted].map(String);
  const table = [head, ...rows.map(line), line(total)];
  const widths = head.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  console.log("\nsatbind reliability (faults injected per request, outcomes per call)");
  for (const r of table) console.log("  " + r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  "));
  console.log(`  faults by kind: ${Object.entries(total.faults).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(", ")}`);
  const outcomes = sum(total.outcomes);
  console.log(`  ${outcomes} of ${total.calls} calls ended in a result or a typed error; ${total.unaccounted} unaccounted`);
}

interface SimulatorReport { provider: string; answers: number; validated: number; invalid: number }

/** The simulators' answers (@satbind/testing createSimulator), each checked against its spec before it was sent. Returns failures to count. */
function printSimulators(files: string[]): number {
  if (files.length === 0) return 0;
  const byProvider = new Map<string, SimulatorReport>();
  for (const file of files) {
    const report = JSON.parse(readFileSync(file, "utf8")) as SimulatorReport;
    const total = byProvider.get(report.provider) ?? { provider: report.provider, answers: 0, validated: 0, invalid: 0 };
    total.answers += report.answers;
    total.validated += report.validated;
    total.invalid += report.invalid;
    byProvider.set(report.provider, total);
  }
  const all = [...byProvider.values()].reduce((sum, r) => ({ ...sum, answers: sum.answers + r.answers, validated: sum.validated + r.validated, invalid: sum.invalid + r.invalid }), { provider: "all", answers: 0, validated: 0, invalid: 0 });
  console.log(`\nsatbind simulators: ${all.validated} of ${all.answers} simulated answers passed spec validation (${files.length} simulators)`);
  for (const r of [...byProvider.values()].sort((a, b) => a.provider.localeCompare(b.provider))) console.log(`  ${r.provider.padEnd(10)} ${String(r.validated).padStart(5)} of ${String(r.answers).padStart(5)} validated${r.invalid ? `, ${r.invalid} INVALID` : ""}`);
  // A simulated answer that broke its spec is a simulator bug: it fails the run even if the test did not notice.
  return all.invalid;
}
