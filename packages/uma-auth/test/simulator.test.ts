// The UMA Auth money flows through this package's client against the stateful simulator of
// @satbind/testing: an invoice paid and seen settled, a payment whose preimage hashes to the
// invoice's hash, balance and transactions following both, and lost answers after the payment
// committed, each ending in one payment that lookup_invoice finds.
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createSimulator, type Simulator } from "@satbind/testing";
import { spec } from "../src/generated/api/spec.js";
import { AmbiguousOutcomeError, BadRequestError, TimeoutError, bolt11PaymentHash, createUmaAuthClient, errorOf, unwrap, type UmaAuthClient } from "../src/index.js";

// The first simulator of a spec builds Prism's engine and the validators: seconds on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
/** How long a call waits on a commit-then-hang before it gives up (the simulator drops it at 5 s). */
const HANG_TIMEOUT_MS = 2_000;

type UmaSim = Simulator<NonNullable<(typeof spec)["~operations"]>>;
const sha256 = (hex: string) => createHash("sha256").update(Buffer.from(hex, "hex")).digest("hex");

let sim: UmaSim;
let uma: UmaAuthClient;
beforeEach(async () => {
  sim = await createSimulator(spec, { seed: "uma", hangMs: 5_000 });
  uma = createUmaAuthClient({ baseUrl: sim.url, token: "test-jwt" });
});
afterEach(async () => {
  sim.assertNoDoublePayments();
  await sim.close();
  expect(sim.stats().invalid).toBe(0);
});

const lookup = (paymentHash: string) => uma.GET("/invoices/{payment_hash}", { params: { path: { payment_hash: paymentHash } } });

describe("receive", () => {
  it("make_invoice, then lookup_invoice sees it settled once paid; balance and transactions follow", async () => {
    const before = unwrap(await uma.GET("/balance")).balance;
    const made = unwrap(await uma.POST("/invoice", { body: { amount: 250_000, description: "Order #4271", expiry: 600 } }));
    expect(bolt11PaymentHash(made.invoice!)).toBe(made.payment_hash);
    expect(unwrap(await lookup(made.payment_hash))).toMatchObject({ type: "incoming", settled_at: null, preimage: null });
    expect(unwrap(await uma.GET("/transactions")).transactions).toEqual([]);

    sim.advance(5_000);
    const { preimage } = sim.payInvoice(made.invoice!);

    const settled = unwrap(await lookup(made.payment_hash));
    expect(settled).toMatchObject({ settled_at: made.created_at + 5, preimage, amount: 250_000 });
    expect(sha256(preimage)).toBe(made.payment_hash);
    expect(unwrap(await uma.GET("/balance")).balance - before).toBe(250_000);
    expect(unwrap(await uma.GET("/transactions", { params: { query: { type: "incoming" } } })).transactions.map((t) => t.payment_hash)).toEqual([made.payment_hash]);
  });

  it("an unknown payment hash is NOT_FOUND", async () => {
    const result = await lookup("ab".repeat(32));
    expect(result.status).toBe(404);
    expect(errorOf(result)).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("pay", () => {
  it("pay_invoice answers the preimage of the invoice's hash; the payment is an outgoing transaction", async () => {
    const invoice = sim.invoice({ amountSats: 5_000, description: "Tip jar" });
    const before = unwrap(await uma.GET("/balance")).balance;

    const { preimage } = unwrap(await uma.POST("/payments/bolt11", { body: { invoice } }));

    expect(sha256(preimage)).toBe(bolt11PaymentHash(invoice));
    const tx = unwrap(await lookup(bolt11PaymentHash(invoice)!));
    expect(tx).toMatchObject({ type: "outgoing", amount: 5_000_000, fees_paid: 5_000, preimage });
    expect(before - unwrap(await uma.GET("/balance")).balance).toBe(5_005_000);
    expect(unwrap(await uma.GET("/transactions", { params: { query: { type: "outgoing" } } })).transactions).toHaveLength(1);
  });

  it("a failed payment is a 400 PAYMENT_FAILED and moves nothing", async () => {
    sim.failNextPayment("no route");
    const result = await uma.POST("/payments/bolt11", { body: { invoice: sim.invoice({ amountSats: 1 }) } });
    expect(errorOf(result)).toBeInstanceOf(BadRequestError);
    expect(errorOf(result)).toMatchObject({ code: "PAYMENT_FAILED" });
    expect(unwrap(await uma.GET("/balance")).balance).toBe(1_000_000_000);
  });
});

describe("a payment whose answer is lost after it committed", () => {
  it.each(["commit-then-reset", "commit-then-hang"] as const)("%s: AmbiguousOutcomeError, lookup_invoice finds the one payment", async (kind) => {
    const invoice = sim.invoice({ amountSats: 2_000 });
    sim.on("pay_invoice").faultOnce({ kind });

    const error = await uma.POST("/payments/bolt11", { body: { invoice }, ...(kind === "commit-then-hang" && { timeoutMs: HANG_TIMEOUT_MS }) }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AmbiguousOutcomeError);
    if (kind === "commit-then-hang") expect(error).toBeInstanceOf(TimeoutError);
    const { reconcile } = error as AmbiguousOutcomeError;
    expect(reconcile.lookUpWith).toBe("lookup_invoice");
    // As the README says: look it up with lookup_invoice before paying again.
    const found = unwrap(await lookup(reconcile.paymentHash as string));
    expect(found).toMatchObject({ type: "outgoing", amount: 2_000_000 });
    expect(found.settled_at).not.toBeNull();
    expect(sha256(found.preimage!)).toBe(reconcile.paymentHash);
    expect(sim.calls("pay_invoice")).toHaveLength(1);
    expect(sim.payments()).toHaveLength(1);
  });
});
