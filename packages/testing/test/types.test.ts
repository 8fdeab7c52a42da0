// What the compiler knows about a typed mock (`tsc --noEmit` checks this file; the @ts-expect-error
// lines must each be an error). A typed spec gives operationIds, documented statuses and each
// status's body; a path gives an untyped mock. Nothing here resolves to `any`.
import { describe, expectTypeOf, it } from "vitest";
import { createMock, createSimulator, type BodyOf, type Simulator, type Mock, type MockCall, type MockRequest, type OperationId, type StatusOf } from "../src/index.js";
import { ITEM, shopFile, shopSpec, type ErrorBody, type Item, type operations } from "./fixtures/shop.js";

type IsAny<T> = 0 extends 1 & T ? true : false;

describe("types", () => {
  it("a typed spec types the mock from its operations", () => {
    expectTypeOf(createMock(shopSpec("3.1"))).resolves.toEqualTypeOf<Mock<operations>>();
    expectTypeOf<OperationId<operations>>().toEqualTypeOf<"listItems" | "createItem" | "getItem" | "deleteItem" | "health">();
    expectTypeOf<StatusOf<operations, "getItem">>().toEqualTypeOf<200 | 401 | 404>();
    expectTypeOf<BodyOf<operations, "getItem", 200>>().toEqualTypeOf<Item>();
    expectTypeOf<BodyOf<operations, "getItem", 404>>().toEqualTypeOf<ErrorBody>();
    expectTypeOf<BodyOf<operations, "deleteItem", 204>>().toEqualTypeOf<undefined>();
    expectTypeOf<MockRequest<operations, "createItem">["body"]>().toEqualTypeOf<{ price_sats: number; note?: string }>();
    expectTypeOf<MockRequest<operations, "getItem">["body"]>().toEqualTypeOf<undefined>();
    expectTypeOf<MockCall<operations>["operationId"]>().toEqualTypeOf<OperationId<operations> | undefined>();
    expectTypeOf<IsAny<BodyOf<operations, "listItems", 200>>>().toEqualTypeOf<false>();
  });

  it("a path gives an untyped mock: any operationId, any status, unknown bodies", () => {
    expectTypeOf(createMock(shopFile["3.1"])).resolves.toEqualTypeOf<Mock>();
    expectTypeOf<Parameters<Mock["on"]>[0]>().toEqualTypeOf<string>();
    expectTypeOf<IsAny<MockRequest["body"]>>().toEqualTypeOf<false>();
  });
});

// Never called: the compiler checks these calls, each @ts-expect-error must be an error.
export async function typedCalls(mock: Mock<operations>): Promise<void> {
  mock.on("getItem").reply(200, ITEM);
  mock.on("getItem").reply(404, { code: "not_found", message: "gone" }, { headers: { "x-request-id": "1" } });
  mock.on("deleteItem").reply(204);
  mock.on("getItem").replyOnce(200, { ...ITEM, note: null });
  mock.on("createItem").reply((request) => {
    expectTypeOf(request.body.price_sats).toEqualTypeOf<number>();
    expectTypeOf(request.pathParams).toEqualTypeOf<Record<string, string>>();
    return request.body.price_sats > 0 ? { status: 201, body: { ...ITEM, price_sats: request.body.price_sats } } : { status: 400, body: { code: "bad", message: "no" } };
  });
  mock.on("getItem").fault({ kind: "status", status: 503, retryAfter: "1" });
  mock.on("getItem").fault((request) => (request.headers["x-fail"] ? { kind: "reset-after-body" } : undefined));
  mock.calls("getItem");
  await mock.nextCall("createItem");

  // @ts-expect-error not an operation of this spec
  mock.on("getitem");
  // @ts-expect-error getItem does not document 201
  mock.on("getItem").reply(201, ITEM);
  // @ts-expect-error the 200 body is an Item
  mock.on("getItem").reply(200, { code: "x", message: "y" });
  // @ts-expect-error status is a closed set
  mock.on("getItem").reply(200, { ...ITEM, status: "lost" });
  // @ts-expect-error the 200 body is required
  mock.on("getItem").reply(200);
  // @ts-expect-error 204 has no body
  mock.on("deleteItem").reply(204, { deleted: true });
  // @ts-expect-error the error body of 404 has a message
  mock.on("getItem").replyOnce(404, { code: "x" });
  // @ts-expect-error a reply function's status must be documented
  mock.on("getItem").reply(() => ({ status: 418, body: ITEM }));
  // @ts-expect-error a reply function's body must match its status
  mock.on("getItem").reply(() => ({ status: 404, body: ITEM }));
  // @ts-expect-error unknown fault kind
  mock.on("getItem").fault({ kind: "timeout" });
  // @ts-expect-error a delay needs ms
  mock.on("getItem").faultOnce({ kind: "delay" });
  // @ts-expect-error a misspelt reply option
  mock.on("getItem").reply(200, ITEM, { header: {} });
  // @ts-expect-error calls() takes an operationId of this spec
  mock.calls("nope");
}

describe("simulator types", () => {
  it("a simulator has the mock's types plus its own; commit faults are the simulator's only", () => {
    expectTypeOf<Awaited<ReturnType<typeof createSimulator<ReturnType<typeof shopSpec>>>>>().toEqualTypeOf<Simulator<operations>>();
    expectTypeOf(simulatorUse).toBeFunction();
    expectTypeOf<ReturnType<Simulator<operations>["payInvoice"]>>().toEqualTypeOf<{ paymentHash: string; preimage: string; amountMsat: number }>();
    expectTypeOf<IsAny<ReturnType<Simulator["payments"]>[number]>>().toEqualTypeOf<false>();
  });
});

// Never called: the compiler checks each line.
function simulatorUse(sim: Simulator<operations>, mock: Mock<operations>) {
  sim.on("getItem").faultOnce({ kind: "commit-then-reset" }).reply(200, ITEM);
  sim.on("getItem").fault({ kind: "commit-then-hang" });
  // @ts-expect-error not a fault
  sim.on("getItem").faultOnce({ kind: "commit-then-boom" });
  // @ts-expect-error not an operation of the spec
  sim.on("getItems");
  // @ts-expect-error a fault function picks among the mock's faults only
  sim.on("getItem").fault(() => ({ kind: "commit-then-reset" as const }));
  // @ts-expect-error the mock has no commit faults
  mock.on("getItem").faultOnce({ kind: "commit-then-reset" });
}
