// payments.test.ts: your payment code against mocks of UTEXO's API v1 and v2. Run it with vitest.
import { afterAll, afterEach, expect, it } from "vitest";
import { createMock, createSimulator } from "@satbind/testing";
import { spec as v1Spec } from "@satbind/utexo/v1/spec";
import { spec as v2Spec } from "@satbind/utexo/v2/spec";
import { createUtexoClient, payInvoice, unwrap, waitForSendRequest, AmbiguousOutcomeError, PsbtFlowOutcomeUnknownError } from "@satbind/utexo";

// Real servers on 127.0.0.1, answering from the specs; every request is checked against them.
const [mockV1, mockV2] = await Promise.all([createMock(v1Spec), createMock(v2Spec)]);
const keys = { xpubVan: "tpubVan", xpubCol: "tpubCol", masterFingerprint: "1f5bd7df" };
const v1 = createUtexoClient({ version: "v1", baseUrl: mockV1.url, keys });
const v2 = createUtexoClient({ version: "v2", baseUrl: mockV2.url, keys });
afterEach(() => [mockV1, mockV2].forEach((mock) => mock.reset()));
afterAll(() => Promise.all([mockV1.close(), mockV2.close()]));

const INVOICE =
  "lnbcrt100u1p54l4hddqud3jxktt5w46x7unfv9kz6mn0v3jsnp4qvfsflxyq4vq2nuwe23glrjde3y7rh0utgxx93n7fkk0h49l734t7pp5vxqqjne4mr6293n9jg34ywhahp6x8lv4epvxj3kpgax26v5dpzkssp5hs86lftqq0dl2lfda69nptkk4l7aqkx2d6kmtscze9xf9jf82akq9qyysgqcqpcxqzdye8uucd8ra8r2urmh9v79uyel4xdfd2l533l327jh76a28suxfvlj366ncagm6mx32drj6vmzdr0ky5nlxw6d4uk6q78448s3whc485qq9qzrtv";
const signPsbt = async (psbt: string) => psbt; // your signer (rgb-sdk, a hardware wallet...)

it("answers with the spec's examples by default", async () => {
  const { balance } = unwrap(await v1.GET("/wallet/balance"));
  expect(balance.vanilla.spendable).toBe(500_000);
});

it("reads a payment that is pending, then succeeded", async () => {
  const payment = { id: "850a63d43aeee74d8766ff12ce6a67ca3ead36d2990b3bc39d07de736e5a34f0", payment_type: "BTC", amount_sats: 5000, asset: null, created_at: "2026-01-08T16:46:02Z" } as const;
  mockV2
    .on("getLightningSendRequest")
    .replyOnce(200, { ...payment, status: "PENDING", fee_sats: null })
    .replyOnce(200, { ...payment, status: "SUCCEEDED", fee_sats: 1 });

  const final = await waitForSendRequest(v2, payment.id, { intervalMs: 10 });

  expect([final.status, final.fee_sats]).toEqual(["SUCCEEDED", 1]);
  expect(mockV2.calls("getLightningSendRequest")).toHaveLength(2);
});

it("a payment whose answer is lost is sent once, and says how to find it", async () => {
  mockV2.on("payLightningInvoiceEnd").fault({ kind: "reset-after-body" });

  const error = await payInvoice(v2, { invoice: INVOICE, maxFeeSats: 1000 }, signPsbt).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(PsbtFlowOutcomeUnknownError);
  expect(error).toBeInstanceOf(AmbiguousOutcomeError);
  // The payment hash names the send request: waitForSendRequest finds it before you pay again.
  expect((error as PsbtFlowOutcomeUnknownError).reconcile.paymentHash).toMatch(/^[0-9a-f]{64}$/);
  expect(mockV2.calls("payLightningInvoiceEnd")).toHaveLength(1);
});

// createSimulator: the same server with state. The end call spends what its begin prepared,
// send requests move from PENDING to SUCCEEDED, and the balance follows.
it("pay, lose the answer, reconcile: the payment is found, and made once", async () => {
  const sim = await createSimulator(v2Spec, { seed: "pay" });
  const wallet = createUtexoClient({ version: "v2", baseUrl: sim.url, keys });
  // The simulator takes a PSBT as signed once it changed; your real signer does that.
  const sign = async (psbt: string) => Buffer.concat([Buffer.from(psbt, "base64"), Buffer.from("signature")]).toString("base64");
  try {
    // The node spends, then the connection drops before its answer arrives.
    sim.on("payLightningInvoiceEnd").faultOnce({ kind: "commit-then-reset" });
    const error = await payInvoice(wallet, { invoice: sim.invoice({ amountSats: 500 }), maxFeeSats: 10 }, sign).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PsbtFlowOutcomeUnknownError);

    // Before paying again, look it up by the payment hash in error.reconcile.
    const payment = await waitForSendRequest(wallet, String((error as PsbtFlowOutcomeUnknownError).reconcile.paymentHash), { intervalMs: 10 });

    expect(payment.status).toBe("SUCCEEDED");
    sim.assertNoDoublePayments();
  } finally {
    await sim.close();
  }
});
