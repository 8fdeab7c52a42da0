// pnpm check:packages: every published package, packed as npm will get it, checked the way a
// careful user's tooling would: publint (strict, down to suggestions), are-the-types-wrong on the
// tarball, and our own manifest and tarball rules. Last line: "package checks: N passed, N failed".
//
// attw reads the pnpm-packed tarball rather than running its own `npm pack` (`attw --pack`):
// npm would leave our `workspace:*` dependency ranges in the tarball, pnpm writes real versions,
// and pnpm is what publishes.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packAll, publishedPackages, repoRoot, type PublishedPackage } from "../src/published.js";

/** A tool installed in the tooling package (pnpm puts its launcher in node_modules/.bin). */
const tool = (bin: string) => join(repoRoot, "scripts", "quality", "node_modules", ".bin", bin);

interface Check {
  name: string;
  problems: string[];
}

function publint(tarball: string): Check {
  const run = spawnSync(tool("publint"), ["run", tarball, "--strict", "--level", "suggestion"], { encoding: "utf8" });
  const output = `${run.stdout}${run.stderr}`;
  const ok = run.status === 0 && /All good!/.test(output);
  return { name: "publint", problems: ok ? [] : [output.trim()] };
}

function attw(tarball: string): Check {
  const run = spawnSync(tool("attw"), [tarball, "--format", "json"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  let problems: unknown[];
  try {
    problems = (JSON.parse(run.stdout) as { analysis: { problems: unknown[] } }).analysis.problems;
  } catch {
    return { name: "attw", problems: [`attw did not report (exit ${run.status}): ${run.stderr.trim()}`] };
  }
  if (problems.length === 0 && run.status === 0) return { name: "attw", problems: [] };
  const table = spawnSync(tool("attw"), [tarball, "--format", "ascii"], { encoding: "utf8" });
  return { name: "attw", problems: [`${problems.length} problem(s):\n${table.stdout.trim()}`] };
}

interface Manifest {
  name?: string;
  type?: string;
  sideEffects?: unknown;
  main?: string;
  module?: string;
  types?: string;
  exports?: Record<string, unknown>;
  files?: string[];
  engines?: { node?: string };
  license?: string;
  repository?: { type?: string; url?: string; directory?: string };
  publishConfig?: { access?: string };
  dependencies?: Record<string, string>;
  private?: boolean;
}

/** Rules publint and attw don't enforce, read from the package.json inside the tarball. */
function manifestRules(pkg: PublishedPackage, manifest: Manifest): Check {
  const problems: string[] = [];
  const expect = (ok: boolean, problem: string) => ok || problems.push(problem);
  expect(manifest.name === pkg.name, `name is ${manifest.name}, expected ${pkg.name}`);
  expect(manifest.private !== true, "private is set: it would never publish");
  expect(manifest.sideEffects === false, `sideEffects must be false (bundlers then drop unused code), got ${JSON.stringify(manifest.sideEffects)}`);
  expect(manifest.type === "module", `type must be "module", got ${JSON.stringify(manifest.type)}`);
  expect(manifest.license === "MIT", `license must be MIT, got ${JSON.stringify(manifest.license)}`);
  expect(/^>=\d+/.test(manifest.engines?.node ?? ""), `engines.node must be a lower bound like ">=20", got ${JSON.stringify(manifest.engines?.node)}`);
  expect(manifest.repository?.url === "git+https://github.com/satbind/satbind.git", `repository.url is ${JSON.stringify(manifest.repository?.url)}`);
  expect(manifest.repository?.directory === `packages/${pkg.slug}`, `repository.directory must be packages/${pkg.slug}, got ${JSON.stringify(manifest.repository?.directory)}`);
  expect(manifest.publishConfig?.access === "public", "publishConfig.access must be public (scoped packages are private by default)");
  expect(JSON.stringify(manifest.files) === JSON.stringify(["dist", "README.md", "CHANGELOG.md", "LICENSE"]), `files must be [dist, README.md, CHANGELOG.md, LICENSE], got ${JSON.stringify(manifest.files)}`);
  expect(manifest.main === "./dist/index.cjs" && manifest.module === "./dist/index.js" && manifest.types === "./dist/index.d.ts", "main/module/types must point at dist/index.{cjs,js,d.ts}");
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (subpath === "./package.json") continue;
    const conditions = target as { import?: { types?: string; default?: string }; require?: { types?: string; default?: string } };
    expect(Boolean(conditions.import?.types && conditions.import.default), `exports["${subpath}"] has no ESM entry with types`);
    expect(Boolean(conditions.require?.types && conditions.require.default), `exports["${subpath}"] has no CommonJS entry with types`);
  }
  expect(manifest.exports?.["."] !== undefined, "exports has no \".\" entry");
  for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) {
    expect(!range.startsWith("workspace:"), `dependency ${dependency} is still "${range}" in the tarball`);
  }
  return { name: "manifest", problems };
}

/** The tarball holds the build, the README, the changelog, the licence and package.json: nothing else. */
function tarballContents(files: string[]): Check {
  const problems: string[] = [];
  const stray = files.filter((f) => !/^(dist\/.+|README\.md|CHANGELOG\.md|LICENSE|package\.json)$/.test(f));
  if (stray.length > 0) problems.push(`unexpected files: ${stray.join(", ")}`);
  for (const required of ["dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/index.d.cts", "README.md", "LICENSE", "package.json"]) {
    if (!files.includes(required)) problems.push(`missing ${required}`);
  }
  const maps = files.filter((f) => f.endsWith(".map"));
  if (maps.length > 0) problems.push(`source maps shipped without sources: ${maps.join(", ")}`);
  return { name: "files", problems };
}

const scratch = mkdtempSync(join(tmpdir(), "satbind-package-checks-"));
let passed = 0;
let failed = 0;
try {
  const packages = publishedPackages();
  const tarballs = packAll(scratch, packages);
  const rows: string[][] = [];
  const failures: string[] = [];
  for (const pkg of packages) {
    const tarball = tarballs.get(pkg.name)!;
    const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n").map((f) => f.replace(/^package\//, "")).sort();
    const manifest = JSON.parse(execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" })) as Manifest;
    const checks = [publint(tarball), attw(tarball), manifestRules(pkg, manifest), tarballContents(files)];
    for (const check of checks) {
      if (check.problems.length === 0) passed++;
      else {
        failed++;
        failures.push(`${pkg.name}: ${check.name}:\n${check.problems.map((p) => `  ${p.replace(/\n/g, "\n  ")}`).join("\n")}`);
      }
    }
    const entries = Object.keys(manifest.exports ?? {}).filter((k) => k !== "./package.json").join(" ");
    rows.push([pkg.name, ...checks.map((c) => (c.problems.length === 0 ? "ok" : "FAIL")), String(files.length), entries]);
  }
  printTable(["package", "publint", "attw", "manifest", "files", "tarball files", "entry points"], rows);
  for (const failure of failures) console.log(`\n${failure}`);
} catch (error) {
  failed++;
  console.error(`package checks could not run: ${(error as Error).message}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(`package checks: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(row));
}
