import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["./test/global-setup.ts"],
    reporters: ["default", ["json", { outputFile: ".vitest-results.json" }]],
    testTimeout: 15_000,
    // The reliability suite runs each operation's fault cases side by side; most of their time is waiting.
    maxConcurrency: 10,
    // Type tests (test/*.test-d.ts): tsc checks them in the same run, and each `it` counts as a test.
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});
