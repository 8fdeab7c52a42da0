// The Deezy money flows through this package's client and webai() against the stateful simulator
// of @satbind/testing: a swap paid and paid out, a paid AI call, and lost answers after the
// server committed, each ending in one payment.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createSimulator, type Simulator } from "@satbind/testing";
import { spec } from "../src/generated/api/spec.js";
import { AmbiguousOutcomeError, WebaiPaymentError, bolt11PaymentHash, createDeezyClient, swapFee, unwrap, webai, type DeezyClient } from "../src/index.js";

// The first simulator of a spec builds Prism's engine and the validators: seconds on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
/** How long a call waits on a commit-then-hang before it gives up (the simulator drops it at 5 s, which webai() waits for). */
const HANG_TIMEOUT_MS = 2_000;

type DeezySim = Simulator<NonNullable<(typeof spec)["~operations"]>>;

let sim: DeezySim;
let deezy: DeezyClient;
beforeEach(async () => {
  sim = await createSimulator(spec, { seed: "deezy", hangMs: 5_000 });
  deezy = createDeezyClient({ baseUrl: sim.url, apiToken: "test-token" });
});
afterEach(async () => {
  sim.assertNoDoublePayments();
  await sim.close();
  expect(sim.stats().invalid).toBe(0);
});

const SWAP = { amount_sats: 500_000, on_chain_address: "bcrt1qsimulatorpayout", on_chain_sats_per_vbyte: 2 };
const CHAT = { provider: "openai", api_path: "v1/chat/completions", data: { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello" }] } };
const lookup = (invoice: string) => deezy.GET("/v1/swap/lookup", { params: { query: { bolt11_invoice: invoice } } });

describe("swap", () => {
  it("create_swap answers an invoice for amount plus fee; lookup_swap shows the payout once it is paid", async () => {
    const info = unwrap(await deezy.GET("/v1/swap/info"));
    const swap = unwrap(await deezy.POST("/v1/swap", { body: SWAP }));
    expect(swap.fee_sats).toBe(swapFee(info, SWAP.amount_sats, SWAP.on_chain_sats_per_vbyte).totalFeeSats);
    expect(swap.bolt11_invoice).toMatch(/^lnbcrt5016u1/);
    expect(unwrap(await lookup(swap.bolt11_invoice))).toEqual({ on_chain_txid: null, tx_hex: null });

    sim.payInvoice(swap.bolt11_invoice);

    expect(unwrap(await lookup(swap.bolt11_invoice)).on_chain_txid).toMatch(/^[0-9a-f]{64}$/);
    expect(sim.payments()).toHaveLength(1);
  });

  it.each(["commit-then-reset", "commit-then-hang"] as const)("%s on create_swap: AmbiguousOutcomeError naming the request; nothing is paid until an invoice is", async (kind) => {
    sim.on("create_swap").faultOnce({ kind });

    const error = await deezy.POST("/v1/swap", { body: SWAP, ...(kind === "commit-then-hang" && { timeoutMs: HANG_TIMEOUT_MS }) }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AmbiguousOutcomeError);
    expect((error as AmbiguousOutcomeError).reconcile.request).toEqual(SWAP);
    // The lost swap is an unpaid invoice: no money moved. Ask again and pay the answer once.
    expect(sim.payments()).toHaveLength(0);
    const swap = unwrap(await deezy.POST("/v1/swap", { body: SWAP }));
    sim.payInvoice(swap.bolt11_invoice);
    expect(unwrap(await lookup(swap.bolt11_invoice)).on_chain_txid).not.toBeNull();
    expect(sim.payments()).toHaveLength(1);
  });
});

describe("webai", () => {
  it("402 with an invoice, paid once, then the answer", async () => {
    const paid: string[] = [];
    const answer = await webai(deezy, { ...CHAT, request_id: "req-1" }, { payInvoice: async (invoice) => void paid.push(sim.payInvoice(invoice).paymentHash) });
    expect(answer).toMatchObject({ object: "chat.completion", choices: [{ message: { role: "assistant" } }] });
    expect(sim.calls("webai").map((c) => c.status)).toEqual([402, 200]);
    expect(paid).toEqual([bolt11PaymentHash(sim.calls("webai")[1]!.headers["bolt11-auth"]!)]);
  });

  it("an invoice resent unpaid gets 402 again, and webai() does not pay twice", async () => {
    const error = await webai(deezy, { ...CHAT, request_id: "req-2" }, { payInvoice: async () => undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebaiPaymentError);
    expect(error).toMatchObject({ paid: true, message: expect.stringContaining("asked for payment again") });
    expect(sim.payments()).toHaveLength(0);
  });

  it.each(["commit-then-reset", "commit-then-hang"] as const)("%s on the paid call: the answer is lost, resuming with paidInvoice gets it without paying again", async (kind) => {
    // The paid call (the one after the wallet paid) commits, then loses its answer.
    const payInvoice = async (invoice: string) => {
      sim.payInvoice(invoice);
      sim.on("webai").faultOnce({ kind });
    };

    const error = (await webai(deezy, { ...CHAT, request_id: "req-3" }, { payInvoice }).catch((e: unknown) => e)) as WebaiPaymentError;

    expect(error).toBeInstanceOf(WebaiPaymentError);
    expect(error.paid).toBe(true);
    expect(error.cause).toBeInstanceOf(AmbiguousOutcomeError);
    expect((error.cause as AmbiguousOutcomeError).reconcile.request).toMatchObject({ request_id: "req-3" });
    // As the README says: resume with the same request_id and the paid invoice.
    const answer = await webai(deezy, { ...CHAT, request_id: error.requestId }, { payInvoice, paidInvoice: error.invoice! });
    expect(answer).toMatchObject({ object: "chat.completion" });
    expect(sim.payments()).toHaveLength(1);
  });
});
