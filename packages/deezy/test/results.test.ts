// Narrowable results on Deezy's real operations, against a real loopback HTTP server: the status a
// server answers is the one to narrow on, and an error answer without a body is still a truthy
// `error` with its ApiError.
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { json, startTestServer, type TestServer } from "@satbind/test-support/test-server";
import { BadRequestError, InternalServerError, createDeezyClient, errorOf, unwrap, type ErrorResponse, type UnknownBody } from "../src/index.js";

const SWAP = { amount_sats: 500000, on_chain_address: "tb1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh", on_chain_sats_per_vbyte: 2 };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
const deezy = () => createDeezyClient({ baseUrl: server.url, apiToken: "token", maxRetries: 0 });

describe("results on Deezy's operations", () => {
  it("create_swap's documented 400 narrows to Deezy's ErrorResponse", async () => {
    server.handle(({ res }) => json(res, 400, { message: "amount too small" }));
    const result = await deezy().POST("/v1/swap", { body: SWAP });
    expect(result).toMatchObject({ ok: false, status: 400, error: { message: "amount too small" } });
    if (result.status !== 400) throw new Error(`expected the 400 branch, got ${result.status}`);
    expectTypeOf(result.error).toEqualTypeOf<ErrorResponse>();
    expect(errorOf(result)).toBeInstanceOf(BadRequestError);
    expect(errorOf(result).providerMessage).toBe("amount too small");
  });

  it("an undocumented 503 with no body is a truthy error whose body is not typed", async () => {
    server.handle(({ res }) => {
      res.writeHead(503, { "content-length": "0" });
      res.end();
    });
    const result = await deezy().GET("/v1/swap/info");
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
