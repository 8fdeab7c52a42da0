// Payment safety and waitForPayment against a real local HTTP server that plays a sidecar:
// pending -> completed, pending -> failed, 404, 503, dropped connections and hangs.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hang, json, reset, startTestServer, type TestServer } from "@satbind/test-support/test-server";
import {
  AbortError,
  AmbiguousOutcomeError,
  AuthenticationError,
  InternalServerError,
  NotFoundError,
  PaymentNotFoundError,
  PaymentWaitTimeoutError,
  TimeoutError,
  createLexeClient,
  errorOf,
  waitForPayment,
  type LexeClient,
  type Payment,
} from "../src/index.js";
import { PAGE_INVOICE_TO_PAY } from "./fixtures/reference-page.js";

const PAYMENT_HASH = "e1f8e7fa3f3b43eb65afe4897ca1c63688636ba0a23b3011710e433b51bb3f9a";
const INDEX = `0000001744926842458-ln_${PAYMENT_HASH}`;
const FAST = { initialDelayMs: 1, maxDelayMs: 5 };

function payment(status: Payment["status"], extra: Partial<Payment> = {}): Payment {
  return {
    index: INDEX,
    rail: "invoice",
    kind: "invoice",
    direction: "outbound",
    txid: null,
    amount: "10",
    fees: "0.03",
    status,
    status_msg: status === "pending" ? "pending" : status,
    personal_note: null,
    finalized_at: status === "pending" ? null : 1744926857989,
    ...extra,
  };
}

const NOT_FOUND = { code: 102, msg: "Payment not found", data: null, sensitive: false };
const AT_CAPACITY = { code: 8, msg: "Service is at capacity; retry later", data: null, sensitive: false };

let server: TestServer;
let lexe: LexeClient;
// A fresh server per test: a request a previous test aborted mid-flight cannot land in this one's log.
beforeEach(async () => {
  server = await startTestServer();
  lexe = createLexeClient({ baseUrl: server.url, retry: FAST });
});
afterEach(() => server.close());

/** Answers GET /v2/node/payment with each state in turn, repeating the last. */
function plays(...states: ((res: Parameters<typeof json>[0]) => void)[]) {
  let seen = 0;
  server.handle(({ request, res }) => {
    if (!request.url.startsWith("/v2/node/payment?")) return json(res, 400, { code: 7, msg: `unexpected ${request.method} ${request.url}` });
    states[Math.min(seen++, states.length - 1)]!(res);
  });
}
const answer = (status: number, body: unknown) => (res: Parameters<typeof json>[0]) => json(res, status, body);

