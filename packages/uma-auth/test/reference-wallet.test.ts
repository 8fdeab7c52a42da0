// UMA's reference wallet (uma-test-wallet) answers errors in the UMA SDK's shape, not the spec's:
// test/fixtures/reference-wallet.ts, served by a real local HTTP server at the wallet's own base
// path, through the client. The spec is not bent to it (the fixtures do not match it, checked
// below); the client reads both shapes, so `code` and the message are never lost.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { schemaValidator } from "@satbind/codegen/examples";
import { json, startTestServer, type TestServer } from "@satbind/test-support/test-server";
import {
  BadRequestError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  createUmaAuthClient,
  errorOf,
  type UmaAuthClient,
} from "../src/index.js";
import { forbidden, invalidCurrency, invoiceNotFound, keysendNotImplemented } from "./fixtures/reference-wallet.js";
import { specFile } from "./global-setup.js";

const PAYMENT_HASH = "6e0ed69b371aa63ed16c80db9e16632545d0476c89d99aef8ec52fa545955f23";
const TOKEN = "eyJhbGciOiJFUzI1NiJ9.reference-wallet-test.sig";

let server: TestServer;
let uma: UmaAuthClient;
beforeEach(async () => {
  server = await startTestServer();
  uma = createUmaAuthClient({ baseUrl: `${server.url}/api/umanwc`, token: TOKEN, maxRetries: 3, retry: { initialDelayMs: 1, maxDelayMs: 5 } });
});
afterEach(() => server.close());

const answer = (fixture: { status: number; body: unknown }) => server.handle(({ res }) => json(res, fixture.status, fixture.body));

describe("the reference wallet's errors, through the client", () => {
  it("a bad token is 403 FORBIDDEN: PermissionDeniedError with the wallet's code and reason", async () => {
    answer(forbidden);
    const error = errorOf(await uma.GET("/info"))!;
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({ status: 403, code: "FORBIDDEN", providerMessage: "Unauthorized", operationId: "get_info", body: forbidden.body });
    expect(error.message).toBe("get_info failed with HTTP 403 FORBIDDEN: Unauthorized");
    expect(server.requests[0]!.url).toBe("/api/umanwc/info");
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
  });

  it("an unknown invoice is 404 REQUEST_NOT_FOUND, a bad currency 400 INVALID_CURRENCY", async () => {
    answer(invoiceNotFound);
    const missing = errorOf(await uma.GET("/invoices/{payment_hash}", { params: { path: { payment_hash: PAYMENT_HASH } } }))!;
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ code: "REQUEST_NOT_FOUND", providerMessage: "Invoice not found." });
    answer(invalidCurrency);
    const currency = errorOf(await uma.GET("/balance", { params: { query: { currency_code: "XYZ" } } }))!;
    expect(currency).toBeInstanceOf(BadRequestError);
    expect(currency).toMatchObject({ code: "INVALID_CURRENCY", providerMessage: "Invalid currency code" });
  });

  it("keysend is 501 with only {error}: the message is read, no code invented, and the payment is not retried", async () => {
    answer(keysendNotImplemented);
    const result = await uma.POST("/payments/keysend", { body: { amount: 1000, pubkey: "02".padEnd(66, "a") } });
    const error = errorOf(result)!;
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 501, code: undefined, providerMessage: "Keysend Not implemented." });
    expect(server.requests).toHaveLength(1);
  });

  it("the spec's own {code, message} is read as before", async () => {
    answer({ status: 404, body: { code: "NOT_FOUND", message: "No invoice with this payment hash" } });
    const error = errorOf(await uma.GET("/invoices/{payment_hash}", { params: { path: { payment_hash: PAYMENT_HASH } } }))!;
    expect(error).toMatchObject({ code: "NOT_FOUND", providerMessage: "No invoice with this payment hash" });
  });
});

describe("the spec is not bent to the wallet", () => {
  const validate = schemaValidator(specFile);
  it("none of the wallet's error bodies is a valid ErrorResponse", () => {
    for (const fixture of [forbidden, invoiceNotFound, invalidCurrency, keysendNotImplemented]) {
      expect(validate("#/components/schemas/ErrorResponse", fixture.body), JSON.stringify(fixture.body)).toBeDefined();
    }
  });
});
