// Every wrong use gets a MockError that says what is wrong and where, thrown at once.
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MockError, createMock, type Fault, type Mock } from "../src/index.js";
import { ITEM, shopFile, shopSpec, type operations } from "./fixtures/shop.js";

describe("bad input", () => {
  let mock: Mock<operations>;
  // Untyped on purpose: these are the mistakes TypeScript would catch, made from JavaScript.
  let loose: Mock;
  beforeAll(async () => {
    mock = await createMock(shopSpec("3.1"));
    loose = mock as unknown as Mock;
  });
  afterAll(() => mock.close());

  const message = (fn: () => unknown): string => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(MockError);
      return (error as Error).message;
    }
    throw new Error("did not throw");
  };

  it("an unknown operationId, with close matches and the operations there are", () => {
    expect(message(() => loose.on("getitem"))).toBe('mock.on("getitem"): unknown operationId; did you mean getItem? (the spec has 5 operations: listItems, createItem, getItem, deleteItem, health)');
    expect(message(() => loose.on("get_item"))).toMatch(/^mock.on\("get_item"\): unknown operationId; did you mean getItem\?/);
    expect(message(() => loose.on("refund"))).toBe('mock.on("refund"): unknown operationId; (the spec has 5 operations: listItems, createItem, getItem, deleteItem, health)');
    expect(message(() => loose.on(42 as unknown as string))).toBe("mock.on: pass an operationId (a string), got number");
  });

  it("an undocumented status, listing the documented ones", () => {
    expect(message(() => loose.on("getItem").reply(201, ITEM))).toBe('mock.on("getItem").reply: getItem does not document status 201; it documents 200, 401, 404');
    expect(message(() => loose.on("deleteItem").replyOnce(200))).toBe('mock.on("deleteItem").replyOnce: deleteItem does not document status 200; it documents 204, 401, 404');
    expect(message(() => loose.on("getItem").reply("200" as unknown as number, ITEM))).toBe('mock.on("getItem").reply: status must be an HTTP status (a number from 100 to 599), got "200"; getItem documents 200, 401, 404');
  });

  it("a body where the spec has none, no body where it has one, headers that are not strings", () => {
    expect(message(() => loose.on("deleteItem").reply(204, { deleted: true }))).toBe('mock.on("deleteItem").reply: deleteItem 204 has no body in the spec; leave the body out');
    expect(message(() => loose.on("getItem").reply(200))).toBe('mock.on("getItem").reply: getItem 200 needs a body (the spec gives it a schema)');
    expect(message(() => loose.on("getItem").reply(200, ITEM, { headers: { "x-n": 1 as unknown as string } }))).toBe('mock.on("getItem").reply: headers must be an object of strings');
    expect(message(() => (loose.on("getItem").reply as (...args: unknown[]) => unknown)(() => ({ status: 200 }), ITEM))).toBe('mock.on("getItem").reply: a reply function takes no other arguments');
  });

  it("a body that breaks the schema (operationId, status, JSON pointer)", () => {
    expect(message(() => loose.on("listItems").reply(200, { items: [ITEM, { ...ITEM, price_sats: 1.5 }] }))).toBe('mock.on("listItems").reply: the body for 200 does not match the spec at /items/1/price_sats: must be integer');
  });

  it("an unknown fault kind, a fault given as a string, a fault missing what it needs", () => {
    const kinds = "delay, reset-before-body, reset-after-body, status, truncated, not-json, wrong-content-type, hang, stall-body, body, echo";
    expect(message(() => loose.on("getItem").fault({ kind: "timeout" } as unknown as Fault))).toBe(`mock.on("getItem").fault: unknown fault kind "timeout"; kinds: ${kinds}`);
    expect(message(() => loose.on("getItem").faultOnce("hang" as unknown as Fault))).toBe('mock.on("getItem").faultOnce: a fault is an object { kind, ... }, got the string "hang"; pass { kind: "hang" }');
    expect(message(() => loose.on("getItem").faultOnce({ kind: "delay" } as unknown as Fault))).toBe('mock.on("getItem").faultOnce: a delay needs ms, a number of milliseconds >= 0');
    expect(message(() => loose.on("getItem").faultOnce({ kind: "status", status: 700 }))).toBe('mock.on("getItem").faultOnce: a status fault needs status, an HTTP status from 100 to 599; got 700');
    expect(message(() => loose.on("getItem").faultOnce((() => undefined) as unknown as Fault))).toBe('mock.on("getItem").faultOnce: takes one fault object; to pick a fault per request, pass a function to fault()');
  });

  it("a port in use", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      await expect(createMock(shopFile["3.1"], { port })).rejects.toThrow(new MockError(`createMock: port ${port} on 127.0.0.1 is in use; pass another { port }, or none for a free one`));
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it("options out of range", async () => {
    await expect(createMock(shopFile["3.1"], { port: 70_000 })).rejects.toThrow("createMock: port must be an integer from 0 to 65535, got 70000");
    await expect(createMock(shopFile["3.1"], { hangMs: -1 })).rejects.toThrow("createMock: hangMs must be a number of milliseconds >= 0, got -1");
  });

  it("a spec that is missing, unreadable or not OpenAPI 3", async () => {
    const dir = mkdtempSync(join(tmpdir(), "satbind-testing-"));
    writeFileSync(join(dir, "swagger.yaml"), "swagger: '2.0'\ninfo: { title: old, version: '1' }\npaths: {}\n");
    writeFileSync(join(dir, "broken.json"), "{ not json");
    await expect(createMock(join(dir, "missing.yaml"))).rejects.toThrow(`createMock: cannot read ${join(dir, "missing.yaml")}: ENOENT`);
    await expect(createMock(join(dir, "swagger.yaml"))).rejects.toThrow('createMock: the spec is not an OpenAPI 3.0 or 3.1 document (openapi: null)'.replace("the spec", join(dir, "swagger.yaml")));
    await expect(createMock(join(dir, "broken.json"))).rejects.toThrow(new RegExp(`^createMock: ${join(dir, "broken.json").replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} is not valid JSON: `));
    await expect(createMock({ openapi: "2.0" })).rejects.toThrow('createMock: the spec is not an OpenAPI 3.0 or 3.1 document (openapi: "2.0")');
    await expect(createMock(42 as unknown as string)).rejects.toThrow(/^createMock: pass a provider's spec \(import \{ spec \} from "@satbind\/<provider>\/spec"\), an OpenAPI document or a file path; got number$/);
  });

  it("waiting for a call on a closed mock", async () => {
    const closed = await createMock(shopFile["3.1"]);
    await closed.close();
    await expect(closed.nextCall()).rejects.toThrow("mock.nextCall: the mock is closed");
  });
});
