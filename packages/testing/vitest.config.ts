import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["./test/global-setup.ts"],
    reporters: ["default", ["json", { outputFile: ".vitest-results.json" }]],
    testTimeout: 15_000,
  },
});
