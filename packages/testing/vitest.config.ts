import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Each simulator writes its answer counts here when closed; `pnpm test` adds them up.
    env: { SATBIND_SIMULATOR_REPORT: fileURLToPath(new URL(".", import.meta.url)) },
    globalSetup: ["./test/global-setup.ts"],
    reporters: ["default", ["json", { outputFile: ".vitest-results.json" }]],
    testTimeout: 15_000,
    // A mock starts Prism in a hook: well under a second on a quiet machine, much longer on a loaded one.
    hookTimeout: 60_000,
  },
});
