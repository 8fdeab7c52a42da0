// The packages we publish, packed the way npm will get them, and one small program per provider
// that makes real calls against Prism. Shared by the package checks, the size report, the runtime
// matrix, the consumer check, the benchmarks and the release rehearsal.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

export interface PublishedPackage {
  /** e.g. "@satbind/lexe" */
  name: string;
  /** e.g. "lexe" */
  slug: string;
  /** Absolute path of the package directory. */
  dir: string;
  version: string;
}

/** Every non-private package under packages/, runtime first. */
export function publishedPackages(): PublishedPackage[] {
  const packagesDir = join(repoRoot, "packages");
  const found = readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = join(packagesDir, entry.name);
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string; version: string; private?: boolean };
      return { name: manifest.name, slug: entry.name, dir, version: manifest.version, private: manifest.private === true };
    })
    .filter((p) => !p.private)
    .map(({ private: _private, ...p }) => p);
  return found.sort((a, b) => (a.slug === "runtime" ? -1 : b.slug === "runtime" ? 1 : a.slug.localeCompare(b.slug)));
}

/**
 * `pnpm pack` each package into `into` (pnpm turns workspace: ranges into real versions, as
 * publishing does). Packages must be built first. Returns the tarball path by package name.
 */
export function packAll(into: string, packages: PublishedPackage[] = publishedPackages()): Map<string, string> {
  return new Map(packages.map((pkg) => [pkg.name, packDir(pkg.dir, into)]));
}

/** `pnpm pack` one package directory into `into`; the tarball's path. */
export function packDir(dir: string, into: string): string {
  const before = new Set(readdirSync(into));
  execFileSync("pnpm", ["pack", "--pack-destination", into], { cwd: dir, stdio: "pipe" });
  const tarball = readdirSync(into).find((f) => f.endsWith(".tgz") && !before.has(f));
  if (!tarball) throw new Error(`pnpm pack in ${dir} produced no tarball`);
  return join(into, tarball);
}

// UTEXO's published test wallet: public keys only.
export const UTEXO_KEYS = {
  xpubVan: "tpubDCRtZV7Pyz1HCM2wkthBybjx3VQyz1sBdjQNZtCSh8yc1zhDWpUDBiLzsGsLMNPh48YSmWiEoXLF9tzQAyVkuKBoPngTEU83yM1xuG3gKdM",
  xpubCol: "tpubDDgW33tfESzvQd2wtZeqTGqcmtUVSCBNGMUTMTFkUTNTnq65TZigYuCptsePDgvzSqAHfA7D1MnPLkBHYQ11VQV25H9faFxHGC25Pzrb7xB",
  masterFingerprint: "1f5bd7df",
};

/**
 * Inlined into every smoke: against a server that never answers (`urls.hang`, when the runner has
 * one), a call must end in TimeoutError, and an aborted call in AbortError, whatever the runtime's
 * timers and I/O rules (a Worker's per-request context, say).
 */
const STALLED = `
async function stalled(call) {
  const timeout = await call({ timeoutMs: 200 }).then(() => "answered", (error) => error.name);
  const controller = new AbortController();
  const pending = call({ timeoutMs: 30000, signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  const aborted = await pending.then(() => "answered", (error) => error.name);
  return { timeout, aborted };
}
`;

/** What `stalled` resolves to in a runtime where timeouts and aborts work. */
export const STALLED_EXPECTED = { timeout: "TimeoutError", aborted: "AbortError" };

export interface ProviderSmoke {
  /** Package name, e.g. "@satbind/lexe". */
  name: string;
  slug: string;
  /** The specs to start Prism from, by key; the smoke gets one base URL per key. */
  specs: Record<string, string>;
  /**
   * An ES module (plain JavaScript, no Node APIs) whose default export takes
   * `{ [specKey]: baseUrl, hang?: url }` and resolves to a JSON-able result. It imports only the
   * package. Given `hang`, the result also has `stalled` (see STALLED_EXPECTED). Each module also
   * makes a client when it loads (in a Worker, the global scope, where timers, random values and
   * I/O are refused) and calls it later with a per-call `baseUrl`: its status is `early`.
   */
  module: string;
  /** What the module resolves to against Prism started from `specs`. */
  expected: Record<string, unknown>;
}

const spec = (path: string) => join(repoRoot, "specs", path);

