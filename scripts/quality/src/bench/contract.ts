// Contract-test suite wall time per package: `pnpm exec vitest run test/contract.test.ts` in the
// package directory, Prism start included (its global setup). The number of tests comes from
// vitest's summary line. The packages' vitest config also writes .vitest-results.json, which
// `pnpm test` reads: it is put back as it was, so the bench leaves the package as it found it.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { publishedPackages } from "../published.js";
import { NONE, runCommand, seconds, type Row } from "./common.js";

const REPORT_FILE = ".vitest-results.json";

export interface ContractResult {
  packages: { name: string; wallMs: number; tests: number; passed: number }[];
  totalMs: number;
  totalTests: number;
}

export async function measureContract(log: (line: string) => void): Promise<{ result: ContractResult; rows: Row[] }> {
  const packages = publishedPackages().filter((p) => existsSync(join(p.dir, "test/contract.test.ts")));
  if (packages.length === 0) throw new Error("no package has test/contract.test.ts");
  const measured: ContractResult["packages"] = [];
  for (const pkg of packages) {
    log(`contract: ${pkg.name}`);
    const reportFile = join(pkg.dir, REPORT_FILE);
    const previousReport = existsSync(reportFile) ? readFileSync(reportFile) : undefined;
    let run;
    try {
      run = await runCommand("pnpm", ["exec", "vitest", "run", "test/contract.test.ts"], {
        cwd: pkg.dir,
        env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
        timeoutMs: 600_000,
        check: false,
      });
    } finally {
      if (previousReport) writeFileSync(reportFile, previousReport);
      else rmSync(reportFile, { force: true });
    }
    const output = run.stdout + run.stderr;
    if (run.code !== 0) throw new Error(`the contract tests of ${pkg.name} failed (vitest exit ${run.code}):\n${output.trim().split("\n").slice(-40).join("\n")}`);
    // e.g. "      Tests  57 passed (57)" or "Tests  55 passed | 2 skipped (57)"
    const summary = /^\s*Tests\s+(.*)\((\d+)\)\s*$/m.exec(output);
    if (!summary) throw new Error(`no "Tests ... (N)" summary line in the vitest output for ${pkg.name}:\n${output.slice(-2000)}`);
    const passed = Number(/(\d+) passed/.exec(summary[1]!)?.[1] ?? 0);
    measured.push({ name: pkg.name, wallMs: Math.round(run.ms), tests: Number(summary[2]), passed });
  }
  const totalMs = measured.reduce((sum, p) => sum + p.wallMs, 0);
  const totalTests = measured.reduce((sum, p) => sum + p.tests, 0);
  const rows: Row[] = [
    ...measured.map((p) => ({ measure: `contract tests: ${p.name} (${p.tests} tests)`, satbind: seconds(p.wallMs), baseline: NONE, ratio: NONE, target: NONE, met: NONE })),
    { measure: `contract tests: all packages (${totalTests} tests)`, satbind: seconds(totalMs), baseline: NONE, ratio: NONE, target: NONE, met: NONE },
  ];
  return { result: { packages: measured, totalMs, totalTests }, rows };
}
