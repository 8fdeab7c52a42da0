// Contract tests: every operation through the generated client against Prism started from
// specs/lexe/openapi.yaml. A 2xx proves the client sent what the spec says (Prism validates each
// request); each documented error status proves the error mapping.
import { describe, expect, expectTypeOf, it } from "vitest";
import { mockUrl } from "@satbind/testing/vitest";
import { documentedResponses } from "@satbind/test-support/contract";
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  createLexeClient,
  errorOf,
  lexeAmountToMsats,
  operationTable,
  unwrap,
  type ErrorResponse,
  type LexeClient,
  type NodeInfo,
  type OperationId,
  type Payment,
} from "../src/index.js";
import { specFile } from "./global-setup.js";

const INDEX = "0000001744926842458-ln_e1f8e7fa3f3b43eb65afe4897ca1c63688636ba0a23b3011710e433b51bb3f9a";
const INVOICE =
  "lnbc100n1p5qz7z2dq58skjqnr90pjjq4r9wd6qpp5u8uw073l8dp7ked0ujyhegwxx6yxx6aq5ganqyt3pepnk5dm87dqcqpcsp5nrs44f3upgxysnylrrpyrxs96mgazjjstuykyew74zv0najzkdeq9qyysgqxqyz5vqnp4q0w73a6xytxxrhuuvqnqjckemyhv6avveuftl64zzm5878vq3zr4jrzjqv22wafr68wtchd4vzq7mj7zf2uzpv67xsaxcemfzak7wp7p0r29wz5ecsqq2pgqqcqqqqqqqqqqhwqqfqrpeeq5xdys8vcfcark45w992h6j5nhajc62wet0q25ggxjwhtcfn8c3qx30fqzq8mqxfdtks57zw25zp0z2kl9yrfwkkthxclawxpfcqtdcpfu";
const OFFER = "lno1qgsqvgnwgcg35z6ee2h3yczraddm72xrfua9uve2rlrm9deu7xyfzrcgqgn3qzsyvfkx26qkyypvr5hfx60h9w9k934lt8s2n6zc0wwtgqlulw7dythr83dqx8tzumg";
const CLIENT_PK = "9f3c1f6a1e2d4b5c8a7e6d5c4b3a291807f6e5d4c3b2a1908f7e6d5c4b3a2910";
const CHANNEL_ID = "3a4c5b6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f50617283";

function client(options: Parameters<typeof createLexeClient>[0] = {}): LexeClient {
  return createLexeClient({ baseUrl: mockUrl("api"), maxRetries: 0, ...options });
}

type Init = { headers?: Record<string, string> };

