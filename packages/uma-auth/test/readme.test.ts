// payments.test.ts: your payment code against a mock of a VASP's UMA Auth API. Run it with vitest.
import { afterAll, afterEach, expect, it } from "vitest";
import { createMock, createSimulator } from "@satbind/testing";
import { spec } from "@satbind/uma-auth/spec";
import { AmbiguousOutcomeError, createUmaAuthClient, unwrap } from "@satbind/uma-auth";

// A real server on 127.0.0.1, answering from the spec; every request is checked against it.
const mock = await createMock(spec);
const uma = createUmaAuthClient({ baseUrl: mock.url, token: "test-jwt" });
afterEach(() => mock.reset());
afterAll(() => mock.close());

const PAYMENT_HASH = "6e0ed69b371aa63ed16c80db9e16632545d0476c89d99aef8ec52fa545955f23";
const INVOICE =
  "lnbc2500n1pn04jcqpp5dc8ddxehr2nra5tvsrdeu9nry4zaq3mv38ve4muwc5h623v4tu3ssp5qw8hgetpjwf96nhgvn22ewxdac2d25uwc5hgqncupf05lq5l2azsdpdfaexgetjyq3ngv3hxyazqarhdusxvmrpwss8w6rfw3jhxxqrrsscqzys9qypqsqu7p58pk9472pvhns0xmc4havanvw257zedkhk5sssz7f4ew9tc0y5h474cewccsmadlu2pscs6pdugnt30tf79s6565ap9khu9teqwgp7ajfz4";

// Your app's code under test: wait until an invoice is paid.
async function waitUntilPaid(paymentHash: string, client = uma) {
  for (;;) {
    const tx = unwrap(await client.GET("/invoices/{payment_hash}", { params: { path: { payment_hash: paymentHash } } }));
    if (tx.settled_at) return tx;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

it("answers with the spec's examples by default", async () => {
  const info = unwrap(await uma.GET("/info"));
  expect(info.network).toBe("mainnet");
});

it("sees an invoice unpaid, then paid", async () => {
  const unpaid = { type: "incoming", invoice: INVOICE, payment_hash: PAYMENT_HASH, amount: 250_000, created_at: 1727712000, preimage: null, settled_at: null } as const;
  mock
    .on("lookup_invoice")
    .replyOnce(200, unpaid)
    .replyOnce(200, { ...unpaid, preimage: "1a6697d65e40395d301e43319752d03ec91d4285b4291efbe9c90cb63e3abdf0", settled_at: 1727712095 });

  const paid = await waitUntilPaid(PAYMENT_HASH);

  expect(paid.settled_at).toBe(1727712095);
  expect(mock.calls("lookup_invoice")).toHaveLength(2);
});

it("a payment whose answer is lost is sent once, and says how to find it", async () => {
  mock.on("pay_invoice").fault({ kind: "reset-after-body" });

  const error = await uma.POST("/payments/bolt11", { body: { invoice: INVOICE } }).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(AmbiguousOutcomeError);
  // Look it up with lookup_invoice before paying again.
  expect((error as AmbiguousOutcomeError).reconcile.paymentHash).toBe(PAYMENT_HASH);
  expect(mock.calls("pay_invoice")).toHaveLength(1);
});

// createSimulator: the same server with state. Invoices get paid, payments move the balance, and
// lookups see both, so the whole flow your app runs can be tested.
it("an invoice is seen settled once it is paid", async () => {
  const sim = await createSimulator(spec, { seed: "shop" });
  const wallet = createUmaAuthClient({ baseUrl: sim.url, token: "test-jwt" });
  try {
    const invoice = unwrap(await wallet.POST("/invoice", { body: { amount: 250_000, description: "Order #4271" } }));
    sim.payInvoice(invoice.invoice!); // the customer pays it

    expect((await waitUntilPaid(invoice.payment_hash, wallet)).amount).toBe(250_000);
  } finally {
    await sim.close();
  }
});

it("pay, lose the answer, reconcile: the payment is found, and made once", async () => {
  const sim = await createSimulator(spec, { seed: "pay" });
  const wallet = createUmaAuthClient({ baseUrl: sim.url, token: "test-jwt" });
  try {
    // The VASP pays, then the connection drops before its answer arrives.
    sim.on("pay_invoice").faultOnce({ kind: "commit-then-reset" });
    const error = await wallet.POST("/payments/bolt11", { body: { invoice: sim.invoice({ amountSats: 500 }) } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmbiguousOutcomeError);

    // Before paying again, look it up by the payment hash in error.reconcile.
    const paymentHash = String((error as AmbiguousOutcomeError).reconcile.paymentHash);
    const payment = unwrap(await wallet.GET("/invoices/{payment_hash}", { params: { path: { payment_hash: paymentHash } } }));

    expect([payment.type, payment.amount]).toEqual(["outgoing", 500_000]);
    sim.assertNoDoublePayments();
  } finally {
    await sim.close();
  }
});
