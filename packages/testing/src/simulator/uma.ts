// A VASP's UMA Auth API: invoices the wallet issues (settled once `sim.payInvoice` pays them),
// bolt11 payments out of it (answering the preimage of the invoice's hash), the balance and the
// transaction list. Amounts are msats, times Unix seconds, as the API has them.
import type { MockRequest } from "../types.js";
import type { LedgerEntry, SimCore, SimInvoice } from "./core.js";
import { queryParam, reply, type SimReply, type Simulation, type SimulationContext } from "./types.js";

const seconds = (ms: number) => Math.floor(ms / 1000);
const error = (status: number, code: string, message: string): SimReply => reply(status, { code, message });

export function umaSimulation({ core }: SimulationContext): Simulation {
  /** Invoices made through make_invoice, in order (description_hash kept as given). */
  const issued: { invoice: SimInvoice; descriptionHash: string | null }[] = [];

  const incoming = (item: (typeof issued)[number]) => incomingView(core, item.invoice, item.descriptionHash);
  const outgoing = (entry: LedgerEntry) => outgoingView(core, entry);
  const outgoingEntries = () => core.ledger.filter((e) => e.direction === "outbound" && e.via === "pay_invoice" && e.status !== "failed");

  const handlers: Record<string, (request: MockRequest) => SimReply | undefined> = {
    make_invoice: (request) => {
      const body = request.body as { amount: number; description?: string; description_hash?: string; expiry?: number };
      const invoice = core.issueInvoice("server", { amountMsat: body.amount, description: body.description, expirySecs: body.expiry ?? 86_400 });
      const item = { invoice, descriptionHash: body.description_hash ?? null };
      issued.push(item);
      return reply(200, incoming(item));
    },

    lookup_invoice: (request) => {
      const hash = (request.pathParams.payment_hash ?? "").toLowerCase();
      const sent = outgoingEntries().find((e) => e.paymentHash === hash);
      if (sent) return reply(200, outgoing(sent));
      const item = issued.find((i) => i.invoice.paymentHash === hash);
      if (item) return reply(200, incoming(item));
      return error(404, "NOT_FOUND", `No invoice found for payment hash ${hash}.`);
    },

    pay_invoice: (request) => {
      const body = request.body as { invoice: string; amount?: number | null };
      const entry = core.payOutbound(body.invoice, "pay_invoice", { fallbackMsat: body.amount ?? undefined });
      if (!entry) return error(400, "OTHER", "The invoice could not be decoded.");
      if (entry.status === "failed") {
        const code = entry.failure === "insufficient balance" ? "INSUFFICIENT_BALANCE" : "PAYMENT_FAILED";
        return error(400, code, `The payment failed: ${entry.failure}.`);
      }
      return reply(200, { preimage: entry.preimage });
    },

    get_balance: (request) => {
      // A balance in another currency needs an exchange rate the simulator does not have: Prism answers.
      const currency = queryParam(request, "currency_code");
      if (currency !== undefined && currency.toUpperCase() !== "SAT") return undefined;
      return reply(200, { balance: core.lightningMsat });
    },

    list_transactions: (request) => {
      const from = numberParam(request, "from");
      const until = numberParam(request, "until");
      const limit = numberParam(request, "limit");
      const offset = numberParam(request, "offset") ?? 0;
      const unpaid = queryParam(request, "unpaid") === "true";
      const type = queryParam(request, "type");
      const all = [
        ...(type === "outgoing" ? [] : issued.filter((i) => unpaid || core.stateOf(i.invoice) === "paid").map(incoming)),
        ...(type === "incoming" ? [] : outgoingEntries().map(outgoing)),
      ]
        .filter((t) => (from === undefined || t.created_at >= from) && (until === undefined || t.created_at <= until))
        // Newest first; the same second keeps the order made, newest first too.
        .map((t, i) => ({ t, i }))
        .sort((a, b) => b.t.created_at - a.t.created_at || b.i - a.i)
        .map(({ t }) => t);
      return reply(200, { transactions: all.slice(offset, limit === undefined ? undefined : offset + limit) });
    },
  };

  return { operations: Object.keys(handlers), answer: (request) => handlers[request.operationId]?.(request) };
}

function incomingView(core: SimCore, invoice: SimInvoice, descriptionHash: string | null) {
  const paid = core.stateOf(invoice) === "paid";
  return {
    type: "incoming" as const,
    invoice: invoice.invoice,
    description: invoice.description,
    description_hash: descriptionHash,
    preimage: paid ? invoice.preimage : null,
    payment_hash: invoice.paymentHash,
    amount: paid ? invoice.paidMsat! : invoice.amountMsat!,
    fees_paid: paid ? 0 : null,
    created_at: seconds(invoice.createdAt),
    expires_at: seconds(invoice.expiresAt),
    settled_at: paid ? seconds(invoice.paidAt!) : null,
    metadata: null,
  };
}

function outgoingView(core: SimCore, entry: LedgerEntry) {
  const known = core.invoices.get(entry.paymentHash);
  const settled = entry.status === "completed";
  return {
    type: "outgoing" as const,
    invoice: entry.invoice ?? null,
    description: known?.description ?? null,
    description_hash: null,
    preimage: settled ? entry.preimage : null,
    payment_hash: entry.paymentHash,
    amount: entry.amountMsat,
    fees_paid: settled ? entry.feeMsat : null,
    created_at: seconds(entry.createdAt),
    expires_at: known ? seconds(known.expiresAt) : null,
    settled_at: settled ? seconds(entry.updatedAt) : null,
    metadata: null,
  };
}

function numberParam(request: MockRequest, name: string): number | undefined {
  const value = queryParam(request, name);
  return value === undefined ? undefined : Number(value);
}
