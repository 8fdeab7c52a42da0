// Narrowable results on UTEXO's real operations, against a real loopback HTTP server: the status a
// server answers is the one to narrow on, and an error answer without a body is still a truthy
// `error` with its ApiError.
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { json, startTestServer, type TestServer } from "@satbind/test-support/test-server";
import { InternalServerError, NotFoundError, createUtexoClient, errorOf, unwrap, type UnknownBody, type V2 } from "../src/index.js";

const keys = { xpubVan: "tpubVan", xpubCol: "tpubCol", masterFingerprint: "1f5bd7df" };
const UNKNOWN_WALLET = { error: "Wallet not found" };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
const v2 = () => createUtexoClient({ version: "v2", baseUrl: server.url, keys, maxRetries: 0 });

describe("results on UTEXO's operations", () => {
  it("getBalance's documented 404 narrows to UTEXO's three error shapes", async () => {
    server.handle(({ res }) => json(res, 404, UNKNOWN_WALLET));
    const result = await v2().GET("/lightning/balance");
    expect(result).toMatchObject({ ok: false, status: 404, error: UNKNOWN_WALLET });
    if (result.status !== 404) throw new Error(`expected the 404 branch, got ${result.status}`);
    expectTypeOf(result.error).toEqualTypeOf<V2.RgbLibError | V2.WalletNotFoundError | V2.DetailError>();
    const error = errorOf(result);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.providerMessage).toBe("Wallet not found");
  });

  it("an undocumented 503 with no body is a truthy error whose body is not typed", async () => {
    server.handle(({ res }) => {
      res.writeHead(503, { "content-length": "0" });
      res.end();
    });
    const result = await v2().GET("/lightning/balance");
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
