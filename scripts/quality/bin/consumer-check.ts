// pnpm check:consumer: a project outside the repository installs every packed package with npm,
// as a user would, and compiles each package's main flow (scripts/quality/consumer/*.ts) under `strict`
// and `exactOptionalPropertyTypes`, once with moduleResolution node16 (ESM plus a CommonJS file)
// and once with bundler. Library .d.ts files are checked too (no skipLibCheck).
// Then, per provider, a fresh project installs only that provider (with the runtime it depends
// on), @satbind/testing and vitest, engines enforced, and runs the test from the provider's README
// ("Testing your code", kept as packages/<p>/test/readme.test.ts).
// Last line: "consumer check: N passed, N failed".
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packAll, providerSmokes, publishedPackages, repoRoot } from "../src/published.js";

// The versions our users are told to use, pinned like the workspace's own.
const TYPESCRIPT = "5.9.3";
const TYPES_NODE = "20.19.43";
const VITEST = "4.1.12";

const flowsDir = join(repoRoot, "scripts", "quality", "consumer");
const common = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noEmit: true,
  target: "es2022",
  lib: ["es2022", "dom"],
  types: ["node"],
  skipLibCheck: false,
};
const configs = {
  node16: { compilerOptions: { ...common, module: "node16", moduleResolution: "node16" }, include: ["*.ts", "*.cts"] },
  // Import assignments (require) only exist in CommonJS output, so the .cts file is node16's alone.
  bundler: { compilerOptions: { ...common, module: "esnext", moduleResolution: "bundler" }, include: ["*.ts"] },
};

function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: "utf8", stdio: "pipe", env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false", NO_COLOR: "1", FORCE_COLOR: "0" } });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${e.stdout ?? ""}${e.stderr ?? ""}`.trim());
  }
}

let passed = 0;
let failed = 0;
const scratch = mkdtempSync(join(tmpdir(), "satbind-consumer-check-"));
try {
  const tarballs = packAll(mkdtempSync(join(scratch, "tarballs-")));
  const project = join(scratch, "project");
  cpSync(flowsDir, project, { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer-check", private: true, type: "module" }, null, 2));
  console.log(`installing ${[...tarballs.keys()].join(", ")} with npm`);
  run("npm", ["install", "--no-package-lock", ...tarballs.values(), `typescript@${TYPESCRIPT}`, `@types/node@${TYPES_NODE}`], project);
  const files = readdirSync(flowsDir).sort();
  for (const [resolution, config] of Object.entries(configs)) {
    const configFile = `tsconfig.${resolution}.json`;
    writeFileSync(join(project, configFile), JSON.stringify(config, null, 2));
    try {
      run(join(project, "node_modules", ".bin", "tsc"), ["-p", configFile], project);
      passed++;
      const compiled = files.filter((f) => resolution === "node16" || f.endsWith(".ts"));
      console.log(`ok    moduleResolution ${resolution}: ${compiled.join(", ")}`);
    } catch (error) {
      failed++;
      console.log(`FAIL  moduleResolution ${resolution}:\n${(error as Error).message}`);
    }
  }
  for (const smoke of providerSmokes) {
    const dir = join(scratch, `readme-${smoke.slug}`);
    mkdirSync(dir);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `readme-${smoke.slug}`, private: true, type: "module" }, null, 2));
    try {
      const wanted = ["@satbind/runtime", smoke.name, "@satbind/testing"].map((name) => tarballs.get(name)!);
      run("npm", ["install", "--no-package-lock", "--engine-strict", ...wanted, `vitest@${VITEST}`], dir);
      copyFileSync(join(publishedPackages().find((p) => p.name === smoke.name)!.dir, "test", "readme.test.ts"), join(dir, "readme.test.ts"));
      const output = run(join(dir, "node_modules", ".bin", "vitest"), ["run", "readme.test.ts"], dir);
      passed++;
      console.log(`ok    ${smoke.name}'s README test in a fresh project (${/Tests\s+(.*)$/m.exec(output)?.[1]?.trim() ?? "passed"})`);
    } catch (error) {
      failed++;
      console.log(`FAIL  ${smoke.name}'s README test in a fresh project:\n${(error as Error).message}`);
    }
  }
} catch (error) {
  failed++;
  console.log(`consumer check could not run: ${(error as Error).message}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(`consumer check: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