describe("waitForPayment", () => {
  it("polls a pending payment until it completes, and returns it", async () => {
    plays(answer(200, payment("pending")), answer(200, payment("pending")), answer(200, payment("completed")));
    const done = await waitForPayment(lexe, INDEX, { intervalMs: 5 });
    expect(done).toEqual(payment("completed"));
    expect(server.requests.map((r) => r.url)).toEqual(Array(3).fill(`/v2/node/payment?index=${INDEX}`));
  });

  it("returns a failed payment rather than throwing: the caller checks status", async () => {
    plays(answer(200, payment("pending")), answer(200, payment("failed", { status_msg: "timed out" })));
    const done = await waitForPayment(lexe, INDEX, { intervalMs: 5 });
    expect(done.status).toBe("failed");
    expect(done.status_msg).toBe("timed out");
    expect(server.requests).toHaveLength(2);
  });

  it("asks less often as it waits (backoff up to maxIntervalMs)", async () => {
    const stamps: number[] = [];
    server.handle(({ res }) => {
      stamps.push(performance.now());
      json(res, 200, stamps.length < 6 ? payment("pending") : payment("completed"));
    });
    await waitForPayment(lexe, INDEX, { intervalMs: 50, maxIntervalMs: 60 });
    const gaps = stamps.slice(1).map((t, i) => t - stamps[i]!);
    // Scheduled: 50, then 60 (75 capped), 60, 60, 60. Timers never fire early, so lower bounds are
    // exact; without the cap the last gap would be 250 ms, far above the upper bound's slack.
    expect(gaps).toHaveLength(5);
    expect(gaps[0]!).toBeGreaterThanOrEqual(49);
    expect(gaps.slice(1).every((g) => g >= 59)).toBe(true);
    expect(gaps[4]!).toBeLessThan(200);
  });

  it("a 404 while waiting is an error that names the index", async () => {
    plays(answer(404, NOT_FOUND));
    const error = await waitForPayment(lexe, INDEX, { intervalMs: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentNotFoundError);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ index: INDEX, status: 404, code: 102, operationId: "get_payment", message: `payment ${INDEX} not found (HTTP 404, code 102)` });
    expect(server.requests).toHaveLength(1);
  });

  it("a payment that disappears mid-wait is a 404 too", async () => {
    plays(answer(200, payment("pending")), answer(404, NOT_FOUND));
    await expect(waitForPayment(lexe, INDEX, { intervalMs: 5 })).rejects.toThrow(`payment ${INDEX} not found`);
  });

  it("waits out a sidecar at capacity (503) and a dropped connection", async () => {
    lexe = createLexeClient({ baseUrl: server.url, retry: FAST, maxRetries: 0 });
    plays(answer(200, payment("pending")), answer(503, AT_CAPACITY), (res) => reset(res), answer(200, payment("completed")));
    const done = await waitForPayment(lexe, INDEX, { intervalMs: 5 });
    expect(done.status).toBe("completed");
    expect(server.requests).toHaveLength(4);
  });

  it("stops at once on answers that asking again will not change (401)", async () => {
    plays(answer(401, { code: 101, msg: "Auth header must use 'Bearer ' prefix", data: null, sensitive: false }));
    await expect(waitForPayment(lexe, INDEX, { intervalMs: 5 })).rejects.toBeInstanceOf(AuthenticationError);
    expect(server.requests).toHaveLength(1);
  });

  it("gives up after timeoutMs with the last state it saw", async () => {
    plays(answer(200, payment("pending")));
    const error = await waitForPayment(lexe, INDEX, { intervalMs: 10, timeoutMs: 400 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentWaitTimeoutError);
    expect(error).toMatchObject({ index: INDEX, timeoutMs: 400, lastSeen: payment("pending"), message: `payment ${INDEX} was still pending (pending) after 400 ms` });
  });

  it("the deadline also cuts a request that hangs", async () => {
    server.handle(() => hang());
    const error = await waitForPayment(lexe, INDEX, { timeoutMs: 150 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentWaitTimeoutError);
    expect((error as PaymentWaitTimeoutError).lastSeen).toBeUndefined();
  });

  it("stops when the caller's signal fires", async () => {
    plays(answer(200, payment("pending")));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("user went away")), 60);
    const error = await waitForPayment(lexe, INDEX, { intervalMs: 10, signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(error).not.toBeInstanceOf(PaymentWaitTimeoutError);
  });

  it("refuses options that make no sense", async () => {
    await expect(waitForPayment(lexe, "", {})).rejects.toThrow("waitForPayment needs the payment's index");
    await expect(waitForPayment(lexe, INDEX, { timeoutMs: 0 })).rejects.toThrow("timeoutMs must be a positive number");
    await expect(waitForPayment(lexe, INDEX, { intervalMs: -1 })).rejects.toThrow("intervalMs must be a positive number");
    expect(server.requests).toHaveLength(0);
  });
});

describe("pay_invoice is never sent twice", () => {
  const pay = (client = lexe) => client.POST("/v2/node/pay_invoice", { body: { invoice: PAGE_INVOICE_TO_PAY } });

  it("a 503 from the sidecar is returned, not retried, even with retries allowed", async () => {
    lexe = createLexeClient({ baseUrl: server.url, retry: FAST, maxRetries: 5 });
    server.handle(({ res }) => json(res, 503, AT_CAPACITY));
    const result = await pay();
    expect(server.requests).toHaveLength(1);
    expect(result.response.status).toBe(503);
    expect(errorOf(result)).toBeInstanceOf(InternalServerError);
    expect(errorOf(result)).toMatchObject({ status: 503, code: 8, operationId: "pay_invoice" });
  });

  it("while a safe read with the same 503 is retried", async () => {
    lexe = createLexeClient({ baseUrl: server.url, retry: FAST, maxRetries: 2 });
    server.handle(({ res, index }) => (index < 3 ? json(res, 503, AT_CAPACITY) : json(res, 200, payment("completed"))));
    const result = await lexe.GET("/v2/node/payment", { params: { query: { index: INDEX } } });
    expect(result.data?.status).toBe("completed");
    expect(server.requests).toHaveLength(3);
  });

  it("a lost answer is an AmbiguousOutcomeError that says how to look the payment up", async () => {
    server.handle(({ res }) => reset(res));
    const error = await pay().catch((e: unknown) => e);
    expect(server.requests).toHaveLength(1);
    expect(error).toBeInstanceOf(AmbiguousOutcomeError);
    expect(error).toMatchObject({
      requestSent: "unknown",
      movesFunds: true,
      operationId: "pay_invoice",
      reconcile: { invoice: PAGE_INVOICE_TO_PAY, paymentHash: PAYMENT_HASH, index: `0000000000000000000-ln_${PAYMENT_HASH}`, lookUpWith: "get_payment" },
    });
  });

  it("a timeout after the request left is a TimeoutError carrying the same lookup", async () => {
    server.handle(() => hang());
    const error = await lexe.POST("/v2/node/pay_invoice", { body: { invoice: PAGE_INVOICE_TO_PAY }, timeoutMs: 100 }).catch((e: unknown) => e);
    expect(server.requests).toHaveLength(1);
    expect(JSON.parse(server.requests[0]!.body)).toEqual({ invoice: PAGE_INVOICE_TO_PAY });
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 100, movesFunds: true, reconcile: { index: `0000000000000000000-ln_${PAYMENT_HASH}` } });
    expect((error as Error).message).toBe("pay_invoice timed out after 100 ms; it may have been processed, reconcile before retrying");
  });

  it("the reconcile index finds the payment with waitForPayment", async () => {
    server.handle(({ request, res }) => {
      if (request.url.startsWith("/v2/node/pay_invoice")) return reset(res);
      // What sidecars 0.4.0+ do: look the payment up by its id, whatever the created_at part says.
      const id = new URL(request.url, server.url).searchParams.get("index")!.split("-")[1];
      return id === `ln_${PAYMENT_HASH}` ? json(res, 200, payment("completed")) : json(res, 404, NOT_FOUND);
    });
    const error = (await pay().catch((e: unknown) => e)) as AmbiguousOutcomeError;
    const settled = await waitForPayment(lexe, String(error.reconcile.index), { intervalMs: 5 });
    expect(settled).toMatchObject({ index: INDEX, status: "completed" });
    expect(server.requests.map((r) => r.method)).toEqual(["POST", "GET"]);
  });
});

