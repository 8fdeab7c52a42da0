// @satbind/uma-auth: the UMA Auth API (the VASP wallet API behind UMA's NWC server).
import {
  bolt11PaymentHash,
  createApiClient,
  serverUrl,
  type ApiClient,
  type CommonClientOptions,
  type Secret,
} from "@satbind/runtime";
import { operationTable, servers } from "./generated/api/operations.js";
import type { paths } from "./generated/api/schema.js";
import { umaErrorDetails } from "./errors.js";

export interface UmaAuthClientOptions extends CommonClientOptions {
  /**
   * The VASP's host, e.g. "vasp.example" for https://vasp.example/umanwc/v1. VASPs that mount
   * the API elsewhere (say /api/umanwc) need `baseUrl` instead.
   */
  vaspHost?: string;
  /** The bearer JWT the VASP issued for this connection, or a function that returns a fresh one. */
  token: Secret;
}

export type UmaAuthClient = ApiClient<paths>;

/** Default per-attempt timeout. Payments can take a while to settle on the VASP's side. */
const DEFAULT_TIMEOUT_MS = 60_000;

export function createUmaAuthClient(options: UmaAuthClientOptions): UmaAuthClient {
  const { vaspHost, token, ...common } = options;
  // No default host: the spec's example host belongs to nobody, and the token must not go there.
  if (!common.baseUrl && !vaspHost) throw new TypeError("createUmaAuthClient needs vaspHost (e.g. \"vasp.example\") or baseUrl");
  if (vaspHost !== undefined && !/^[a-z0-9.-]+(:\d+)?$/i.test(vaspHost)) {
    throw new TypeError(`vaspHost must be a host name, optionally with a port; got ${JSON.stringify(vaspHost)}`);
  }
  if (token === undefined || token === "") throw new TypeError("createUmaAuthClient needs the connection's bearer token");
  return createApiClient<paths>(
    {
      provider: "uma-auth",
      baseUrl: common.baseUrl ?? serverUrl(servers[0], { vasp_host: vaspHost }),
      operations: operationTable,
      auth: { type: "bearer", token },
      defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
      errorDetails: umaErrorDetails,
      reconcile,
    },
    common,
  );
}

/**
 * What identifies a payment whose outcome is unknown. Look it up with lookup_invoice (by
 * payment hash) or list_transactions before paying again.
 */
function reconcile(operationId: string, request: { params: unknown; body: unknown }): Record<string, unknown> {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const path = ((request.params as { path?: Record<string, unknown> } | undefined)?.path ?? {}) as Record<string, unknown>;
  switch (operationId) {
    case "pay_invoice": {
      const invoice = String(body.invoice ?? "");
      return { invoice, paymentHash: bolt11PaymentHash(invoice), lookUpWith: "lookup_invoice" };
    }
    case "execute_quote":
      return { paymentHash: path.payment_hash, lookUpWith: "lookup_invoice" };
    case "pay_keysend":
      return { pubkey: body.pubkey, amount: body.amount, preimage: body.preimage, lookUpWith: "list_transactions" };
    case "pay_to_lud16_address":
      return {
        receiverAddress: body.receiver_address,
        sendingCurrencyCode: body.sending_currency_code,
        sendingCurrencyAmount: body.sending_currency_amount,
        lookUpWith: "list_transactions",
      };
    default:
      return {};
  }
}

export { operationTable, servers, serverUrls } from "./generated/api/operations.js";
export type { OperationId } from "./generated/api/operations.js";
export type * from "./generated/api/schema.js";
// Error classes, unwrap/errorOf and the amount and invoice helpers, without a second install.
export * from "@satbind/runtime";
