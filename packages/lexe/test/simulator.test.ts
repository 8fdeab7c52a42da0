// The Lexe money flows through this package's client and waitForPayment, against the stateful
// simulator of @satbind/testing: receive and ship, pay, expiry, and every way a payment's answer
// can be lost after it committed, each ending in one payment that reconcile finds.
import { createHash } from "node:crypto";
import { request as httpRequest } from "node:http";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createSimulator, type Simulator } from "@satbind/testing";
import { spec } from "../src/generated/api/spec.js";
import { AmbiguousOutcomeError, PaymentNotFoundError, TimeoutError, bolt11PaymentHash, createLexeClient, unwrap, waitForPayment, type LexeClient } from "../src/index.js";

// The first simulator of a spec builds Prism's engine and the validators: seconds on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
/** How long a call waits on a commit-then-hang before it gives up (the simulator drops it at 5 s). */
const HANG_TIMEOUT_MS = 2_000;

type LexeSim = Simulator<NonNullable<(typeof spec)["~operations"]>>;
const sha256 = (hex: string) => createHash("sha256").update(Buffer.from(hex, "hex")).digest("hex");

let sim: LexeSim;
let lexe: LexeClient;
beforeEach(async () => {
  sim = await createSimulator(spec, { seed: "lexe", hangMs: 5_000 });
  lexe = createLexeClient({ baseUrl: sim.url, retry: { initialDelayMs: 1, maxDelayMs: 5 } });
});
afterEach(async () => {
  sim.assertNoDoublePayments();
  await sim.close();
  expect(sim.stats().invalid).toBe(0);
});

describe("receive", () => {
  it("an invoice is pending, then completed once paid; the balance moves", async () => {
    const before = unwrap(await lexe.GET("/v2/node/node_info"));
    const created = unwrap(await lexe.POST("/v2/node/create_invoice", { body: { expiration_secs: 3600, amount: "1000", description: "Order 42" } }));
    expect(created.invoice).toMatch(/^lnbcrt10u1/);
    expect(bolt11PaymentHash(created.invoice)).toBe(created.payment_hash);
    expect(unwrap(await lexe.GET("/v2/node/payment", { params: { query: { index: created.index } } }))).toMatchObject({ status: "pending", direction: "inbound", amount: "1000" });

    const { preimage } = sim.payInvoice(created.invoice);
    const paid = await waitForPayment(lexe, created.index, { intervalMs: 5 });

    expect(paid).toMatchObject({ status: "completed", amount: "1000", preimage, hash: created.payment_hash });
    expect(sha256(preimage)).toBe(created.payment_hash);
    const after = unwrap(await lexe.GET("/v2/node/node_info"));
    expect(Number(after.lightning_balance) - Number(before.lightning_balance)).toBe(1000);
    const listed = unwrap(await lexe.GET("/v2/node/list_payments", { params: { query: { filter: "completed" } } }));
    expect(listed.payments.map((p) => p.index)).toEqual([created.index]);
    expect(sim.payments()).toHaveLength(1);
  });

  it("wait_for_payment answers when the invoice is paid", async () => {
    const created = unwrap(await lexe.POST("/v2/node/create_invoice", { body: { expiration_secs: 3600, amount: "21" } }));
    const waiting = lexe.GET("/v2/node/wait_for_payment", { params: { query: { index: created.index, timeout_secs: 5 } } });
    await sim.nextCall("wait_for_payment");
    sim.payInvoice(created.invoice);
    expect(unwrap(await waiting)).toMatchObject({ index: created.index, status: "completed" });
  });

  it("an invoice expires on the virtual clock", async () => {
    const created = unwrap(await lexe.POST("/v2/node/create_invoice", { body: { expiration_secs: 60, amount: "5" } }));
    sim.advance(60_000);
    const expired = await waitForPayment(lexe, created.index);
    expect(expired).toMatchObject({ status: "failed", status_msg: "invoice expired", finalized_at: created.expires_at });
    expect(() => sim.payInvoice(created.invoice)).toThrow(/expired/);
  });

  it("updated_payments lists changes after a cursor, oldest first", async () => {
    const first = unwrap(await lexe.POST("/v2/node/create_invoice", { body: { expiration_secs: 3600, amount: "1" } }));
    sim.advance(1_000);
    const second = unwrap(await lexe.POST("/v2/node/create_invoice", { body: { expiration_secs: 3600, amount: "2" } }));
    const page = unwrap(await lexe.GET("/v2/node/updated_payments"));
    expect(page.payments.map((p) => p.index)).toEqual([first.index, second.index]);
    sim.advance(1_000);
    sim.payInvoice(first.invoice);
    const next = unwrap(await lexe.GET("/v2/node/updated_payments", { params: { query: { start_index: page.updated_index! } } }));
    expect(next.payments.map((p) => [p.index, p.status])).toEqual([[first.index, "completed"]]);
  });
});