describe("every money-moving call says how to look it up after a lost answer", () => {
  const OFFER = "lno1qgsqvgnwgcg35z6ee2h3yczraddm72xrfua9uve2rlrm9deu7xyfzrcgqgn3qzsyvfkx26qkyypvr5hfx60h9w9k934lt8s2n6zc0wwtgqlulw7dythr83dqx8tzumg";
  const lost = async (call: () => Promise<unknown>) => {
    server.handle(({ res }) => reset(res));
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmbiguousOutcomeError);
    expect(server.requests).toHaveLength(1);
    return error as AmbiguousOutcomeError;
  };

  it("pay_offer: a cursor for updated_payments from just before the call", async () => {
    const before = Date.now();
    const error = await lost(() => lexe.POST("/v2/node/pay_offer", { body: { offer: OFFER, amount: "2100" } }));
    const since = error.reconcile.since as number;
    expect(since).toBeLessThanOrEqual(before);
    expect(since).toBeGreaterThan(before - 120_000);
    expect(error.reconcile).toEqual({ offer: OFFER, amount: "2100", since, startIndex: `u${String(since).padStart(19, "0")}-fr_${"0".repeat(64)}`, lookUpWith: "updated_payments" });
    expect(error.reconcile.startIndex).toMatch(/^u[0-9]{19}-(fr|fs|ln|or|os)_[0-9a-f]{64}$/);
  });

  it("pay with a BOLT11 invoice: the payment's own index", async () => {
    const error = await lost(() => lexe.POST("/v2/node/pay", { body: { payable: `lightning:${PAGE_INVOICE_TO_PAY.toUpperCase()}` } }));
    expect(error.reconcile).toMatchObject({ paymentHash: PAYMENT_HASH, index: `0000000000000000000-ln_${PAYMENT_HASH}`, lookUpWith: "get_payment" });
  });

  it("pay with anything else, pay_lnurl and withdraw_lnurl: the updated_payments cursor", async () => {
    for (const call of [
      () => lexe.POST("/v2/node/pay", { body: { payable: "satoshi@lexe.app", amount: "21" } }),
      () => lexe.POST("/v2/node/pay_lnurl", { body: { lnurl: "satoshi@lexe.app", amount: "21" } }),
      () => lexe.POST("/v2/node/withdraw_lnurl", { body: { lnurl: "lnurl1dp68gurn8ghj7um9wfmxjcm99e3k7mf0v9cxj0m385ekvcenxc6r2c35xvukxefcv5mkvv34x5ekzd3ev56nyd3hxqurzepexejxxepnxscrvwfnv9nxzcn9xq6xyefhvgcxxcmyxymnserxfq5fns" } }),
    ]) {
      server.requests.length = 0;
      const error = await lost(call);
      expect(error.reconcile).toMatchObject({ lookUpWith: "updated_payments", startIndex: expect.stringMatching(/^u\d{19}-fr_0{64}$/) });
      expect(error.movesFunds).toBe(true);
    }
  });

  it("open_channel and close_channel: the channel ids to find in list_channels", async () => {
    const opened = await lost(() => lexe.POST("/v2/node/open_channel", { body: { value: "100000", user_channel_id: "0f1e2d3c4b5a69788796a5b4c3d2e1f0" } }));
    expect(opened.reconcile).toEqual({ value: "100000", userChannelId: "0f1e2d3c4b5a69788796a5b4c3d2e1f0", lookUpWith: "list_channels" });
    server.requests.length = 0;
    const closed = await lost(() => lexe.POST("/v2/node/close_channel", { body: { channel_id: "3a".repeat(32) } }));
    expect(closed.reconcile).toEqual({ channelId: "3a".repeat(32), lookUpWith: "list_channels" });
  });

  it("sends payments with a 30 s default timeout, above the sidecar's own 25 s", () => {
    // The transport reports the timeout it applied in every log event.
    const events: Record<string, unknown>[] = [];
    const logger = { debug: (message: string, fields: Record<string, unknown>) => void (message === "satbind request" && events.push(fields)) };
    server.handle(({ res }) => json(res, 200, { status: "ok" }));
    return Promise.all([
      createLexeClient({ baseUrl: server.url, logger }).GET("/v2/health"),
      createLexeClient({ baseUrl: server.url, logger }).POST("/v2/node/pay_invoice", { body: { invoice: PAGE_INVOICE_TO_PAY } }),
      createLexeClient({ baseUrl: server.url, logger, timeoutMs: 5_000 }).POST("/v2/node/pay_invoice", { body: { invoice: PAGE_INVOICE_TO_PAY } }),
    ]).then(() => {
      const timeouts = Object.fromEntries(events.map((e) => [`${e.operationId}${e.timeoutMs === 5_000 ? "+option" : ""}`, e.timeoutMs]));
      expect(timeouts).toEqual({ health: 15_000, pay_invoice: 30_000, "pay_invoice+option": 5_000 });
    });
  });
});

