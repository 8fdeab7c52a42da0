// createBtcpayClient: the typed client for one BTCPay Server, authenticated with a Greenfield API key
// (`Authorization: token <key>`) or a user's login (HTTP Basic), with the data each money-moving
// call needs for a lookup when its outcome is unknown.
import { bolt11PaymentHash, createApiClient, type ApiClient, type AuthConfig, type CommonClientOptions, type Secret } from "@satbind/runtime";
import { operationTable } from "./generated/api/operations.js";
import type { paths } from "./generated/api/schema.js";
import { greenfieldErrorDetails } from "./errors.js";

interface BtcpayClientBase extends Omit<CommonClientOptions, "baseUrl"> {
  /** The server's root, e.g. "https://btcpay.example.com" (the API lives under /api/v1 there). */
  serverUrl: string;
}

export type BtcpayClientOptions =
  | (BtcpayClientBase & {
      /** A Greenfield API key (Account > API keys), or a function returning one; sent as `Authorization: token <key>`. */
      apiKey: Secret;
      basic?: never;
    })
  | (BtcpayClientBase & {
      /** A user's email and password, sent as HTTP Basic. An API key is narrower: prefer it. */
      basic: { username: string; password: Secret };
      apiKey?: never;
    });

export type BtcpayClient = ApiClient<paths>;

/** Paying a Lightning invoice waits for the node (sendTimeout defaults to 30 s on the server). */
const DEFAULT_TIMEOUT_MS = 30_000;
const MONEY_TIMEOUT_MS = 60_000;

export function createBtcpayClient(options: BtcpayClientOptions): BtcpayClient {
  const { serverUrl, apiKey, basic, ...common } = options as BtcpayClientBase & { apiKey?: Secret; basic?: { username: string; password: Secret } };
  if (typeof serverUrl !== "string" || !/^https?:\/\/[^/\s]+/i.test(serverUrl)) {
    throw new TypeError(`createBtcpayClient needs serverUrl, the server's http(s) root like "https://btcpay.example.com"; got ${JSON.stringify(serverUrl)}`);
  }
  return createApiClient<paths>(
    {
      provider: "btcpay",
      baseUrl: serverUrl.replace(/\/+$/, "").replace(/\/api\/v1$/, ""),
      operations: operationTable,
      auth: authConfig(apiKey, basic),
      missingAuthHint: "an API key: createBtcpayClient({ serverUrl, apiKey })",
      defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
      callDefaults: (operation) => (common.timeoutMs === undefined && operation.movesFunds ? { timeoutMs: MONEY_TIMEOUT_MS } : undefined),
      errorDetails: greenfieldErrorDetails,
      requestIdHeaders: ["x-request-id"],
      reconcile,
    },
    common,
  );
}

function authConfig(apiKey: Secret | undefined, basic: { username: string; password: Secret } | undefined): AuthConfig {
  if (apiKey !== undefined && basic !== undefined) throw new TypeError("createBtcpayClient takes apiKey or basic, not both");
  if (apiKey !== undefined) {
    if (apiKey === "" || (typeof apiKey !== "string" && typeof apiKey !== "function")) throw new TypeError("apiKey must be a non-empty Greenfield API key, or a function returning one");
    const value = typeof apiKey === "string" ? `token ${apiKey}` : async () => `token ${await apiKey()}`;
    return { type: "header", name: "authorization", value };
  }
  if (basic !== undefined) {
    const { username, password } = basic;
    if (typeof username !== "string" || username === "") throw new TypeError("basic.username must be the user's email");
    if (password === "" || (typeof password !== "string" && typeof password !== "function")) throw new TypeError("basic.password must be a non-empty string, or a function returning one");
    const value = typeof password === "string" ? basicHeader(username, password) : async () => basicHeader(username, await password());
    return { type: "header", name: "authorization", value };
  }
  throw new TypeError("createBtcpayClient needs apiKey (a Greenfield API key) or basic ({ username, password })");
}

/** `Basic base64(user:password)`, UTF-8 as BTCPay reads it, without Node's Buffer. */
function basicHeader(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/**
 * What identifies a money-moving call whose outcome is unknown, and the operation to look it up with
 * before trying again: its path (store, node, pull payment, payout...) and the body fields that say
 * what was asked.
 */
function reconcile(operationId: string, request: { params: unknown; body: unknown }): Record<string, unknown> {
  const path = ((request.params as { path?: Record<string, unknown> } | undefined)?.path ?? {}) as Record<string, unknown>;
  const body = (request.body ?? {}) as Record<string, unknown>;
  switch (operationId) {
    case "StoreLightningNodeApi_PayInvoice":
    case "InternalLightningNodeApi_PayInvoice": {
      const paymentHash = typeof body.BOLT11 === "string" ? bolt11PaymentHash(body.BOLT11) : undefined;
      return { ...path, BOLT11: body.BOLT11, paymentHash, lookUpWith: operationId.replace("PayInvoice", "GetPayment") };
    }
    case "StoreLightningNodeApi_OpenChannel":
    case "InternalLightningNodeApi_OpenChannel":
      return { ...path, nodeURI: body.nodeURI, channelAmount: body.channelAmount, lookUpWith: operationId.replace("OpenChannel", "GetChannels") };
    case "StoreOnChainWallets_CreateOnChainTransaction":
    case "StoreOnChainWallets_BroadcastOnChainTransaction":
      return { ...path, destinations: body.destinations, lookUpWith: "StoreOnChainWallets_ShowOnChainWalletTransactions" };
    case "Invoices_Refund":
    case "PullPayments_CreatePullPayment":
      return { ...path, lookUpWith: "PullPayments_GetPullPayments" };
    case "PullPayments_CreatePayout":
      return { ...path, destination: body.destination, amount: body.amount, lookUpWith: "PullPayments_GetPayouts" };
    case "Payouts_CreatePayoutThroughStore":
      return { ...path, destination: body.destination, amount: body.amount, lookUpWith: "PullPayments_GetStorePayouts" };
    case "PullPayments_ApprovePayout":
    case "PullPayments_MarkPayout":
    case "PullPayments_MarkPayoutPaid":
      return { ...path, lookUpWith: "GetStorePayout" };
    case "PullPayments_LinkBoltcard":
      return { ...path, UID: body.UID, lookUpWith: "PullPayments_GetPullPayment" };
    case "UpdateCredit":
      return { ...path, lookUpWith: "GetCredit" };
    case "ProceedPlanCheckout":
      return { ...path, lookUpWith: "GetPlanCheckout" };
    default:
      return { ...path };
  }
}
