// The published package, as a user gets it: packed, installed with npm into a project outside the
// repository, then loaded with import and require and compiled under strict settings.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { mockUrl } from "@satbind/testing/vitest";
import { TYPECHECK_TIMEOUT_MS, consumerFlow, usePackedConsumer } from "@satbind/quality/consumer";

const packed = usePackedConsumer(["../../runtime", ".."].map((p) => fileURLToPath(new URL(p, import.meta.url))));

const USE = (from: string) => `
const lexe = createLexeClient({ baseUrl: process.argv[2], maxRetries: 0 });
const info = unwrap(await lexe.GET("/v2/node/node_info"));
const missing = await lexe.GET("/v2/node/payment", { params: { query: { index: "0".repeat(19) + "-ln_" + "0".repeat(64) } }, headers: { Prefer: "code=404" } });
console.log(JSON.stringify({ from: ${JSON.stringify(from)}, msats: String(lexeAmountToMsats(info.lightning_sendable_balance)), error: errorOf(missing)?.name, code: missing.error?.code }));
`;
const EXPECTED = { msats: "57505107", error: "NotFoundError", code: 102 };

describe("the packed @satbind/lexe", () => {
  it("ships only what a user needs", () => {
    const files = packed.filesOf("satbind-lexe");
    expect(files).toEqual(expect.arrayContaining(["dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/index.d.cts", "README.md", "LICENSE", "package.json"]));
    expect(files.filter((f) => !/^(dist\/|README\.md$|CHANGELOG\.md$|LICENSE$|package\.json$)/.test(f))).toEqual([]);
  });

  it("works with import", () => {
    packed.consumer().write("esm.mjs", `import { createLexeClient, unwrap, errorOf, lexeAmountToMsats } from "@satbind/lexe";\n${USE("esm")}`);
    expect(JSON.parse(packed.consumer().run("node", ["esm.mjs", mockUrl("api")]))).toEqual({ from: "esm", ...EXPECTED });
  });

  it("works with require", () => {
    packed.consumer().write("cjs.cjs", `const { createLexeClient, unwrap, errorOf, lexeAmountToMsats } = require("@satbind/lexe");\n(async () => {${USE("cjs")}})();`);
    expect(JSON.parse(packed.consumer().run("node", ["cjs.cjs", mockUrl("api")]))).toEqual({ from: "cjs", ...EXPECTED });
  });

  it.each(["node16", "bundler"] as const)("types resolve under strict with moduleResolution %s", (resolution) => {
    packed.consumer().write("check.ts", consumerFlow("lexe"));
    packed.typecheck("check.ts", resolution);
  }, TYPECHECK_TIMEOUT_MS);
});
