// createMock against the fixture specs (3.0 and 3.1): Prism's answers and verdicts, the journal,
// coverage, CORS, and a clean stop.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMock, type Mock } from "../src/index.js";
import { AUTH, ITEM, shopFile, shopSpec, type operations } from "./fixtures/shop.js";
import { raw } from "./helpers.js";

describe.each(["3.0", "3.1"] as const)("a mock of an OpenAPI %s spec", (version) => {
  let mock: Mock<operations>;
  beforeAll(async () => {
    mock = await createMock(shopSpec(version));
  });
  afterAll(() => mock.close());

  it("listens on 127.0.0.1 on a free port", () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.url).toBe(`http://127.0.0.1:${mock.port}`);
  });

  it("answers every operation with its documented example", async () => {
    mock.reset();
    const item = await fetch(`${mock.url}/items/it_0001`, { headers: AUTH });
    expect([item.status, await item.json()]).toEqual([200, ITEM]);
    const created = await fetch(`${mock.url}/items`, { method: "POST", headers: { ...AUTH, "content-type": "application/json" }, body: JSON.stringify({ price_sats: 5000 }) });
    expect([created.status, await created.json()]).toEqual([201, { id: "it_0002", price_sats: 5000, status: "available", note: "gift" }]);
    const deleted = await fetch(`${mock.url}/items/it_0001`, { method: "DELETE", headers: AUTH });
    expect([deleted.status, await deleted.text()]).toEqual([204, ""]);
    expect(mock.calls().map((c) => [c.operationId, c.status, c.valid])).toEqual([["getItem", 200, true], ["createItem", 201, true], ["deleteItem", 204, true]]);
  });

  it("picks an error response with Prefer: code=404, and a named example with example=", async () => {
    const missing = await fetch(`${mock.url}/items/it_0009`, { headers: { ...AUTH, prefer: "code=404" } });
    expect([missing.status, await missing.json()]).toEqual([404, { code: "not_found", message: "no such item" }]);
    const sold = await fetch(`${mock.url}/items/it_0001`, { headers: { ...AUTH, prefer: "example=sold" } });
    expect(((await sold.json()) as { status: string }).status).toBe("sold");
  });

  it("answers a Prefer header Prism cannot read with 422, and still journals the verdict", async () => {
    mock.reset();
    const unreadable = await fetch(`${mock.url}/items/it_0001`, { headers: { prefer: "code=abc" } });
    expect(unreadable.status).toBe(422);
    expect(((await unreadable.json()) as { detail: string }).detail).toBe('Prefer code must be a three-digit status, got "abc"');
    expect(mock.calls()[0]).toMatchObject({ status: 422, valid: false, violations: [expect.objectContaining({ code: "401" })] });
  });

  it("refuses an invalid request as Prism does, and records its verdict", async () => {
    mock.reset();
    mock.on("createItem").reply(201, ITEM);
    const refused = await fetch(`${mock.url}/items`, { method: "POST", headers: { ...AUTH, "content-type": "application/json" }, body: JSON.stringify({ price_sats: "lots" }) });
    // The spec documents a 400 for createItem, so Prism answers its example; the test's reply is not used.
    expect([refused.status, await refused.json()]).toEqual([400, { code: "bad_request", message: "price_sats is required" }]);
    expect(JSON.parse(refused.headers.get("sl-violations")!)).toEqual([expect.objectContaining({ location: ["request", "body", "price_sats"], severity: "Error" })]);
    const [call] = mock.calls("createItem");
    expect(call).toMatchObject({ operationId: "createItem", method: "POST", path: "/items", body: { price_sats: "lots" }, status: 400, valid: false });
    expect(call!.violations).toEqual([expect.objectContaining({ location: ["body", "price_sats"], severity: "error", message: expect.stringMatching(/integer/) })]);
  });

  it("answers 401 without credentials and 422 for a bad query where no 400 is documented", async () => {
    mock.reset();
    expect((await fetch(`${mock.url}/items/it_0001`)).status).toBe(401);
    const badLimit = await fetch(`${mock.url}/items?limit=1000`, { headers: AUTH });
    expect(badLimit.status).toBe(422);
    expect(((await badLimit.json()) as { title: string }).title).toBe("Invalid request");
    expect(mock.calls().map((c) => [c.operationId, c.status, c.valid, c.violations[0]?.location.join(".")])).toEqual([
      ["getItem", 401, false, ""],
      ["listItems", 422, false, "query.limit"],
    ]);
  });

  it("records a request that matches no operation, as Prism's 404", async () => {
    mock.reset();
    const nowhere = await fetch(`${mock.url}/nowhere?x=1`);
    expect(nowhere.status).toBe(404);
    expect(mock.calls()).toEqual([expect.objectContaining({ operationId: undefined, path: "/nowhere", query: { x: "1" }, status: 404, valid: false })]);
  });

  it("answers a CORS preflight and sends CORS headers, as Prism does", async () => {
    mock.reset();
    const preflight = await fetch(`${mock.url}/items`, { method: "OPTIONS", headers: { origin: "http://app.example", "access-control-request-method": "POST" } });
    expect([preflight.status, preflight.headers.get("access-control-allow-origin"), preflight.headers.get("access-control-allow-methods")]).toEqual([204, "http://app.example", "POST"]);
    const answer = await fetch(`${mock.url}/health`, { headers: { origin: "http://app.example" } });
    expect(answer.headers.get("access-control-allow-origin")).toBe("http://app.example");
    expect(mock.calls().map((c) => c.operationId)).toEqual(["health"]);
  });

  it("journals method, path, query, headers and body, in order, and filters by operation", async () => {
    mock.reset();
    await fetch(`${mock.url}/items?limit=5&limit=6`, { headers: AUTH });
    await fetch(`${mock.url}/items`, { method: "POST", headers: { ...AUTH, "content-type": "application/json", "x-trace": "t1" }, body: JSON.stringify({ price_sats: 1, note: "n" }) });
    const [list, create] = mock.calls();
    expect(list).toMatchObject({ operationId: "listItems", method: "GET", path: "/items", query: { limit: ["5", "6"] }, body: undefined });
    expect(create).toMatchObject({ operationId: "createItem", headers: expect.objectContaining({ "x-trace": "t1", authorization: "Bearer test-token" }), body: { price_sats: 1, note: "n" } });
    expect(create!.receivedAt).toBeGreaterThanOrEqual(list!.receivedAt);
    expect(mock.calls("createItem")).toEqual([create]);
  });

  it("nextCall resolves when the next matching request arrives", async () => {
    mock.reset();
    const next = mock.nextCall("deleteItem");
    const other = mock.nextCall((call) => call.headers["x-which"] === "second");
    await fetch(`${mock.url}/health`);
    await fetch(`${mock.url}/items/it_0003`, { method: "DELETE", headers: AUTH });
    await fetch(`${mock.url}/health`, { headers: { "x-which": "second" } });
    expect((await next).path).toBe("/items/it_0003");
    expect((await other).operationId).toBe("health");
  });

  it("coverage: documented statuses against those answered, and a table", async () => {
    mock.reset();
    await fetch(`${mock.url}/items/it_0001`, { headers: AUTH });
    await fetch(`${mock.url}/items/it_0001`, { headers: { ...AUTH, prefer: "code=404" } });
    await fetch(`${mock.url}/items/it_0001`);
    const rows = mock.coverage();
    expect(rows.map((r) => r.operationId)).toEqual(["listItems", "createItem", "getItem", "deleteItem", "health"]);
    expect(rows.find((r) => r.operationId === "getItem")).toEqual({ operationId: "getItem", documented: [200, 401, 404], seen: [200, 401, 404] });
    expect(rows.find((r) => r.operationId === "createItem")).toEqual({ operationId: "createItem", documented: [201, 400, 401, 503], seen: [] });
    const table = mock.coverageTable();
    expect(table).toMatch(/^operation\s+documented\s+answered\s+not answered$/m);
    expect(table).toMatch(/^createItem\s+201 400 401 503\s+-\s+201 400 401 503$/m);
    expect(table.split("\n").at(-1)).toBe("1 of 5 operations called; 3 of 13 documented statuses answered");
  });

  it("reset clears replies, faults and the journal", async () => {
    mock.on("health").reply(200, { ok: false }).fault({ kind: "delay", ms: 1 });
    await fetch(`${mock.url}/health`);
    mock.reset();
    expect(mock.calls()).toEqual([]);
    expect(await (await fetch(`${mock.url}/health`)).json()).toEqual({ ok: true });
    expect(mock.calls()[0]!.fault).toBeUndefined();
  });
});