/** A BTCPay webhook delivery and its BTCPay-Sig, signed with Python's hmac (not our code) using `secret`. */
export const BTCPAY_WEBHOOK = {
  secret: "3aW7tq9YbJkRZsXe2ufN8QeWbFy",
  body: '{"deliveryId":"Kxb4ByC3ds1dRGXA7LMJbS","webhookId":"Rw3AfkY6Zy3E6NMdKt9ZQ1","originalDeliveryId":"Kxb4ByC3ds1dRGXA7LMJbS","isRedelivery":false,"type":"InvoiceSettled","timestamp":1733560000,"storeId":"9CS5hRgKWqDzcDL8NAq4cTAcQRbCnAwNPoLbbbwTTcMX","invoiceId":"QEGuLWpVQrFh3ZTjRwAMKB","metadata":{"orderId":"order-42"},"manuallyMarked":false,"overPaid":false}',
  signature: "sha256=6bfc49dcc86de6334cf9a9331047582fa1b607f0154d4cfbdd07813ef237895a",
};

export const providerSmokes: ProviderSmoke[] = [
  {
    name: "@satbind/btcpay",
    slug: "btcpay",
    specs: { api: spec("btcpay/openapi.yaml") },
    // The webhook check runs Web Crypto's HMAC in each runtime: a delivery signed (by Python's hmac)
    // with a known secret verifies, the same body tampered by one byte does not.
    module: `import { createBtcpayClient, unwrap, errorOf, btcToSats, verifyWebhookSignature } from "@satbind/btcpay";
const early = createBtcpayClient({ serverUrl: "http://127.0.0.1:9", apiKey: "smoke-api-key", maxRetries: 0 });
const BODY = ${JSON.stringify(BTCPAY_WEBHOOK.body)};
export default async function smoke(urls) {
  const btcpay = createBtcpayClient({ serverUrl: urls.api, apiKey: "smoke-api-key", maxRetries: 0 });
  const invoice = unwrap(await btcpay.POST("/api/v1/stores/{storeId}/invoices", { params: { path: { storeId: "smoke-store" } }, body: { amount: "5.00", currency: "USD" } }));
  const missing = await btcpay.GET("/api/v1/invoices/{invoiceId}", { params: { path: { invoiceId: "nope" } }, headers: { Prefer: "code=404" } });
  const signed = await verifyWebhookSignature(BODY, ${JSON.stringify(BTCPAY_WEBHOOK.signature)}, ${JSON.stringify(BTCPAY_WEBHOOK.secret)});
  const tampered = await verifyWebhookSignature(BODY.replace("false", "true"), ${JSON.stringify(BTCPAY_WEBHOOK.signature)}, ${JSON.stringify(BTCPAY_WEBHOOK.secret)});
  const hung = urls.hang && createBtcpayClient({ serverUrl: urls.hang, apiKey: "smoke-api-key", maxRetries: 0 });
  return { checkoutLink: invoice.checkoutLink, sats: String(btcToSats("0.00012345")), error: errorOf(missing)?.name, webhook: { signed, tampered }, early: (await early.GET("/api/v1/health", { baseUrl: urls.api })).response.status, ...(hung && { stalled: await stalled((init) => hung.GET("/api/v1/stores", init)) }) };
}
${STALLED}`,
    expected: { checkoutLink: "https://btcpay.example.com/i/HMprBnL9BTXWuPvpoKBS6e", sats: "12345", error: "NotFoundError", webhook: { signed: true, tampered: false }, early: 200 },
  },
  {
    name: "@satbind/uma-auth",
    slug: "uma-auth",
    specs: { api: spec("uma-auth/openapi.yaml") },
    module: `import { createUmaAuthClient, unwrap, errorOf } from "@satbind/uma-auth";
const early = createUmaAuthClient({ baseUrl: "http://127.0.0.1:9", token: "smoke-token", maxRetries: 0 });
export default async function smoke(urls) {
  const uma = createUmaAuthClient({ baseUrl: urls.api, token: "smoke-token", maxRetries: 0 });
  const info = unwrap(await uma.GET("/info"));
  const failed = await uma.GET("/invoices/{payment_hash}", { params: { path: { payment_hash: "00".repeat(32) } }, headers: { Prefer: "code=404" } });
  const hung = urls.hang && createUmaAuthClient({ baseUrl: urls.hang, token: "smoke-token", maxRetries: 0 });
  return { network: info.network, error: errorOf(failed)?.name, code: failed.error?.code, early: (await early.GET("/balance", { baseUrl: urls.api })).response.status, ...(hung && { stalled: await stalled((init) => hung.GET("/info", init)) }) };
}
${STALLED}`,
    expected: { network: "mainnet", error: "NotFoundError", code: "NOT_FOUND", early: 200 },
  },
  {
    name: "@satbind/lexe",
    slug: "lexe",
    specs: { api: spec("lexe/openapi.yaml") },
    module: `import { createLexeClient, unwrap, errorOf, lexeAmountToMsats, pollUntil } from "@satbind/lexe";
const early = createLexeClient({ maxRetries: 0 });
export default async function smoke(urls) {
  const lexe = createLexeClient({ baseUrl: urls.api, maxRetries: 0 });
  const info = unwrap(await lexe.GET("/v2/node/node_info"));
  const missing = await lexe.GET("/v2/node/payment", { params: { query: { index: "0".repeat(19) + "-ln_" + "0".repeat(64) } }, headers: { Prefer: "code=404" } });
  // The polling helpers' timers and deadline, inside the request (waitForPayment runs on this).
  let looks = 0;
  const polled = await pollUntil({ look: async (signal) => (unwrap(await lexe.GET("/v2/health", { signal })), ++looks), isFinal: (n) => n >= 3, timedOut: () => new Error("polling timed out"), context: { operationId: "health", method: "GET", url: urls.api } }, { intervalMs: 5, timeoutMs: 10000 });
  const hung = urls.hang && createLexeClient({ baseUrl: urls.hang, maxRetries: 0 });
  return { msats: String(lexeAmountToMsats(info.lightning_sendable_balance)), error: errorOf(missing)?.name, code: missing.error?.code, polled, early: (await early.GET("/v2/health", { baseUrl: urls.api })).response.status, ...(hung && { stalled: await stalled((init) => hung.GET("/v2/node/node_info", init)) }) };
}
${STALLED}`,
    expected: { msats: "57505107", error: "NotFoundError", code: 102, polled: 3, early: 200 },
  },
  {
    name: "@satbind/deezy",
    slug: "deezy",
    specs: { api: spec("deezy/openapi.yaml") },
    module: `import { createDeezyClient, unwrap, errorOf, swapFee, webai } from "@satbind/deezy";
const early = createDeezyClient({ network: "testnet", maxRetries: 0 });
export default async function smoke(urls) {
  const deezy = createDeezyClient({ baseUrl: urls.api, maxRetries: 0 });
  const info = unwrap(await deezy.GET("/v1/swap/info"));
  const fee = swapFee(info, 500000, 2);
  const failed = await deezy.GET("/v1/earn/info", { headers: { Prefer: "code=500" } });
  // webai makes its request id with Web Crypto's randomUUID, inside the request.
  const ai = await webai(deezy, { provider: "openai", api_path: "v1/chat/completions", data: {} }, { payInvoice: async () => { throw new Error("the mock's example answer needs no payment"); } });
  const hung = urls.hang && createDeezyClient({ baseUrl: urls.hang, maxRetries: 0 });
  return { total: fee.totalFeeSats, error: errorOf(failed)?.name, ai: ai.object, early: (await early.GET("/v1/earn/info", { baseUrl: urls.api })).response.status, ...(hung && { stalled: await stalled((init) => hung.GET("/v1/swap/info", init)) }) };
}
${STALLED}`,
    expected: { total: 1600, error: "InternalServerError", ai: "chat.completion", early: 200 },
  },
  {
    name: "@satbind/utexo",
    slug: "utexo",
    specs: { v1: spec("utexo/v1.yaml"), v2: spec("utexo/v2.yaml") },
    module: `import { createUtexoClient, payInvoice, unwrap, errorOf } from "@satbind/utexo";
const keys = ${JSON.stringify(UTEXO_KEYS)};
const early = createUtexoClient({ version: "v2", network: "testnet", keys, maxRetries: 0 });
export default async function smoke(urls) {
  const v2 = createUtexoClient({ version: "v2", baseUrl: urls.v2, keys, maxRetries: 0 });
  const sent = await payInvoice(v2, { invoice: "lnbcrt1...", maxFeeSats: 1000 }, async (psbt) => psbt);
  const v1 = createUtexoClient({ version: "v1", baseUrl: urls.v1, keys, maxRetries: 0 });
  const balance = unwrap(await v1.GET("/wallet/balance"));
  const failed = await v1.GET("/wallet/balance", { headers: { Prefer: "code=428" } });
  const hung = urls.hang && createUtexoClient({ version: "v1", baseUrl: urls.hang, keys, maxRetries: 0 });
  return { status: sent.status, spendable: balance.balance.vanilla.spendable, code: errorOf(failed)?.code, early: (await early.GET("/lightning/balance", { baseUrl: urls.v2 })).response.status, ...(hung && { stalled: await stalled((init) => hung.GET("/wallet/balance", init)) }) };
}
${STALLED}`,
    expected: { status: "PENDING", spendable: 500000, code: "SyncNeeded", early: 200 },
  },
];
