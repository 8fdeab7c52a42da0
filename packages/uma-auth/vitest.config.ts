import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // The README's test imports the package by name, as a user's does: here that is this source.
    alias: [
      { find: /^@satbind\/uma-auth$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) },
      { find: /^@satbind\/uma-auth\/spec$/, replacement: fileURLToPath(new URL("./src/generated/api/spec.ts", import.meta.url)) },
    ],
  },
  test: {
    // Each simulator writes its answer counts here when closed; `pnpm test` adds them up.
    env: { SATBIND_SIMULATOR_REPORT: fileURLToPath(new URL(".", import.meta.url)) },
    globalSetup: ["./test/global-setup.ts"],
    reporters: ["default", ["json", { outputFile: ".vitest-results.json" }]],
    testTimeout: 15_000,
    // Hooks start mocks (Prism): well under a second on a quiet machine, much longer on a loaded one.
    hookTimeout: 60_000,
    // The reliability suite runs each operation's fault cases side by side; most of their time is waiting.
    maxConcurrency: 10,
    // Type tests (test/*.test-d.ts): tsc checks them in the same run, and each `it` counts as a test.
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});
