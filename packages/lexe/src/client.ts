// createLexeClient: the typed client for a Lexe sidecar, with Lexe's defaults and the data each
// money-moving call needs for a lookup when its outcome is unknown.
import { bolt11PaymentHash, createApiClient, type ApiClient, type CommonClientOptions, type Secret } from "@satbind/runtime";
import { operationTable, servers } from "./generated/api/operations.js";
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
const PAYMENT_TIMEOUTS = Object.fromEntries(
  Object.entries(operationTable)
    .filter(([, op]) => op.movesFunds)
    .map(([id]) => [id, PAYMENT_TIMEOUT_MS]),
);

/** The created_at part of an index is ignored by lookups (sidecar 0.4.0+); only the id matters. */
const ANY_CREATED_AT = "0".repeat(19);
const CLOCK_SKEW_MS = 60_000;

export function createLexeClient(options: LexeClientOptions = {}): LexeClient {
  const { clientCredentials, ...common } = options;
  if (clientCredentials !== undefined && (clientCredentials === "" || (typeof clientCredentials !== "string" && typeof clientCredentials !== "function"))) {
    throw new TypeError("clientCredentials must be the non-empty credentials string exported from the Lexe app, or a function returning it");
  }
  return createApiClient<paths>(
    {
      provider: "lexe",
      baseUrl: servers[0].url,
      operations: operationTable,
      auth: clientCredentials === undefined ? undefined : { type: "bearer", token: clientCredentials },
      defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
      operationTimeoutsMs: PAYMENT_TIMEOUTS,
      reconcile,
      responseSchemas: () => import("./generated/api/responses.js").then((m) => m.responseSchemas),
    },
    common,
  );
}

/**
 * What identifies a money-moving call whose outcome is unknown, and where to look before trying
 * again. A BOLT11 payment's id is `ln_<payment hash>`, so `index` finds it with GET
 * /v2/node/payment (or waitForPayment): a 404 there means the sidecar never started it. Other
 * payments get a fresh id on the sidecar, so they are found with updated_payments from
 * `startIndex` (a cursor just before the call).
 */
function reconcile(operationId: string, request: { params: unknown; body: unknown; startedAt: number }): Record<string, unknown> {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const scan = () => scanFrom(request.startedAt);
  switch (operationId) {
    case "pay_invoice":
      return { invoice: body.invoice, ...invoiceLookup(body.invoice) };
    case "pay": {
      // A payable that is a BOLT11 invoice can be looked up directly; anything else needs a scan.
      const lookup = invoiceLookup(body.payable);
      return { payable: body.payable, amount: body.amount, ...(lookup.index ? lookup : scan()) };
    }
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
