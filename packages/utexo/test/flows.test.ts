// The begin -> sign -> end flows against a real local HTTP server playing a UTEXO node: the happy
// paths, a signer that throws, a begin the node refuses, and every way the end call can fail,
// from "provably not sent" to "may have spent".
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hang, json, reset, startTestServer, type TestServer } from "@satbind/test-support/test-server";
import {
  AbortError,
  AmbiguousOutcomeError,
  BadRequestError,
  InternalServerError,
  NetworkError,
  PsbtFlowError,
  PsbtFlowOutcomeUnknownError,
  TimeoutError,
  UnprocessableEntityError,
  createUtexoClient,
  onchainSend,
  payInvoice,
  waitForSendRequest,
  withdraw,
  type SignPsbt,
  type UtexoVersion,
} from "../src/index.js";
import { KEYS } from "./keys.js";

// A real regtest invoice from UTEXO's integration guide, and its payment hash.
const INVOICE =
  "lnbcrt100u1p54l4hddqud3jxktt5w46x7unfv9kz6mn0v3jsnp4qvfsflxyq4vq2nuwe23glrjde3y7rh0utgxx93n7fkk0h49l734t7pp5vxqqjne4mr6293n9jg34ywhahp6x8lv4epvxj3kpgax26v5dpzkssp5hs86lftqq0dl2lfda69nptkk4l7aqkx2d6kmtscze9xf9jf82akq9qyysgqcqpcxqzdye8uucd8ra8r2urmh9v79uyel4xdfd2l533l327jh76a28suxfvlj366ncagm6mx32drj6vmzdr0ky5nlxw6d4uk6q78448s3whc485qq9qzrtv";
const PAYMENT_HASH = "6180094f35d8f4a2c6659223523afdb87463fd95c8586946c1474cad328d08ad";
const UNSIGNED = "cHNidP8BAHECAAAAAQ==";
const SIGNED = "cHNidP8BAHECAAAAAQ==c2lnbmVk";
const SEND_REQUEST = { id: PAYMENT_HASH, status: "PENDING", payment_type: "BTC", amount_sats: 10000, asset: null, fee_sats: null, created_at: "2026-01-08T16:46:02Z" };
const INSUFFICIENT = { error: "InsufficientBitcoins", message: "Insufficient bitcoins: needed 11000, available 5000", status: 422 };

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

function client<V extends UtexoVersion>(version: V, options: { timeoutMs?: number } = {}) {
  return createUtexoClient({ version, baseUrl: server.url, keys: KEYS, maxRetries: 5, retry: { initialDelayMs: 1, maxDelayMs: 5 }, ...options });
}

/** Plays a node: begin answers the unsigned PSBT, end whatever `end` does. */
function node(end: (res: Parameters<typeof json>[0]) => unknown = (res) => json(res, 200, SEND_REQUEST)) {
  server.handle(({ request, res }) => {
    if (request.url.endsWith("-begin")) return json(res, 200, UNSIGNED);
    if (request.url.endsWith("-end")) return end(res) as void;
    return json(res, 404, { detail: "Not Found" });
  });
}

const signer = (): SignPsbt & { calls: unknown[][] } => {
  const calls: unknown[][] = [];
  const sign = Object.assign(async (psbt: string, context: unknown) => (calls.push([psbt, context]), SIGNED), { calls });
  return sign;
};

const paths = () => server.requests.map((r) => `${r.method} ${r.url}`);
const bodies = () => server.requests.map((r) => JSON.parse(r.body || "null"));

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the flow to fail");
}

describe.each(["v1", "v2"] as const)("payInvoice on %s", (version) => {
  it("begins, hands the PSBT to the signer, ends with the signed PSBT, and returns the send request", async () => {
    node();
    const sign = signer();
    const result = await payInvoice(client(version), { invoice: INVOICE, maxFeeSats: 1000 }, sign);
    expect(result).toEqual(SEND_REQUEST);
    expect(paths()).toEqual(["POST /lightning/pay-invoice-begin", "POST /lightning/pay-invoice-end"]);
    expect(bodies()).toEqual([{ invoice: INVOICE, max_fee_sats: 1000 }, { signed_psbt: SIGNED }]);
    expect(sign.calls).toEqual([[UNSIGNED, { flow: "payInvoice", signal: undefined }]]);
    for (const request of server.requests) {
      expect([request.headers["xpub-van"], request.headers["xpub-col"], request.headers["master-fingerprint"]]).toEqual([KEYS.xpubVan, KEYS.xpubCol, KEYS.masterFingerprint]);
    }
  });
});

