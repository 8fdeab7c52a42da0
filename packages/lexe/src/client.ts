// createLexeClient: the typed client for a Lexe sidecar, with Lexe's defaults and the data each
// money-moving call needs for a lookup when its outcome is unknown.
import { bolt11PaymentHash, createApiClient, type ApiClient, type CommonClientOptions, type Secret } from "@satbind/runtime";
import { operationTable, serverUrls } from "./generated/api/operations.js";
import type { paths } from "./generated/api/schema.js";

export interface LexeClientOptions extends CommonClientOptions {
  /** The sidecar's address. Default http://localhost:5393. */
  baseUrl?: string;
  /**
   * Lexe client credentials (the base64 blob exported from the Lexe app), sent as
   * `Authorization: Bearer ...` to pick the wallet. Leave out to use the wallet the sidecar was
   * started with. Not an API key: the sidecar has none.
   */
  clientCredentials?: Secret;
  /** Per attempt, in ms. Default 15000, as Lexe advises (a quiet node may need time to start). */
  timeoutMs?: number;
}

export type LexeClient = ApiClient<paths>;

const DEFAULT_TIMEOUT_MS = 15_000;
/**
 * From sidecar 0.4.11, payment calls answer only once the payment has finished, and the sidecar
 * itself gives up after 25 s. A 15 s client timeout would turn slow successful payments into
 * unknown outcomes, so these wait a little longer than the sidecar does.
 */
const PAYMENT_TIMEOUT_MS = 30_000;
/** The created_at part of an index is ignored by lookups (sidecar 0.4.0 to 0.4.16); only the id matters. */
const ANY_CREATED_AT = "0".repeat(19);
const CLOCK_SKEW_MS = 60_000;

/**
 * How much longer than `timeout_secs` a wait_for_payment call may take. The sidecar checks its
 * deadline after each poll: past it, it may still sleep up to 4 s and make one more poll, a node
 * call that Lexe advises giving 15 s.
 */
export const WAIT_FOR_PAYMENT_MARGIN_MS = 20_000;
/** Timers fire at once beyond this many ms (about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

export function createLexeClient(options: LexeClientOptions = {}): LexeClient {
  const { clientCredentials, ...common } = options;
  if (clientCredentials !== undefined && (clientCredentials === "" || (typeof clientCredentials !== "string" && typeof clientCredentials !== "function"))) {
    throw new TypeError("clientCredentials must be the non-empty credentials string exported from the Lexe app, or a function returning it");
  }
  return createApiClient<paths>(
    {
      provider: "lexe",
      baseUrl: serverUrls[0],
      operations: operationTable,
      auth: clientCredentials === undefined ? undefined : { type: "bearer", token: clientCredentials },
      defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
      // Payments wait longer than other calls unless the client set its own timeout; see boundWait for wait_for_payment.
      callDefaults: (operation, init) =>
        operation.operationId === "wait_for_payment"
          ? boundWait(init)
          : common.timeoutMs === undefined && operation.movesFunds
            ? { timeoutMs: PAYMENT_TIMEOUT_MS }
            : undefined,
      reconcile,
    },
    common,
  );
}

/**
 * wait_for_payment holds the request until the payment is final or `timeout_secs` has passed, and
 * without `timeout_secs` for as long as it takes. So a call that gives `timeout_secs` gets a
 * timeout to match (`timeout_secs` plus a margin, unless the call sets its own `timeoutMs`) and is
 * sent once (unless the call sets `maxRetries`): the sidecar's own "did not complete" 500 or a
 * timed-out attempt, retried, would wait the whole time again. A call without `timeout_secs` keeps
 * the client's timeout, so it never waits past that. Bad values reject the call's promise.
 */
function boundWait(init: Readonly<Record<string, unknown>>): { timeoutMs: number; maxRetries: number } | undefined {
  const seconds = (init.params as { query?: { timeout_secs?: unknown } } | undefined)?.query?.timeout_secs;
  if (seconds === undefined || seconds === null) return undefined;
  if (typeof seconds !== "number" || !Number.isSafeInteger(seconds) || seconds < 0) {
    throw new TypeError(`wait_for_payment: timeout_secs must be a whole number of seconds, 0 or more; got ${String(seconds)}`);
  }
  const timeoutMs = seconds * 1000 + WAIT_FOR_PAYMENT_MARGIN_MS;
  if (timeoutMs > MAX_TIMER_MS) {
    throw new RangeError(`wait_for_payment: timeout_secs can be at most ${Math.floor((MAX_TIMER_MS - WAIT_FOR_PAYMENT_MARGIN_MS) / 1000)} (the longest a timer can wait); got ${seconds}`);
  }
  return { timeoutMs, maxRetries: 0 };
}

/**
 * What identifies a money-moving call whose outcome is unknown, and where to look before trying
 * again. A BOLT11 payment's id is `ln_<payment hash>`, so on sidecars 0.4.0 to 0.4.16 `index` finds
 * it with GET /v2/node/payment (or waitForPayment), whatever its time part says: a 404 there means
 * the sidecar never started it. Builds after 0.4.16 look their own wallet's payments up by the
 * exact index, time included, so the invoice lookups also carry the updated_payments cursor. Other
 * payments get a fresh id on the sidecar, so they are found with updated_payments from
 * `startIndex` (a cursor just before the call; sidecar 0.4.8+).
 */
function reconcile(operationId: string, request: { params: unknown; body: unknown; startedAt: number }): Record<string, unknown> {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const scan = () => scanFrom(request.startedAt);
  switch (operationId) {
    case "pay_invoice":
      return { invoice: body.invoice, ...scan(), ...invoiceLookup(body.invoice) };
    case "pay":
      // A payable that is a BOLT11 invoice can be looked up directly; anything else needs the scan.
      return { payable: body.payable, amount: body.amount, ...scan(), ...invoiceLookup(body.payable) };
    case "pay_offer":
      return { offer: body.offer, amount: body.amount, ...scan() };
    case "pay_lnurl":
    case "withdraw_lnurl":
      return { lnurl: body.lnurl, amount: body.amount, ...scan() };
    case "open_channel":
      return { value: body.value, userChannelId: body.user_channel_id ?? null, lookUpWith: "list_channels" };
    case "close_channel":
      return { channelId: body.channel_id, lookUpWith: "list_channels" };
    default:
      return {};
  }
}

function invoiceLookup(invoice: unknown): { paymentHash?: string; index?: string; lookUpWith?: string } {
  const paymentHash = typeof invoice === "string" ? bolt11PaymentHash(invoice) : undefined;
  return paymentHash ? { paymentHash, index: `${ANY_CREATED_AT}-ln_${paymentHash}`, lookUpWith: "get_payment" } : {};
}

/**
 * Where to start updated_payments to see every payment changed since just before the call. The
 * sidecar's clock is the node's, so allow for some skew.
 */
function scanFrom(startedAt: number): { since: number; startIndex: string; lookUpWith: string } {
  const since = Math.max(0, startedAt - CLOCK_SKEW_MS);
  return { since, startIndex: `u${String(since).padStart(19, "0")}-fr_${"0".repeat(64)}`, lookUpWith: "updated_payments" };
}
