// Contract tests: all 195 operations through the client against Prism started from
// specs/btcpay/openapi.yaml, each sent with a request built from the spec's own examples (and, where
// it gives none, from its schemas). A 2xx proves the request matched the spec (Prism checks each
// one, credentials included) and that the answer passes the generated response validator; each
// documented error status proves Greenfield's error bodies reach our error classes.
import { describe, expect, it } from "vitest";
import { mockUrl } from "@satbind/testing/vitest";
import { documentedResponses, exampleRequests, type ExampleRequest } from "@satbind/test-support/contract";
import { responseValidator } from "../src/generated/api/validate.js";
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
  createBtcpayClient,
  errorOf,
  operationTable,
  validationProblems,
  type BtcpayClient,
  type BtcpayClientOptions,
} from "../src/index.js";
import { specFile } from "./global-setup.js";

const API_KEY = "3f1c9a7e5b2d4c6e8a0b1c2d3e4f5a6b7c8d9e0f";
type Answer = { data?: unknown; error?: unknown; response: Response };

function client(options: Partial<BtcpayClientOptions> = {}, seen: (string | null)[] = []): BtcpayClient {
  const fetch = (request: Request) => {
    seen.push(request.headers.get("authorization"));
    return globalThis.fetch(request);
  };
  return createBtcpayClient({ serverUrl: mockUrl("api"), apiKey: API_KEY, maxRetries: 0, fetch, ...options } as BtcpayClientOptions);
}

/** The one operation that answers HTML: the checkout page a buyer's browser opens. */
const HTML = new Set(["Invoice_Checkout"]);

function send(c: BtcpayClient, request: ExampleRequest, headers: Record<string, string> = {}): Promise<Answer> {
  const init = {
    params: request.params,
    ...(request.body !== undefined && { body: request.body }),
    ...(HTML.has(request.operationId) && { parseAs: "text" }),
    headers,
  };
  // The example requests are untyped: any of the 195 operations.
  return (c.request as (method: string, path: string, init: unknown) => Promise<Answer>)(request.method.toLowerCase(), request.path, init);
}

const requests = new Map(exampleRequests(specFile).map((r) => [r.operationId, r]));
const responses = documentedResponses(specFile);
const successes = responses.filter((r) => r.status < 300);
const failures = responses.filter((r) => r.status >= 400);

const CLASSES: Record<number, typeof ApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  415: ApiError,
  422: UnprocessableEntityError,
  429: RateLimitError,
  503: InternalServerError,
};

describe("every operation", () => {
  it("covers the whole spec: 195 operations, each with a documented success", () => {
    expect(requests.size).toBe(195);
    expect([...requests.keys()].sort()).toEqual(Object.keys(operationTable).sort());
    expect(new Set(successes.map((r) => r.operationId)).size).toBe(195);
  });

  it.each(successes)("$operationId answers $status, Prism accepts the request, the answer passes the validator", async ({ operationId, status }) => {
    const seen: (string | null)[] = [];
    // Prefer picks the documented status where there are several (paying answers 200 or 202).
    const result = await send(client({ validateResponses: responseValidator }, seen), requests.get(operationId)!, { Prefer: `code=${status}` });
    expect(result.response.headers.get("sl-violations")).toBeNull();
    expect(result.response.status).toBe(status);
    expect(result.error).toBeUndefined();
    if (HTML.has(operationId)) expect(String(result.data)).toMatch(/html/i);
    // The key goes only where the spec asks for credentials.
    expect(seen).toEqual([operationTable[operationId as keyof typeof operationTable].auth === "none" ? null : `token ${API_KEY}`]);
  });
});

describe("every documented error status", () => {
  it("documents a 404 on most operations and a 422 where Greenfield validates a body", () => {
    expect(failures.filter((r) => r.status === 404).length).toBeGreaterThan(100);
    expect(failures.filter((r) => r.status === 422).length).toBeGreaterThan(10);
  });

  it.each(failures)("$operationId $status surfaces as the right class with Greenfield's code and message", async ({ operationId, status }) => {
    const result = await send(client(), requests.get(operationId)!, { Prefer: `code=${status}` });
    expect(result.response.status).toBe(status);
    const error = errorOf(result)!;
    expect(error).toBeInstanceOf(CLASSES[status]!);
    expect(error).toMatchObject({ status, operationId });
    const body = error.body;
    if (Array.isArray(body)) {
      // 422 (and 400 where documented so): a list of { path, message }, read whole, summed up in the message.
      const problems = validationProblems(error);
      expect(problems.length).toBe(body.length);
      expect(error.code).toBe(problems.length > 0 ? "validation" : undefined);
      for (const p of problems) expect(error.providerMessage).toContain(p.message);
    } else if (body !== null && typeof body === "object" && "code" in body) {
      const { code, message } = body as { code?: string; message?: string };
      expect(error).toMatchObject({ code: code || undefined, providerMessage: message || undefined });
    }
  });
});