describe("createLexeClient", () => {
  it("sends no Authorization header by default: the sidecar's own credentials apply", async () => {
    server.handle(({ res }) => json(res, 200, { status: "ok" }));
    await createLexeClient({ baseUrl: server.url }).GET("/v2/health");
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it("sends client credentials as a bearer token, and never shows them", async () => {
    const credentials = "eyJsZXhlX2F1dGhfdG9rZW4iOiJzZWNyZXQifQ==";
    server.handle(({ res }) => json(res, 401, { code: 101, msg: `Client credentials had invalid format: ${credentials}`, data: null, sensitive: false }));
    const result = await createLexeClient({ baseUrl: server.url, clientCredentials: credentials }).GET("/v2/node/node_info");
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${credentials}`);
    const error = errorOf(result)!;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(JSON.stringify(error)).not.toContain(credentials);
    expect(error.message).not.toContain(credentials);
  });

  it("takes credentials from a function, per request", async () => {
    server.handle(({ res }) => json(res, 200, { status: "ok" }));
    let n = 0;
    const c = createLexeClient({ baseUrl: server.url, clientCredentials: () => `creds-${++n}` });
    await c.GET("/v2/health");
    await c.GET("/v2/health");
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(["Bearer creds-1", "Bearer creds-2"]);
  });

  it("refuses empty credentials", () => {
    expect(() => createLexeClient({ clientCredentials: "" })).toThrow("clientCredentials must be the non-empty credentials string");
  });

  it("talks to http://localhost:5393 unless told otherwise", async () => {
    const seen: string[] = [];
    const c = createLexeClient({ fetch: async (request) => (seen.push(request.url), Response.json({ status: "ok" })) });
    await c.GET("/v2/health");
    expect(seen).toEqual(["http://localhost:5393/v2/health"]);
  });
});
