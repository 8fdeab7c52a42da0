// Type tests on UTEXO's real operations (v1 and v2): narrowing on ok and status, typed errors,
// checked options, the begin -> sign -> end flows and waiters, and no `any` in any operation.
// Checked by tsc through vitest's typecheck mode.
import { describe, expectTypeOf, it } from "vitest";
import type { AnyLeaks, Called, IsAny, NoLeaks } from "@satbind/test-support/type-tests";
import {
  ConflictError,
  NotFoundError,
  PsbtFlowOutcomeUnknownError,
  createUtexoClient,
  errorOf,
  payInvoice,
  unwrap,
  waitForSendRequest,
  type ApiResult,
  type ErrorOf,
  type FinalSendRequest,
  type OnchainSendResult,
  type ResultFor,
  type UnknownBody,
  type UtexoV1Client,
  type UtexoV2Client,
  type V1,
  type V2,
} from "../src/index.js";
import { withdraw } from "../src/v1.js";
import { onchainSend } from "../src/v2.js";

const keys = { xpubVan: "tpub...", xpubCol: "tpub...", masterFingerprint: "1f5bd7df" };
const v1 = createUtexoClient({ version: "v1", network: "testnet", keys });
const v2 = createUtexoClient({ version: "v2", network: "local", keys });
type Balance = ResultFor<UtexoV2Client, "get", "/lightning/balance">;
declare const balance: Balance;
declare const withdrawal: ResultFor<UtexoV1Client, "get", "/wallet/withdraw/{withdrawal_id}">;
declare const sign: (psbt: string) => Promise<string>;
type NotFoundBody = V2.RgbLibError | V2.WalletNotFoundError | V2.DetailError;

describe("v2 getBalance: 200, 400, 404, 409, 422, 428 and 500 documented", () => {
  it("the client's call returns the narrowable result", () => {
    expectTypeOf(v2).toEqualTypeOf<UtexoV2Client>();
    expectTypeOf(v2.GET("/lightning/balance")).resolves.toEqualTypeOf<Balance>();
  });

  it("ok types data as the balance", () => {
    if (balance.ok) expectTypeOf(balance.data).toEqualTypeOf<V2.WalletBalanceResponse>();
    expectTypeOf(unwrap(balance)).toEqualTypeOf<V2.WalletBalanceResponse>();
  });

  it("a documented 404 is one of UTEXO's three error shapes; 428 is the RGB library's", () => {
    if (balance.status === 404) expectTypeOf(balance.error).toEqualTypeOf<NotFoundBody>();
    if (balance.status === 428) expectTypeOf(balance.error).toEqualTypeOf<V2.RgbLibError>();
    const error = errorOf(balance);
    if (error instanceof NotFoundError) expectTypeOf(error.body).toEqualTypeOf<NotFoundBody>();
    if (error instanceof ConflictError) expectTypeOf(error.status).toEqualTypeOf<409>();
  });

  it("an undocumented 503 is not typed", () => {
    if (balance.status === 503) {
      expectTypeOf(balance.error).toEqualTypeOf<UnknownBody>();
      // @ts-expect-error an undocumented body must be checked before use
      void balance.error.detail;
    }
  });

  it("an empty-bodied error is a truthy error", () => {
    if (balance.error) expectTypeOf(balance.ok).toEqualTypeOf<false>();
  });
});

describe("v1", () => {
  it("has its own operations and types", () => {
    if (withdrawal.ok) expectTypeOf(withdrawal.data).toEqualTypeOf<V1.GetWithdrawalResponse>();
    if (withdrawal.status === 422) expectTypeOf(withdrawal.error).toEqualTypeOf<V1.RgbLibError | V1.ValidationError>();
    // @ts-expect-error v1 has no /lightning/balance
    void v1.GET("/lightning/balance");
  });
});

describe("flows and waiters", () => {
  it("take the client of their version and return the spec's types", () => {
    expectTypeOf(payInvoice(v2, { invoice: "lnbc1...", maxFeeSats: 100 }, sign)).resolves.toEqualTypeOf<V2.LightningSendRequest>();
    expectTypeOf(withdraw(v1, { address_or_rgbinvoice: "tb1q...", amount_sats: 1000, fee_rate: 2 }, sign)).resolves.toEqualTypeOf<V1.WithdrawFromUtexoResponse>();
    expectTypeOf(onchainSend(v2, { address_or_rgbinvoice: "tb1q...", amount_sats: 1000, fee_rate: 2 }, sign)).resolves.toEqualTypeOf<OnchainSendResult>();
    expectTypeOf(waitForSendRequest(v2, "id")).resolves.toEqualTypeOf<FinalSendRequest>();
    // @ts-expect-error withdraw is a v1 flow
    void withdraw(v2, { address_or_rgbinvoice: "tb1q...", amount_sats: 1000, fee_rate: 2 }, sign);
    // @ts-expect-error onchainSend is a v2 flow
    void onchainSend(v1, { address_or_rgbinvoice: "tb1q...", amount_sats: 1000, fee_rate: 2 }, sign);
  });

  it("an unknown outcome's reconcile record is not any", () => {
    const caught: unknown = new Error("x");
    if (caught instanceof PsbtFlowOutcomeUnknownError) {
      expectTypeOf<IsAny<typeof caught.reconcile>>().toEqualTypeOf<false>();
      expectTypeOf(caught.reconcile).toEqualTypeOf<Record<string, unknown>>();
      expectTypeOf(caught.step).toEqualTypeOf<"end">();
    }
  });
});

describe("per-call options", () => {
  it("refuses misspelt options", async () => {
    // @ts-expect-error timeoutMs, not timeout_ms
    await v2.GET("/lightning/balance", { timeout_ms: 5 });
    // @ts-expect-error maxRetries takes a number
    await v2.GET("/lightning/balance", { maxRetries: true });
    // @ts-expect-error the path parameter is required
    await v2.GET("/lightning/send-request/{request_id}");
    const sent = await v2.GET("/lightning/send-request/{request_id}", { params: { path: { request_id: "id" } }, throwOnError: true, timeoutMs: 1_000 });
    expectTypeOf(sent.data).toEqualTypeOf<V2.LightningSendRequest | V2.NullValue>();
  });
});

describe("no any", () => {
  it("no result, error body or status of any v1 or v2 operation resolves to any", () => {
    type Calls<Paths> = { [P in keyof Paths]: { [M in keyof Paths[P]]: Called<ApiResult<Paths[P][M]>, ErrorOf<ApiResult<Paths[P][M]>>> } };
    expectTypeOf<NoLeaks<AnyLeaks<Calls<V1.paths>>>>().toEqualTypeOf<never>();
    expectTypeOf<NoLeaks<AnyLeaks<Calls<V2.paths>>>>().toEqualTypeOf<never>();
  });
});