describe("Greenfield error bodies", () => {
  const invoice = { params: { path: { storeId: "9CS5hRgKWqDzcDL8NAq4cTAcQRbCnAwNPoLbbbwTTcMX" } }, body: { amount: "5.00", currency: "USD" } } as const;

  it("a 400 { code, message } gives the code and the message", async () => {
    const c = client({ fetch: async () => json(400, { code: "invoice-expired", message: "The invoice has expired" }) });
    const error = errorOf(await c.POST("/api/v1/stores/{storeId}/invoices", invoice))!;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ code: "invoice-expired", providerMessage: "The invoice has expired", operationId: "Invoices_CreateInvoice" });
    expect(error.message).toBe("Invoices_CreateInvoice failed with HTTP 400 invoice-expired: The invoice has expired");
  });

  it("a 422 list names every refused field", async () => {
    const body = [{ path: "amount", message: "Amount should be more than 0" }, { path: "currency", message: "Unknown currency" }];
    const c = client({ fetch: async () => json(422, body) });
    const error = errorOf(await c.POST("/api/v1/stores/{storeId}/invoices", invoice))!;
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect(validationProblems(error)).toEqual(body);
    expect(error.providerMessage).toBe("amount: Amount should be more than 0; currency: Unknown currency");
  });

  it("validationProblems is empty for any other error", async () => {
    const c = client({ fetch: async () => json(404, { code: "invoice-not-found", message: "not found" }) });
    expect(validationProblems(errorOf(await c.GET("/api/v1/invoices/{invoiceId}", { params: { path: { invoiceId: "x" } } })))).toEqual([]);
  });
});

describe("Prism refuses what the spec forbids", () => {
  it("a request without credentials gets 401", async () => {
    const c = client({ middleware: [{ onRequest: ({ request }) => void request.headers.delete("authorization") }] });
    const result = await c.GET("/api/v1/stores");
    expect(result.response.status).toBe(401);
    expect(errorOf(result)).toBeInstanceOf(AuthenticationError);
  });

  it("HTTP Basic is accepted in place of an API key", async () => {
    const seen: (string | null)[] = [];
    const c = client({ apiKey: undefined, basic: { username: "admin@example.com", password: "correct horse" } } as never, seen);
    const result = await c.GET("/api/v1/stores");
    expect(result.response.status).toBe(200);
    expect(seen).toEqual([`Basic ${btoa("admin@example.com:correct horse")}`]);
  });

  it("an amount that is not a decimal string is refused", async () => {
    // @ts-expect-error amounts are decimal strings: the types refuse a number before Prism does
    const result = await client().POST("/api/v1/stores/{storeId}/invoices", { params: { path: { storeId: "s" } }, body: { amount: 5 } });
    expect([400, 422]).toContain(result.response.status);
    expect(result.response.headers.get("sl-violations")).toMatch(/amount/);
  });
});

describe("secrets stay out of errors", () => {
  // A server that echoes the Authorization header it got into its error body.
  const echo = async (request: Request) => json(401, { code: "unauthenticated", message: `rejected ${request.headers.get("authorization")}` });

  it.each([
    ["an API key", { apiKey: API_KEY }, [API_KEY]],
    ["an API key from a function", { apiKey: async () => API_KEY }, [API_KEY]],
    ["a user's login", { basic: { username: "admin@example.com", password: "correct horse battery" } }, [btoa("admin@example.com:correct horse battery")]],
  ] as const)("%s is redacted in the error, its message and its inspection", async (_, auth, secrets) => {
    const c = createBtcpayClient({ serverUrl: "https://btcpay.example.com", maxRetries: 0, fetch: echo, ...auth } as BtcpayClientOptions);
    const error = errorOf(await c.GET("/api/v1/stores"))!;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.providerMessage).toContain("[REDACTED]");
    const { inspect } = await import("node:util");
    for (const text of [error.message, JSON.stringify(error), inspect(error, { depth: 10 }), inspect(c, { depth: 5 })]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });

  it("refuses options that would send nothing, or both", () => {
    expect(() => createBtcpayClient({ serverUrl: "https://btcpay.example.com" } as never)).toThrow("needs apiKey (a Greenfield API key) or basic");
    expect(() => createBtcpayClient({ serverUrl: "https://btcpay.example.com", apiKey: "k", basic: { username: "u", password: "p" } } as never)).toThrow("apiKey or basic, not both");
    expect(() => createBtcpayClient({ serverUrl: "btcpay.example.com", apiKey: "k" })).toThrow('serverUrl, the server\'s http(s) root like "https://btcpay.example.com"');
    expect(() => createBtcpayClient({ serverUrl: "https://btcpay.example.com", apiKey: "" })).toThrow("apiKey must be a non-empty");
  });
});

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}
