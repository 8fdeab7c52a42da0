// The published package, as a user gets it: packed, installed with npm into a project outside the
// repository, then loaded with import and require and compiled under strict settings.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { mockUrl } from "@satbind/testing/vitest";
import { TYPECHECK_TIMEOUT_MS, consumerFlow, usePackedConsumer } from "@satbind/quality/consumer";

const packed = usePackedConsumer(["../../runtime", ".."].map((p) => fileURLToPath(new URL(p, import.meta.url))));

const USE = (from: string) => `
const uma = createUmaAuthClient({ baseUrl: process.argv[2], token: "consumer-token", maxRetries: 0 });
const info = unwrap(await uma.GET("/info"));
const failed = await uma.GET("/invoices/{payment_hash}", { params: { path: { payment_hash: "00".repeat(32) } }, headers: { Prefer: "code=404" } });
console.log(JSON.stringify({ from: ${JSON.stringify(from)}, network: info.network, error: errorOf(failed)?.name, code: failed.error?.code }));
`;

describe("the packed @satbind/uma-auth", () => {
  it("ships only what a user needs", () => {
    const files = packed.filesOf("satbind-uma-auth");
    expect(files).toEqual(expect.arrayContaining(["dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/index.d.cts", "README.md", "LICENSE", "package.json"]));
    expect(files.filter((f) => !/^(dist\/|README\.md$|CHANGELOG\.md$|LICENSE$|package\.json$)/.test(f))).toEqual([]);
  });

  it("works with import", () => {
    packed.consumer().write("esm.mjs", `import { createUmaAuthClient, unwrap, errorOf } from "@satbind/uma-auth";\n${USE("esm")}`);
    expect(JSON.parse(packed.consumer().run("node", ["esm.mjs", mockUrl("api")]))).toEqual({ from: "esm", network: "mainnet", error: "NotFoundError", code: "NOT_FOUND" });
  });

  it("works with require", () => {
    packed.consumer().write("cjs.cjs", `const { createUmaAuthClient, unwrap, errorOf } = require("@satbind/uma-auth");\n(async () => {${USE("cjs")}})();`);
    expect(JSON.parse(packed.consumer().run("node", ["cjs.cjs", mockUrl("api")]))).toEqual({ from: "cjs", network: "mainnet", error: "NotFoundError", code: "NOT_FOUND" });
  });

  it.each(["node16", "bundler"] as const)("types resolve under strict with moduleResolution %s", (resolution) => {
    packed.consumer().write("check.ts", consumerFlow("uma-auth"));
    packed.typecheck("check.ts", resolution);
  }, TYPECHECK_TIMEOUT_MS);
});
