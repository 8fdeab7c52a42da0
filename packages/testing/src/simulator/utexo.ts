// A UTEXO v2 node: invoices to receive, and the begin -> sign -> end flows to pay an invoice or
// send on-chain. A begin answers an unsigned PSBT carrying a token; the end accepts a PSBT that
// still carries that token but is not the unsigned one (a signer adds to it), once, and spends.
// Send requests are PENDING at first and SUCCEEDED from the second lookup on; the balance moves
// at the end call.
import type { MockRequest } from "../types.js";
import { decodeInvoice } from "./bolt11.js";
import type { LedgerEntry, SimInvoice } from "./core.js";
import { reply, type SimReply, type Simulation, type SimulationContext } from "./types.js";

interface Begin {
  token: Buffer;
  unsigned: string;
  kind: "pay" | "onchain";
  request: Record<string, unknown>;
  ended: boolean;
}

interface OnchainSend {
  id: string;
  entry: LedgerEntry;
  address: string;
  amountSats: number;
  feeSats: number;
  lookups: number;
}

/** A v-size for the fee of a one-input, two-output send. */
const SEND_VBYTES = 141;
const MAGIC = Buffer.from("70736274ff", "hex");
const iso = (ms: number) => new Date(ms).toISOString();
const rgbError = (status: number, error: string, message: string): SimReply => reply(status, { error, message, status });

