// swaps.test.ts: your swap code against a mock of the Deezy API. Run it with vitest.
import { afterAll, afterEach, expect, it } from "vitest";
import { createMock, createSimulator } from "@satbind/testing";
import { spec } from "@satbind/deezy/spec";
import { AmbiguousOutcomeError, createDeezyClient, swapFee, unwrap, webai } from "@satbind/deezy";

// A real server on 127.0.0.1, answering from the spec; every request is checked against it.
const mock = await createMock(spec);
const deezy = createDeezyClient({ baseUrl: mock.url, apiToken: "test-token" });
afterEach(() => mock.reset());
afterAll(() => mock.close());

const SWAP = { amount_sats: 500_000, on_chain_address: "tb1qrcdhlm0mk5lp4r3lx3sjgg2avryp76v2lul3qc", on_chain_sats_per_vbyte: 2 };
const INVOICE = "lntb5m1swapinvoice";

// Your app's code under test: wait until Deezy has sent a swap's payout.
async function waitForPayout(bolt11_invoice: string) {
  for (;;) {
    const payout = unwrap(await deezy.GET("/v1/swap/lookup", { params: { query: { bolt11_invoice } } }));
    if (payout.on_chain_txid) return payout.on_chain_txid;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

it("answers with the spec's examples by default", async () => {
  const info = unwrap(await deezy.GET("/v1/swap/info"));
  expect(swapFee(info, 500_000, 2).totalFeeSats).toBe(1600);
});

it("sees a payout not sent, then sent", async () => {
  mock
    .on("lookup_swap")
    .replyOnce(200, { on_chain_txid: null, tx_hex: null })
    .replyOnce(200, { on_chain_txid: "f".repeat(64), tx_hex: "0200000001" });

  expect(await waitForPayout(INVOICE)).toBe("f".repeat(64));
  expect(mock.calls("lookup_swap")).toHaveLength(2);
});

it("a swap whose answer is lost is sent once, and says what was asked", async () => {
  mock.on("create_swap").fault({ kind: "reset-after-body" });

  const error = await deezy.POST("/v1/swap", { body: SWAP }).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(AmbiguousOutcomeError);
  // Before asking again, check with Deezy whether this swap exists.
  expect((error as AmbiguousOutcomeError).reconcile.request).toEqual(SWAP);
  expect(mock.calls("create_swap")).toHaveLength(1);
});

// createSimulator: the same server with state. Invoices get paid and what they pay for happens.
it("a paid AI call: 402, pay the invoice once, get the answer", async () => {
  const sim = await createSimulator(spec, { seed: "webai" });
  const api = createDeezyClient({ baseUrl: sim.url });
  try {
    // Your wallet pays here; the simulator's payer stands in for it.
    const payInvoice = async (invoice: string) => sim.payInvoice(invoice);

    const answer = await webai(api, { provider: "openai", api_path: "v1/chat/completions", data: {} }, { payInvoice });

    expect(answer.object).toBe("chat.completion");
    expect(sim.payments()).toHaveLength(1);
  } finally {
    await sim.close();
  }
});

it("a swap pays out on-chain once its invoice is paid", async () => {
  const sim = await createSimulator(spec, { seed: "swap" });
  const api = createDeezyClient({ baseUrl: sim.url, apiToken: "test-token" });
  try {
    const swap = unwrap(await api.POST("/v1/swap", { body: SWAP }));
    sim.payInvoice(swap.bolt11_invoice);

    const payout = unwrap(await api.GET("/v1/swap/lookup", { params: { query: { bolt11_invoice: swap.bolt11_invoice } } }));

    expect(payout.on_chain_txid).toMatch(/^[0-9a-f]{64}$/);
  } finally {
    await sim.close();
  }
});
