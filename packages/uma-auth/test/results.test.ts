// Narrowable results on UMA Auth's real operations, against a real loopback HTTP server: the
// status a server answers is the one to narrow on, and an error answer without a body is still a
// truthy `error` with its ApiError.
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { json, startTestServer, type TestServer } from "@satbind/test-support/test-server";
import { InternalServerError, NotFoundError, createUmaAuthClient, errorOf, unwrap, type ErrorResponse, type UnknownBody } from "../src/index.js";

const PAYMENT_HASH = "6e0ed69b371aa63ed16c80db9e16632545d0476c89d99aef8ec52fa545955f23";
const NOT_FOUND = { code: "NOT_FOUND", message: "No invoice with this payment hash" };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
const uma = () => createUmaAuthClient({ baseUrl: server.url, token: "jwt", maxRetries: 0 });
const lookup = { params: { path: { payment_hash: PAYMENT_HASH } } };

describe("results on UMA Auth's operations", () => {
  it("lookup_invoice's documented 404 narrows to UMA's ErrorResponse", async () => {
    server.handle(({ res }) => json(res, 404, NOT_FOUND));
    const result = await uma().GET("/invoices/{payment_hash}", lookup);
    expect(result).toMatchObject({ ok: false, status: 404, error: NOT_FOUND });
    if (result.status !== 404) throw new Error(`expected the 404 branch, got ${result.status}`);
    expectTypeOf(result.error).toEqualTypeOf<ErrorResponse>();
    expect(result.error.code).toBe("NOT_FOUND");
    expect(errorOf(result)).toBeInstanceOf(NotFoundError);
  });

  it("an undocumented 503 with no body is a truthy error whose body is not typed", async () => {
    server.handle(({ res }) => {
      res.writeHead(503, { "content-length": "0" });
      res.end();
    });
    const result = await uma().GET("/invoices/{payment_hash}", lookup);
    expect(result).toMatchObject({ ok: false, status: 503, error: { empty: true } });
    if (result.status !== 503) throw new Error(`expected the 503 branch, got ${result.status}`);
    expectTypeOf(result.error).toEqualTypeOf<UnknownBody>();
    if (!result.error) throw new Error("if (result.error) must see an empty-bodied failure");
    const error = errorOf(result);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.body).toEqual({ empty: true });
    expect(() => unwrap(result)).toThrow(error);
  });
});
