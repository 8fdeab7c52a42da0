import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["./test/global-setup.ts"],
    reporters: ["default", ["json", { outputFile: ".vitest-results.json" }]],
    testTimeout: 15_000,
    // The reliability suite runs each operation's fault cases side by side; most of their time is waiting.
    maxConcurrency: 10,
  },
});