describe("withdraw (v1) and onchainSend (v2)", () => {
  it("withdraw runs /wallet/withdraw-begin and -end", async () => {
    node((res) => json(res, 200, { withdrawal_id: "w-1", txid: null }));
    const request = { address_or_rgbinvoice: "bcrt1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh", amount_sats: 100_000, fee_rate: 2 };
    expect(await withdraw(client("v1"), request, signer())).toEqual({ withdrawal_id: "w-1", txid: null });
    expect(paths()).toEqual(["POST /wallet/withdraw-begin", "POST /wallet/withdraw-end"]);
    expect(bodies()).toEqual([request, { signed_psbt: SIGNED }]);
  });

  it("onchainSend runs /lightning/onchain-send-begin and -end, an asset to an RGB invoice", async () => {
    node((res) => json(res, 200, { send_id: "s-1", txid: "ab".repeat(32) }));
    const request = { address_or_rgbinvoice: "rgb:invoice", fee_rate: 1, asset: { asset_id: "rgb:asset", amount: 10 } };
    expect(await onchainSend(client("v2"), request, signer())).toEqual({ send_id: "s-1", txid: "ab".repeat(32), sendId: "s-1" });
    expect(paths()).toEqual(["POST /lightning/onchain-send-begin", "POST /lightning/onchain-send-end"]);
  });

  it("refuses requests that cannot be right before sending anything", async () => {
    const v1 = client("v1");
    await expect(withdraw(v1, { address_or_rgbinvoice: "rgb:invoice", fee_rate: 1 }, signer())).rejects.toThrow("withdraw: sending to an RGB invoice needs request.asset");
    await expect(withdraw(v1, { address_or_rgbinvoice: "bcrt1q", fee_rate: 1 }, signer())).rejects.toThrow("withdraw: sending bitcoin needs request.amount_sats");
    await expect(onchainSend(client("v2"), { address_or_rgbinvoice: "bcrt1q", amount_sats: 1.5, fee_rate: 1 }, signer())).rejects.toThrow("request.amount_sats must be a whole number of sats");
    await expect(onchainSend(client("v2"), { address_or_rgbinvoice: "bcrt1q", amount_sats: 1000, fee_rate: 0 }, signer())).rejects.toThrow("request.fee_rate must be a whole number of sat/vB, 1 or more; got 0");
    await expect(payInvoice(v1, { invoice: "", maxFeeSats: 10 }, signer())).rejects.toThrow("payInvoice needs request.invoice");
    await expect(payInvoice(v1, { invoice: INVOICE, maxFeeSats: -1 }, signer())).rejects.toThrow("request.maxFeeSats must be a whole number of sats, 0 or more; got -1");
    await expect(payInvoice(v1, { invoice: INVOICE, maxFeeSats: 10 }, "sign" as never)).rejects.toThrow("payInvoice needs a signPsbt function");
    expect(server.requests).toHaveLength(0);
  });
});

