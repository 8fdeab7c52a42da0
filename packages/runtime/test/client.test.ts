// The runtime against a real loopback HTTP server: error classes, retry policy, timeouts, abort,
// auth. No mocked fetch.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Middleware } from "openapi-fetch";
import { closedPort, hang, json, reset, startTestServer, truncated, type TestServer } from "@satbind/test-support/test-server";
import {
  AbortError,
  AmbiguousOutcomeError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NetworkError,
  NotFoundError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
  ResponseParseError,
  TimeoutError,
  UnprocessableEntityError,
  createApiClient,
  errorOf,
  unwrap,
  type CommonClientOptions,
  type ProviderConfig,
} from "../src/index.js";

// A small API in the shape the generator emits.
interface paths {
  "/items/{id}": { get: { parameters: { path: { id: string } }; responses: { 200: { content: { "application/json": { id: string } } }; default: { content: { "application/json": { code: string; message: string } } } } } };
  "/items": { post: { requestBody: { content: { "application/json": { name: string } } }; responses: { 201: { content: { "application/json": { id: string } } } } } };
  "/pay": { post: { requestBody: { content: { "application/json": { invoice: string } } }; responses: { 200: { content: { "application/json": { preimage: string } } } } } };
  "/quote": { post: { requestBody: { content: { "application/json": { amount: number } } }; responses: { 200: { content: { "application/json": { fee: number } } } } } };
  "/health": { get: { responses: { 200: { content: { "application/json": { ok: boolean } } } } } };
}

const operations = {
  getItem: { method: "GET", path: "/items/{id}", retrySafe: true, movesFunds: false, auth: "required" },
  createItem: { method: "POST", path: "/items", retrySafe: false, movesFunds: false, auth: "required" },
  pay: { method: "POST", path: "/pay", retrySafe: false, movesFunds: true, auth: "required" },
  quote: { method: "POST", path: "/quote", retrySafe: true, movesFunds: false, auth: "required" },
  health: { method: "GET", path: "/health", retrySafe: true, movesFunds: false, auth: "none" },
} as const;

const TOKEN = "tok_live_4f9a2c7e1b8d";

let server: TestServer;
// A fresh server per test: a request a previous test aborted mid-flight cannot land in this one's log.
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

function client(options: CommonClientOptions = {}, config: Partial<ProviderConfig> = {}) {
  return createApiClient<paths>(
    {
      provider: "test",
      baseUrl: server.url,
      operations,
      auth: { type: "bearer", token: TOKEN },
      defaultTimeoutMs: 2_000,
      reconcile: (operationId, { body }) => (operationId === "pay" ? { invoice: (body as { invoice: string }).invoice } : {}),
      ...config,
    },
    { retry: { initialDelayMs: 5, maxDelayMs: 20 }, ...options },
  );
}

