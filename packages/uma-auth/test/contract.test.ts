// Contract tests: every operation through the generated client against Prism started from
// specs/uma-auth/openapi.yaml with --errors. A 2xx proves the client sent what the spec says
// (Prism validates each request); each documented error status proves the error mapping.
import { describe, expect, expectTypeOf, it } from "vitest";
import { mockUrl } from "@satbind/testing/vitest";
import { documentedResponses } from "@satbind/test-support/contract";
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  createUmaAuthClient,
  errorOf,
  operationTable,
  unwrap,
  type ErrorResponse,
  type OperationId,
  type Quote,
  type Transaction,
  type UmaAuthClient,
} from "../src/index.js";
import { specFile } from "./global-setup.js";

const PAYMENT_HASH = "6e0ed69b371aa63ed16c80db9e16632545d0476c89d99aef8ec52fa545955f23";
const INVOICE =
  "lnbc2500n1pn04jcqpp5dc8ddxehr2nra5tvsrdeu9nry4zaq3mv38ve4muwc5h623v4tu3ssp5qw8hgetpjwf96nhgvn22ewxdac2d25uwc5hgqncupf05lq5l2azsdpdfaexgetjyq3ngv3hxyazqarhdusxvmrpwss8w6rfw3jhxxqrrsscqzys9qypqsqu7p58pk9472pvhns0xmc4havanvw257zedkhk5sssz7f4ew9tc0y5h474cewccsmadlu2pscs6pdugnt30tf79s6565ap9khu9teqwgp7ajfz4";
const ADDRESS = "$alice@vasp.example";

function client(options: Partial<Parameters<typeof createUmaAuthClient>[0]> = {}): UmaAuthClient {
  return createUmaAuthClient({ baseUrl: mockUrl("api"), token: "test-jwt-token", maxRetries: 0, ...options });
}

type Init = { headers?: Record<string, string> };

/** One valid call per operation. Typed: a wrong field here is a compile error. */
const calls: Record<OperationId, (c: UmaAuthClient, init?: Init) => Promise<{ data?: unknown; error?: unknown; response: Response }>> = {
  make_invoice: (c, init) => c.POST("/invoice", { body: { amount: 250_000, description: "coffee" }, ...init }),
  pay_invoice: (c, init) => c.POST("/payments/bolt11", { body: { invoice: INVOICE }, ...init }),
  lookup_invoice: (c, init) => c.GET("/invoices/{payment_hash}", { params: { path: { payment_hash: PAYMENT_HASH } }, ...init }),
  get_balance: (c, init) => c.GET("/balance", { params: { query: { currency_code: "USD" } }, ...init }),
  lookup_user_by_lud16: (c, init) =>
    c.GET("/receiver/lud16/{receiver_address}", { params: { path: { receiver_address: ADDRESS }, query: { base_sending_currency_code: "USD" } }, ...init }),
  fetch_quote_for_lud16: (c, init) =>
    c.GET("/quote/lud16", {
      params: {
        query: { sending_currency_code: "MXN", receiving_currency_code: "USD", locked_currency_amount: 1000, locked_currency_side: "receiving", receiver_address: ADDRESS },
      },
      ...init,
    }),
  execute_quote: (c, init) => c.POST("/quote/{payment_hash}", { params: { path: { payment_hash: PAYMENT_HASH } }, body: { budget_currency_code: "USD" }, ...init }),
  pay_to_lud16_address: (c, init) =>
    c.POST("/payments/lud16", { body: { receiver_address: ADDRESS, sending_currency_code: "USD", sending_currency_amount: 1000 }, ...init }),
  pay_keysend: (c, init) =>
    c.POST("/payments/keysend", {
      body: { amount: 10_000, pubkey: "02eec7245d6b7d2ccb30380bfbe2a3648cd7a942653f5aa340edcea1f283686619", tlv_records: [{ type: 5482373484, value: "0102" }] },
      ...init,
    }),
  get_info: (c, init) => c.GET("/info", init),
  list_transactions: (c, init) => c.GET("/transactions", { params: { query: { limit: 10, offset: 0, type: "incoming" } }, ...init }),
  get_budget_estimate: (c, init) =>
    c.GET("/budget_estimate", { params: { query: { sending_currency_code: "SAT", sending_currency_amount: 1000, budget_currency_code: "USD" } }, ...init }),
};

const responses = documentedResponses(specFile);
const successes = responses.filter((r) => r.status < 300);
const failures = responses.filter((r) => r.status >= 400);

describe("every operation", () => {
  it("covers the whole spec", () => {
    expect(Object.keys(calls).sort()).toEqual(Object.keys(operationTable).sort());
    expect(new Set(successes.map((r) => r.operationId)).size).toBe(12);
  });

  it.each(successes)("$operationId answers $status with the spec's example", async ({ operationId, status, example }) => {
    const result = await calls[operationId as OperationId](client());
    expect(result.response.status).toBe(status);
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual(example);
  });
});

