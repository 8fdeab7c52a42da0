// Narrowable results on Lexe's real operations, against a real loopback HTTP server: the status a
// server answers is the one to narrow on, and an error answer without a body is still a truthy
// `error` with its ApiError.
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { json, startTestServer, type TestServer } from "@satbind/test-support/test-server";
import { InternalServerError, NotFoundError, createLexeClient, errorOf, unwrap, type ErrorResponse } from "../src/index.js";

const INDEX = "0000001744926519917-ln_9be5e4e3a0356cc4a7a1dce5a4af39e2896b7eb7b007ec6ca8c2f8434f21a63a";
const NOT_FOUND = { code: 102, msg: "Payment not found", data: null, sensitive: false };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
const lexe = () => createLexeClient({ baseUrl: server.url, maxRetries: 0 });

describe("results on Lexe's operations", () => {
  it("get_payment's documented 404 narrows to Lexe's ErrorResponse", async () => {
    server.handle(({ res }) => json(res, 404, NOT_FOUND));
    const result = await lexe().GET("/v2/node/payment", { params: { query: { index: INDEX } } });
    expect(result).toMatchObject({ ok: false, status: 404, error: NOT_FOUND });
    if (result.status !== 404) throw new Error(`expected the 404 branch, got ${result.status}`);
    expectTypeOf(result.error).toEqualTypeOf<ErrorResponse>();
    expect(result.error.code).toBe(102);
    const error = errorOf(result);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.body).toEqual(NOT_FOUND);
  });

  it("pay_invoice answered 503 with no body (a proxy, not the sidecar) is a truthy error, sent once", async () => {
    server.handle(({ res }) => {
      res.writeHead(503, { "content-length": "0" });
      res.end();
    });
    const before = server.requests.length;
    const result = await lexe().POST("/v2/node/pay_invoice", { body: { invoice: "lnbc1" }, maxRetries: 5 });
    expect(server.requests.length - before).toBe(1);
    expect(result).toMatchObject({ ok: false, status: 503, error: { empty: true } });
    if (!result.error) throw new Error("if (result.error) must see an empty-bodied failure");
    const error = errorOf(result);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 503, body: { empty: true }, code: undefined });
    expect(() => unwrap(result)).toThrow(error);
  });
});
