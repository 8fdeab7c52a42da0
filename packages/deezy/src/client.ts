// createDeezyClient: the typed client for Deezy, on mainnet or testnet, with the API token sent
// only to the operations that take it and Deezy's secret keys kept out of errors and logs.
import { createApiClient, type ApiClient, type CommonClientOptions, type Secret } from "@satbind/runtime";
import { operationTable, serverUrls } from "./generated/api/operations.js";
import type { paths } from "./generated/api/schema.js";

export type DeezyNetwork = "mainnet" | "testnet";

export interface DeezyClientOptions extends CommonClientOptions {
  /** Which Deezy: mainnet (https://api.deezy.io) or testnet (https://api-testnet.deezy.io). Or give `baseUrl`. */
  network?: DeezyNetwork;
  /** Your Deezy API token (from support@deezy.io), sent as `x-api-token` where an operation needs it. */
  apiToken?: Secret;
}

export type DeezyClient = ApiClient<paths>;

const BASE_URLS: Record<DeezyNetwork, string> = { mainnet: serverUrls[0], testnet: serverUrls[1] };
const DEFAULT_TIMEOUT_MS = 30_000;

export function createDeezyClient(options: DeezyClientOptions): DeezyClient {
  const { network, apiToken, ...common } = options ?? {};
  if (network !== undefined && !(network in BASE_URLS)) throw new TypeError(`network must be "mainnet" or "testnet"; got ${JSON.stringify(network)}`);
  // No default network: a test script must not reach mainnet by accident.
  if (network === undefined && common.baseUrl === undefined) throw new TypeError('createDeezyClient needs network ("mainnet" or "testnet") or baseUrl');
  if (apiToken === "") throw new TypeError("apiToken is empty; leave it out for operations that need no token");
  return createApiClient<paths>(
    {
      provider: "deezy",
      baseUrl: network ? BASE_URLS[network] : serverUrls[0],
      operations: operationTable,
      auth: apiToken === undefined ? undefined : { type: "header", name: "x-api-token", value: apiToken },
      missingAuthHint: "your Deezy API token: createDeezyClient({ apiToken })",
      defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
      redact: { headers: ["bolt11-auth"], query: ["secret_access_key"], bodyKeys: ["secret_access_key", "secret_key"] },
      reconcile,
    },
    common,
  );
}

/** What a money-moving call sent that identifies it, for a lookup before trying again. */
function reconcile(_operationId: string, request: { params: unknown; body: unknown }): Record<string, unknown> {
  const body = (request.body ?? {}) as Record<string, unknown>;
  return Object.keys(body).length > 0 ? { request: body } : {};
}
