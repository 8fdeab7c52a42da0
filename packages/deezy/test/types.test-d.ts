// Type tests on Deezy's real operations: narrowing on ok and status, typed errors, checked options,
// the webai flow, and no `any` in any operation. Checked by tsc through vitest's typecheck mode.
import { describe, expectTypeOf, it } from "vitest";
import type { AnyLeaks, Called, NoLeaks } from "@satbind/test-support/type-tests";
import {
  AuthenticationError,
  PaymentRequiredError,
  WebaiPaymentError,
  createDeezyClient,
  errorOf,
  unwrap,
  webai,
  type ApiResult,
  type CreateSwapResponse,
  type DeezyClient,
  type ErrorOf,
  type ErrorResponse,
  type ResultFor,
  type SwapInfo,
  type UnknownBody,
  type WebaiAnswer,
  type paths,
} from "../src/index.js";

const deezy: DeezyClient = createDeezyClient({ network: "testnet", apiToken: "token" });
type CreateSwap = ResultFor<DeezyClient, "post", "/v1/swap">;
declare const swap: CreateSwap;
declare const webaiCall: ResultFor<DeezyClient, "post", "/v1/webai">;

describe("create_swap: 200, 400, 401 and 500 documented", () => {
  it("the client's call returns the narrowable result", () => {
    const body = { amount_sats: 500000, on_chain_address: "tb1q...", on_chain_sats_per_vbyte: 2 };
    expectTypeOf(deezy.POST("/v1/swap", { body })).resolves.toEqualTypeOf<CreateSwap>();
  });

  it("ok types data as the swap", () => {
    if (swap.ok) expectTypeOf(swap.data).toEqualTypeOf<CreateSwapResponse>();
    expectTypeOf(unwrap(swap)).toEqualTypeOf<CreateSwapResponse>();
  });

  it("documented 400 and 401 type error as Deezy's ErrorResponse", () => {
    if (swap.status === 400) expectTypeOf(swap.error).toEqualTypeOf<ErrorResponse>();
    if (swap.status === 401) expectTypeOf(swap.error.message).toEqualTypeOf<string | undefined>();
    const error = errorOf(swap);
    if (error instanceof AuthenticationError) expectTypeOf(error.body).toEqualTypeOf<ErrorResponse>();
  });

  it("an undocumented 503 (a proxy, say) is not typed", () => {
    if (swap.status === 503) {
      expectTypeOf(swap.error).toEqualTypeOf<UnknownBody>();
      expectTypeOf(errorOf(swap).body).toEqualTypeOf<UnknownBody>();
      // @ts-expect-error an undocumented body must be checked before use
      void swap.error.message;
    }
  });

  it("an empty-bodied error is a truthy error", () => {
    if (swap.error) {
      expectTypeOf(swap.ok).toEqualTypeOf<false>();
      expectTypeOf(swap.data).toEqualTypeOf<undefined>();
    }
  });
});

describe("webai", () => {
  it("the 402 is documented, with Deezy's body", () => {
    if (webaiCall.status === 402) expectTypeOf(webaiCall.error).toEqualTypeOf<ErrorResponse>();
    const error = errorOf(webaiCall);
    if (error instanceof PaymentRequiredError) expectTypeOf(error.status).toEqualTypeOf<402>();
  });

  it("returns the spec's answer type and raises a typed WebaiPaymentError", async () => {
    const answer = webai(deezy, { provider: "openai", api_path: "v1/chat/completions", data: {} }, { payInvoice: async () => {} });
    expectTypeOf(answer).resolves.toEqualTypeOf<WebaiAnswer>();
    expectTypeOf(webai).parameter(0).toEqualTypeOf<DeezyClient>();
    const caught: unknown = new Error("x");
    if (caught instanceof WebaiPaymentError) {
      expectTypeOf(caught.paid).toEqualTypeOf<boolean | "unknown">();
      expectTypeOf(caught.invoice).toEqualTypeOf<string | undefined>();
    }
  });
});

describe("per-call options", () => {
  it("accepts openapi-fetch's init and satbind's options", async () => {
    const info = await deezy.GET("/v1/swap/info", { timeoutMs: 5_000, maxRetries: 1, throwOnError: true });
    expectTypeOf(info.data).toEqualTypeOf<SwapInfo>();
  });

  it("refuses misspelt options", async () => {
    // @ts-expect-error maxRetries, not maxRetires
    await deezy.GET("/v1/swap/info", { maxRetires: 0 });
    // @ts-expect-error throwOnError, not throwOnErrors
    await deezy.GET("/v1/swap/info", { throwOnErrors: true });
    // @ts-expect-error the body is required
    await deezy.POST("/v1/swap");
  });
});

describe("no any", () => {
  it("no result, error body or status of any Deezy operation resolves to any", () => {
    type Calls = { [P in keyof paths]: { [M in keyof paths[P]]: Called<ApiResult<paths[P][M]>, ErrorOf<ApiResult<paths[P][M]>>> } };
    expectTypeOf<NoLeaks<AnyLeaks<Calls>>>().toEqualTypeOf<never>();
  });
});