export function utexoSimulation({ core }: SimulationContext): Simulation {
  const receives = new Map<string, SimInvoice>();
  const begins: Begin[] = [];
  const lightningSends = new Map<string, { entry: LedgerEntry; lookups: number }>();
  const onchainSends = new Map<string, OnchainSend>();

  const begin = (kind: Begin["kind"], request: Record<string, unknown>): SimReply => {
    const token = Buffer.from(core.bytes(16));
    // "psbt" 0xff, then the token: 21 bytes, so the base64 has no padding and a signer may append.
    const unsigned = Buffer.concat([MAGIC, token]).toString("base64");
    begins.push({ token, unsigned, kind, request, ended: false });
    return reply(200, unsigned);
  };

  /** The begin a signed PSBT belongs to, or the reason it is refused (nothing is spent then). */
  const beginOf = (signed: string, kind: Begin["kind"]): Begin | SimReply => {
    const bytes = Buffer.from(signed, "base64");
    const found = begins.find((b) => b.kind === kind && bytes.includes(b.token));
    if (!found) return rgbError(400, "InvalidPsbt", "The PSBT does not come from a begin call of this flow");
    if (signed === found.unsigned) return rgbError(400, "InvalidPsbt", "The PSBT is not signed");
    if (found.ended) return rgbError(400, "InvalidPsbt", "The PSBT's inputs are already spent");
    return found;
  };

  const sendView = (entry: LedgerEntry) => ({
    id: entry.paymentHash,
    status: entry.status === "pending" ? "PENDING" : entry.status === "completed" ? "SUCCEEDED" : "FAILED",
    payment_type: "BTC",
    amount_sats: Math.round(entry.amountMsat / 1000),
    asset: null,
    fee_sats: entry.status === "completed" ? Math.ceil(entry.feeMsat / 1000) : null,
    created_at: iso(entry.createdAt),
  });

  const receiveView = (id: string, invoice: SimInvoice) => {
    const state = core.stateOf(invoice);
    return { id, invoice: invoice.invoice, status: state === "paid" ? "SETTLED" : state === "expired" ? "EXPIRED" : "OPEN", payment_type: "BTC", amount_sats: invoice.amountMsat === undefined ? null : invoice.amountMsat / 1000, asset: null, created_at: iso(invoice.createdAt) };
  };

  const onchainView = (send: OnchainSend) => {
    const done = send.entry.status === "completed";
    return {
      send_id: send.id,
      status: done ? "completed" : "pending",
      address_or_rgbinvoice: send.address,
      amount_sats_requested: send.amountSats,
      amount_sats_sent: done ? send.amountSats : null,
      asset: null,
      close_txids: [],
      sweep_txid: null,
      fee_sats: send.feeSats,
      timestamps: { created: Math.floor(send.entry.createdAt / 1000), ...(done && { completed: Math.floor(send.entry.updatedAt / 1000) }) },
      error_code: null,
      error_message: null,
      retryable: false,
    };
  };

  const handlers: Record<string, (request: MockRequest) => SimReply | undefined> = {
    createLightningInvoice: (request) => {
      const body = request.body as { amount_sats?: number; asset?: unknown; expiry_seconds?: number };
      // Asset invoices need RGB state the simulator does not keep: Prism answers them.
      if (body.asset !== undefined) return undefined;
      const invoice = core.issueInvoice("server", { amountMsat: body.amount_sats === undefined ? undefined : body.amount_sats * 1000, expirySecs: body.expiry_seconds ?? 3600 });
      const id = core.uuid();
      receives.set(id, invoice);
      return reply(200, receiveView(id, invoice));
    },

    getLightningReceiveRequest: (request) => {
      const id = request.pathParams.request_id ?? "";
      const invoice = receives.get(id);
      return reply(200, invoice ? receiveView(id, invoice) : null);
    },

    payLightningInvoiceBegin: (request) => {
      const body = request.body as { invoice: string };
      if (!decodeInvoice(body.invoice)) return rgbError(400, "InvalidInvoice", "Invalid invoice: it is not a BOLT11 invoice");
      return begin("pay", body);
    },

    payLightningInvoiceEnd: (request) => {
      const found = beginOf((request.body as { signed_psbt: string }).signed_psbt, "pay");
      if (!("token" in found)) return found;
      found.ended = true;
      const entry = core.payOutbound(String(found.request.invoice), "payLightningInvoiceEnd", { settle: false })!;
      if (entry.status !== "failed") lightningSends.set(entry.paymentHash, { entry, lookups: 0 });
      return reply(200, sendView(entry));
    },

    getLightningSendRequest: (request) => {
      const send = lightningSends.get((request.pathParams.request_id ?? "").toLowerCase());
      if (!send) return reply(200, null);
      const view = sendView(send.entry);
      // The payment settles while the first lookup is answered PENDING.
      if (send.lookups++ === 0) core.settle(send.entry);
      return reply(200, view);
    },

    onchainSendBegin: (request) => {
      const body = request.body as { asset?: unknown; amount_sats?: number };
      if (body.asset !== undefined) return undefined;
      if (body.amount_sats === undefined) return rgbError(400, "InvalidAmount", "Sending bitcoin needs amount_sats");
      return begin("onchain", body as Record<string, unknown>);
    },

    onchainSendEnd: (request) => {
      const found = beginOf((request.body as { signed_psbt: string }).signed_psbt, "onchain");
      if (!("token" in found)) return found;
      const { address_or_rgbinvoice: address, amount_sats: amountSats, fee_rate: feeRate } = found.request as { address_or_rgbinvoice: string; amount_sats: number; fee_rate: number };
      const feeSats = feeRate * SEND_VBYTES;
      if (!core.spendOnchain((amountSats + feeSats) * 1000)) return rgbError(400, "InsufficientBitcoins", `Insufficient bitcoins: needed ${amountSats + feeSats}, available ${Math.floor(core.onchainMsat / 1000)}`);
      found.ended = true;
      const txid = core.hex(32);
      const entry = core.record({ paymentHash: txid, direction: "outbound", amountMsat: amountSats * 1000, feeMsat: feeSats * 1000, status: "pending", via: "onchainSendEnd", invoice: undefined, preimage: "" });
      const send: OnchainSend = { id: core.uuid(), entry, address, amountSats, feeSats, lookups: 0 };
      onchainSends.set(send.id, send);
      return reply(200, { send_id: send.id, txid });
    },

    getOnchainSendStatus: (request) => {
      const send = onchainSends.get(request.pathParams.send_id ?? "");
      if (!send) return reply(404, { detail: "Send not found" });
      const view = onchainView(send);
      if (send.lookups++ === 0) core.settle(send.entry);
      return reply(200, view);
    },

    getBalance: () => {
      const onchain = Math.floor(core.onchainMsat / 1000);
      return reply(200, {
        balance: { vanilla: { settled: onchain, future: onchain, spendable: onchain }, colored: { settled: 0, future: 0, spendable: 0 }, offchain_balance: { total: Math.floor(core.lightningMsat / 1000), details: [] } },
        asset_balances: [],
      });
    },

    listTransactions: () => {
      const sends = [...onchainSends.values()].map((send) => ({
        transaction_type: "User",
        txid: send.entry.paymentHash,
        received: 0,
        sent: send.amountSats + send.feeSats,
        fee: send.feeSats,
        confirmation_time: send.entry.status === "completed" ? { height: 800_000 + send.entry.seq, timestamp: Math.floor(send.entry.updatedAt / 1000) } : null,
      }));
      return reply(200, { transactions: sends });
    },
  };

  return { operations: Object.keys(handlers), answer: (request) => handlers[request.operationId]?.(request) };
}

