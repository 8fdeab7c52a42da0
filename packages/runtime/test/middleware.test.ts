// openapi-fetch middleware on satbind's own call path, against a real loopback server: the hooks
// run in openapi-fetch's order and with its powers, once per call (retries are inside).
import type { Middleware } from "openapi-fetch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { closedPort, json, startTestServer, type TestServer } from "@satbind/test-support/test-server";
import { createApiClient, type CommonClientOptions } from "../src/index.js";

interface paths {
  "/items/{id}": { get: { parameters: { path: { id: string } }; responses: { 200: { content: { "application/json": { id: string } } } } } };
}

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

const client = (options: CommonClientOptions = {}, baseUrl = server.url) =>
  createApiClient<paths>(
    { provider: "test", baseUrl, operations: { getItem: { method: "GET", path: "/items/{id}", retrySafe: true, movesFunds: false, auth: "optional" } }, auth: { type: "bearer", token: "tok_0123456789" }, defaultTimeoutMs: 2_000 },
    { retry: { initialDelayMs: 1, maxDelayMs: 2 }, ...options },
  );
const get = (c: ReturnType<typeof client>, init: Record<string, unknown> = {}) => c.GET("/items/{id}", { params: { path: { id: "1" } }, ...init });

describe("middleware", () => {
  it("onRequest sees the credentials and may replace the Request; hooks run once even when the call is retried", async () => {
    server.handle(({ res, index }) => (index === 1 ? json(res, 503, {}) : json(res, 200, { id: "ok" })));
    const order: string[] = [];
    const first: Middleware = {
      onRequest: ({ request, schemaPath }) => {
        order.push(`request ${schemaPath} ${request.headers.get("authorization")}`);
        return new Request(request, { headers: { ...Object.fromEntries(request.headers), "x-replaced": "yes" } });
      },
      onResponse: ({ response }) => void order.push(`response ${response.status}`),
    };
    const { data } = await get(client({ middleware: [first] }));
    expect(data).toEqual({ id: "ok" });
    expect(order).toEqual(["request /items/{id} Bearer tok_0123456789", "response 200"]);
    expect(server.requests.map((r) => r.headers["x-replaced"])).toEqual(["yes", "yes"]);
  });

  it("onRequest may answer by itself: nothing is sent", async () => {
    const answer: Middleware = { onRequest: () => new Response(JSON.stringify({ id: "cached" }), { headers: { "content-type": "application/json" } }) };
    const { data } = await get(client({ middleware: [answer] }));
    expect(data).toEqual({ id: "cached" });
    expect(server.requests).toHaveLength(0);
  });

  it("onResponse can read the body and the client still parses it", async () => {
    server.handle(({ res }) => json(res, 200, { id: "read twice" }));
    let seen: unknown;
    const reader: Middleware = { onResponse: async ({ response }) => void (seen = await response.clone().json()) };
    const { data } = await get(client({ middleware: [reader] }));
    expect([seen, data]).toEqual([{ id: "read twice" }, { id: "read twice" }]);
  });

  it("onError may turn a failure into an answer, or into another error", async () => {
    const port = await closedPort();
    const rescue: Middleware = { onError: () => new Response(JSON.stringify({ id: "offline copy" }), { headers: { "content-type": "application/json" } }) };
    expect((await get(client({ middleware: [rescue], maxRetries: 0 }, `http://127.0.0.1:${port}`))).data).toEqual({ id: "offline copy" });
    const replace: Middleware = { onError: ({ error }) => new Error(`wrapped: ${(error as Error).name}`) };
    await expect(get(client({ middleware: [replace], maxRetries: 0 }, `http://127.0.0.1:${port}`))).rejects.toThrow("wrapped: NetworkError");
  });

  it("per-call middleware runs after the client's; use and eject add and remove", async () => {
    server.handle(({ res }) => json(res, 200, { id: "x" }));
    const order: string[] = [];
    const mark = (name: string): Middleware => ({ onRequest: () => void order.push(name) });
    const c = client({ middleware: [mark("client")] });
    const added = mark("added");
    c.use(added);
    await get(c, { middleware: [mark("call")] });
    c.eject(added);
    await get(c);
    expect(order).toEqual(["client", "added", "call", "client"]);
    expect(() => c.use({} as Middleware)).toThrow("Middleware must be an object with one of `onRequest()`, `onResponse() or `onError()`");
  });
});
