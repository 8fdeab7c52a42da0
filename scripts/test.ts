// pnpm test: every package's tests through turbo (build and typecheck first), then one summary
// over all of them from the JSON reports vitest writes. The last line is "N passed, N failed".
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const listed = spawnSync("pnpm", ["-r", "--json", "list", "--depth", "-1"], { cwd: root, encoding: "utf8" });
if (listed.status !== 0) {
  console.error(`could not list the workspace packages: ${listed.stderr}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}
const dirs = (JSON.parse(listed.stdout) as { path: string }[]).map((p) => p.path).filter((p) => p !== root);

// A report left by an earlier run must not be counted as this run's.
for (const dir of dirs) rmSync(join(dir, ".vitest-results.json"), { force: true });
const turbo = spawnSync("pnpm", ["exec", "turbo", "run", "test", "--continue", ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });

interface Report { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number; success: boolean }
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
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  rows.push(`  ${name.padEnd(22)} ${String(report.numPassedTests).padStart(5)} passed ${String(report.numFailedTests).padStart(4)} failed`);
}
console.log("\nsatbind test summary");
for (const row of rows) console.log(row);
// A package whose tests never ran (its build or typecheck broke) counts as one failure.
for (const name of missing) console.log(`  ${name.padEnd(22)} did not run (see its build/typecheck output above)`);
failed += missing.length;
const code = turbo.status !== 0 || failed > 0 ? 1 : 0;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(code);
