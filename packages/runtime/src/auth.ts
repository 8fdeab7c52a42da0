// Authentication as openapi-fetch middleware. Credentials are static values or functions (sync or
// async, called per request, so tokens can be refreshed). They are applied only to operations whose
// spec asks for them.
import type { Middleware } from "openapi-fetch";
import type { OperationRef } from "./operations.js";
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

export function authMiddleware(
  auth: AuthConfig,
  options: { findOperation: (method: string, schemaPath: string) => OperationRef | undefined; redactor: Redactor },
): Middleware {
  return {
    async onRequest({ request, schemaPath }) {
      // Unknown operations (a path not in the spec) still get credentials: the caller asked for them.
      if (options.findOperation(request.method, schemaPath)?.auth === "none") return undefined;
      const headers = await resolveHeaders(auth);
      for (const [name, value] of Object.entries(headers)) {
        options.redactor.addSecret(value);
        request.headers.set(name, value);
      }
      return undefined;
    },
  };
}

async function resolveHeaders(auth: AuthConfig): Promise<Record<string, string>> {
  if (auth.type === "bearer") return { authorization: `Bearer ${await reveal(auth.token)}` };
  if (auth.type === "header") return { [auth.name]: await reveal(auth.value) };
  const entries = await Promise.all(Object.entries(auth.headers).map(async ([name, value]) => [name, await reveal(value)] as const));
  return Object.fromEntries(entries);
}
