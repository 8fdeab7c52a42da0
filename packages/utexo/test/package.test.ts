// The published package, as a user gets it: packed, installed with npm into a project outside the
// repository, then loaded through each entry point with import and require and compiled under
// strict settings.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { mockUrl } from "@satbind/testing/vitest";
import { TYPECHECK_TIMEOUT_MS, consumerFlow, usePackedConsumer } from "@satbind/quality/consumer";
import { KEYS } from "./keys.js";

const packed = usePackedConsumer(["../../runtime", ".."].map((p) => fileURLToPath(new URL(p, import.meta.url))));

// Runs a v2 pay-invoice flow with a pass-through signer against Prism, plus a v1 balance.
const USE = (from: string) => `
const keys = ${JSON.stringify(KEYS)};
const [v1Url, v2Url] = process.argv.slice(2);
const v2 = createUtexoClient({ version: "v2", baseUrl: v2Url, keys, maxRetries: 0 });
const sent = await payInvoice(v2, { invoice: "lnbcrt1...", maxFeeSats: 1000 }, async (psbt) => psbt);
const v1 = createUtexoClient({ version: "v1", baseUrl: v1Url, keys, maxRetries: 0 });
const balance = unwrap(await v1.GET("/wallet/balance"));
const failed = await v1.GET("/wallet/balance", { headers: { Prefer: "code=428" } });
console.log(JSON.stringify({ from: ${JSON.stringify(from)}, status: sent.status, spendable: balance.balance.vanilla.spendable, code: errorOf(failed)?.code }));
`;
const EXPECTED = { status: "PENDING", spendable: 500000, code: "SyncNeeded" };
const urls = () => [mockUrl("v1"), mockUrl("v2")];

describe("the packed @satbind/utexo", () => {
  it("ships only what a user needs, with the v1 and v2 entry points", () => {
    const files = packed.filesOf("satbind-utexo");
    const entries = ["index", "v1", "v2"].flatMap((e) => [`dist/${e}.js`, `dist/${e}.cjs`, `dist/${e}.d.ts`, `dist/${e}.d.cts`]);
    expect(files).toEqual(expect.arrayContaining([...entries, "README.md", "LICENSE", "package.json"]));
    expect(files.filter((f) => !/^(dist\/|README\.md$|CHANGELOG\.md$|LICENSE$|package\.json$)/.test(f))).toEqual([]);
  });

  it.each([["@satbind/utexo"], ["@satbind/utexo/v2"]])("works with import from %s", (entry) => {
    const v1Import = entry === "@satbind/utexo" ? "" : `\nimport { createUtexoClient as v1Client } from "@satbind/utexo/v1";\nif (v1Client !== createUtexoClient) throw new Error("two clients");`;
    packed.consumer().write("esm.mjs", `import { createUtexoClient, payInvoice, unwrap, errorOf } from "${entry}";${v1Import}\n${USE("esm")}`);
    expect(JSON.parse(packed.consumer().run("node", ["esm.mjs", ...urls()]))).toEqual({ from: "esm", ...EXPECTED });
  });

  it.each([["@satbind/utexo"], ["@satbind/utexo/v1"]])("works with require from %s", (entry) => {
    packed.consumer().write("cjs.cjs", `const { createUtexoClient, payInvoice, unwrap, errorOf } = require("${entry}");\n(async () => {${USE("cjs")}})();`);
    expect(JSON.parse(packed.consumer().run("node", ["cjs.cjs", ...urls()]))).toEqual({ from: "cjs", ...EXPECTED });
  });

  it("every entry point shares one copy of each class, in CommonJS and in ESM", () => {
    const names = ["createUtexoClient", "payInvoice", "PsbtFlowError", "PsbtFlowOutcomeUnknownError", "RequestNotFoundError", "AmbiguousOutcomeError"];
    const same = (load: string) => `${load}
const mismatched = ${JSON.stringify(names)}.filter((n) => !(root[n] && root[n] === v1[n] && root[n] === v2[n]));
console.log(JSON.stringify(mismatched));`;
    packed.consumer().write("same.cjs", same(`const [root, v1, v2] = ["@satbind/utexo", "@satbind/utexo/v1", "@satbind/utexo/v2"].map((m) => require(m));`));
    packed.consumer().write("same.mjs", same(`const [root, v1, v2] = await Promise.all(["@satbind/utexo", "@satbind/utexo/v1", "@satbind/utexo/v2"].map((m) => import(m)));`));
    expect(JSON.parse(packed.consumer().run("node", ["same.cjs"]))).toEqual([]);
    expect(JSON.parse(packed.consumer().run("node", ["same.mjs"]))).toEqual([]);
  });

  it.each(["node16", "bundler"] as const)("types resolve under strict with moduleResolution %s", (resolution) => {
    packed.consumer().write("check.ts", consumerFlow("utexo"));
    packed.typecheck("check.ts", resolution);
  }, TYPECHECK_TIMEOUT_MS);
});
