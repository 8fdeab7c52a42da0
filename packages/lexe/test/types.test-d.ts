// Type tests on Lexe's real operations: narrowing on ok and status, typed errors, checked options,
// the flow helper, and no `any` in any operation. Checked by tsc through vitest's typecheck mode.
import { describe, expectTypeOf, it } from "vitest";
import type { AnyLeaks, AnyPaths, Called, IsAny, NoLeaks } from "@satbind/test-support/type-tests";
import {
  AmbiguousOutcomeError,
  ApiError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  PaymentNotFoundError,
  PaymentWaitTimeoutError,
  createLexeClient,
  errorOf,
  unwrap,
  waitForPayment,
  type ApiResult,
  type CreateInvoiceResponse,
  type EmptyBody,
  type ErrorOf,
  type ErrorResponse,
  type FinalizedPayment,
  type LexeClient,
  type PayInvoiceResponse,
  type Payment,
  type ResultFor,
  type UnknownBody,
  type WebhookPayload,
  type paths,
} from "../src/index.js";

const lexe: LexeClient = createLexeClient();
const INDEX = "0000001744926519917-ln_9be5e4e3a0356cc4a7a1dce5a4af39e2896b7eb7b007ec6ca8c2f8434f21a63a";
type GetPayment = ResultFor<LexeClient, "get", "/v2/node/payment">;
declare const payment: GetPayment;
declare const created: ResultFor<LexeClient, "post", "/v2/node/create_invoice">;

describe("get_payment: 200, 400, 401, 404, 500 and 503 documented", () => {
  it("the client's call returns the narrowable result", () => {
    expectTypeOf(lexe.GET("/v2/node/payment", { params: { query: { index: INDEX } } })).resolves.toEqualTypeOf<GetPayment>();
  });

  it("ok types data as Payment", () => {
    if (payment.ok) expectTypeOf(payment.data).toEqualTypeOf<Payment>();
    if (payment.status === 200) expectTypeOf(payment.data.status).toEqualTypeOf<"pending" | "completed" | "failed">();
  });

  it("a documented 404 types error as ErrorResponse, with Lexe's code", () => {
    if (payment.status === 404) {
      expectTypeOf(payment.error).toEqualTypeOf<ErrorResponse>();
      expectTypeOf(payment.error.code).toEqualTypeOf<number>();
      expectTypeOf(payment.data).toEqualTypeOf<undefined>();
    }
  });

  it("503 is documented for every Lexe operation (at capacity); an undocumented 502 is not typed", () => {
    if (payment.status === 503) expectTypeOf(payment.error).toEqualTypeOf<ErrorResponse>();
    if (payment.status === 502) {
      expectTypeOf(payment.error).toEqualTypeOf<UnknownBody>();
      // @ts-expect-error a proxy's 502 body is not Lexe's ErrorResponse
      void payment.error.code;
    }
  });

  it("an empty-bodied error is still a truthy error", () => {
    if (payment.error) expectTypeOf(payment.ok).toEqualTypeOf<false>();
    // EmptyBody is what an empty error answer holds; it is an object, so always truthy.
    expectTypeOf<EmptyBody>().toExtend<object>();
    expectTypeOf<EmptyBody>().toExtend<UnknownBody>();
  });

  it("errorOf and unwrap carry the same types", () => {
    expectTypeOf(unwrap(payment)).toEqualTypeOf<Payment>();
    const error = errorOf(payment);
    if (error?.status === 404) expectTypeOf(error.body).toEqualTypeOf<ErrorResponse>();
    if (error instanceof NotFoundError) expectTypeOf(error.body).toEqualTypeOf<ErrorResponse>();
    if (error instanceof BadRequestError) expectTypeOf(error.body.msg).toEqualTypeOf<string>();
    if (error instanceof InternalServerError) expectTypeOf(error.status).toEqualTypeOf<500 | 503>();
    if (payment.status === 404) expectTypeOf(errorOf(payment)).toEqualTypeOf<NotFoundError & { readonly status: 404; readonly body: ErrorResponse }>();
  });

  it("throwOnError: true leaves only the payment", async () => {
    const { data } = await lexe.GET("/v2/node/payment", { params: { query: { index: INDEX } }, throwOnError: true });
    expectTypeOf(data).toEqualTypeOf<Payment>();
  });
});

