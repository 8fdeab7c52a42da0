// What makes results narrowable at runtime, against a real loopback HTTP server: `ok` and
// `status` on every result, a truthy `error` for every failure (also without a body), and errorOf
// and unwrap giving the same error object.
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import { json, startTestServer, type TestServer } from "@satbind/test-support/test-server";
import { ApiError, InternalServerError, NotFoundError, createApiClient, errorOf, isErrorOf, unwrap, type EmptyBody, type UnknownBody } from "../src/index.js";

type Item = { id: string };
type Problem = { code: string };
interface paths {
  "/items/{id}": {
    get: { parameters: { path: { id: string } }; responses: { 200: { content: { "application/json": Item } }; 404: { content: { "application/json": Problem } } } };
    delete: { parameters: { path: { id: string } }; responses: { 204: { content?: never }; 409: { content?: never } } };
    head: { parameters: { path: { id: string } }; responses: { 200: { content?: never } } };
  };
}
const operations = {
  getItem: { method: "GET", path: "/items/{id}", retrySafe: true, movesFunds: false, auth: "none" },
  deleteItem: { method: "DELETE", path: "/items/{id}", retrySafe: false, movesFunds: false, auth: "none" },
  headItem: { method: "HEAD", path: "/items/{id}", retrySafe: true, movesFunds: false, auth: "none" },
} as const;

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

const client = () => createApiClient<paths>({ provider: "test", baseUrl: server.url, operations, defaultTimeoutMs: 2_000 }, { maxRetries: 0 });
const item = { params: { path: { id: "a1" } } };

describe("ok and status", () => {
  it("an ok answer has ok: true, its status, data and no error", async () => {
    server.handle(({ res }) => json(res, 200, { id: "a1" }));
    const result = await client().GET("/items/{id}", item);
    expect(result).toMatchObject({ ok: true, status: 200, data: { id: "a1" } });
    expect("error" in result).toBe(false);
    expect(errorOf(result)).toBeUndefined();
    expect(unwrap(result)).toEqual({ id: "a1" });
  });

  it("a documented error has ok: false, its status and the body; narrowing on status reads it", async () => {
    server.handle(({ res }) => json(res, 404, { code: "NOT_FOUND" }));
    const result = await client().GET("/items/{id}", item);
    expect(result).toMatchObject({ ok: false, status: 404, error: { code: "NOT_FOUND" } });
    expect("data" in result).toBe(false);
    if (result.status !== 404) throw new Error("expected the 404 branch");
    expectTypeOf(result.error).toEqualTypeOf<Problem>();
    const error = errorOf(result);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.body).toEqual(result.error);
    expect(() => unwrap(result)).toThrow(error);
  });

  it("a 204 is ok without data", async () => {
    server.handle(({ res }) => {
      res.writeHead(204);
      res.end();
    });
    const result = await client().DELETE("/items/{id}", item);
    expect(result).toMatchObject({ ok: true, status: 204 });
    expect(result.data).toBeUndefined();
  });
});

describe("errors without a body", () => {
  const empty: EmptyBody = { empty: true };

  it.each([
    ["with content-length: 0", { "content-length": "0" }],
    ["without content-length (chunked)", {}],
  ])("an undocumented 503 %s gives a truthy EmptyBody error", async (_, headers) => {
    server.handle(({ res }) => {
      res.writeHead(503, headers);
      res.end();
    });
    const result = await client().GET("/items/{id}", item);
    expect(result).toMatchObject({ ok: false, status: 503, error: empty });
    expect(Boolean(result.error)).toBe(true);
    if (!result.error) throw new Error("if (result.error) must see an empty-bodied failure");
    const error = errorOf(result);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.body).toEqual(result.error);
    expect(error.message).toBe("getItem failed with HTTP 503");
  });

  it("a documented error without a body is EmptyBody, as its type says", async () => {
    server.handle(({ res }) => {
      res.writeHead(409, { "content-length": "0" });
      res.end();
    });
    const result = await client().DELETE("/items/{id}", item);
    if (result.status !== 409) throw new Error(`expected 409, got ${result.status}`);
    expectTypeOf(result.error).toEqualTypeOf<EmptyBody>();
    expect(result.error).toEqual(empty);
  });

  it("a failed HEAD (never a body) has a truthy error too", async () => {
    server.handle(({ res }) => {
      res.writeHead(404);
      res.end();
    });
    const result = await client().HEAD("/items/{id}", item);
    expect(result).toMatchObject({ ok: false, status: 404, error: empty });
  });

  it("a JSON null body stays null: undocumented bodies are {} | null", async () => {
    server.handle(({ res }) => json(res, 502, null));
    const result = await client().GET("/items/{id}", item);
    expect(result).toMatchObject({ ok: false, status: 502, error: null });
    if (result.status === 502) expectTypeOf(result.error).toEqualTypeOf<UnknownBody>();
  });
});

describe("errorOf and unwrap on results from elsewhere", () => {
  it("build the ApiError from the result when the client did not", () => {
    const response = new Response("{}", { status: 404 });
    const result = { error: { code: "X" }, response };
    const error = errorOf(result);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error?.body).toEqual({ code: "X" });
    expect(errorOf({ data: 1, response: new Response("1") })).toBeUndefined();
  });
});

describe("isErrorOf", () => {
  it("recognises a thrown error by the client's API and the call's method and path, and types it", async () => {
    server.handle(({ res }) => json(res, 404, { code: "NOT_FOUND" }));
    const api = client();
    const caught = await api.GET("/items/{id}", { ...item, throwOnError: true }).catch((error: unknown) => error);
    expect(caught).toBeInstanceOf(NotFoundError);
    expect(isErrorOf(caught, api, "GET", "/items/{id}")).toBe(true);
    // Another client of the same API recognises it too; another operation, another API or a plain error do not.
    expect(isErrorOf(caught, client(), "GET", "/items/{id}")).toBe(true);
    expect(isErrorOf(caught, api, "DELETE", "/items/{id}")).toBe(false);
    const otherApi = createApiClient<paths>({ provider: "other", baseUrl: server.url, operations: { ...operations }, defaultTimeoutMs: 2_000 });
    expect(isErrorOf(caught, otherApi, "GET", "/items/{id}")).toBe(false);
    expect(isErrorOf(new Error("x"), api, "GET", "/items/{id}")).toBe(false);
    if (isErrorOf(caught, api, "GET", "/items/{id}") && caught.status === 404) {
      expectTypeOf(caught.body).toEqualTypeOf<Problem>();
      expect(caught.body.code).toBe("NOT_FOUND");
    }
  });

  it("recognises what unwrap throws", async () => {
    server.handle(({ res }) => json(res, 404, { code: "NOT_FOUND" }));
    const api = client();
    const result = await api.GET("/items/{id}", item);
    let caught: unknown;
    try {
      unwrap(result);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(errorOf(result));
    expect(isErrorOf(caught, api, "GET", "/items/{id}")).toBe(true);
  });
});