describe("pay", () => {
  it("pays another node's invoice: completed, with the preimage of its hash; the balance drops by amount and fees", async () => {
    const invoice = sim.invoice({ amountSats: 500, description: "coffee" });
    const paid = await waitForPayment(lexe, unwrap(await lexe.POST("/v2/node/pay_invoice", { body: { invoice } })));
    expect(paid).toMatchObject({ status: "completed", direction: "outbound", amount: "500", fees: "1" });
    expect(sha256(paid.preimage!)).toBe(bolt11PaymentHash(invoice));
    expect(unwrap(await lexe.GET("/v2/node/node_info")).lightning_balance).toBe("999499");
  });

  it.each(["commit-then-reset", "commit-then-hang"] as const)("pay with a BOLT11 payable pays it as pay_invoice does; %s, then reconcile finds it", async (kind) => {
    const invoice = sim.invoice({ amountSats: 40 });
    sim.on("pay").faultOnce({ kind });
    const error = (await lexe.POST("/v2/node/pay", { body: { payable: invoice }, ...(kind === "commit-then-hang" && { timeoutMs: HANG_TIMEOUT_MS }) }).catch((e: unknown) => e)) as AmbiguousOutcomeError;
    expect(error).toBeInstanceOf(AmbiguousOutcomeError);
    if (kind === "commit-then-hang") expect(error).toBeInstanceOf(TimeoutError);
    expect(await waitForPayment(lexe, error.reconcile.index as string)).toMatchObject({ status: "completed", amount: "40" });
    expect(sim.calls("pay")).toHaveLength(1);
    expect(sim.payments()).toHaveLength(1);
  });

  it("a payment the test fails comes back failed", async () => {
    sim.failNextPayment("no route found");
    const paid = await waitForPayment(lexe, unwrap(await lexe.POST("/v2/node/pay_invoice", { body: { invoice: sim.invoice({ amountSats: 10 }) } })));
    expect(paid).toMatchObject({ status: "failed", status_msg: "no route found" });
  });

  it("paying the node's own invoice is refused, and pays nothing", async () => {
    const created = unwrap(await lexe.POST("/v2/node/create_invoice", { body: { expiration_secs: 60, amount: "5" } }));
    const result = await lexe.POST("/v2/node/pay_invoice", { body: { invoice: created.invoice } });
    expect([result.status, result.error]).toEqual([500, { code: 100, msg: "Payment failed: cannot pay an invoice this node issued", data: null, sensitive: false }]);
    expect(sim.payments()).toEqual([]);
  });

  it("a lookup ignores the time part of the index, as the sidecar does", async () => {
    const invoice = sim.invoice({ amountSats: 7 });
    unwrap(await lexe.POST("/v2/node/pay_invoice", { body: { invoice } }));
    const found = unwrap(await lexe.GET("/v2/node/payment", { params: { query: { index: `${"0".repeat(19)}-ln_${bolt11PaymentHash(invoice)}` } } }));
    expect(found.status).toBe("completed");
  });

  it("the simulator pays twice when asked twice, and assertNoDoublePayments names the invoice", async () => {
    const invoice = sim.invoice({ amountSats: 3 });
    unwrap(await lexe.POST("/v2/node/pay_invoice", { body: { invoice } }));
    unwrap(await lexe.POST("/v2/node/pay_invoice", { body: { invoice } }));
    expect(() => sim.assertNoDoublePayments()).toThrow(`${bolt11PaymentHash(invoice)} paid 2 times (outbound, via pay_invoice, pay_invoice)`);
    // This test's point is the double payment: start the next from a clean simulator.
    await sim.close();
    sim = await createSimulator(spec, { seed: "lexe" });
  });
});

