// The published package, as a user gets it: packed, installed with npm into a project outside the
// repository, then loaded with import and require and compiled under strict settings.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { mockUrl } from "@satbind/testing/vitest";
import { TYPECHECK_TIMEOUT_MS, consumerFlow, usePackedConsumer } from "@satbind/quality/consumer";

const packed = usePackedConsumer(["../../runtime", ".."].map((p) => fileURLToPath(new URL(p, import.meta.url))));

const USE = (from: string) => `
const deezy = createDeezyClient({ baseUrl: process.argv[2], maxRetries: 0 });
const info = unwrap(await deezy.GET("/v1/swap/info"));
const fee = swapFee(info, 500000, 2);
const failed = await deezy.GET("/v1/earn/info", { headers: { Prefer: "code=500" } });
console.log(JSON.stringify({ from: ${JSON.stringify(from)}, total: fee.totalFeeSats, error: errorOf(failed)?.name }));
`;
const EXPECTED = { total: 1600, error: "InternalServerError" };

describe("the packed @satbind/deezy", () => {
  it("ships only what a user needs", () => {
    const files = packed.filesOf("satbind-deezy");
    expect(files).toEqual(expect.arrayContaining(["dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/index.d.cts", "README.md", "LICENSE", "package.json"]));
    expect(files.filter((f) => !/^(dist\/|README\.md$|CHANGELOG\.md$|LICENSE$|package\.json$)/.test(f))).toEqual([]);
  });

  it("works with import", () => {
    packed.consumer().write("esm.mjs", `import { createDeezyClient, unwrap, errorOf, swapFee } from "@satbind/deezy";\n${USE("esm")}`);
    expect(JSON.parse(packed.consumer().run("node", ["esm.mjs", mockUrl("api")]))).toEqual({ from: "esm", ...EXPECTED });
  });

  it("works with require", () => {
    packed.consumer().write("cjs.cjs", `const { createDeezyClient, unwrap, errorOf, swapFee } = require("@satbind/deezy");\n(async () => {${USE("cjs")}})();`);
    expect(JSON.parse(packed.consumer().run("node", ["cjs.cjs", mockUrl("api")]))).toEqual({ from: "cjs", ...EXPECTED });
  });

  it.each(["node16", "bundler"] as const)("types resolve under strict with moduleResolution %s", (resolution) => {
    packed.consumer().write("check.ts", consumerFlow("deezy"));
    packed.typecheck("check.ts", resolution);
  }, TYPECHECK_TIMEOUT_MS);
});