describe("a mock from a file path", () => {
  it("is untyped but answers and validates the same", async () => {
    const mock = await createMock(shopFile["3.1"]);
    try {
      mock.on("getItem").replyOnce(200, { ...ITEM, status: "sold" });
      expect(((await (await fetch(`${mock.url}/items/it_0001`, { headers: AUTH })).json()) as { status: string }).status).toBe("sold");
      expect(() => mock.on("getItem").reply(200, { ...ITEM, status: "lost" })).toThrow(/at \/status: must be one of "available", "sold"/);
    } finally {
      await mock.close();
    }
  });

  it("answers with bodies made up from the schemas when dynamic", async () => {
    const mock = await createMock(shopFile["3.1"], { dynamic: true });
    try {
      const body = (await (await fetch(`${mock.url}/items/it_0001`, { headers: AUTH })).json()) as { id: string };
      expect(body.id).toMatch(/^it_[0-9]{4}$/);
    } finally {
      await mock.close();
    }
  });
});

describe("close", () => {
  it("drops open connections, clears timers, leaves no handle, and is safe to call twice", async () => {
    const count = () => {
      const counts: Record<string, number> = {};
      for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
      return counts;
    };
    const before = count();
    const mock = await createMock(shopFile["3.1"], { hangMs: 60_000 });
    mock.on("health").fault({ kind: "hang" });
    const arrived = mock.nextCall("health");
    const hanging = raw(`${mock.url}/health`);
    const pending = mock.nextCall("getItem").catch((error: Error) => error);
    await arrived;
    await expect(Promise.all([mock.close(), mock.close()])).resolves.toEqual([undefined, undefined]);
    expect((await hanging).ended).not.toBe("complete");
    expect(String(await pending)).toMatch(/mock closed before the call arrived/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = count();
    for (const handle of ["TCPServerWrap", "TCPSocketWrap", "Timeout"]) expect(after[handle] ?? 0, handle).toBeLessThanOrEqual(before[handle] ?? 0);
    await expect(fetch(`${mock.url}/health`)).rejects.toThrow();
  });
});