describe("more operations", () => {
  it("create_invoice: a documented 400", () => {
    if (created.ok) expectTypeOf(created.data).toEqualTypeOf<CreateInvoiceResponse>();
    if (created.status === 400) expectTypeOf(created.error).toEqualTypeOf<ErrorResponse>();
    // @ts-expect-error 404 is not documented for create_invoice, so its body is not ErrorResponse
    if (created.status === 404) expectTypeOf(created.error).toEqualTypeOf<ErrorResponse>();
  });

  it("pay_invoice answers either shape", async () => {
    const paid = await lexe.POST("/v2/node/pay_invoice", { body: { invoice: "lnbc1..." } });
    if (paid.ok) expectTypeOf(paid.data).toEqualTypeOf<PayInvoiceResponse>();
  });
});

describe("per-call options", () => {
  it("accepts openapi-fetch's init and satbind's options", async () => {
    await lexe.POST("/v2/node/pay_invoice", { body: { invoice: "lnbc1..." }, timeoutMs: 30_000, maxRetries: 0, signal: AbortSignal.timeout(1_000), throwOnError: false, validateResponses: true, headers: { "x-trace": "1" } });
  });

  it("refuses a misspelt option on a payment", async () => {
    // @ts-expect-error timeoutMs, not timeoutMS: the typo would have left the payment on the default timeout
    await lexe.POST("/v2/node/pay_invoice", { body: { invoice: "lnbc1..." }, timeoutMS: 5 });
    // @ts-expect-error maxRetries, not maxRetry
    await lexe.GET("/v2/health", { maxRetry: 1 });
    // @ts-expect-error the issue's example
    await lexe.GET("/v2/health", { timeoutMS: 5, bogus: 1 });
    // @ts-expect-error a number, not a string
    await lexe.GET("/v2/health", { maxRetries: "2" });
    // @ts-expect-error index is required
    await lexe.GET("/v2/node/payment", { params: { query: {} } });
  });
});

describe("waitForPayment", () => {
  it("takes the client and a narrowed result's answer (or its index), and returns a final payment", async () => {
    const paid = await lexe.POST("/v2/node/pay_invoice", { body: { invoice: "lnbc1..." } });
    // @ts-expect-error before narrowing, data may be undefined (the call may have failed)
    void waitForPayment(lexe, paid.data);
    if (!paid.ok) return;
    expectTypeOf(waitForPayment(lexe, paid.data)).resolves.toEqualTypeOf<FinalizedPayment>();
    expectTypeOf(waitForPayment(lexe, paid.data.index)).resolves.toEqualTypeOf<FinalizedPayment>();
    expectTypeOf(waitForPayment).parameter(0).toEqualTypeOf<LexeClient>();
  });

  it("its errors are typed after instanceof, without any", () => {
    const caught: unknown = new Error("x");
    if (caught instanceof PaymentNotFoundError) {
      expectTypeOf(caught.body).toEqualTypeOf<ErrorResponse>();
      expectTypeOf(caught.status).toEqualTypeOf<404>();
    }
    if (caught instanceof PaymentWaitTimeoutError) {
      expectTypeOf(caught.lastSeen).toEqualTypeOf<Payment | undefined>();
      expectTypeOf(caught.lastError).toBeUnknown();
    }
    if (caught instanceof ApiError) expectTypeOf(caught.body).toBeUnknown();
    if (caught instanceof AmbiguousOutcomeError) expectTypeOf<IsAny<typeof caught.reconcile>>().toEqualTypeOf<false>();
  });
});

describe("no any", () => {
  it("no result, error body or status of any Lexe operation resolves to any", () => {
    type Calls = { [P in keyof paths]: { [M in keyof paths[P]]: Called<ApiResult<paths[P][M]>, ErrorOf<ApiResult<paths[P][M]>>> } };
    expectTypeOf<NoLeaks<AnyLeaks<Calls>>>().toEqualTypeOf<never>();
  });

  it("nor does any field of the webhook payload", () => {
    expectTypeOf<AnyPaths<WebhookPayload>>().toEqualTypeOf<never>();
  });
});
