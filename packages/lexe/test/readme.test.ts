// payments.test.ts: your payment code against a mock of the Lexe sidecar. Run it with vitest.
import { afterAll, afterEach, expect, it } from "vitest";
import { createMock, createSimulator } from "@satbind/testing";
import { spec } from "@satbind/lexe/spec";
import { AmbiguousOutcomeError, createLexeClient, unwrap, waitForPayment } from "@satbind/lexe";

// A real server on 127.0.0.1, answering from Lexe's spec; every request is checked against it.
const mock = await createMock(spec);
const lexe = createLexeClient({ baseUrl: mock.url });
afterEach(() => mock.reset());
afterAll(() => mock.close());

const INDEX = "0000001744926842458-ln_e1f8e7fa3f3b43eb65afe4897ca1c63688636ba0a23b3011710e433b51bb3f9a";
const INVOICE =
  "lnbc100n1p5qz7z2dq58skjqnr90pjjq4r9wd6qpp5u8uw073l8dp7ked0ujyhegwxx6yxx6aq5ganqyt3pepnk5dm87dqcqpcsp5nrs44f3upgxysnylrrpyrxs96mgazjjstuykyew74zv0najzkdeq9qyysgqxqyz5vqnp4q0w73a6xytxxrhuuvqnqjckemyhv6avveuftl64zzm5878vq3zr4jrzjqv22wafr68wtchd4vzq7mj7zf2uzpv67xsaxcemfzak7wp7p0r29wz5ecsqq2pgqqcqqqqqqqqqqhwqqfqrpeeq5xdys8vcfcark45w992h6j5nhajc62wet0q25ggxjwhtcfn8c3qx30fqzq8mqxfdtks57zw25zp0z2kl9yrfwkkthxclawxpfcqtdcpfu";

it("answers with the spec's examples by default", async () => {
  const info = unwrap(await lexe.GET("/v2/node/node_info"));
  expect(info.lightning_sendable_balance).toBe("57505.107");
});

it("reads a payment that is pending, then completed", async () => {
  const payment = { index: INDEX, rail: "invoice", kind: "invoice", direction: "outbound", txid: null, amount: "10", fees: "0.03", note: null } as const;
  mock
    .on("get_payment")
    .replyOnce(200, { ...payment, status: "pending", status_msg: "in flight" })
    .replyOnce(200, { ...payment, status: "completed", status_msg: "completed", finalized_at: 1744926857989 });

  const final = await waitForPayment(lexe, INDEX, { intervalMs: 10 });

  expect(final.status).toBe("completed");
  expect(mock.calls("get_payment")).toHaveLength(2);
});

it("a payment whose answer is lost is sent once, and says how to find it", async () => {
  mock.on("pay_invoice").fault({ kind: "reset-after-body" });

  const error = await lexe.POST("/v2/node/pay_invoice", { body: { invoice: INVOICE } }).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(AmbiguousOutcomeError);
  // The payment hash comes from the invoice: look the payment up before paying again.
  expect((error as AmbiguousOutcomeError).reconcile.index).toMatch(/-ln_e1f8e7fa3f3b43eb/);
  expect(mock.calls("pay_invoice")).toHaveLength(1);
});

// createSimulator: the same server with state. Invoices get paid, payments move the balance, and
// lookups see both, so the whole flow your app runs can be tested.
it("receive and ship: the order ships once its invoice is paid", async () => {
  const sim = await createSimulator(spec, { seed: "shop" });
  const wallet = createLexeClient({ baseUrl: sim.url });
  try {
    const created = unwrap(await wallet.POST("/v2/node/create_invoice", { body: { expiration_secs: 3600, amount: "1000" } }));
    sim.payInvoice(created.invoice); // the customer pays it

    const payment = await waitForPayment(wallet, created.index, { intervalMs: 10 });

    expect([payment.status, payment.amount]).toEqual(["completed", "1000"]); // ship the order
  } finally {
    await sim.close();
  }
});

it("pay, lose the answer, reconcile: the payment is found, and made once", async () => {
  const sim = await createSimulator(spec, { seed: "pay" });
  const wallet = createLexeClient({ baseUrl: sim.url });
  try {
    // The sidecar pays, then the connection drops before its answer arrives.
    sim.on("pay_invoice").faultOnce({ kind: "commit-then-reset" });
    const error = await wallet.POST("/v2/node/pay_invoice", { body: { invoice: sim.invoice({ amountSats: 500 }) } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmbiguousOutcomeError);

    // Before paying again, look it up with what error.reconcile says.
    const payment = await waitForPayment(wallet, String((error as AmbiguousOutcomeError).reconcile.index), { intervalMs: 10 });

    expect(payment.status).toBe("completed");
    sim.assertNoDoublePayments();
  } finally {
    await sim.close();
  }
});