describe("responses", () => {
  it("returns typed data for 2xx and sends the bearer token", async () => {
    server.handle(({ res }) => json(res, 200, { id: "a1" }));
    const { data, error } = await client().GET("/items/{id}", { params: { path: { id: "a1" } } });
    expect(error).toBeUndefined();
    expect(data).toEqual({ id: "a1" });
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(server.requests[0]!.url).toBe("/items/a1");
  });

  // JSON is parsed from the bytes the transport already read; these are the cases where that
  // must still give what openapi-fetch itself would.
  it("gives undefined data for a 200 with an empty body", async () => {
    server.handle(({ res }) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end();
    });
    const { data, error, response } = await client().GET("/items/{id}", { params: { path: { id: "e" } } });
    expect([data, error, response.status]).toEqual([undefined, undefined, 200]);
  });

  it("honours the caller's parseAs", async () => {
    server.handle(({ res }) => json(res, 200, { id: "t1" }));
    const { data } = await client().GET("/items/{id}", { params: { path: { id: "t1" } }, parseAs: "text" });
    expect(data).toBe('{"id":"t1"}');
  });

  it("reads the response a middleware answered with, not the one the server sent", async () => {
    server.handle(({ res }) => json(res, 200, { id: "from-server" }));
    const replace = { onResponse: () => new Response(JSON.stringify({ id: "from-middleware" }), { status: 200, headers: { "content-type": "application/json" } }) };
    const { data } = await client({ middleware: [replace] }).GET("/items/{id}", { params: { path: { id: "m" } } });
    expect(data).toEqual({ id: "from-middleware" });
  });

  it("skips credentials on operations whose spec needs none", async () => {
    server.handle(({ res }) => json(res, 200, { ok: true }));
    await client().GET("/health");
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it("resolves async credentials per request", async () => {
    let n = 0;
    server.handle(({ res }) => json(res, 200, { id: "x" }));
    const c = client({}, { auth: { type: "header", name: "x-api-token", value: async () => `rotating-${++n}-secret` } });
    await c.GET("/items/{id}", { params: { path: { id: "1" } } });
    await c.GET("/items/{id}", { params: { path: { id: "2" } } });
    expect(server.requests.map((r) => r.headers["x-api-token"])).toEqual(["rotating-1-secret", "rotating-2-secret"]);
  });

  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [402, PaymentRequiredError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
    [418, ApiError],
  ])("maps HTTP %i to %s with the provider's code, message and request id", async (status, ErrorClass) => {
    server.handle(({ res }) => json(res, status, { code: "NOT_FOUND", message: "no such item" }, { "x-request-id": "req_123" }));
    const result = await client({ maxRetries: 0 }).GET("/items/{id}", { params: { path: { id: "zz" } } });
    expect(result.error).toEqual({ code: "NOT_FOUND", message: "no such item" });
    const error = errorOf(result)!;
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status, code: "NOT_FOUND", providerMessage: "no such item", requestId: "req_123", operationId: "getItem", method: "GET" });
    expect(error.message).toBe(`getItem failed with HTTP ${status} NOT_FOUND: no such item`);
    expect(() => unwrap(result)).toThrow(error);
  });

  it("throws instead of returning { error } in throwing mode, per client or per call", async () => {
    server.handle(({ res }) => json(res, 404, { code: "NOT_FOUND", message: "gone" }));
    await expect(client({ throwOnError: true }).GET("/items/{id}", { params: { path: { id: "1" } } })).rejects.toBeInstanceOf(NotFoundError);
    await expect(client().GET("/items/{id}", { params: { path: { id: "1" } }, throwOnError: true })).rejects.toBeInstanceOf(NotFoundError);
    const { error } = await client({ throwOnError: true }).GET("/items/{id}", { params: { path: { id: "1" } }, throwOnError: false });
    expect(error).toEqual({ code: "NOT_FOUND", message: "gone" });
  });

  it("reads {code, msg}, {error, message} and {detail} bodies, and plain text", async () => {
    const cases: [unknown, unknown, unknown][] = [
      [{ code: 7, msg: "bad amount" }, 7, "bad amount"],
      [{ error: "BadRequest", message: "invoice expired", status: 400 }, "BadRequest", "invoice expired"],
      [{ detail: "Not authenticated" }, undefined, "Not authenticated"],
    ];
    for (const [body, code, message] of cases) {
      server.handle(({ res }) => json(res, 400, body));
      const error = errorOf(await client().GET("/items/{id}", { params: { path: { id: "1" } } }))!;
      expect([error.code, error.providerMessage]).toEqual([code, message]);
    }
    server.handle(({ res }) => {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end("upstream down");
    });
    const error = errorOf(await client({ maxRetries: 0 }).GET("/items/{id}", { params: { path: { id: "1" } } }))!;
    expect(error).toMatchObject({ status: 502, providerMessage: "upstream down", body: "upstream down" });
  });

  it("turns a 2xx with a broken JSON body into ResponseParseError", async () => {
    server.handle(({ res }) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"id": "a1", ');
    });
    const error = await client()
      .GET("/items/{id}", { params: { path: { id: "1" } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseParseError);
    expect(error).toMatchObject({ status: 200, operationId: "getItem", url: `${server.url}/items/1`, bodySnippet: '{"id": "a1", ' });
  });
});

