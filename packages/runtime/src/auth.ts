// Authentication. Credentials are static values or functions (sync or async, called per request, so
// tokens can be refreshed). The client applies them only to operations whose spec asks for them.
import type { Redactor } from "./redact.js";

/** A credential, or a function that returns one (called for every request). */
export type Secret = string | (() => string | Promise<string>);

export type AuthConfig =
  /** `Authorization: Bearer <token>` */
  | { type: "bearer"; token: Secret }
  /** One API-key header, e.g. `x-api-token`. */
  | { type: "header"; name: string; value: Secret }
  /** A set of headers sent together, e.g. UTEXO's xpub-van, xpub-col and master-fingerprint. */
  | { type: "headers"; headers: Readonly<Record<string, Secret>> };

async function reveal(secret: Secret): Promise<string> {
  const value = typeof secret === "function" ? await secret() : secret;
  if (typeof value !== "string" || value.length === 0) throw new TypeError("a credential function returned no value");
  return value;
}

/** The header names an auth config writes, so the redactor knows them. */
export function authHeaderNames(auth: AuthConfig): string[] {
  if (auth.type === "bearer") return ["authorization"];
  if (auth.type === "header") return [auth.name];
  return Object.keys(auth.headers);
}

/** The headers of credentials given as plain strings, worked out once per client; undefined when any is a function. */
export function fixedAuthHeaders(auth: AuthConfig): Record<string, string> | undefined {
  const secrets = auth.type === "bearer" ? { authorization: auth.token } : auth.type === "header" ? { [auth.name]: auth.value } : auth.headers;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(secrets)) {
    if (typeof value !== "string" || value === "") return undefined;
    headers[name.toLowerCase()] = auth.type === "bearer" ? `Bearer ${value}` : value;
  }
  return headers;
}

/** Credentials from functions (sync or async), called for every request so tokens can be refreshed. */
export async function resolveAuthHeaders(auth: AuthConfig, redactor: Redactor): Promise<Record<string, string>> {
  const headers: Record<string, string> =
    auth.type === "bearer"
      ? { authorization: `Bearer ${await reveal(auth.token)}` }
      : auth.type === "header"
        ? { [auth.name.toLowerCase()]: await reveal(auth.value) }
        : Object.fromEntries(await Promise.all(Object.entries(auth.headers).map(async ([name, value]) => [name.toLowerCase(), await reveal(value)] as const)));
  for (const value of Object.values(headers)) redactor.addSecret(value);
  return headers;
}
