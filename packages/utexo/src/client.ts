// createUtexoClient: the typed client for UTEXO API v1 or v2, with the three wallet headers sent
// on every call and kept out of errors, logs and inspected objects.
import { createApiClient, type ApiClient, type CommonClientOptions, type Secret } from "@satbind/runtime";
import * as v1 from "./generated/v1/operations.js";
import * as v2 from "./generated/v2/operations.js";
import type { paths as V1Paths } from "./generated/v1/schema.js";
import type { paths as V2Paths } from "./generated/v2/schema.js";

export type UtexoVersion = "v1" | "v2";
export type UtexoNetwork = "mainnet" | "testnet" | "local";

/**
 * The wallet the node works for. These are public keys, not spending keys, but they reveal the
 * wallet's whole history and balance: the client redacts them everywhere.
 */
export interface UtexoKeys {
  /** Account xpub of the vanilla (bitcoin-only) keychain, sent as `xpub-van`. */
  xpubVan: Secret;
  /** Account xpub of the colored (RGB) keychain, sent as `xpub-col`. */
  xpubCol: Secret;
  /** Master key fingerprint, 8 hex digits, sent as `master-fingerprint`. */
  masterFingerprint: Secret;
}

export interface UtexoClientOptions<V extends UtexoVersion = UtexoVersion> extends CommonClientOptions {
  /** API version: "v1" (wallet routes under /wallet) or "v2" (everything under /lightning). */
  version: V;
  /** Which node: "mainnet", "testnet" or "local" (http://127.0.0.1:8000). Or give `baseUrl`. */
  network?: UtexoNetwork;
  keys: UtexoKeys;
}

export type UtexoV1Client = ApiClient<V1Paths>;
export type UtexoV2Client = ApiClient<V2Paths>;
export type UtexoClient<V extends UtexoVersion = UtexoVersion> = V extends "v1" ? UtexoV1Client : UtexoV2Client;

const TABLES = { v1: v1.operationTable, v2: v2.operationTable } as const;
// Both specs list the same three servers in the same order.
const BASE_URLS: Record<UtexoNetwork, string> = { mainnet: v2.serverUrls[0], testnet: v2.serverUrls[1], local: v2.serverUrls[2] };
const DEFAULT_TIMEOUT_MS = 30_000;

export function createUtexoClient<V extends UtexoVersion>(options: UtexoClientOptions<V>): UtexoClient<V> {
  const { version, network, keys, ...common } = options ?? ({} as UtexoClientOptions<V>);
  if (version !== "v1" && version !== "v2") throw new TypeError(`version must be "v1" or "v2"; got ${JSON.stringify(version)}`);
  if (network !== undefined && !Object.hasOwn(BASE_URLS, network)) {
    throw new TypeError(`network must be "mainnet", "testnet" or "local"; got ${JSON.stringify(network)}`);
  }
  // No default network: a test script must not reach mainnet by accident.
  if (network === undefined && common.baseUrl === undefined) throw new TypeError('createUtexoClient needs network ("mainnet", "testnet" or "local") or baseUrl');
  checkKeys(keys);

  return createApiClient<V1Paths & V2Paths>(
    {
      provider: "utexo",
      baseUrl: network ? BASE_URLS[network] : BASE_URLS.mainnet,
      operations: TABLES[version],
      auth: {
        type: "headers",
        headers: { "xpub-van": keys.xpubVan, "xpub-col": keys.xpubCol, "master-fingerprint": keys.masterFingerprint },
      },
      defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
      errorDetails,
      validatorModule: `@satbind/utexo/${version}/validate`,
      reconcile: (_operationId, request) => ({ startedAt: new Date(request.startedAt).toISOString() }),
    },
    common,
  ) as UtexoClient<V>;
}

/** Fails early on keys that cannot be right, without ever echoing a key. */
function checkKeys(keys: UtexoKeys | undefined): void {
  if (keys === null || typeof keys !== "object") throw new TypeError("createUtexoClient needs keys: { xpubVan, xpubCol, masterFingerprint }");
  for (const name of ["xpubVan", "xpubCol", "masterFingerprint"] as const) {
    const value = keys[name];
    if (typeof value === "function") continue;
    if (typeof value !== "string" || value.length === 0) throw new TypeError(`keys.${name} must be a non-empty string or a function that returns one`);
    if (value.trim() !== value) throw new TypeError(`keys.${name} has leading or trailing whitespace`);
  }
  const fingerprint = keys.masterFingerprint;
  if (typeof fingerprint === "string" && !/^[0-9a-fA-F]{8}$/.test(fingerprint)) {
    throw new TypeError(`keys.masterFingerprint must be 8 hex digits (got ${fingerprint.length} characters)`);
  }
}

/**
 * UTEXO answers errors in three shapes: the RGB library's `{error, message, status}`, the web
 * framework's `{detail: "..."}`, and a validation failure's `{detail: [{loc, msg, type}]}`.
 */
export function errorDetails(body: unknown): { code?: string; message?: string } {
  if (body === null || typeof body !== "object") return typeof body === "string" && body ? { message: body.slice(0, 200) } : {};
  const { error, message, detail } = body as Record<string, unknown>;
  if (typeof error === "string" && typeof message === "string") return { code: error, message };
  if (typeof detail === "string") return { message: detail };
  if (Array.isArray(detail)) {
    const problems = detail.map((p) => {
      const { loc, msg } = (p ?? {}) as { loc?: unknown; msg?: unknown };
      const where = Array.isArray(loc) ? loc.join(".") : "";
      return where ? `${where}: ${String(msg)}` : String(msg);
    });
    return { message: problems.join("; ") };
  }
  // An unknown wallet answers only {error: "<message>"}.
  if (typeof error === "string") return { message: error };
  return {};
}
