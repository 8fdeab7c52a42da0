// Deezy: LN-to-BTC swaps (create_swap answers an invoice; once `sim.payInvoice` pays it, lookup_swap
// shows the payout) and pay-per-call AI (webai answers 402 with an invoice in `bolt11-auth`, then
// 200 to the same request_id resent with that invoice once it is paid, as often as it is resent).
import type { MockRequest } from "../types.js";
import type { SimInvoice } from "./core.js";
import { sha256 } from "./bolt11.js";
import { queryParam, reply, type SimReply, type Simulation, type SimulationContext } from "./types.js";

/** What one webai call costs, in sats. */
const WEBAI_PRICE_SATS = 100;
/** Deezy's swap pricing as the spec's get_swap_info example has it. */
const LIQUIDITY_FEE_PPM = 2000;
const ON_CHAIN_BYTES_ESTIMATE = 300;

interface Swap {
  invoice: SimInvoice;
  amountSats: number;
  address: string;
}

const message = (status: number, text: string): SimReply => reply(status, { message: text });

export function deezySimulation({ core }: SimulationContext): Simulation {
  const swaps = new Map<string, Swap>();
  /** request_id -> the invoice that pays for it. */
  const webaiInvoices = new Map<string, SimInvoice>();

  const handlers: Record<string, (request: MockRequest) => SimReply | undefined> = {
    create_swap: (request) => {
      const body = request.body as { amount_sats?: number; on_chain_address?: string; on_chain_sats_per_vbyte?: number };
      if (body.amount_sats === undefined || !body.on_chain_address || body.on_chain_sats_per_vbyte === undefined) {
        return message(400, "amount_sats, on_chain_address and on_chain_sats_per_vbyte are required");
      }
      const feeSats = Math.ceil((body.amount_sats * LIQUIDITY_FEE_PPM) / 1e6) + body.on_chain_sats_per_vbyte * ON_CHAIN_BYTES_ESTIMATE;
      const invoice = core.issueInvoice("server", { amountMsat: (body.amount_sats + feeSats) * 1000, description: `swap to ${body.on_chain_address}`, expirySecs: 3600 });
      swaps.set(invoice.paymentHash, { invoice, amountSats: body.amount_sats, address: body.on_chain_address });
      return reply(200, { bolt11_invoice: invoice.invoice, fee_sats: feeSats });
    },

    lookup_swap: (request) => {
      const found = core.findInvoice(queryParam(request, "bolt11_invoice") ?? "");
      const swap = found && swaps.get(found.paymentHash);
      if (!swap) return message(400, "No swap found for this invoice");
      if (core.stateOf(swap.invoice) !== "paid") return reply(200, { on_chain_txid: null, tx_hex: null });
      // The payout is a function of the swap, so every lookup (and every run with a seed) agrees.
      const txid = Buffer.from(sha256(`payout ${swap.invoice.paymentHash}`)).toString("hex");
      return reply(200, { on_chain_txid: txid, tx_hex: `02000000${txid}` });
    },

    webai: (request) => {
      const body = request.body as { request_id: string; api_path: string; data: Record<string, unknown> };
      const header = request.headers["bolt11-auth"];
      const issued = webaiInvoices.get(body.request_id);
      if (header === undefined || header === "") {
        const invoice = issued ?? core.issueInvoice("server", { amountMsat: WEBAI_PRICE_SATS * 1000, description: `webai ${body.request_id}`, expirySecs: 600 });
        webaiInvoices.set(body.request_id, invoice);
        return reply(402, { message: "Payment Required" }, { "bolt11-auth": invoice.invoice });
      }
      const presented = core.findInvoice(header);
      if (!presented || presented !== issued) return message(400, "bolt11-auth is not the invoice issued for this request_id");
      // Unpaid: the same invoice again.
      if (core.stateOf(presented) !== "paid") return reply(402, { message: "Payment Required" }, { "bolt11-auth": presented.invoice });
      return reply(200, completion(body, presented, core.now()));
    },
  };

  return { operations: Object.keys(handlers), answer: (request) => handlers[request.operationId]?.(request) };
}

/** An answer in OpenAI's chat completion format, the same for the same request. */
function completion(body: { request_id: string; api_path: string }, invoice: SimInvoice, now: number) {
  return {
    id: `chatcmpl-${invoice.paymentHash.slice(0, 24)}`,
    object: "chat.completion",
    created: Math.floor((invoice.paidAt ?? now) / 1000),
    model: "simulated",
    choices: [{ index: 0, message: { role: "assistant", content: `Simulated answer to ${body.api_path} (request ${body.request_id})` }, finish_reason: "stop" }],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}
