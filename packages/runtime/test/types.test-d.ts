// Type tests for results, errors and per-call options, on a small API that has what the real specs
// lack: status ranges (4XX, 5XX), `default`, an error without a body, several 2xx answers. Checked
// by tsc through vitest's typecheck mode; nothing here runs. Each provider package tests the same
// points on its real operations.
import { describe, expectTypeOf, it } from "vitest";
import type { AnyLeaks, AnyPaths, Called, IsAny, NoLeaks } from "@satbind/test-support/type-tests";
import {
  AbortError,
  AmbiguousOutcomeError,
  ApiError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  ResponseValidationError,
  TimeoutError,
  createApiClient,
  errorOf,
  isErrorOf,
  unwrap,
  type ApiResult,
  type EmptyBody,
  type ErrorOf,
  type ResultFor,
  type SuccessStatus,
  type UnknownBody,
} from "../src/index.js";
import { createResponseValidator } from "../src/validate.js";

type Item = { id: string; name: string };
type Problem = { code: string; message: string };
type Oops = { oops: true };
type Fallback = { fallback: true };

interface paths {
  "/items/{id}": {
    get: {
      parameters: { path: { id: string }; query?: { expand?: boolean } };
      responses: {
        200: { content: { "application/json": Item } };
        404: { content: { "application/json": Problem } };
        "4XX": { content: { "application/json": Oops } };
      };
    };
    delete: {
      parameters: { path: { id: string } };
      responses: { 204: { content?: never }; 409: { content?: never }; default: { content: { "application/json": Fallback } } };
    };
  };
  "/items": {
    post: {
      requestBody: { content: { "application/json": { name: string } } };
      responses: {
        200: { content: { "application/json": Item } };
        202: { content: { "application/json": { queued: true } } };
        400: { content: { "application/json": Problem } };
        "5XX": { content: { "text/plain": string } };
      };
    };
  };
  "/health": { get: { responses: { 200: { content: { "application/json": { ok: boolean } } } } } };
}

const operations = {
  getItem: { method: "GET", path: "/items/{id}", retrySafe: true, movesFunds: false, auth: "none" },
  deleteItem: { method: "DELETE", path: "/items/{id}", retrySafe: false, movesFunds: false, auth: "none" },
  createItem: { method: "POST", path: "/items", retrySafe: false, movesFunds: false, auth: "none" },
  health: { method: "GET", path: "/health", retrySafe: true, movesFunds: false, auth: "none" },
} as const;

const api = createApiClient<paths>({ provider: "test", baseUrl: "http://127.0.0.1:9", operations, defaultTimeoutMs: 1_000 });
type GetItem = ResultFor<typeof api, "get", "/items/{id}">;
type DeleteItem = ResultFor<typeof api, "delete", "/items/{id}">;
type CreateItem = ResultFor<typeof api, "post", "/items">;
type Health = ResultFor<typeof api, "get", "/health">;
declare const getItem: GetItem;
declare const deleteItem: DeleteItem;
declare const createItem: CreateItem;

