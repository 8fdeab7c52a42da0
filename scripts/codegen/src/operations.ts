// The operations table: what the runtime needs to know per operation, read from the spec.
import { isObject, type JsonObject, type ValidSpec } from "./spec.js";

export interface OperationRow {
  operationId: string;
  method: string;
  path: string;
  summary: string;
  /** Safe to send twice: GET/HEAD/OPTIONS, or x-satbind-retry-safe: true; never when it moves funds. */
  retrySafe: boolean;
  /** x-satbind-moves-funds: true. Never retried; a lost response is an ambiguous outcome. */
  movesFunds: boolean;
  /** "required" when every security requirement names a scheme, "optional" when one is empty, else "none". */
  auth: "required" | "optional" | "none";
  /**
   * The scopes the security requirements name (e.g. BTCPay's API-key permissions), each requirement
   * once, its scopes joined with " + " (OpenAPI: all of them). Empty when no requirement names one.
   */
  permissions: string[];
}

const SAFE_METHODS = new Set(["get", "head", "options"]);

export function operationRows(spec: ValidSpec): OperationRow[] {
  const globalSecurity = spec.document.security;
  return spec.operations.map(({ operationId, method, path, operation }) => {
    const movesFunds = operation["x-satbind-moves-funds"] === true;
    const markedSafe = operation["x-satbind-retry-safe"] === true;
    return {
      operationId,
      method: method.toUpperCase(),
      path,
      summary: typeof operation.summary === "string" ? operation.summary.trim() : "",
      retrySafe: !movesFunds && (SAFE_METHODS.has(method) || markedSafe),
      movesFunds,
      auth: authOf(operation.security ?? globalSecurity),
      permissions: permissionsOf(operation.security ?? globalSecurity),
    };
  });
}

function authOf(security: unknown): OperationRow["auth"] {
  if (!Array.isArray(security) || security.length === 0) return "none";
  const empty = security.some((req) => isObject(req) && Object.keys(req as JsonObject).length === 0);
  return empty ? "optional" : "required";
}

function permissionsOf(security: unknown): string[] {
  if (!Array.isArray(security)) return [];
  const found = new Set<string>();
  for (const requirement of security) {
    if (!isObject(requirement)) continue;
    for (const scopes of Object.values(requirement)) {
      if (Array.isArray(scopes) && scopes.length > 0) found.add(scopes.map(String).join(" + "));
    }
  }
  return [...found];
}

export interface ServerEntry {
  url: string;
  description?: string;
  variables?: Record<string, { default: string; enum?: string[]; description?: string }>;
}

export function serverEntries(spec: ValidSpec): ServerEntry[] {
  const servers = spec.document.servers;
  if (!Array.isArray(servers)) return [];
  return servers.filter(isObject).map((s) => {
    const entry: ServerEntry = { url: String(s.url) };
    if (typeof s.description === "string") entry.description = s.description;
    if (isObject(s.variables)) {
      entry.variables = {};
      for (const [name, v] of Object.entries(s.variables)) {
        if (!isObject(v)) continue;
        entry.variables[name] = { default: String(v.default) };
        if (Array.isArray(v.enum)) entry.variables[name]!.enum = v.enum.map(String);
      }
    }
    return entry;
  });
}
