// The scratch project every runtime runs in: the packed tarballs installed with npm the way a user
// gets them, each provider's smoke module, and one runner that Node, Bun and Deno all run as is.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ProviderSmoke } from "../published.js";
import { runCommand, tail } from "./exec.js";

/** Base URL per spec key, per provider slug: `{ utexo: { v1: "http://...", v2: "http://..." } }`. */
export type SmokeUrls = Record<string, Record<string, string>>;

/** What one provider's smoke came to in one runtime. */
export type Outcome = { result: unknown } | { error: { message: string; stack?: string } };

/** The environment variable the runner reads the URLs from (JSON). */
export const URLS_ENV = "SATBIND_SMOKE_URLS";

export const RUNNER_FILE = "run.mjs";

export const smokeFile = (slug: string) => `smoke-${slug}.mjs`;

// Node APIs only through `node:process`, which Bun and Deno provide too.
const runnerSource = `// Runs each provider's smoke against the URLs in ${URLS_ENV}; prints one JSON line per provider.
import process from "node:process";

const urls = JSON.parse(process.env.${URLS_ENV});
for (const [provider, providerUrls] of Object.entries(urls)) {
  try {
    const { default: smoke } = await import("./smoke-" + provider + ".mjs");
    const result = await smoke(providerUrls);
    console.log(JSON.stringify({ provider, result }));
  } catch (error) {
    console.log(JSON.stringify({ provider, error: { message: String(error?.message ?? error), stack: error?.stack } }));
  }
}
`;

/** Writes the project into `dir` (empty) and installs the tarballs; openapi-fetch comes from the registry. */
export async function createSmokeProject(dir: string, tarballs: string[], smokes: ProviderSmoke[]): Promise<void> {
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "satbind-runtime-smokes", private: true, version: "0.0.0", type: "module" }, null, 2));
  for (const smoke of smokes) writeFileSync(join(dir, smokeFile(smoke.slug)), smoke.module);
  writeFileSync(join(dir, RUNNER_FILE), runnerSource);
  const args = ["install", "--no-package-lock", "--no-audit", "--no-fund", ...tarballs];
  const install = await runCommand("npm", args, { cwd: dir, timeoutMs: 300_000 });
  if (install.code !== 0) {
    throw new Error(`npm ${args.join(" ")} failed in ${dir}${install.timedOut ? " (timed out)" : ""}:\n${tail(install.stdout + install.stderr)}`);
  }
}

/**
 * The runner's JSON lines, by provider. Other output (a runtime's warnings, say) is ignored; a
 * provider with no line is the caller's to report.
 */
export function parseRunnerOutput(stdout: string): Map<string, Outcome> {
  const outcomes = new Map<string, Outcome>();
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    const record = parsed as { provider?: unknown; result?: unknown; error?: { message: string; stack?: string } };
    if (typeof record.provider !== "string") continue;
    outcomes.set(record.provider, record.error ? { error: record.error } : { result: record.result });
  }
  return outcomes;
}