describe("ok and status", () => {
  it("a call returns the operation's result type", async () => {
    expectTypeOf(await api.GET("/items/{id}", { params: { path: { id: "1" } } })).toEqualTypeOf<GetItem>();
    expectTypeOf(api.POST("/items", { body: { name: "x" } })).resolves.toEqualTypeOf<CreateItem>();
  });

  it("ok: true types data as the 2xx body and error as never", () => {
    if (getItem.ok) {
      expectTypeOf(getItem.data).toEqualTypeOf<Item>();
      expectTypeOf(getItem.error).toEqualTypeOf<undefined>();
    } else {
      expectTypeOf(getItem.data).toEqualTypeOf<undefined>();
    }
  });

  it("each documented 2xx status has its own body; others share them", () => {
    if (createItem.status === 200) expectTypeOf(createItem.data).toEqualTypeOf<Item>();
    if (createItem.status === 202) expectTypeOf(createItem.data).toEqualTypeOf<{ queued: true }>();
    if (createItem.ok) expectTypeOf(createItem.data).toEqualTypeOf<Item | { queued: true }>();
    if (createItem.status === 201) expectTypeOf(createItem.data).toEqualTypeOf<Item | { queued: true }>();
  });

  it("status is a literal union: documented statuses, the rest of each range, and the undocumented ones", () => {
    expectTypeOf<Extract<GetItem, { ok: true }>["status"]>().toEqualTypeOf<SuccessStatus>();
    expectTypeOf<GetItem["status"]>().toExtend<number>();
    expectTypeOf<200>().toExtend<GetItem["status"]>();
    expectTypeOf<404>().toExtend<GetItem["status"]>();
    expectTypeOf<418>().toExtend<GetItem["status"]>();
    expectTypeOf<503>().toExtend<GetItem["status"]>();
    expectTypeOf<number>().not.toExtend<GetItem["status"]>();
    // @ts-expect-error a status is a whole number from 200 to 599
    expectTypeOf<600>().toExtend<GetItem["status"]>();
  });

  it("narrowing on a documented status types error as exactly that status's body", () => {
    if (getItem.status === 404) {
      expectTypeOf(getItem.error).toEqualTypeOf<Problem>();
      expectTypeOf(getItem.ok).toEqualTypeOf<false>();
    }
    switch (getItem.status) {
      case 200:
        expectTypeOf(getItem.data).toEqualTypeOf<Item>();
        break;
      case 404:
        expectTypeOf(getItem.error.code).toEqualTypeOf<string>();
        break;
      case 410:
        // a 4XX range covers the 4xx statuses not listed on their own
        expectTypeOf(getItem.error).toEqualTypeOf<Oops>();
        break;
      case 503:
        // not documented: unknown (less undefined), never any
        expectTypeOf(getItem.error).toEqualTypeOf<UnknownBody>();
        expectTypeOf<UnknownBody>().toEqualTypeOf<{} | null>();
        // @ts-expect-error an undocumented body must be checked before use
        void getItem.error.code;
        break;
    }
  });

  it("5XX ranges and content types other than JSON", () => {
    if (createItem.status === 502) expectTypeOf(createItem.error).toEqualTypeOf<string>();
    if (createItem.status === 404) expectTypeOf(createItem.error).toEqualTypeOf<UnknownBody>();
  });

  it("default covers every error status not listed, so nothing is unknown", () => {
    if (!deleteItem.ok) expectTypeOf(deleteItem.error).toEqualTypeOf<EmptyBody | Fallback>();
    if (deleteItem.status === 503) expectTypeOf(deleteItem.error).toEqualTypeOf<Fallback>();
    if (deleteItem.status === 204) expectTypeOf(deleteItem.data).toEqualTypeOf<undefined>();
  });

  it("an error documented without a body is EmptyBody, which is truthy", () => {
    if (deleteItem.status === 409) {
      expectTypeOf(deleteItem.error).toEqualTypeOf<EmptyBody>();
      expectTypeOf(deleteItem.error.empty).toEqualTypeOf<true>();
    }
    if (deleteItem.error) expectTypeOf(deleteItem.ok).toEqualTypeOf<false>();
  });

  it("if (r.error), if (r.data) and if (!r.ok) keep narrowing", () => {
    if (getItem.error) {
      expectTypeOf(getItem.ok).toEqualTypeOf<false>();
      expectTypeOf(getItem.data).toEqualTypeOf<undefined>();
    }
    if (getItem.data) expectTypeOf(getItem.data).toEqualTypeOf<Item>();
    if (!getItem.ok) return;
    expectTypeOf(getItem.data).toEqualTypeOf<Item>();
  });

  it("destructured results narrow too", () => {
    const { ok, data } = getItem;
    if (ok) expectTypeOf(data).toEqualTypeOf<Item>();
  });
});

describe("unwrap and errorOf", () => {
  it("unwrap returns the 2xx body", () => {
    expectTypeOf(unwrap(getItem)).toEqualTypeOf<Item>();
    expectTypeOf(unwrap(createItem)).toEqualTypeOf<Item | { queued: true }>();
    expectTypeOf(unwrap(deleteItem)).toEqualTypeOf<undefined>();
  });

  it("errorOf is typed per status, and undefined only while the result may be ok", () => {
    const error = errorOf(getItem);
    expectTypeOf(error).toExtend<ApiError | undefined>();
    if (error?.status === 404) {
      expectTypeOf(error.body).toEqualTypeOf<Problem>();
      expectTypeOf(error).toExtend<NotFoundError>();
    }
    if (error?.status === 418) expectTypeOf(error.body).toEqualTypeOf<Oops>();
    if (error?.status === 503) expectTypeOf(error.body).toEqualTypeOf<UnknownBody>();
    if (!getItem.ok) expectTypeOf(errorOf(getItem)).not.toBeNullable();
    if (getItem.status === 404) expectTypeOf(errorOf(getItem)).toEqualTypeOf<NotFoundError & { readonly status: 404; readonly body: Problem }>();
    if (getItem.ok) expectTypeOf(errorOf(getItem)).toEqualTypeOf<undefined>();
  });

  it("instanceof on a typed error keeps the body type", () => {
    const error = errorOf(getItem);
    if (error instanceof NotFoundError) {
      expectTypeOf(error.body).toEqualTypeOf<Problem>();
      expectTypeOf(error.status).toEqualTypeOf<404>();
    }
    const created = errorOf(createItem);
    if (created instanceof InternalServerError) expectTypeOf(created.body).toEqualTypeOf<string>();
    const deleted = errorOf(deleteItem);
    if (deleted instanceof ConflictError) expectTypeOf(deleted.body).toEqualTypeOf<EmptyBody>();
  });

  it("instanceof on an unknown error gives unknown bodies, never any", () => {
    const caught: unknown = new Error("x");
    if (caught instanceof NotFoundError) {
      expectTypeOf(caught.body).toBeUnknown();
      expectTypeOf(caught.status).toEqualTypeOf<404>();
    }
    if (caught instanceof ApiError) {
      expectTypeOf(caught.body).toBeUnknown();
      expectTypeOf(caught.status).toEqualTypeOf<number>();
    }
    if (caught instanceof ResponseValidationError) expectTypeOf(caught.body).toBeUnknown();
    if (caught instanceof AmbiguousOutcomeError) expectTypeOf(caught.reconcile).toEqualTypeOf<Record<string, unknown>>();
    if (caught instanceof TimeoutError) expectTypeOf<IsAny<TimeoutError["reconcile"]>>().toEqualTypeOf<false>();
    if (caught instanceof AbortError) expectTypeOf(caught.reconcile).toEqualTypeOf<Record<string, unknown>>();
  });
});

