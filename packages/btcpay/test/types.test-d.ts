// Type tests on BTCPay's real operations: the two ways to authenticate, results narrowed on status,
// amounts as decimal strings, webhook events narrowed on type, and no `any` in any of the 195
// operations. Checked by tsc through vitest's typecheck mode.
import { describe, expectTypeOf, it } from "vitest";
import type { AnyLeaks, AnyPaths, Called, IsAny, NoLeaks } from "@satbind/test-support/type-tests";
import {
  AmbiguousOutcomeError,
  BadRequestError,
  NotFoundError,
  createBtcpayClient,
  errorOf,
  parseWebhookEvent,
  unwrap,
  type ApiResult,
  type BtcpayClient,
  type BtcpayWebhookEvent,
  type BtcpayWebhookEventType,
  type EmptyBody,
  type ErrorOf,
  type InvoiceData,
  type UnknownBody,
  type ValidationProblemDetails,
  type PayoutState,
  type WebhookInvoiceReceivedPaymentEvent,
  type paths,
} from "../src/index.js";

const btcpay: BtcpayClient = createBtcpayClient({ serverUrl: "https://btcpay.example.com", apiKey: "key" });
const STORE = { params: { path: { storeId: "store" } } } as const;

describe("createBtcpayClient", () => {
  it("takes an API key or a user's login, not both, not neither", () => {
    createBtcpayClient({ serverUrl: "https://btcpay.example.com", apiKey: async () => "fresh-key" });
    createBtcpayClient({ serverUrl: "https://btcpay.example.com", basic: { username: "me@example.com", password: "pw" } });
    // @ts-expect-error an API key or basic is needed
    createBtcpayClient({ serverUrl: "https://btcpay.example.com" });
    // @ts-expect-error not both
    createBtcpayClient({ serverUrl: "https://btcpay.example.com", apiKey: "key", basic: { username: "me", password: "pw" } });
    // @ts-expect-error serverUrl, not baseUrl
    createBtcpayClient({ baseUrl: "https://btcpay.example.com", apiKey: "key" });
    // @ts-expect-error basic needs a username
    createBtcpayClient({ serverUrl: "https://btcpay.example.com", basic: { password: "pw" } });
  });
});

describe("invoices", () => {
  it("creating one returns InvoiceData, amounts as decimal strings", async () => {
    const created = await btcpay.POST("/api/v1/stores/{storeId}/invoices", { ...STORE, body: { amount: "5.00", currency: "USD" } });
    expectTypeOf(unwrap(created)).toEqualTypeOf<InvoiceData>();
    if (created.ok) {
      expectTypeOf(created.data.checkoutLink).toEqualTypeOf<string | undefined>();
      expectTypeOf(created.data.amount).toEqualTypeOf<string | undefined>();
    }
    // @ts-expect-error amounts are decimal strings, never numbers
    await btcpay.POST("/api/v1/stores/{storeId}/invoices", { ...STORE, body: { amount: 5 } });
    // @ts-expect-error the store id is required
    await btcpay.POST("/api/v1/stores/{storeId}/invoices", { body: { amount: "5" } });
    // @ts-expect-error not a path of this API
    await btcpay.GET("/api/v1/invoice");
  });

  it("a documented 400 types error as Greenfield's validation problem list; errorOf agrees", async () => {
    const created = await btcpay.POST("/api/v1/stores/{storeId}/invoices", { ...STORE, body: { amount: "5.00" } });
    if (created.status === 400) {
      expectTypeOf(created.error).toEqualTypeOf<ValidationProblemDetails>();
      expectTypeOf(created.data).toEqualTypeOf<undefined>();
    }
    const error = errorOf(created);
    if (error instanceof BadRequestError) expectTypeOf(error.body).toEqualTypeOf<ValidationProblemDetails>();
    // @ts-expect-error 404 is not documented for creating an invoice: no NotFoundError branch typed as one
    if (created.status === 404) expectTypeOf(created.error).toEqualTypeOf<ValidationProblemDetails>();
  });

  it("a documented 404 without a body is an empty error; an undocumented 503 is untyped, never any", async () => {
    const got = await btcpay.GET("/api/v1/invoices/{invoiceId}", { params: { path: { invoiceId: "i" } } });
    if (got.ok) expectTypeOf(got.data).toEqualTypeOf<InvoiceData>();
    if (got.status === 404) expectTypeOf(got.error).toEqualTypeOf<EmptyBody>();
    if (got.status === 503) {
      expectTypeOf(got.error).toEqualTypeOf<UnknownBody>();
      // @ts-expect-error a proxy's 503 body is not a Greenfield error
      void got.error.message;
    }
    // An empty-bodied error is still a truthy error.
    if (got.error) expectTypeOf(got.ok).toEqualTypeOf<false>();
    const error = errorOf(got);
    if (error instanceof NotFoundError) expectTypeOf(error.status).toEqualTypeOf<404>();
  });

  it("errors narrow on status, and a lost answer is typed", async () => {
    const got = await btcpay.GET("/api/v1/invoices/{invoiceId}", { params: { path: { invoiceId: "i" } } });
    const error = errorOf(got);
    if (error) expectTypeOf(error.status).toBeNumber();
    const caught: unknown = new Error("x");
    if (caught instanceof AmbiguousOutcomeError) expectTypeOf<IsAny<typeof caught.reconcile>>().toEqualTypeOf<false>();
  });
});

describe("webhooks", () => {
  it("events narrow on type", async () => {
    const event = await parseWebhookEvent("{}", "sha256=00", "secret");
    expectTypeOf(event.type).toEqualTypeOf<BtcpayWebhookEventType>();
    if (event.type === "InvoiceReceivedPayment") expectTypeOf(event.payment).toEqualTypeOf<WebhookInvoiceReceivedPaymentEvent["payment"]>();
    if (event.type === "PayoutApproved") expectTypeOf(event.payoutState).toEqualTypeOf<PayoutState | undefined>();
    // @ts-expect-error not one of the 23 event types
    if (event.type === "InvoicePaid") void event;
    // @ts-expect-error a payout event has no invoiceId
    if (event.type === "PayoutCreated") void event.invoiceId;
  });

  it("no field of any of the 23 events resolves to any", () => {
    expectTypeOf<AnyPaths<BtcpayWebhookEvent>>().toEqualTypeOf<never>();
  });

  it("the union has the 23 events of the spec", () => {
    type Count<U, A extends unknown[] = []> = [U] extends [never] ? A["length"] : Count<Exclude<U, Last<U>>, [...A, 0]>;
    type Last<U> = (U extends unknown ? (x: () => U) => void : never) extends (x: infer I) => void ? (I extends () => infer R ? R : never) : never;
    expectTypeOf<Count<BtcpayWebhookEvent["type"]>>().toEqualTypeOf<23>();
  });
});

describe("per-call options", () => {
  it("refuses misspelt options", async () => {
    // @ts-expect-error timeoutMs, not timeout
    await btcpay.GET("/api/v1/health", { timeout: 5 });
    await btcpay.GET("/api/v1/health", { timeoutMs: 5_000, maxRetries: 1 });
  });
});

describe("no any", () => {
  it("no result, error body or status of any of the 195 operations resolves to any", () => {
    type Calls = { [P in keyof paths]: { [M in keyof paths[P]]: Called<ApiResult<paths[P][M]>, ErrorOf<ApiResult<paths[P][M]>>> } };
    expectTypeOf<NoLeaks<AnyLeaks<Calls>>>().toEqualTypeOf<never>();
  });
});
