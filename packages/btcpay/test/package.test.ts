// The published package, as a user gets it: packed, installed with npm into a project outside the
// repository, then loaded with import and require and compiled under strict settings.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { mockUrl } from "@satbind/testing/vitest";
import { TYPECHECK_TIMEOUT_MS, consumerFlow, usePackedConsumer } from "@satbind/quality/consumer";

const packed = usePackedConsumer(["../../runtime", ".."].map((p) => fileURLToPath(new URL(p, import.meta.url))));

const USE = (from: string) => `
const btcpay = createBtcpayClient({ serverUrl: process.argv[2], apiKey: "consumer-api-key", maxRetries: 0 });
const invoice = unwrap(await btcpay.POST("/api/v1/stores/{storeId}/invoices", { params: { path: { storeId: "s" } }, body: { amount: "5.00", currency: "USD" } }));
const failed = await btcpay.GET("/api/v1/invoices/{invoiceId}", { params: { path: { invoiceId: "nope" } }, headers: { Prefer: "code=404" } });
const signed = await verifyWebhookSignature("{}", "sha256=" + "0".repeat(64), "secret");
console.log(JSON.stringify({ from: ${JSON.stringify(from)}, checkoutLink: invoice.checkoutLink, error: errorOf(failed)?.name, signed }));
`;
const EXPECTED = { checkoutLink: "https://btcpay.example.com/i/HMprBnL9BTXWuPvpoKBS6e", error: "NotFoundError", signed: false };

describe("the packed @satbind/btcpay", () => {
  it("ships only what a user needs, BTCPay's licence included", () => {
    const files = packed.filesOf("satbind-btcpay");
    expect(files).toEqual(expect.arrayContaining(["dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/index.d.cts", "README.md", "LICENSE", "package.json"]));
    expect(files.filter((f) => !/^(dist\/|README\.md$|CHANGELOG\.md$|LICENSE$|package\.json$)/.test(f))).toEqual([]);
  });

  it("works with import", () => {
    packed.consumer().write("esm.mjs", `import { createBtcpayClient, unwrap, errorOf, verifyWebhookSignature } from "@satbind/btcpay";\n${USE("esm")}`);
    expect(JSON.parse(packed.consumer().run("node", ["esm.mjs", mockUrl("api")]))).toEqual({ from: "esm", ...EXPECTED });
  });

  it("works with require", () => {
    packed.consumer().write("cjs.cjs", `const { createBtcpayClient, unwrap, errorOf, verifyWebhookSignature } = require("@satbind/btcpay");\n(async () => {${USE("cjs")}})();`);
    expect(JSON.parse(packed.consumer().run("node", ["cjs.cjs", mockUrl("api")]))).toEqual({ from: "cjs", ...EXPECTED });
  });

  it.each(["node16", "bundler"] as const)("types resolve under strict with moduleResolution %s", (resolution) => {
    packed.consumer().write("check.ts", consumerFlow("btcpay"));
    packed.typecheck("check.ts", resolution);
  }, TYPECHECK_TIMEOUT_MS);
});