describe("retries", () => {
  it("retries a safe operation on 503 and 429, then succeeds", async () => {
    server.handle(({ res, index }) => (index === 1 ? json(res, 503, {}) : index === 2 ? json(res, 429, {}, { "retry-after-ms": "10" }) : json(res, 200, { id: "ok" })));
    const { data } = await client().GET("/items/{id}", { params: { path: { id: "1" } } });
    expect(data).toEqual({ id: "ok" });
    expect(server.requests).toHaveLength(3);
  });

  it("gives up after maxRetries with the last answer", async () => {
    server.handle(({ res }) => json(res, 503, { code: "UNAVAILABLE", message: "busy" }));
    const result = await client({ maxRetries: 3 }).GET("/items/{id}", { params: { path: { id: "1" } } });
    expect(errorOf(result)).toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(4);
    await client().GET("/items/{id}", { params: { path: { id: "1" } }, maxRetries: 0 });
    expect(server.requests).toHaveLength(5);
  });

  it("waits as long as Retry-After says (seconds form)", async () => {
    server.handle(({ res, index }) => (index === 1 ? json(res, 429, {}, { "retry-after": "1" }) : json(res, 200, { id: "ok" })));
    const started = performance.now();
    await client().GET("/items/{id}", { params: { path: { id: "1" } } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
  });

  it("does not wait for a Retry-After beyond the limit: returns the 429", async () => {
    server.handle(({ res }) => json(res, 429, { code: "RATE_LIMITED", message: "slow down" }, { "retry-after": "3600" }));
    const result = await client().GET("/items/{id}", { params: { path: { id: "1" } } });
    expect(errorOf(result)).toBeInstanceOf(RateLimitError);
    expect(server.requests).toHaveLength(1);
  });

  it("retries a safe operation after a connection reset, and a safe POST with its body intact", async () => {
    server.handle(({ res, index }) => (index === 1 ? reset(res) : json(res, 200, { fee: 3 })));
    const { data } = await client().POST("/quote", { body: { amount: 1000 } });
    expect(data).toEqual({ fee: 3 });
    expect(server.requests.map((r) => r.body)).toEqual(['{"amount":1000}', '{"amount":1000}']);
  });

  it("never retries an operation that moves funds: 503 is returned after one send", async () => {
    server.handle(({ res }) => json(res, 503, { code: "UNAVAILABLE", message: "node starting" }));
    const result = await client({ maxRetries: 5 }).POST("/pay", { body: { invoice: "lnbc1..." } });
    expect(errorOf(result)).toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(1);
  });

  it("never retries an unsafe POST either", async () => {
    server.handle(({ res }) => json(res, 500, {}));
    await client({ maxRetries: 5 }).POST("/items", { body: { name: "x" } });
    expect(server.requests).toHaveLength(1);
  });

  it("a reset on a money operation is an AmbiguousOutcomeError carrying what identifies the payment", async () => {
    server.handle(({ res }) => reset(res));
    const error = await client({ maxRetries: 5 })
      .POST("/pay", { body: { invoice: "lnbc2500u1pvjluez" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmbiguousOutcomeError);
    expect(error).toMatchObject({ requestSent: "unknown", movesFunds: true, operationId: "pay", reconcile: { invoice: "lnbc2500u1pvjluez" } });
    expect((error as Error).message).toMatch(/reconcile before retrying/);
    expect(server.requests).toHaveLength(1);
  });

  it("a refused connection is a NetworkError: the request was never sent", async () => {
    const port = await closedPort();
    const c = createApiClient<paths>(
      { provider: "test", baseUrl: `http://127.0.0.1:${port}`, operations, auth: { type: "bearer", token: TOKEN }, defaultTimeoutMs: 2_000 },
      { retry: { initialDelayMs: 1, maxDelayMs: 2 } },
    );
    const error = await c.POST("/pay", { body: { invoice: "lnbc1" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ requestSent: false, operationId: "pay" });
    expect((error as NetworkError).message).toMatch(/could not be sent/);
  });
});

describe("logger", () => {
  it("reports each attempt, the retry and its reason, with no secret in the details", async () => {
    server.handle(({ res, index }) => (index === 1 ? json(res, 503, {}) : json(res, 200, { id: "ok" })));
    const events: [string, string, Record<string, unknown>][] = [];
    const logger = Object.fromEntries((["debug", "info", "warn", "error"] as const).map((level) => [level, (message: string, details: Record<string, unknown>) => events.push([level, message, details])]));
    await client({ logger }).GET("/items/{id}", { params: { path: { id: "7" } } });
    expect(events.map(([level, message, d]) => [level, message, d.attempt, d.status])).toEqual([
      ["debug", "satbind request", 1, undefined],
      ["debug", "satbind response", 1, 503],
      ["warn", "satbind retrying", 1, 503],
      ["debug", "satbind request", 2, undefined],
      ["debug", "satbind response", 2, 200],
    ]);
    expect(events[0]![2]).toMatchObject({ operationId: "getItem", method: "GET", url: `${server.url}/items/7` });
    expect(JSON.stringify(events)).not.toContain(TOKEN);
  });
});

describe("missing credentials", () => {
  it("an operation that requires them is refused before sending; open ones still go", async () => {
    server.handle(({ res }) => json(res, 200, { ok: true }));
    const c = client({}, { auth: undefined, missingAuthHint: "your token: createTestClient({ token })" });
    await expect(c.GET("/items/{id}", { params: { path: { id: "a1" } } })).rejects.toThrow(new TypeError("getItem needs your token: createTestClient({ token })"));
    expect((await c.GET("/health")).response.status).toBe(200);
    expect(server.requests.map((r) => r.url)).toEqual(["/health"]);
  });
});

describe("timeouts and abort", () => {
  // Node 20's undici holds a copied Request's abort link weakly: after a garbage collection, an
  // abort on the signal we gave it never reached the fetch, and the call hung. Collect garbage
  // while the attempt is in flight, as a busy process would.
  // Both paths: a plain call goes out as fetch(url, init); with middleware it is a Request, the
  // case the bug was found on, kept alive while in flight.
  const passThrough: Middleware = { onRequest: ({ request }) => request };
  it.each([
    ["timeout", "fetch(url, init)", undefined],
    ["caller's abort", "fetch(url, init)", new AbortController()],
    ["timeout", "a Request (middleware)", undefined],
    ["caller's abort", "a Request (middleware)", new AbortController()],
  ] as const)("a %s still ends the call after a garbage collection, sent as %s", async (_, path, controller) => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    server.handle(() => hang());
    const middleware = path === "fetch(url, init)" ? {} : { middleware: [passThrough] };
    const call = client({ maxRetries: 0, timeoutMs: controller ? 60_000 : 300, ...middleware }).GET("/items/{id}", { params: { path: { id: "1" } }, ...(controller && { signal: controller.signal }) });
    const settled = call.then(() => "answered", (error: Error) => error.name);
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    controller?.abort();
    const outcome = await Promise.race([settled, new Promise((resolve) => setTimeout(() => resolve("still hanging after 5 s"), 5_000))]);
    expect(outcome).toBe(controller ? "AbortError" : "TimeoutError");
  });

  it("a provider's per-operation default applies unless the caller set a timeout", async () => {
    server.handle(() => hang());
    // As Lexe's payments do: a longer default for one operation, unless the client set its own timeout.
    const slowPay = (options: CommonClientOptions): Partial<ProviderConfig> => ({
      callDefaults: ({ operationId }) => (operationId === "pay" && options.timeoutMs === undefined ? { timeoutMs: 150 } : undefined),
      defaultTimeoutMs: 60,
    });
    const pay = (options: CommonClientOptions = {}, init: { timeoutMs?: number } = {}) =>
      client({ maxRetries: 0, ...options }, slowPay(options)).POST("/pay", { body: { invoice: "lnbc1" }, ...init }).catch((e: unknown) => e);
    expect(await pay()).toMatchObject({ name: "TimeoutError", timeoutMs: 150 });
    expect(await client({ maxRetries: 0 }, slowPay({})).GET("/health").catch((e: unknown) => e)).toMatchObject({ name: "TimeoutError", timeoutMs: 60 });
    expect(await pay({ timeoutMs: 40 })).toMatchObject({ name: "TimeoutError", timeoutMs: 40 });
    expect(await pay({}, { timeoutMs: 30 })).toMatchObject({ name: "TimeoutError", timeoutMs: 30 });
  });

  it("a provider's call defaults see the call's options, rank above the client's, and can refuse the call", async () => {
    server.handle(() => hang());
    const bounded: Partial<ProviderConfig> = {
      callDefaults: (_, init) => {
        const wait = (init.params as { query?: { wait?: number } } | undefined)?.query?.wait;
        if (wait === undefined) return undefined;
        if (wait < 0) throw new TypeError("wait must be 0 or more");
        return { timeoutMs: wait + 50, maxRetries: 0 };
      },
    };
    const c = client({ timeoutMs: 20_000, maxRetries: 3 }, bounded);
    const get = (query: { wait?: number }) => c.GET("/items/{id}", { params: { path: { id: "1" }, query } as never }).catch((e: unknown) => e);
    expect(await get({ wait: 30 })).toMatchObject({ name: "TimeoutError", timeoutMs: 80 });
    expect(server.requests).toHaveLength(1);
    await expect(c.GET("/items/{id}", { params: { path: { id: "1" }, query: { wait: -1 } } as never })).rejects.toThrow(new TypeError("wait must be 0 or more"));
    expect(server.requests).toHaveLength(1);
  });

  it("reconcile learns when the call started", async () => {
    server.handle(({ res }) => reset(res));
    const before = Date.now();
    const error = (await client({}, { reconcile: (_, { startedAt }) => ({ startedAt }) }).POST("/pay", { body: { invoice: "lnbc1" } }).catch((e: unknown) => e)) as AmbiguousOutcomeError;
    expect(error.reconcile.startedAt).toBeGreaterThanOrEqual(before);
    expect(error.reconcile.startedAt).toBeLessThanOrEqual(Date.now());
  });

  it("a hanging server ends in TimeoutError at the client's bound", async () => {
    server.handle(() => hang());
    const error = await client({ timeoutMs: 150, maxRetries: 0 })
      .GET("/items/{id}", { params: { path: { id: "1" } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(AmbiguousOutcomeError);
    expect(error).toMatchObject({ timeoutMs: 150, operationId: "getItem" });
  });

  it("a per-call timeout overrides the client's", async () => {
    server.handle(() => hang());
    const error = await client({ timeoutMs: 60_000 })
      .GET("/items/{id}", { params: { path: { id: "1" } }, timeoutMs: 100, maxRetries: 0 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "TimeoutError", timeoutMs: 100 });
  });

  it("the timeout covers a body that stops half way", async () => {
    server.handle(({ res }) => truncated(res, '{"id":', "hang"));
    const error = await client({ timeoutMs: 150, maxRetries: 0 })
      .GET("/items/{id}", { params: { path: { id: "1" } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it("a timed-out safe call is retried, each attempt with its own bound", async () => {
    server.handle(({ res, index }) => (index === 1 ? hang() : json(res, 200, { id: "late" })));
    const { data } = await client({ timeoutMs: 100 }).GET("/items/{id}", { params: { path: { id: "1" } } });
    expect(data).toEqual({ id: "late" });
    expect(server.requests).toHaveLength(2);
  });

  it("a money operation that times out is sent once and says it may have been processed", async () => {
    server.handle(() => hang());
    const error = await client({ timeoutMs: 1_000, maxRetries: 3 })
      .POST("/pay", { body: { invoice: "lnbc9" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ movesFunds: true, reconcile: { invoice: "lnbc9" } });
    expect(server.requests).toHaveLength(1);
  });

  it("the caller's AbortSignal cancels at once", async () => {
    server.handle(() => hang());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    const error = await client({ timeoutMs: 10_000 })
      .GET("/items/{id}", { params: { path: { id: "1" } }, signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(error).toMatchObject({ requestSent: "unknown" });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("an already-aborted signal sends nothing", async () => {
    const error = await client()
      .GET("/items/{id}", { params: { path: { id: "1" } }, signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "AbortError", requestSent: false });
    expect(server.requests).toHaveLength(0);
  });

  it("rejects nonsense options with a clear error", () => {
    expect(() => client({ timeoutMs: -1 })).toThrow("timeoutMs must be a positive number of milliseconds; got -1");
    expect(() => client({ maxRetries: 1.5 })).toThrow("maxRetries must be a whole number >= 0; got 1.5");
  });
});
