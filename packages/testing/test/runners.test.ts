// Runner-agnostic: the built package under node:test (ESM and CommonJS) and under jest (CommonJS,
// inside jest's own module sandbox), no vitest involved.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

it("works under node:test, imported and required", () => {
  const file = fileURLToPath(new URL("./fixtures/node-runner.mjs", import.meta.url));
  const run = spawnSync(process.execPath, ["--test", "--test-reporter=tap", file], { cwd: packageDir, encoding: "utf8", timeout: 60_000 });
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  expect(run.stdout).toMatch(/^# pass 2$/m);
  expect(run.stdout).toMatch(/^# fail 0$/m);
});

// jest runs CommonJS test files in a vm sandbox whose require cannot load an ES module on Node 20:
// this caught @noble/secp256k1 (ESM only) in the CommonJS build, which now bundles it.
it("works under jest, required", { timeout: 90_000 }, () => {
  const jest = createRequire(import.meta.url).resolve("jest/bin/jest");
  const config = fileURLToPath(new URL("./fixtures/jest/jest.config.cjs", import.meta.url));
  const run = spawnSync(process.execPath, [jest, "--config", config, "--json", "--ci"], { cwd: packageDir, encoding: "utf8", timeout: 80_000 });
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  const report = JSON.parse(run.stdout) as { numPassedTests: number; numFailedTests: number };
  expect(report).toMatchObject({ numPassedTests: 3, numFailedTests: 0 });
});