describe("failures before the end call: nothing spent, safe to start again", () => {
  it("a signer that throws: the end call is never made", async () => {
    node();
    const secretish = new Error("bad mnemonic: abandon abandon abandon");
    const error = await failure(payInvoice(client("v2"), { invoice: INVOICE, maxFeeSats: 1000 }, async () => { throw secretish; }));
    expect(error).toBeInstanceOf(PsbtFlowError);
    expect(error).toMatchObject({ flow: "payInvoice", step: "sign", fundsMoved: false, cause: secretish });
    expect(error.message).not.toContain("mnemonic");
    expect(paths()).toEqual(["POST /lightning/pay-invoice-begin"]);
  });

  it.each([["an empty string", ""], ["undefined", undefined], ["an object", {}]])("a signer that returns %s: the end call is never made", async (_, value) => {
    node();
    const error = await failure(payInvoice(client("v2"), { invoice: INVOICE, maxFeeSats: 1000 }, async () => value as string));
    expect(error).toMatchObject({ name: "PsbtFlowError", step: "sign" });
    expect(error.message).toContain("not a base64 PSBT");
    expect(server.requests).toHaveLength(1);
  });

  it("a begin the node refuses (422): the signer is never called", async () => {
    server.handle(({ res }) => json(res, 422, INSUFFICIENT));
    const sign = signer();
    const error = await failure(withdraw(client("v1"), { address_or_rgbinvoice: "bcrt1q", amount_sats: 10_000, fee_rate: 1 }, sign));
    expect(error).toMatchObject({ name: "PsbtFlowError", flow: "withdraw", step: "begin", fundsMoved: false, operationId: "withdrawBegin" });
    expect((error as PsbtFlowError).cause).toBeInstanceOf(UnprocessableEntityError);
    expect((error as PsbtFlowError).cause).toMatchObject({ code: "InsufficientBitcoins" });
    expect(sign.calls).toHaveLength(0);
    expect(server.requests).toHaveLength(1);
  });

  it("a begin that answers something other than a PSBT", async () => {
    server.handle(({ res }) => json(res, 200, { psbt: UNSIGNED }));
    const error = await failure(onchainSend(client("v2"), { address_or_rgbinvoice: "bcrt1q", amount_sats: 1000, fee_rate: 1 }, signer()));
    expect(error).toMatchObject({ name: "PsbtFlowError", step: "begin" });
    expect(error.message).toBe("onchainSend failed at begin: the node answered no PSBT; nothing was spent");
  });

  it("a begin that times out is not retried and is not an unknown outcome: begin spends nothing", async () => {
    server.handle(() => hang());
    const error = await failure(payInvoice(client("v2", { timeoutMs: 100 }), { invoice: INVOICE, maxFeeSats: 1000 }, signer()));
    expect(error).toMatchObject({ name: "PsbtFlowError", step: "begin", fundsMoved: false });
    expect((error as PsbtFlowError).cause).toBeInstanceOf(TimeoutError);
    expect(server.requests).toHaveLength(1);
  });

  it("an end the node refuses (400) spent nothing", async () => {
    node((res) => json(res, 400, { error: "InvalidPsbt", message: "PSBT is not signed", status: 400 }));
    const error = await failure(payInvoice(client("v2"), { invoice: INVOICE, maxFeeSats: 1000 }, signer()));
    expect(error).toMatchObject({ name: "PsbtFlowError", step: "end", fundsMoved: false, operationId: "payLightningInvoiceEnd" });
    expect((error as PsbtFlowError).cause).toBeInstanceOf(BadRequestError);
  });

  it("an end that cannot connect was never sent", async () => {
    node();
    // The node goes away while the wallet signs.
    const error = await failure(payInvoice(client("v2"), { invoice: INVOICE, maxFeeSats: 1000 }, async () => (await server.close(), SIGNED)));
    expect(error).toMatchObject({ name: "PsbtFlowError", step: "end", fundsMoved: false });
    expect((error as PsbtFlowError).cause).toBeInstanceOf(NetworkError);
  });

  it("aborting while the wallet signs: the end call is never made", async () => {
    node();
    const controller = new AbortController();
    const error = await failure(
      payInvoice(client("v2"), { invoice: INVOICE, maxFeeSats: 1000 }, async () => (controller.abort(new Error("user cancelled")), SIGNED), { signal: controller.signal }),
    );
    expect(error).toMatchObject({ name: "PsbtFlowError", step: "end", fundsMoved: false });
    expect(error.message).toBe("payInvoice failed at end: aborted before the end call was sent; nothing was spent");
    expect(server.requests).toHaveLength(1);
  });

  it("the signer gets the flow's signal and can stop on it", async () => {
    node();
    const controller = new AbortController();
    // A signer waiting for the user, who cancels while it waits.
    const sign: SignPsbt = (_psbt, { signal }) =>
      new Promise((_, reject) => {
        signal!.addEventListener("abort", () => reject(signal!.reason), { once: true });
        setTimeout(() => controller.abort(new Error("user cancelled")), 5);
      });
    const error = await failure(payInvoice(client("v2"), { invoice: INVOICE, maxFeeSats: 1000 }, sign, { signal: controller.signal }));
    expect(error).toMatchObject({ name: "PsbtFlowError", step: "sign" });
    expect(server.requests).toHaveLength(1);
  });
});