describe("isErrorOf", () => {
  it("types a caught error as errorOf types the call's failures", () => {
    const caught: unknown = new Error("x");
    if (isErrorOf(caught, api, "GET", "/items/{id}")) {
      expectTypeOf(caught).toEqualTypeOf<NonNullable<ErrorOf<Extract<GetItem, { ok: false }>>>>();
      if (caught.status === 404) expectTypeOf(caught.body).toEqualTypeOf<Problem>();
      if (caught instanceof NotFoundError) expectTypeOf(caught.body).toEqualTypeOf<Problem>();
      if (caught.status === 503) expectTypeOf(caught.body).toEqualTypeOf<UnknownBody>();
    }
    // @ts-expect-error no POST on this path
    isErrorOf(caught, api, "POST", "/items/{id}");
    // @ts-expect-error methods are written as in the call: GET, not get
    isErrorOf(caught, api, "get", "/items/{id}");
  });
});

describe("per-call options", () => {
  it("takes openapi-fetch's init and satbind's options", async () => {
    const controller = new AbortController();
    await api.GET("/items/{id}", {
      params: { path: { id: "1" }, query: { expand: true } },
      headers: { "x-trace": "1" },
      signal: controller.signal,
      timeoutMs: 500,
      maxRetries: 0,
      throwOnError: false,
      validateResponses: true,
      cache: "no-store",
      middleware: [],
    });
    await api.GET("/health");
  });

  it("refuses misspelt options and wrong types", async () => {
    // @ts-expect-error timeoutMs, not timeoutMS
    await api.GET("/health", { timeoutMS: 5 });
    // @ts-expect-error maxRetries, not retries
    await api.GET("/health", { retries: 1 });
    // @ts-expect-error not an option at all
    await api.GET("/items/{id}", { params: { path: { id: "1" } }, bogus: 1 });
    // @ts-expect-error a number of milliseconds
    await api.GET("/health", { timeoutMs: "5s" });
    // @ts-expect-error throwOnError is a boolean
    await api.GET("/health", { throwOnError: "yes" });
    // @ts-expect-error params are required for this path
    await api.GET("/items/{id}");
    // @ts-expect-error the body is required
    await api.POST("/items", {});
    // @ts-expect-error no such path for this method
    await api.POST("/health");
  });

  it("parseAs changes the type of data", async () => {
    const text = await api.GET("/health", { parseAs: "text" });
    if (text.ok) expectTypeOf(text.data).toEqualTypeOf<string>();
    const stream = await api.GET("/health", { parseAs: "stream" });
    if (stream.ok) expectTypeOf(stream.data).toEqualTypeOf<ReadableStream<Uint8Array> | null>();
  });

  it("throwOnError: true leaves only ok answers", async () => {
    const result = await api.GET("/items/{id}", { params: { path: { id: "1" } }, throwOnError: true });
    expectTypeOf(result.ok).toEqualTypeOf<true>();
    expectTypeOf(result.data).toEqualTypeOf<Item>();
  });

  it("request() takes a method name", async () => {
    expectTypeOf(await api.request("get", "/health")).toEqualTypeOf<Health>();
  });
});

describe("no any", () => {
  it("finds any where it hides, so the checks below can fail", () => {
    expectTypeOf<AnyPaths<{ a: { b: any[] } }>>().toEqualTypeOf<".a.b[]">();
    type Leaky = { "/x": { get: Called<{ ok: true; status: 200; data: { n: any } }, { body: string }> } };
    expectTypeOf<AnyLeaks<Leaky>>().toEqualTypeOf<"get /x: data.n">();
  });

  it("no result, error body or status resolves to any", () => {
    type Calls = { [P in keyof paths]: { [M in keyof paths[P]]: Called<ApiResult<paths[P][M]>, ErrorOf<ApiResult<paths[P][M]>>> } };
    expectTypeOf<NoLeaks<AnyLeaks<Calls>>>().toEqualTypeOf<never>();
  });
});

describe("validateResponses", () => {
  it("a client takes a validator, not true; a call may still switch it with a boolean", async () => {
    const responseValidator = createResponseValidator(operations, { openapi: "3.1", operations: {}, components: {} });
    createApiClient<paths>({ provider: "test", baseUrl: "http://127.0.0.1:9", operations, defaultTimeoutMs: 1_000 }, { validateResponses: responseValidator });
    // @ts-expect-error validateResponses takes the provider's responseValidator (from @satbind/<provider>/validate), not a boolean
    createApiClient<paths>({ provider: "test", baseUrl: "http://127.0.0.1:9", operations, defaultTimeoutMs: 1_000 }, { validateResponses: true });
    await api.GET("/health", { validateResponses: false });
  });
});
