// The Lexe sidecar (0.4.11 to 0.4.16, plus wait_for_payment): invoices in, invoices out, the
// payment store and the node's balances. As the real sidecar, a lookup by index uses only the id
// after the dash (`ln_<payment hash>`): the time part must be well formed, and is otherwise ignored.
import type { MockRequest } from "../types.js";
import { decodeInvoice } from "./bolt11.js";
import { waitFor, type LedgerEntry, type SimCore, type SimInvoice } from "./core.js";
import { queryParam, reply, type SimReply, type Simulation, type SimulationContext } from "./types.js";

/** A payment in the sidecar's store: an invoice it issued (inbound), or one it paid (outbound). */
interface StoredPayment {
  id: string;
  createdAt: number;
  inbound?: SimInvoice;
  outbound?: LedgerEntry;
  note: string | null;
}

const INDEX = /^(\d{19})-(fr|fs|ln|or|os)_([0-9a-f]{64})$/;
const UPDATED_INDEX = /^u(\d{19})-((?:fr|fs|ln|or|os)_[0-9a-f]{64})$/;
const LONGEST_WAIT_MS = 2_147_483_647;

const error = (status: number, code: number, msg: string): SimReply => reply(status, { code, msg, data: null, sensitive: false });
const NOT_FOUND = error(404, 102, "Payment not found");

export function lexeSimulation({ core, timers }: SimulationContext): Simulation {
  const store = new Map<string, StoredPayment>();
  const view = (payment: StoredPayment) => paymentView(core, payment);

  const lookup = (index: string | undefined) => {
    const match = INDEX.exec(index ?? "");
    return match ? store.get(`${match[2]}_${match[3]}`) : undefined;
  };
  const isFinal = (payment: StoredPayment) => view(payment).status !== "pending";

  const handlers: Record<string, (request: MockRequest) => SimReply | undefined | Promise<SimReply>> = {
    node_info: () => {
      const lightning = msatsToAmount(core.lightningMsat);
      const onchain = msatsToAmount(core.onchainMsat);
      return reply(200, {
        version: "0.7.10",
        measurement: "0".repeat(64),
        user_pk: core.nodeId.slice(2),
        node_pk: core.nodeId,
        balance: msatsToAmount(core.lightningMsat + core.onchainMsat),
        lightning_balance: lightning,
        lightning_sendable_balance: lightning,
        lightning_max_sendable_balance: lightning,
        onchain_balance: onchain,
        onchain_trusted_balance: onchain,
        num_channels: 1,
        num_usable_channels: 1,
      });
    },

    create_invoice: (request) => {
      const body = request.body as { expiration_secs?: number; amount?: string | number | null; description?: string | null; personal_note?: string | null };
      const amountMsat = body.amount === undefined || body.amount === null ? undefined : amountToMsats(body.amount);
      const invoice = core.issueInvoice("server", { amountMsat, description: body.description ?? undefined, expirySecs: body.expiration_secs ?? 86_400 });
      const payment: StoredPayment = { id: `ln_${invoice.paymentHash}`, createdAt: invoice.createdAt, inbound: invoice, note: body.personal_note ?? null };
      store.set(payment.id, payment);
      return reply(200, {
        index: indexOf(payment),
        invoice: invoice.invoice,
        description: body.description ?? null,
        amount: amountMsat === undefined ? null : msatsToAmount(amountMsat),
        created_at: invoice.createdAt,
        expires_at: invoice.expiresAt,
        payment_hash: invoice.paymentHash,
        payment_secret: invoice.paymentSecret,
      });
    },

    pay_invoice: (request) => {
      const body = request.body as { invoice: string; fallback_amount?: string | number | null; personal_note?: string | null; note?: string | null };
      return payBolt11(body.invoice, "pay_invoice", body.fallback_amount, body.personal_note ?? body.note ?? null);
    },

    // Only a BOLT11 payable is simulated; offers, LNURL and addresses are the mock's.
    pay: (request) => {
      const body = request.body as { payable: string; amount?: string | number | null; personal_note?: string | null };
      return decodeInvoice(body.payable) ? payBolt11(body.payable, "pay", body.amount, body.personal_note ?? null) : undefined;
    },

    get_payment: (request) => {
      const payment = lookup(queryParam(request, "index"));
      return payment ? reply(200, view(payment)) : NOT_FOUND;
    },

    wait_for_payment: async (request) => {
      const index = queryParam(request, "index");
      const seconds = queryParam(request, "timeout_secs");
      const timeoutMs = seconds === undefined ? LONGEST_WAIT_MS : Math.min(Number(seconds) * 1000, LONGEST_WAIT_MS);
      // An unknown index is waited on as a pending one: it may be created meanwhile.
      const done = await waitFor(core, () => {
        const payment = lookup(index);
        return payment !== undefined && isFinal(payment);
      }, timeoutMs, timers);
      const payment = lookup(index);
      if (done && payment) return reply(200, view(payment));
      return error(500, 100, `Payment did not complete within ${seconds ?? "the"}s timeout`);
    },

    list_payments: (request) => {
      const filter = queryParam(request, "filter") ?? "all";
      const order = queryParam(request, "order") ?? "desc";
      const limit = Number(queryParam(request, "limit") ?? 100);
      const after = queryParam(request, "after");
      const views = [...store.values()].map(view).filter((p) => filter === "all" || p.status === filter || (filter === "finalized" && p.status !== "pending"));
      views.sort((a, b) => (order === "asc" ? compare(a.index, b.index) : compare(b.index, a.index)));
      const start = after === undefined ? 0 : views.findIndex((p) => (order === "asc" ? p.index > after : p.index < after));
      const rest = start < 0 ? [] : views.slice(start);
      const page = rest.slice(0, limit);
      return reply(200, { payments: page, next_index: rest.length > page.length && page.length > 0 ? page[page.length - 1]!.index : null });
    },

    updated_payments: (request) => {
      const start = UPDATED_INDEX.exec(queryParam(request, "start_index") ?? "");
      const limit = Math.min(Number(queryParam(request, "limit") ?? 50), 100);
      const key = (p: ReturnType<typeof view>) => `${String(p.updated_at).padStart(19, "0")}-${p.index.slice(20)}`;
      const after = start ? `${start[1]}-${start[2]}` : "";
      const changed = [...store.values()].map(view).filter((p) => key(p) > after);
      changed.sort((a, b) => compare(key(a), key(b)));
      const page = changed.slice(0, limit);
      return reply(200, { payments: page, updated_index: page.length > 0 ? `u${key(page[page.length - 1]!)}` : null });
    },
  };

  function payBolt11(invoice: string, via: string, fallback: string | number | null | undefined, note: string | null): SimReply {
    // A node cannot pay its own invoice (the payment would share the invoice's id).
    if (core.findInvoice(invoice)?.issuer === "server") return error(500, 100, "Payment failed: cannot pay an invoice this node issued");
    const fallbackMsat = fallback === undefined || fallback === null ? undefined : amountToMsats(fallback);
    const entry = core.payOutbound(invoice, via, { fallbackMsat });
    // Bad invoice text fails the JSON extractor (400, code 7); node-side refusals are 500 code 100.
    if (!entry) return error(400, 7, "Rejection: Failed to deserialize the JSON body into the target type: invalid invoice");
    if (entry.failure === "insufficient balance" || entry.failure === "no amount to pay") return error(500, 100, `Payment failed: ${entry.failure}`);
    const id = `ln_${entry.paymentHash}`;
    const existing = store.get(id);
    // A second payment of the same hash keeps the first's index (the sidecar's id is the hash).
    const payment: StoredPayment = { id, createdAt: existing?.createdAt ?? entry.createdAt, outbound: entry, note };
    store.set(id, payment);
    return reply(200, view(payment));
  }

  return { operations: Object.keys(handlers), answer: (request) => handlers[request.operationId]?.(request) };
}