/** One valid call per operation. Typed: a wrong field here is a compile error. */
const calls: Record<OperationId, (c: LexeClient, init?: Init) => Promise<{ data?: unknown; error?: unknown; response: Response }>> = {
  health: (c, init) => c.GET("/v2/health", init),
  node_info: (c, init) => c.GET("/v2/node/node_info", init),
  create_invoice: (c, init) => c.POST("/v2/node/create_invoice", { body: { expiration_secs: 3600, amount: "1000", description: "Lunch" }, ...init }),
  pay_invoice: (c, init) => c.POST("/v2/node/pay_invoice", { body: { invoice: INVOICE, personal_note: "Coffee" }, ...init }),
  get_payment: (c, init) => c.GET("/v2/node/payment", { params: { query: { index: INDEX } }, ...init }),
  create_offer: (c, init) => c.POST("/v2/node/create_offer", { body: { description: "Donations", min_amount: "100" }, ...init }),
  pay_offer: (c, init) => c.POST("/v2/node/pay_offer", { body: { offer: OFFER, amount: "2100", message: "Thanks" }, ...init }),
  analyze: (c, init) => c.GET("/v2/node/analyze", { params: { query: { payment_string: "satoshi@lexe.app" } }, ...init }),
  pay: (c, init) => c.POST("/v2/node/pay", { body: { payable: INVOICE }, ...init }),
  pay_lnurl: (c, init) => c.POST("/v2/node/pay_lnurl", { body: { lnurl: "satoshi@lexe.app", amount: "2100" }, ...init }),
  withdraw_lnurl: (c, init) => c.POST("/v2/node/withdraw_lnurl", { body: { lnurl: "lnurl1dp68gurn8ghj7um9wfmxjcm99e3k7mf0v9cxj0m385ekvcenxc6r2c35xvukxefcv5mkvv34x5ekzd3ev56nyd3hxqurzepexejxxepnxscrvwfnv9nxzcn9xq6xyefhvgcxxcmyxymnserxfq5fns" }, ...init }),
  updated_payments: (c, init) => c.GET("/v2/node/updated_payments", { params: { query: { limit: 50 } }, ...init }),
  list_payments: (c, init) => c.GET("/v2/node/list_payments", { params: { query: { filter: "finalized", order: "asc", limit: 10, after: INDEX } }, ...init }),
  sync_payments: (c, init) => c.PUT("/v2/node/sync_payments", init),
  clear_payments: (c, init) => c.POST("/v2/node/clear_payments", init),
  update_personal_note: (c, init) => c.POST("/v2/node/update_personal_note", { body: { index: INDEX, note: "Coffee with Bob" }, ...init }),
  signup: (c, init) => c.PUT("/v2/node/signup", { body: {}, ...init }),
  provision: (c, init) => c.PUT("/v2/node/provision", init),
  list_clients: (c, init) => c.GET("/v2/node/list_clients", init),
  create_client: (c, init) => c.POST("/v2/node/create_client", { body: { label: "shop backend" }, ...init }),
  update_client: (c, init) => c.PUT("/v2/node/update_client", { body: { client_pk: CLIENT_PK, clear_label: true }, ...init }),
  revoke_client: (c, init) => c.POST("/v2/node/revoke_client", { body: { client_pk: CLIENT_PK }, ...init }),
  buy_with_cash_app: (c, init) => c.POST("/v2/node/buy_with_cash_app", { body: { amount: "25000" }, ...init }),
  get_human_bitcoin_address: (c, init) => c.GET("/v2/node/human_bitcoin_address", init),
  set_human_bitcoin_address: (c, init) => c.PUT("/v2/node/human_bitcoin_address", { body: { username: "satoshi" }, ...init }),
  list_channels: (c, init) => c.GET("/v2/node/list_channels", init),
  open_channel: (c, init) => c.POST("/v2/node/open_channel", { body: { value: "100000", user_channel_id: "0f1e2d3c4b5a69788796a5b4c3d2e1f0" }, ...init }),
  close_channel: (c, init) => c.POST("/v2/node/close_channel", { body: { channel_id: CHANNEL_ID }, ...init }),
  wait_for_payment: (c, init) => c.GET("/v2/node/wait_for_payment", { params: { query: { index: INDEX, timeout_secs: 60 } }, ...init }),
};

const responses = documentedResponses(specFile);
const successes = responses.filter((r) => r.status < 300);
const failures = responses.filter((r) => r.status >= 400);

describe("every operation", () => {
  it("covers the whole spec", () => {
    expect(Object.keys(calls).sort()).toEqual(Object.keys(operationTable).sort());
    expect(new Set(successes.map((r) => r.operationId)).size).toBe(Object.keys(operationTable).length);
  });

  it.each(successes)("$operationId answers $status with the spec's example", async ({ operationId, status, example }) => {
    const result = await calls[operationId as OperationId](client());
    expect(result.response.headers.get("sl-violations")).toBeNull();
    expect(result.response.status).toBe(status);
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual(example);
  });

  it("sends client credentials when given, and Prism takes them as the optional bearer scheme", async () => {
    const seen: (string | null)[] = [];
    const result = await client({
      clientCredentials: "eyJsZXhlX2F1dGhfdG9rZW4iOiJleGFtcGxlIn0",
      middleware: [{ onRequest: ({ request }) => void seen.push(request.headers.get("authorization")) }],
    }).GET("/v2/node/node_info");
    expect(result.response.status).toBe(200);
    expect(seen).toEqual(["Bearer eyJsZXhlX2F1dGhfdG9rZW4iOiJleGFtcGxlIn0"]);
  });
});

