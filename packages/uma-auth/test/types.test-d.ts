// Type tests on UMA Auth's real operations: narrowing on ok and status, typed errors, checked
// options, and no `any` in any operation. Checked by tsc through vitest's typecheck mode.
import { describe, expectTypeOf, it } from "vitest";
import type { AnyLeaks, Called, IsAny, NoLeaks } from "@satbind/test-support/type-tests";
import {
  AmbiguousOutcomeError,
  NotFoundError,
  RateLimitError,
  createUmaAuthClient,
  errorOf,
  unwrap,
  type ApiResult,
  type ErrorCode,
  type ErrorOf,
  type ErrorResponse,
  type ResultFor,
  type Transaction,
  type UmaAuthClient,
  type UnknownBody,
  type paths,
} from "../src/index.js";

const uma: UmaAuthClient = createUmaAuthClient({ vaspHost: "vasp.example", token: "jwt" });
const PAYMENT_HASH = "6e0ed69b371aa63ed16c80db9e16632545d0476c89d99aef8ec52fa545955f23";
type LookupInvoice = ResultFor<UmaAuthClient, "get", "/invoices/{payment_hash}">;
declare const lookup: LookupInvoice;

describe("lookup_invoice: 200, 400, 401, 404, 429 and 500 documented", () => {
  it("the client's call returns the narrowable result", () => {
    expectTypeOf(uma.GET("/invoices/{payment_hash}", { params: { path: { payment_hash: PAYMENT_HASH } } })).resolves.toEqualTypeOf<LookupInvoice>();
  });

  it("ok types data as the transaction", () => {
    if (lookup.ok) expectTypeOf(lookup.data).toEqualTypeOf<Transaction>();
    expectTypeOf(unwrap(lookup)).toEqualTypeOf<Transaction>();
  });

  it("a documented 404 and 429 type error as UMA's ErrorResponse", () => {
    if (lookup.status === 404) {
      expectTypeOf(lookup.error).toEqualTypeOf<ErrorResponse>();
      expectTypeOf(lookup.error.code).toEqualTypeOf<ErrorCode>();
    }
    if (lookup.status === 429) expectTypeOf(lookup.error).toEqualTypeOf<ErrorResponse>();
    const error = errorOf(lookup);
    if (error instanceof NotFoundError) expectTypeOf(error.body.code).toEqualTypeOf<ErrorCode>();
    if (error instanceof RateLimitError) expectTypeOf(error.status).toEqualTypeOf<429>();
  });

  it("an undocumented 503 is not typed", () => {
    if (lookup.status === 503) {
      expectTypeOf(lookup.error).toEqualTypeOf<UnknownBody>();
      // @ts-expect-error an undocumented body must be checked before use
      void lookup.error.code;
    }
  });

  it("an empty-bodied error is a truthy error", () => {
    if (lookup.error) expectTypeOf(lookup.ok).toEqualTypeOf<false>();
  });
});

describe("payments", () => {
  it("a payment's failure statuses and its reconcile record", async () => {
    const paid = await uma.POST("/payments/bolt11", { body: { invoice: "lnbc1..." } });
    if (paid.ok) expectTypeOf(paid.data.preimage).toEqualTypeOf<string>();
    if (paid.status === 400) expectTypeOf(paid.error).toEqualTypeOf<ErrorResponse>();
    const caught: unknown = new Error("x");
    if (caught instanceof AmbiguousOutcomeError) expectTypeOf<IsAny<typeof caught.reconcile>>().toEqualTypeOf<false>();
  });
});

describe("per-call options", () => {
  it("refuses misspelt options", async () => {
    // @ts-expect-error timeoutMs, not timeout
    await uma.GET("/info", { timeout: 5 });
    // @ts-expect-error validateResponses, not validate
    await uma.GET("/info", { validate: true });
    // @ts-expect-error the path parameter is required
    await uma.GET("/invoices/{payment_hash}", { params: {} });
    await uma.GET("/info", { timeoutMs: 5_000, validateResponses: true });
  });
});

describe("no any", () => {
  it("no result, error body or status of any UMA Auth operation resolves to any", () => {
    type Calls = { [P in keyof paths]: { [M in keyof paths[P]]: Called<ApiResult<paths[P][M]>, ErrorOf<ApiResult<paths[P][M]>>> } };
    expectTypeOf<NoLeaks<AnyLeaks<Calls>>>().toEqualTypeOf<never>();
  });
});
