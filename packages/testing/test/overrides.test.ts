// reply, replyOnce and reply functions: the order they are used in, what a reply function sees,
// and the run-time check of every body against its status's schema (3.0 nullable and 3.1 both).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MockBodyError, createMock, type Mock } from "../src/index.js";
import { AUTH, ITEM, shopSpec, type Item, type operations } from "./fixtures/shop.js";

const json = async (response: Response) => [response.status, response.status === 204 ? undefined : await response.json()];

describe.each(["3.0", "3.1"] as const)("overrides on a %s spec", (version) => {
  let mock: Mock<operations>;
  beforeAll(async () => {
    mock = await createMock(shopSpec(version));
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());
  const getItem = () => fetch(`${mock.url}/items/it_0001`, { headers: AUTH }).then(json);

  it("reply sets the answer until reset", async () => {
    mock.on("getItem").reply(200, { ...ITEM, status: "sold" }, { headers: { "x-request-id": "r-1" } });
    const first = await fetch(`${mock.url}/items/it_0001`, { headers: AUTH });
    expect(first.headers.get("x-request-id")).toBe("r-1");
    expect(await first.json()).toEqual({ ...ITEM, status: "sold" });
    expect(await getItem()).toEqual([200, { ...ITEM, status: "sold" }]);
    mock.reset();
    expect(await getItem()).toEqual([200, ITEM]);
  });

  it("replyOnce answers are used first, in order, then the standing reply, then the spec's example", async () => {
    mock.on("getItem").replyOnce(200, { ...ITEM, note: "one" }).replyOnce(404, { code: "gone", message: "two" });
    expect(await getItem()).toEqual([200, { ...ITEM, note: "one" }]);
    mock.on("getItem").reply(200, { ...ITEM, note: "standing" });
    expect(await getItem()).toEqual([404, { code: "gone", message: "two" }]);
    expect(await getItem()).toEqual([200, { ...ITEM, note: "standing" }]);
    expect(await getItem()).toEqual([200, { ...ITEM, note: "standing" }]);
  });

  it("a reply function computes each answer from the validated request", async () => {
    const stock = new Map<string, Item>();
    mock.on("createItem").reply(({ body }) => {
      const item: Item = { id: `it_${String(stock.size + 1).padStart(4, "0")}`, price_sats: body.price_sats, status: "available", note: body.note ?? null };
      stock.set(item.id, item);
      return { status: 201, body: item };
    });
    mock.on("getItem").reply(({ pathParams }) => {
      const item = stock.get(pathParams.id!);
      return item ? { status: 200, body: item } : { status: 404, body: { code: "not_found", message: `no ${pathParams.id}` } };
    });
    const post = (body: object) => fetch(`${mock.url}/items`, { method: "POST", headers: { ...AUTH, "content-type": "application/json" }, body: JSON.stringify(body) }).then(json);
    expect(await post({ price_sats: 700, note: "mug" })).toEqual([201, { id: "it_0001", price_sats: 700, status: "available", note: "mug" }]);
    expect(await getItem()).toEqual([200, { id: "it_0001", price_sats: 700, status: "available", note: "mug" }]);
    expect(await fetch(`${mock.url}/items/it_0002`, { headers: AUTH }).then(json)).toEqual([404, { code: "not_found", message: "no it_0002" }]);
    // An invalid request never reaches the function: Prism answers it.
    expect((await post({ note: "no price" }))[0]).toBe(400);
    expect(stock.size).toBe(1);
  });

  it("a status without a body is replied without one", async () => {
    mock.on("deleteItem").replyOnce(204);
    const deleted = await fetch(`${mock.url}/items/it_0001`, { method: "DELETE", headers: AUTH });
    expect([deleted.status, await deleted.text(), deleted.headers.get("content-type")]).toEqual([204, "", null]);
  });

  it("nullable fields take null, others do not", () => {
    expect(() => mock.on("getItem").reply(200, { ...ITEM, note: null })).not.toThrow();
    expect(() => mock.on("getItem").reply(200, { ...ITEM, price_sats: null as unknown as number })).toThrow(/at \/price_sats: must be integer/);
  });

  it("a body that breaks the schema throws at once, naming the operation, status and pointer", () => {
    const attempts: [unknown, string][] = [
      [{ ...ITEM, price_sats: "2100" }, "/price_sats: must be integer"],
      [{ ...ITEM, status: "lost" }, '/status: must be one of "available", "sold"'],
      [{ id: ITEM.id, price_sats: 1, status: "sold" }, "/note: is required but missing"],
      [{ ...ITEM, colour: "red" }, "/colour: is not a property the spec allows here"],
      [{ ...ITEM, id: "item-1" }, '/id: must match pattern "^it_[0-9]{4}$"'],
      ["not an object", "(the body itself): must be object"],
    ];
    for (const [body, problem] of attempts) {
      let thrown: unknown;
      try {
        mock.on("getItem").reply(200, body as Item);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(MockBodyError);
      expect((thrown as Error).message).toBe(`mock.on("getItem").reply: the body for 200 does not match the spec at ${problem}`);
      expect(thrown).toMatchObject({ operationId: "getItem", status: 200, pointer: problem.startsWith("/") ? problem.split(":")[0] : "" });
    }
  });

  it("the error body is checked against the error status's schema", () => {
    expect(() => mock.on("getItem").replyOnce(404, { code: "x" } as { code: string; message: string })).toThrow('mock.on("getItem").replyOnce: the body for 404 does not match the spec at /message: is required but missing');
  });

  it("a reply function's answer is checked too: the mock answers 500 naming the problem, and journals it", async () => {
    mock.on("getItem").replyOnce(() => ({ status: 200, body: { ...ITEM, price_sats: -5 } }));
    mock.on("getItem").replyOnce(() => ({ status: 418 as 200, body: ITEM }));
    mock.on("getItem").replyOnce(() => {
      throw new Error("test state is broken");
    });
    const answers = [await getItem(), await getItem(), await getItem()];
    expect(answers.map(([status]) => status)).toEqual([500, 500, 500]);
    const details = answers.map(([, body]) => (body as { detail: string }).detail);
    expect(details[0]).toMatch(/^the reply function of mock.on\("getItem"\): the body for 200 does not match the spec at \/price_sats: must be >=? 0$/);
    expect(details[1]).toBe('the reply function of mock.on("getItem"): getItem does not document status 418; it documents 200, 401, 404');
    expect(details[2]).toBe('the reply function of mock.on("getItem") threw: test state is broken');
    expect(mock.calls().map((c) => c.error)).toEqual(details);
  });
});