describe("a payment whose answer is lost after it committed", () => {
  it.each(["commit-then-reset", "commit-then-hang"] as const)("%s: AmbiguousOutcomeError, reconcile finds the one payment", async (kind) => {
    const invoice = sim.invoice({ amountSats: 250 });
    sim.on("pay_invoice").faultOnce({ kind });

    const error = await lexe.POST("/v2/node/pay_invoice", { body: { invoice }, ...(kind === "commit-then-hang" && { timeoutMs: HANG_TIMEOUT_MS }) }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AmbiguousOutcomeError);
    if (kind === "commit-then-hang") expect(error).toBeInstanceOf(TimeoutError);
    const { reconcile } = error as AmbiguousOutcomeError;
    // As the README says: look the payment up by reconcile.index before paying again.
    const found = await waitForPayment(lexe, reconcile.index as string, { intervalMs: 5 });
    expect(found).toMatchObject({ status: "completed", hash: reconcile.paymentHash, amount: "250" });
    expect(sim.calls("pay_invoice")).toHaveLength(1);
    expect(sim.calls("pay_invoice")[0]!.fault).toBe(kind);
    expect(sim.payments().filter((p) => p.direction === "outbound")).toHaveLength(1);
  });

  it("the scan in reconcile (updated_payments from startIndex) finds it too, on a clock that starts now", async () => {
    const live = await createSimulator(spec);
    const client = createLexeClient({ baseUrl: live.url });
    try {
      live.on("pay_invoice").faultOnce({ kind: "commit-then-reset" });
      const error = (await client.POST("/v2/node/pay_invoice", { body: { invoice: live.invoice({ amountSats: 12 }) } }).catch((e: unknown) => e)) as AmbiguousOutcomeError;
      const page = unwrap(await client.GET("/v2/node/updated_payments", { params: { query: { start_index: error.reconcile.startIndex as string } } }));
      expect(page.payments.map((p) => [p.hash, p.status])).toEqual([[error.reconcile.paymentHash, "completed"]]);
    } finally {
      await live.close();
    }
  });

  it("a reset before the sidecar acted (the mock's reset-after-body): reconcile proves it was never started", async () => {
    const invoice = sim.invoice({ amountSats: 250 });
    sim.on("pay_invoice").faultOnce({ kind: "reset-after-body" });
    const error = (await lexe.POST("/v2/node/pay_invoice", { body: { invoice } }).catch((e: unknown) => e)) as AmbiguousOutcomeError;
    await expect(waitForPayment(lexe, error.reconcile.index as string)).rejects.toBeInstanceOf(PaymentNotFoundError);
    expect(sim.payments()).toHaveLength(0);
  });
});

describe("determinism", () => {
  async function run(port: number) {
    const seeded = await createSimulator(spec, { seed: 7, port });
    const client = createLexeClient({ baseUrl: seeded.url, fetch: unpooledFetch });
    const created = unwrap(await client.POST("/v2/node/create_invoice", { body: { expiration_secs: 600, amount: "42" } }));
    seeded.payInvoice(created.invoice);
    await client.GET("/v2/node/payment", { params: { query: { index: created.index } } });
    await client.POST("/v2/node/pay_invoice", { body: { invoice: seeded.invoice({ amountSats: 9 }) } });
    await client.GET("/v2/node/list_payments", { params: { query: { filter: "all" } } });
    const journal = JSON.stringify(seeded.calls());
    await seeded.close();
    return { journal, created };
  }

  it("the same seed gives byte-identical journals, ids and invoices", async () => {
    const first = await run(0);
    const port = Number(/"host":"127\.0\.0\.1:(\d+)"/.exec(first.journal)![1]);
    const second = await run(port);
    expect(second.journal).toBe(first.journal);
    expect(second.created).toEqual(first.created);
    // A seeded clock starts at a fixed instant, so the index's time part repeats too.
    expect(first.created.index).toMatch(/^0000001735689600000-ln_/);
  });
});

/**
 * fetch on a connection of its own: the second determinism run listens on the first one's port
 * (the Host header names it), and a pooled socket of the first, closed, must not be reused.
 */
async function unpooledFetch(request: Request): Promise<Response> {
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  return new Promise((resolve, reject) => {
    const sent = httpRequest(request.url, { method: request.method, headers: Object.fromEntries(request.headers), agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode!, headers: Object.entries(res.headers).map(([name, value]) => [name, String(value)] as [string, string]) })));
      res.on("error", reject);
    });
    sent.on("error", reject);
    sent.end(body);
  });
}
