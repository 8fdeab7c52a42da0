// Deezy's pay-per-call AI endpoint. The first POST /v1/webai answers 402 with a BOLT11 invoice in
// the `bolt11-auth` header; once the caller's wallet has paid it, the same request (same
// request_id) is sent again with that header and answers with the AI provider's result.
// At most one payment per request: anything but a 2xx after paying is an error, never a second
// payment.
import { SatbindError, errorOf } from "@satbind/runtime";
import type { DeezyClient } from "./client.js";
import type { components } from "./generated/api/schema.js";

type WebaiBody = components["schemas"]["WebaiRequest"];
/** The AI provider's answer for `api_path`, as Deezy passes it on. */
export type WebaiAnswer = components["schemas"]["WebaiResponse"];

/** The request, with `request_id` optional: one is made up when you leave it out. */
export type WebaiCall = Omit<WebaiBody, "request_id"> & { request_id?: string };

export interface WebaiOptions {
  /**
   * Pays a BOLT11 invoice with any wallet. Resolve once it is paid; throw if it was not. Called
   * at most once per webai() call.
   */
  payInvoice: (invoice: string) => Promise<unknown>;
  /** An invoice already paid for this request_id: skip straight to the paid request. */
  paidInvoice?: string;
  signal?: AbortSignal;
}

/** The webai flow stopped. `paid` says whether money left the wallet for this request. */
export class WebaiPaymentError extends SatbindError {
  override name = "WebaiPaymentError";
  readonly requestId: string;
  /** The invoice Deezy asked to be paid, if it sent one. Pass it as `paidInvoice` to resume. */
  readonly invoice: string | undefined;
  readonly paid: boolean | "unknown";

  constructor(message: string, details: { requestId: string; invoice: string | undefined; paid: boolean | "unknown" }, options?: { cause?: unknown }) {
    super(message, { operationId: "webai", method: "POST", url: "/v1/webai" }, options);
    this.requestId = details.requestId;
    this.invoice = details.invoice;
    this.paid = details.paid;
  }
}

/**
 * One paid AI call: ask, pay the 402 invoice with `payInvoice`, ask again with proof of payment.
 *
 *   const answer = await webai(deezy, { provider: "openai", api_path: "v1/chat/completions", data }, { payInvoice });
 */
export async function webai(client: DeezyClient, request: WebaiCall, options: WebaiOptions): Promise<WebaiAnswer> {
  if (typeof options?.payInvoice !== "function") throw new TypeError("webai needs a payInvoice(invoice) function that pays with your wallet");
  const body: WebaiBody = { ...request, request_id: request.request_id ?? globalThis.crypto.randomUUID() };
  const requestId = body.request_id;
  const send = (invoice?: string) =>
    client.POST("/v1/webai", {
      body,
      ...(invoice !== undefined && { params: { header: { "bolt11-auth": invoice } } }),
      ...(options.signal && { signal: options.signal }),
      throwOnError: false,
    });

  let invoice = options.paidInvoice;
  if (invoice === undefined) {
    const first = await send();
    if (first.ok) return first.data;
    if (first.status !== 402) throw errorOf(first);
    invoice = first.response.headers.get("bolt11-auth") ?? undefined;
    if (!invoice) {
      throw new WebaiPaymentError(`Deezy answered 402 for webai request ${requestId} without a bolt11-auth invoice; nothing was paid`, { requestId, invoice: undefined, paid: false }, { cause: errorOf(first) });
    }
    try {
      await options.payInvoice(invoice);
    } catch (error) {
      throw new WebaiPaymentError(
        `payInvoice failed for webai request ${requestId}: ${(error as Error)?.message ?? String(error)}. If the invoice was paid after all, resume with paidInvoice`,
        { requestId, invoice, paid: "unknown" },
        { cause: error },
      );
    }
  }

  let second: Awaited<ReturnType<typeof send>>;
  try {
    second = await send(invoice);
  } catch (error) {
    throw new WebaiPaymentError(`webai request ${requestId} is paid but its answer was lost; resume with the same request_id and paidInvoice`, { requestId, invoice, paid: true }, { cause: error });
  }
  if (second.ok) return second.data;
  const why = second.status === 402 ? "asked for payment again after the invoice was paid; not paying twice" : `answered HTTP ${second.status} after the invoice was paid`;
  throw new WebaiPaymentError(`Deezy ${why} (webai request ${requestId})`, { requestId, invoice, paid: true }, { cause: errorOf(second) });
}