function indexOf(payment: StoredPayment): string {
  return `${String(payment.createdAt).padStart(19, "0")}-${payment.id}`;
}

/** The Payment as the sidecar (0.4.11+) sends it, in the simulator's state now. */
function paymentView(core: SimCore, payment: StoredPayment) {
  const base = {
    index: indexOf(payment),
    rail: "invoice",
    kind: "invoice",
    offer_id: null,
    txid: null,
    partner_pk: null,
    partner_prop_fee: null,
    partner_base_fee: null,
    address: null,
    tx: null,
    payer_name: null,
    message: null,
    personal_note: payment.note,
    priority: null,
    created_at: payment.createdAt,
  };
  if (payment.inbound) {
    const invoice = payment.inbound;
    const state = core.stateOf(invoice);
    const finalizedAt = state === "paid" ? invoice.paidAt! : state === "expired" ? invoice.expiresAt : null;
    const amount = state === "paid" ? invoice.paidMsat : invoice.amountMsat;
    return {
      ...base,
      direction: "inbound",
      hash: invoice.paymentHash,
      preimage: state === "paid" ? invoice.preimage : null,
      amount: amount === undefined ? null : msatsToAmount(amount),
      fees: "0",
      status: state === "paid" ? "completed" : state === "expired" ? "failed" : "pending",
      status_msg: state === "paid" ? "completed" : state === "expired" ? "invoice expired" : "invoice generated",
      invoice: invoice.invoice,
      expires_at: invoice.expiresAt,
      finalized_at: finalizedAt,
      updated_at: finalizedAt ?? invoice.createdAt,
    };
  }
  const entry = payment.outbound!;
  const known = core.invoices.get(entry.paymentHash);
  return {
    ...base,
    direction: "outbound",
    hash: entry.paymentHash,
    preimage: entry.status === "completed" ? entry.preimage : null,
    amount: msatsToAmount(entry.amountMsat),
    fees: msatsToAmount(entry.feeMsat),
    status: entry.status,
    status_msg: entry.failure ?? (entry.status === "completed" ? "completed" : "pending"),
    invoice: entry.invoice ?? null,
    expires_at: known?.expiresAt ?? null,
    finalized_at: entry.status === "pending" ? null : entry.updatedAt,
    updated_at: entry.updatedAt,
  };
}

/** Lexe's Amount: sats as a decimal string with up to three decimals. */
export function msatsToAmount(msats: number): string {
  const sats = Math.floor(msats / 1000);
  const rest = msats % 1000;
  return rest === 0 ? String(sats) : `${sats}.${String(rest).padStart(3, "0").replace(/0+$/, "")}`;
}

function amountToMsats(amount: string | number): number {
  return Math.round(Number(amount) * 1000);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
