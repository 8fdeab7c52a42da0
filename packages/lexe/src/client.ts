// createLexeClient: the typed client for a Lexe sidecar, with Lexe's defaults and the data each
// money-moving call needs for a lookup when its outcome is unknown.
import { bolt11PaymentHash, createApiClient, type CommonClientOptions, type Secret } from "@satbind/runtime";
import type { Client } from "openapi-fetch";
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

export type LexeClient = Client<paths, `${string}/${string}`>;

const DEFAULT_TIMEOUT_MS = 15_000;
/**
 * From sidecar 0.4.11, payment calls answer only once the payment has finished, and the sidecar
 * itself gives up after 25 s. A 15 s client timeout would turn slow successful payments into
 * unknown outcomes, so these wait a little longer than the sidecar does.
 */
const PAYMENT_TIMEOUT_MS = 30_000;

/** The created_at part of an index is ignored by lookups (sidecar 0.4.0+); only the id matters. */
const ANY_CREATED_AT = "0".repeat(19);

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
      operationTimeoutsMs: Object.fromEntries(
        Object.entries(operationTable)
          .filter(([, op]) => op.movesFunds)
          .map(([id]) => [id, PAYMENT_TIMEOUT_MS]),
      ),
      reconcile,
    },
    common,
  );
}

/**
 * What identifies a payment whose outcome is unknown, and how to look it up before paying again.
 * For a BOLT11 invoice the payment id is `ln_<payment hash>`, so `index` finds it with
 * GET /v2/node/payment (or waitForPayment): a 404 there means the sidecar never started it.
 */
function reconcile(operationId: string, request: { params: unknown; body: unknown }): Record<string, unknown> {
  const body = (request.body ?? {}) as Record<string, unknown>;
  switch (operationId) {
    case "pay_invoice": {
      const invoice = typeof body.invoice === "string" ? body.invoice : "";
      const paymentHash = bolt11PaymentHash(invoice);
      return {
        invoice,
        paymentHash,
        ...(paymentHash && { index: `${ANY_CREATED_AT}-ln_${paymentHash}` }),
        lookUpWith: "get_payment",
      };
    }
    default:
      return { request: body, lookUpWith: "list_payments" };
  }
}
