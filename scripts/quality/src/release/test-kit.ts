// The install proof of @satbind/testing: into the project that installed a provider from the
// rehearsal registry, `npm install @satbind/testing vitest` with plain npm (no overrides, engines
// enforced, so a dependency that needs a newer Node fails the install), then the provider's
// README test, the very file our own tests run, with vitest. Green means a user who copies the
// README gets a working test.
import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { listInstalled, type InstalledPackage } from "./installed.js";
import { run } from "./run.js";

/** The versions our users get: the Node 20-compatible Prism the kit pins, and our vitest. */
export const KIT_PINS: Record<string, string> = { "@stoplight/prism-core": "5.8.0", "@stoplight/prism-http": "5.12.0" };
const VITEST_VERSION = "4.1.12";

export interface KitInstall {
  installed: InstalledPackage[];
  /** vitest's "Tests  3 passed (3)" line. */
  summary: string;
}

export interface KitOptions {
  consumerDir: string;
  /** packages/<slug> in the repository: its test/readme.test.ts is copied. */
  packageDir: string;
  registryUrl: string;
  /** The registry-only environment of every npm call. */
  env: NodeJS.ProcessEnv;
  logFile(name: string): string;
  timeoutMs: number;
}

export async function installKitAndRunReadmeTest(options: KitOptions): Promise<KitInstall> {
  const { consumerDir, env } = options;
  await run("npm", ["install", "@satbind/testing", `vitest@${VITEST_VERSION}`, "--engine-strict", "--registry", options.registryUrl, "--no-package-lock", "--no-audit", "--no-fund"], {
    cwd: consumerDir,
    env,
    logFile: options.logFile("kit-install"),
    timeoutMs: options.timeoutMs,
  });
  const installed = listInstalled(consumerDir);
  const problems: string[] = [];
  for (const [name, version] of Object.entries(KIT_PINS)) {
    const copies = installed.filter((p) => p.name === name);
    if (copies.length === 0) problems.push(`${name} is missing`);
    for (const copy of copies) if (copy.version !== version) problems.push(`${name}@${copy.version} at ${copy.path}: the kit needs ${version} (later ones need Node 24)`);
  }
  if (problems.length > 0) throw new Error(`npm install @satbind/testing: ${problems.join("; ")}`);

  const readmeTest = join(options.packageDir, "test", "readme.test.ts");
  if (!existsSync(readmeTest)) throw new Error(`${readmeTest} is missing: the README's test is kept there`);
  copyFileSync(readmeTest, join(consumerDir, "readme.test.ts"));
  const output = await run(join(consumerDir, "node_modules", ".bin", "vitest"), ["run", "readme.test.ts", "--reporter", "default"], {
    cwd: consumerDir,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", CI: "1" },
    logFile: options.logFile("kit-readme-test"),
    timeoutMs: options.timeoutMs,
  });
  const summary = /^\s*Tests\s+.*$/m.exec(output)?.[0]?.trim();
  if (!summary || !/passed/.test(summary) || /failed/.test(summary)) throw new Error(`the README test did not pass:\n${output.trim().split("\n").slice(-30).join("\n")}`);
  return { installed, summary };
}