describe("an end call whose outcome is unknown: AmbiguousOutcomeError, sent once, with what to look up", () => {
  it("end times out: the payment hash to look up, never retried", async () => {
    node(() => hang());
    // Long enough for begin on a loaded machine; end hangs, so it runs out.
    const error = await failure(payInvoice(client("v2", { timeoutMs: 1000 }), { invoice: INVOICE, maxFeeSats: 1000 }, signer()));
    expect(error).toBeInstanceOf(AmbiguousOutcomeError);
    expect(error).toBeInstanceOf(PsbtFlowOutcomeUnknownError);
    expect(error).toMatchObject({ flow: "payInvoice", step: "end", requestSent: "unknown", movesFunds: true, operationId: "payLightningInvoiceEnd" });
    expect((error as PsbtFlowOutcomeUnknownError).reconcile).toMatchObject({ paymentHash: PAYMENT_HASH });
    expect(error.cause).toBeInstanceOf(TimeoutError);
    expect(error.message).toContain("timed out after 1000 ms, so it may have spent");
    expect(error.message).toContain(`/lightning/send-request/${PAYMENT_HASH}`);
    expect(paths().filter((p) => p.endsWith("-end"))).toHaveLength(1);
  });

  it("end's connection drops after it was sent", async () => {
    node((res) => reset(res));
    const error = await failure(payInvoice(client("v1"), { invoice: INVOICE, maxFeeSats: 1000 }, signer()));
    expect(error).toBeInstanceOf(PsbtFlowOutcomeUnknownError);
    expect(error.message).toContain("lost its answer");
    expect(server.requests).toHaveLength(2);
  });

  it("end answers 500 (the node may have failed after spending): not retried despite maxRetries 5", async () => {
    node((res) => json(res, 500, { error: "InternalServerError", message: "[Manager] An unexpected error occurred. Please try again later." }));
    const request = { address_or_rgbinvoice: "bcrt1q", amount_sats: 10_000, fee_rate: 1 };
    const error = await failure(withdraw(client("v1"), request, signer()));
    expect(error).toBeInstanceOf(PsbtFlowOutcomeUnknownError);
    expect(error.cause).toBeInstanceOf(InternalServerError);
    expect((error as PsbtFlowOutcomeUnknownError).reconcile).toMatchObject({ request });
    expect(server.requests).toHaveLength(2);
  });

  it("aborting while end is in flight", async () => {
    const controller = new AbortController();
    // The caller gives up once the node has the end call.
    node(() => (controller.abort(), hang()));
    const flow = onchainSend(client("v2"), { address_or_rgbinvoice: "bcrt1q", amount_sats: 1000, fee_rate: 1 }, signer(), { signal: controller.signal });
    const error = await failure(flow);
    expect(error).toBeInstanceOf(PsbtFlowOutcomeUnknownError);
    expect(error.cause).toBeInstanceOf(AbortError);
  });

  it("the reconcile data finds the payment", async () => {
    let ended = false;
    server.handle(({ request, res }) => {
      if (request.url.endsWith("-begin")) return json(res, 200, UNSIGNED);
      if (request.url.endsWith("-end")) return void ((ended = true), reset(res));
      if (request.url === `/lightning/send-request/${PAYMENT_HASH}`) return json(res, 200, ended ? { ...SEND_REQUEST, status: "SUCCEEDED", fee_sats: 3 } : null);
      return json(res, 404, { detail: "Not Found" });
    });
    const c = client("v2");
    const error = (await failure(payInvoice(c, { invoice: INVOICE, maxFeeSats: 1000 }, signer()))) as PsbtFlowOutcomeUnknownError;
    const found = await waitForSendRequest(c, error.reconcile.paymentHash as string, { intervalMs: 5 });
    expect(found).toMatchObject({ id: PAYMENT_HASH, status: "SUCCEEDED", fee_sats: 3 });
  });
});

describe("keys stay out of flow errors", () => {
  it("a node that echoes the wallet headers in its error", async () => {
    node((res) => json(res, 400, { error: "WalletMismatch", message: `wallet ${KEYS.xpubVan}/${KEYS.xpubCol}/${KEYS.masterFingerprint} not registered`, status: 400 }));
    const logged: unknown[] = [];
    const logger = { debug: (...a: unknown[]) => logged.push(a), info: (...a: unknown[]) => logged.push(a), warn: (...a: unknown[]) => logged.push(a), error: (...a: unknown[]) => logged.push(a) };
    const c = createUtexoClient({ version: "v2", baseUrl: server.url, keys: KEYS, logger });
    const error = await failure(payInvoice(c, { invoice: INVOICE, maxFeeSats: 1000 }, signer()));
    const seen = [error.message, JSON.stringify(error), inspect(error, { depth: 10 }), JSON.stringify((error as PsbtFlowError).cause), inspect(logged, { depth: 10 })].join("\n");
    for (const key of Object.values(KEYS)) expect(seen).not.toContain(key);
    expect(seen).toContain("[REDACTED]");
  });
});