describe("typed results", () => {
  it("make_invoice returns a Transaction", async () => {
    const data = unwrap(await client().POST("/invoice", { body: { amount: 250_000 } }));
    expectTypeOf(data).toEqualTypeOf<Transaction>();
    expect(data).toMatchObject({ type: "incoming", amount: expect.any(Number), payment_hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it("fetch_quote_for_lud16 returns a Quote with both currencies", async () => {
    const { data } = await calls.fetch_quote_for_lud16(client());
    const quote = data as Quote;
    expect(quote.sending_currency).toMatchObject({ code: "MXN", decimals: 2 });
    expect(quote.receiving_currency).toMatchObject({ code: "USD", decimals: 2 });
    expect(quote.total_receiving_amount).toBe(1000);
  });

  it("error bodies are typed as the spec's ErrorResponse once narrowed on status", async () => {
    const result = await client().GET("/invoices/{payment_hash}", {
      params: { path: { payment_hash: PAYMENT_HASH } },
      headers: { Prefer: "code=404" },
    });
    if (result.status !== 404) throw new Error(`expected HTTP 404, got ${result.status}`);
    expectTypeOf(result.error).toEqualTypeOf<ErrorResponse>();
    expect(result.error.code).toBe("NOT_FOUND");
  });
});

const CLASSES: Record<number, typeof ApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  404: NotFoundError,
  429: RateLimitError,
  500: InternalServerError,
};

describe("every documented error status", () => {
  it("documents 400, 401, 429 and 500 on all 12 operations", () => {
    for (const status of [400, 401, 429, 500]) {
      expect(failures.filter((r) => r.status === status).map((r) => r.operationId).sort()).toEqual(Object.keys(operationTable).sort());
    }
  });

  it.each(failures)("$operationId $status surfaces as the right class with the provider's code", async ({ operationId, status, example }) => {
    const result = await calls[operationId as OperationId](client(), { headers: { Prefer: `code=${status}` } });
    expect(result.response.status).toBe(status);
    const error = errorOf(result)!;
    expect(error).toBeInstanceOf(CLASSES[status]!);
    const body = example as ErrorResponse;
    expect(error).toMatchObject({ status, operationId, code: body.code, providerMessage: body.message, body });
  });

  it("throwing mode throws the same classes", async () => {
    await expect(calls.get_info(client({ throwOnError: true }), { headers: { Prefer: "code=429" } })).rejects.toBeInstanceOf(RateLimitError);
  });
});

describe("Prism refuses what the spec forbids", () => {
  it("a request without the bearer token gets 401", async () => {
    const c = client({ middleware: [{ onRequest: ({ request }) => void request.headers.delete("authorization") }] });
    const result = await c.GET("/info");
    expect(result.response.status).toBe(401);
    expect(errorOf(result)).toBeInstanceOf(AuthenticationError);
  });

  it("a body missing a required field is rejected", async () => {
    // @ts-expect-error amount is required: the types refuse it before Prism does
    const result = await client().POST("/invoice", { body: { description: "no amount" } });
    expect(result.response.status).toBe(400);
    expect(result.response.headers.get("sl-violations")).toMatch(/amount/);
  });

  it("a missing required query parameter is rejected", async () => {
    // @ts-expect-error budget_currency_code is required
    const result = await client().GET("/budget_estimate", { params: { query: { sending_currency_code: "SAT", sending_currency_amount: 1000 } } });
    expect(result.response.status).toBe(400);
    expect(result.response.headers.get("sl-violations")).toMatch(/budget_currency_code/);
  });

  it("a value of the wrong type is rejected", async () => {
    // @ts-expect-error amount is an integer number of msats
    const result = await client().POST("/invoice", { body: { amount: "lots" } });
    expect(result.response.status).toBe(400);
  });
});

describe("createUmaAuthClient", () => {
  it("builds the base URL from the VASP host", async () => {
    const seen: string[] = [];
    const c = createUmaAuthClient({
      vaspHost: "vasp.example",
      token: "t0ken-value",
      fetch: async (request) => {
        seen.push(request.url);
        return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
      },
    });
    await c.GET("/info");
    expect(seen).toEqual(["https://vasp.example/umanwc/v1/info"]);
  });

  it("refuses to guess where to send the token", () => {
    expect(() => createUmaAuthClient({ token: "x" } as never)).toThrow("createUmaAuthClient needs vaspHost");
    expect(() => createUmaAuthClient({ vaspHost: "https://vasp.example/x", token: "x" })).toThrow("vaspHost must be a host name");
    expect(() => createUmaAuthClient({ vaspHost: "vasp.example", token: "" })).toThrow("bearer token");
  });
});
