// The UTEXO v2 money flows through this package's payInvoice, onchainSend and waits against the
// stateful simulator of @satbind/testing: receive, pay, send on-chain, balances, and a lost end
// answer after the spend committed, each ending in one payment that reconcile finds.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createSimulator, type Simulator } from "@satbind/testing";
import { spec } from "../src/generated/v2/spec.js";
import {
  PsbtFlowError,
  PsbtFlowOutcomeUnknownError,
  RequestNotFoundError,
  createUtexoClient,
  onchainSend,
  payInvoice,
  unwrap,
  waitForReceiveRequest,
  waitForSendRequest,
  type UtexoV2Client,
} from "../src/index.js";
import { KEYS } from "./keys.js";

// The first simulator of a spec builds Prism's engine and the validators: seconds on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
/** How long a call waits on a commit-then-hang before it gives up (the simulator drops it at 5 s). */
const HANG_TIMEOUT_MS = 2_000;

type UtexoSim = Simulator<NonNullable<(typeof spec)["~operations"]>>;

/** A signer adds its signature to the PSBT; the simulator accepts a PSBT that changed this way. */
const signPsbt = async (psbt: string) => Buffer.concat([Buffer.from(psbt, "base64"), Buffer.from("signature")]).toString("base64");

let sim: UtexoSim;
let utexo: UtexoV2Client;
beforeEach(async () => {
  sim = await createSimulator(spec, { seed: "utexo", hangMs: 5_000 });
  utexo = createUtexoClient({ version: "v2", baseUrl: sim.url, keys: KEYS });
});
afterEach(async () => {
  sim.assertNoDoublePayments();
  await sim.close();
  expect(sim.stats().invalid).toBe(0);
});

const balance = async () => unwrap(await utexo.GET("/lightning/balance")).balance;

describe("receive", () => {
  it("an invoice is OPEN, then SETTLED once paid", async () => {
    const created = unwrap(await utexo.POST("/lightning/create-invoice", { body: { amount_sats: 10_000, expiry_seconds: 600 } }));
    expect(created).toMatchObject({ status: "OPEN", amount_sats: 10_000 });
    sim.payInvoice(created.invoice);
    expect(await waitForReceiveRequest(utexo, created.id, { intervalMs: 5 })).toMatchObject({ status: "SETTLED" });
    expect((await balance()).offchain_balance!.total).toBe(1_010_000);
  });
});

describe("payInvoice", () => {
  it("begin, sign, end: the send request is PENDING, then SUCCEEDED; the Lightning balance drops", async () => {
    const invoice = sim.invoice({ amountSats: 5_000 });
    const sent = await payInvoice(utexo, { invoice, maxFeeSats: 50 }, signPsbt);
    expect(sent).toMatchObject({ status: "PENDING", amount_sats: 5_000 });
    const final = await waitForSendRequest(utexo, sent.id, { intervalMs: 5 });
    expect(final).toMatchObject({ status: "SUCCEEDED", fee_sats: 5 });
    expect((await balance()).offchain_balance!.total).toBe(1_000_000 - 5_005);
  });

  it("an unsigned PSBT is refused at end and nothing is spent", async () => {
    const error = await payInvoice(utexo, { invoice: sim.invoice({ amountSats: 1 }), maxFeeSats: 5 }, async (psbt) => psbt).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PsbtFlowError);
    expect(error).toMatchObject({ step: "end" });
    expect(sim.payments()).toHaveLength(0);
  });

  it.each(["commit-then-reset", "commit-then-hang"] as const)("%s on the end call: outcome unknown, reconcile finds the one payment", async (kind) => {
    const invoice = sim.invoice({ amountSats: 2_000 });
    sim.on("payLightningInvoiceEnd").faultOnce({ kind });

    const error = await payInvoice(utexo, { invoice, maxFeeSats: 50 }, signPsbt, kind === "commit-then-hang" ? { timeoutMs: HANG_TIMEOUT_MS } : {}).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PsbtFlowOutcomeUnknownError);
    const { reconcile } = error as PsbtFlowOutcomeUnknownError;
    // As the README says: waitForSendRequest with reconcile.paymentHash, before paying again.
    const payment = await waitForSendRequest(utexo, String(reconcile.paymentHash), { intervalMs: 5 });
    expect(payment).toMatchObject({ status: "SUCCEEDED", amount_sats: 2_000 });
    expect(sim.calls("payLightningInvoiceEnd")).toHaveLength(1);
    expect(sim.payments()).toHaveLength(1);
  });

  it("the mock's reset-after-body on the end call: reconcile proves it never started", async () => {
    sim.on("payLightningInvoiceEnd").faultOnce({ kind: "reset-after-body" });
    const error = (await payInvoice(utexo, { invoice: sim.invoice({ amountSats: 2_000 }), maxFeeSats: 50 }, signPsbt).catch((e: unknown) => e)) as PsbtFlowOutcomeUnknownError;
    await expect(waitForSendRequest(utexo, String(error.reconcile.paymentHash))).rejects.toBeInstanceOf(RequestNotFoundError);
    expect(sim.payments()).toHaveLength(0);
  });
});

describe("onchainSend", () => {
  const request = { address_or_rgbinvoice: "bcrt1qsimulatoraddress", amount_sats: 100_000, fee_rate: 2 };

  it("begin, sign, end: the send is pending, then completed; the on-chain balance drops by amount and fee", async () => {
    const sent = await onchainSend(utexo, request, signPsbt);
    const status = async () => unwrap(await utexo.GET("/onchain-send/{send_id}", { params: { path: { send_id: sent.sendId } } }));
    expect(await status()).toMatchObject({ status: "pending", amount_sats_requested: 100_000, fee_sats: 282 });
    expect(await status()).toMatchObject({ status: "completed", amount_sats_sent: 100_000 });
    expect((await balance()).vanilla.spendable).toBe(500_000 - 100_282);
  });

  it.each(["commit-then-reset", "commit-then-hang"] as const)("%s on the end call: outcome unknown, the on-chain history shows the one send", async (kind) => {
    sim.on("onchainSendEnd").faultOnce({ kind });

    const error = await onchainSend(utexo, request, signPsbt, kind === "commit-then-hang" ? { timeoutMs: HANG_TIMEOUT_MS } : {}).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PsbtFlowOutcomeUnknownError);
    const { reconcile } = error as PsbtFlowOutcomeUnknownError;
    expect(reconcile.request).toEqual(request);
    // As the README says: check the balance and the on-chain history before sending again.
    const { transactions } = unwrap(await utexo.GET("/lightning/listtransactions"));
    expect(transactions.map((t) => t.sent)).toEqual([100_282]);
    expect((await balance()).vanilla.spendable).toBe(500_000 - 100_282);
    expect(sim.calls("onchainSendEnd")).toHaveLength(1);
  });
});
