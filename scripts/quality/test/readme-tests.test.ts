// Each provider README's "Testing your code" test is the file its package's tests run
// (packages/<p>/test/readme.test.ts), byte for byte, so the README cannot show a test that does
// not pass. `pnpm check:consumer` runs the same files in fresh projects.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { providerSmokes, repoRoot } from "../src/published.js";

function readmeTest(readme: string): string | undefined {
  const section = readme.split(/^## /m).find((s) => s.startsWith("Testing your code\n"));
  return section && /```ts\n([\s\S]*?)```/.exec(section)?.[1];
}

describe("README tests", () => {
  it.each(providerSmokes.map((s) => s.slug))("%s: the README's test is test/readme.test.ts", (slug) => {
    const dir = join(repoRoot, "packages", slug);
    const shown = readmeTest(readFileSync(join(dir, "README.md"), "utf8"));
    expect(shown, `packages/${slug}/README.md has no "## Testing your code" section with a ts block`).toBeDefined();
    expect(shown).toBe(readFileSync(join(dir, "test", "readme.test.ts"), "utf8"));
  });
});
