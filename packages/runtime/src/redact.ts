// Secrets never reach an error, a log line or an inspected object. Two nets: by name (headers,
// query parameters, body fields known to hold secrets) and by value (any string equal to or
// containing a secret this client has sent).

export const REDACTED = "[REDACTED]";

const MAX_REMEMBERED = 1_000;

/** Header names that always hold secrets, whatever the provider. */
const DEFAULT_SECRET_HEADERS = ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "x-api-token"];

export interface RedactOptions {
  /** Extra header names whose values are secret (case-insensitive). */
  headers?: readonly string[];
  /** Query parameter names whose values are secret. */
  query?: readonly string[];
  /** JSON body field names whose values are secret, at any depth. */
  bodyKeys?: readonly string[];
}

export class Redactor {
  readonly #headers: Set<string>;
  readonly #query: Set<string>;
  readonly #bodyKeys: Set<string>;
  readonly #values = new Set<string>();

  constructor(options: RedactOptions = {}) {
    this.#headers = new Set([...DEFAULT_SECRET_HEADERS, ...(options.headers ?? [])].map((h) => h.toLowerCase()));
    this.#query = new Set(options.query ?? []);
    this.#bodyKeys = new Set(options.bodyKeys ?? []);
  }

  /** Remember a secret value so it is scrubbed wherever it shows up. */
  addSecret(value: string | undefined): void {
    // Very short values would scrub ordinary text; no real credential is this short.
    if (!value || value.length < 4) return;
    this.#remember(value);
    const bearer = /^Bearer\s+(.+)$/i.exec(value);
    if (bearer?.[1]) this.#remember(bearer[1]);
  }

  #remember(value: string): void {
    this.#values.delete(value);
    this.#values.add(value);
    // A long-lived client sees many per-request secrets; keep the most recent ones.
    if (this.#values.size > MAX_REMEMBERED) this.#values.delete(this.#values.values().next().value!);
  }

  /** Remember the values a call sends under secret query parameter names or body field names. */
  learnFromRequest(query: unknown, body: unknown): void {
    if (this.#query.size === 0 && this.#bodyKeys.size === 0) return;
    if (query && typeof query === "object") {
      for (const [name, value] of Object.entries(query)) if (this.#query.has(name) && typeof value === "string") this.addSecret(value);
    }
    this.#learnBody(body, 0);
  }

  #learnBody(value: unknown, depth: number): void {
    if (value === null || typeof value !== "object" || depth > 32) return;
    for (const [key, child] of Object.entries(value)) {
      if (this.#bodyKeys.has(key) && typeof child === "string") this.addSecret(child);
      else this.#learnBody(child, depth + 1);
    }
  }

  isSecretHeader(name: string): boolean {
    return this.#headers.has(name.toLowerCase());
  }

  text(input: string): string {
    let out = input;
    for (const secret of this.#values) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }

  url(input: string): string {
    try {
      const url = new URL(input);
      for (const name of [...url.searchParams.keys()]) {
        if (this.#query.has(name)) url.searchParams.set(name, REDACTED);
      }
      if (url.username || url.password) {
        url.username = url.username ? REDACTED : "";
        url.password = url.password ? REDACTED : "";
      }
      return this.text(url.toString());
    } catch {
      return this.text(input);
    }
  }

  headers(headers: Headers | Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
    for (const [name, value] of entries) out[name.toLowerCase()] = this.isSecretHeader(name) ? REDACTED : this.text(value);
    return out;
  }

  /** A deep copy of a JSON-like value with secret fields and secret values replaced. */
  value<T>(input: T): T {
    return this.#value(input, 0) as T;
  }

  #value(input: unknown, depth: number): unknown {
    if (typeof input === "string") return this.text(input);
    if (input === null || typeof input !== "object" || depth > 32) return input;
    if (Array.isArray(input)) return input.map((v) => this.#value(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(input)) out[key] = this.#bodyKeys.has(key) ? REDACTED : this.#value(v, depth + 1);
    return out;
  }
}
