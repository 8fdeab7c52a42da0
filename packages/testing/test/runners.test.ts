// Runner-agnostic: the built package under node:test (ESM and CommonJS), no vitest involved.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

it("works under node:test, imported and required", () => {
  const file = fileURLToPath(new URL("./fixtures/node-runner.mjs", import.meta.url));
  const run = spawnSync(process.execPath, ["--test", "--test-reporter=tap", file], { cwd: fileURLToPath(new URL("..", import.meta.url)), encoding: "utf8", timeout: 60_000 });
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  expect(run.stdout).toMatch(/^# pass 2$/m);
  expect(run.stdout).toMatch(/^# fail 0$/m);
});