describe("typed results", () => {
  it("node_info's amounts are decimal strings that convert exactly", async () => {
    const info = unwrap(await client().GET("/v2/node/node_info"));
    expectTypeOf(info).toEqualTypeOf<NodeInfo>();
    expect(lexeAmountToMsats(info.lightning_sendable_balance)).toBe(57_505_107n);
  });

  it("pay_invoice's answer is the accepted index (<= 0.4.10) or the whole payment (0.4.11+)", async () => {
    const paid = unwrap(await calls.pay_invoice(client()) as Awaited<ReturnType<LexeClient["POST"]>>) as { index: string; created_at: number };
    expect(paid).toEqual({ index: INDEX, created_at: 1744926842458 });
  });

  it("a payment has closed status and direction values", async () => {
    const { data } = await client().GET("/v2/node/payment", { params: { query: { index: INDEX } } });
    expectTypeOf(data!.status).toEqualTypeOf<"pending" | "completed" | "failed">();
    expectTypeOf(data!.direction).toEqualTypeOf<"inbound" | "outbound" | "info">();
    expectTypeOf(data).toEqualTypeOf<Payment | undefined>();
  });

  it("error bodies are typed as the spec's ErrorResponse once narrowed on status", async () => {
    const result = await client().GET("/v2/node/payment", { params: { query: { index: INDEX } }, headers: { Prefer: "code=404" } });
    if (result.status !== 404) throw new Error(`expected HTTP 404, got ${result.status}`);
    expectTypeOf(result.error).toEqualTypeOf<ErrorResponse>();
    expect(result.error).toEqual({ code: 102, msg: "Payment not found", data: null, sensitive: false });
  });
});

const CLASSES: Record<number, typeof ApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  404: NotFoundError,
  500: InternalServerError,
  503: InternalServerError,
};
const CODES: Record<number, number[]> = { 400: [7], 401: [101], 404: [102, 107], 500: [100, 6], 503: [8] };

describe("every documented error status", () => {
  it("documents 401 and 503 everywhere, 400 and 500 on every node call, 404 on the payment lookup", () => {
    const ops = (status: number) => failures.filter((r) => r.status === status).map((r) => r.operationId).sort();
    const all = Object.keys(operationTable).sort();
    expect(ops(401)).toEqual(all);
    expect(ops(503)).toEqual(all);
    expect(ops(400)).toEqual(all.filter((id) => id !== "health"));
    expect(ops(500)).toEqual(all.filter((id) => id !== "health"));
    expect(ops(404)).toEqual(["get_payment"]);
  });

  it.each(failures)("$operationId $status surfaces as the right class with Lexe's code", async ({ operationId, status, example }) => {
    const result = await calls[operationId as OperationId](client(), { headers: { Prefer: `code=${status}` } });
    expect(result.response.status).toBe(status);
    const error = errorOf(result)!;
    expect(error).toBeInstanceOf(CLASSES[status]!);
    const body = example as ErrorResponse;
    expect(CODES[status]).toContain(body.code);
    expect(error).toMatchObject({ status, operationId, code: body.code, providerMessage: body.msg, body });
  });

  it("throwing mode throws the same classes", async () => {
    await expect(calls.get_payment(client({ throwOnError: true }), { headers: { Prefer: "code=404" } })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("Prism refuses what the spec forbids", () => {
  it("an amount with four decimals", async () => {
    // Amounts have millisatoshi precision at most.
    const result = await client().POST("/v2/node/create_invoice", { body: { expiration_secs: 60, amount: "1.2345" } });
    expect(result.response.status).toBe(400);
    expect(result.response.headers.get("sl-violations")).toMatch(/amount/);
  });

  it("an amount sent as a number", async () => {
    // @ts-expect-error amounts are decimal strings, never floats
    const result = await client().POST("/v2/node/pay_offer", { body: { offer: OFFER, amount: 2100 } });
    expect(result.response.status).toBe(400);
  });

  it("a malformed payment index", async () => {
    const result = await client().GET("/v2/node/payment", { params: { query: { index: "42" } } });
    expect(result.response.status).toBe(400);
    expect(result.response.headers.get("sl-violations")).toMatch(/index/);
  });

  it("a missing required field", async () => {
    // @ts-expect-error invoice is required
    const result = await client().POST("/v2/node/pay_invoice", { body: { fallback_amount: "10" } });
    expect(result.response.status).toBe(400);
    expect(result.response.headers.get("sl-violations")).toMatch(/invoice/);
  });

  it("an unknown list_payments filter", async () => {
    // @ts-expect-error filter is a closed set
    const result = await client().GET("/v2/node/list_payments", { params: { query: { filter: "recent" } } });
    expect(result.response.status).toBe(400);
  });

  it("credentials that are not a bearer token", async () => {
    const c = client({ middleware: [{ onRequest: ({ request }) => void request.headers.set("authorization", "Basic abc") }] });
    const result = await c.GET("/v2/health");
    expect(result.response.status).toBe(401);
  });
});
