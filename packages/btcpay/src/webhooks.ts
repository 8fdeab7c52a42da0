// BTCPay webhooks: the 23 events of the spec's `x-webhooks` as one union narrowed on `type`, and the
// `BTCPay-Sig` check. BTCPay signs each delivery with `sha256=<hex HMAC-SHA256 of the raw body>`
// keyed with the webhook's secret; verify the bytes you received before parsing them.
import type {
  PayoutState,
  WebhookEvent,
  WebhookInvoiceEvent,
  WebhookInvoiceExpiredEvent,
  WebhookInvoiceInvalidEvent,
  WebhookInvoicePaymentSettledEvent,
  WebhookInvoiceProcessingEvent,
  WebhookInvoiceReceivedPaymentEvent,
  WebhookInvoiceSettledEvent,
  WebhookPlanStartedEvent,
  WebhookSubscriberChargedEvent,
  WebhookSubscriberCreditedEvent,
  WebhookSubscriberDisabledEvent,
  WebhookSubscriberEvent,
  WebhookSubscriberPhaseChangedEvent,
} from "./generated/api/schema.js";

/** Payment request events: the spec writes their bodies inline, beside the common event fields. */
export interface WebhookPaymentRequestEvent extends WebhookEvent {
  storeId?: string;
  paymentRequestId?: string;
  status?: "Pending" | "Completed" | "Expired";
}

/** Payout events: the spec writes their bodies inline, beside the common event fields. */
export interface WebhookPayoutEvent extends WebhookEvent {
  storeId?: string;
  payoutId?: string;
  pullPaymentId?: string | null;
  payoutState?: PayoutState;
}

/** Each event `type` BTCPay sends, and the body it sends with it (the spec's `x-webhooks`). */
export interface BtcpayWebhookEvents {
  InvoiceCreated: WebhookInvoiceEvent;
  InvoiceExpired: WebhookInvoiceExpiredEvent;
  InvoiceReceivedPayment: WebhookInvoiceReceivedPaymentEvent;
  InvoicePaymentSettled: WebhookInvoicePaymentSettledEvent;
  InvoiceProcessing: WebhookInvoiceProcessingEvent;
  InvoiceInvalid: WebhookInvoiceInvalidEvent;
  InvoiceSettled: WebhookInvoiceSettledEvent;
  PaymentRequestCreated: WebhookPaymentRequestEvent;
  PaymentRequestUpdated: WebhookPaymentRequestEvent;
  PaymentRequestArchived: WebhookPaymentRequestEvent;
  PaymentRequestStatusChanged: WebhookPaymentRequestEvent;
  PayoutCreated: WebhookPayoutEvent;
  PayoutApproved: WebhookPayoutEvent;
  PayoutUpdated: WebhookPayoutEvent;
  SubscriberCreated: WebhookSubscriberEvent;
  SubscriberCredited: WebhookSubscriberCreditedEvent;
  SubscriberCharged: WebhookSubscriberChargedEvent;
  SubscriberActivated: WebhookSubscriberEvent;
  SubscriberPhaseChanged: WebhookSubscriberPhaseChangedEvent;
  SubscriberDisabled: WebhookSubscriberDisabledEvent;
  PaymentReminder: WebhookSubscriberEvent;
  PlanStarted: WebhookPlanStartedEvent;
  SubscriberNeedUpgrade: WebhookSubscriberEvent;
}

export type BtcpayWebhookEventType = keyof BtcpayWebhookEvents;

/** Any delivery, narrowed by `switch (event.type)`. */
export type BtcpayWebhookEvent = { [T in BtcpayWebhookEventType]: Omit<BtcpayWebhookEvents[T], "type"> & { type: T } }[BtcpayWebhookEventType];

/** The header BTCPay signs deliveries with. */
export const WEBHOOK_SIGNATURE_HEADER = "BTCPay-Sig";

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * True when `signatureHeader` (the `BTCPay-Sig` header, `sha256=<hex>`) is the HMAC-SHA256 of
 * `rawBody` (the bytes received, before any JSON parsing) keyed with the webhook's `secret`.
 * False for a missing or malformed header, or any mismatch. Web Crypto only: runs in Node 20,
 * Deno, Bun, browsers and Workers.
 */
export async function verifyWebhookSignature(
  rawBody: string | Uint8Array | ArrayBuffer,
  signatureHeader: string | null | undefined,
  secret: string,
): Promise<boolean> {
  if (typeof secret !== "string" || secret === "") throw new TypeError("verifyWebhookSignature needs the webhook's secret (a non-empty string)");
  if (typeof rawBody !== "string" && !(rawBody instanceof Uint8Array) && !(rawBody instanceof ArrayBuffer)) {
    throw new TypeError("verifyWebhookSignature needs the raw body as received (a string, Uint8Array or ArrayBuffer), not parsed JSON");
  }
  const match = typeof signatureHeader === "string" ? SIGNATURE.exec(signatureHeader.trim()) : null;
  if (!match) return false;
  const encoder = new TextEncoder();
  const key = await globalThis.crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  // A copy, so a view over a SharedArrayBuffer (which Web Crypto refuses) works too.
  const body = typeof rawBody === "string" ? encoder.encode(rawBody) : new Uint8Array(rawBody);
  const expected = new Uint8Array(await globalThis.crypto.subtle.sign("HMAC", key, body));
  return constantTimeEqual(expected, hexBytes(match[1]!));
}

/**
 * Verifies the delivery, then parses it: the event, typed to narrow on `type`. Throws
 * WebhookSignatureError when the signature does not match (nothing of the body is trusted then).
 */
export async function parseWebhookEvent(
  rawBody: string | Uint8Array | ArrayBuffer,
  signatureHeader: string | null | undefined,
  secret: string,
): Promise<BtcpayWebhookEvent> {
  if (!(await verifyWebhookSignature(rawBody, signatureHeader, secret))) {
    throw new WebhookSignatureError(
      typeof signatureHeader === "string" && SIGNATURE.test(signatureHeader.trim())
        ? "BTCPay-Sig does not match the body and the webhook's secret"
        : `BTCPay-Sig must be "sha256=" and 64 hex digits; got ${signatureHeader === undefined || signatureHeader === null ? "no header" : JSON.stringify(signatureHeader.slice(0, 80))}`,
    );
  }
  const text = typeof rawBody === "string" ? rawBody : new TextDecoder().decode(rawBody);
  const event = JSON.parse(text) as unknown;
  if (event === null || typeof event !== "object" || typeof (event as { type?: unknown }).type !== "string") {
    throw new TypeError("a BTCPay webhook delivery is a JSON object with a string `type`");
  }
  return event as BtcpayWebhookEvent;
}

export class WebhookSignatureError extends Error {
  override name = "WebhookSignatureError";
}

function hexBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** Compares every byte whatever differs first, so the time taken says nothing about where. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}
