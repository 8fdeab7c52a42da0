import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    reporters: ["default", ["json", { outputFile: ".vitest-results.json" }]],
    testTimeout: 15_000,
    // Hooks start mocks (Prism): well under a second on a quiet machine, much longer on a loaded one.
    hookTimeout: 60_000,
    // Type tests (test/*.test-d.ts): tsc checks them in the same run, and each `it` counts as a test.
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});
