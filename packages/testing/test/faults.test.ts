// Every fault kind, seen from a raw HTTP client: what reaches the socket, how the connection ends,
// and what the journal says. faultOnce is used first, in order, then the standing fault.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMock, type Fault, type Mock } from "../src/index.js";
import { AUTH, ITEM, shopSpec, type operations } from "./fixtures/shop.js";
import { raw } from "./helpers.js";

const HANG_MS = 400;

describe("faults", () => {
  let mock: Mock<operations>;
  beforeAll(async () => {
    mock = await createMock(shopSpec("3.1"), { hangMs: HANG_MS });
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());
  const getItem = (headers: Record<string, string> = {}) => raw(`${mock.url}/items/it_0001`, { headers: { ...AUTH, ...headers } });
  const createItem = () => raw(`${mock.url}/items`, { method: "POST", headers: AUTH, body: JSON.stringify({ price_sats: 10 }) });

  it("delay: the usual answer, late", async () => {
    mock.on("getItem").faultOnce({ kind: "delay", ms: 300 });
    const late = await getItem();
    expect([late.status, JSON.parse(late.body), late.ended]).toEqual([200, ITEM, "complete"]);
    expect(late.ms).toBeGreaterThanOrEqual(295);
    expect(mock.calls()[0]).toMatchObject({ fault: "delay", status: 200, valid: true });
  });

  it("reset-before-body: dropped on arrival, the body never read", async () => {
    mock.on("createItem").faultOnce({ kind: "reset-before-body" });
    const dropped = await createItem();
    expect(dropped.status).toBeUndefined();
    expect(dropped.ended).not.toBe("complete");
    expect(mock.calls()[0]).toMatchObject({ operationId: "createItem", fault: "reset-before-body", body: undefined, status: undefined, valid: undefined });
  });

  it("reset-after-body: the request read and judged, then dropped unanswered", async () => {
    mock.on("createItem").faultOnce({ kind: "reset-after-body" });
    const dropped = await createItem();
    expect([dropped.status, dropped.ended]).toEqual([undefined, "ECONNRESET"]);
    expect(mock.calls()[0]).toMatchObject({ fault: "reset-after-body", body: { price_sats: 10 }, status: undefined, valid: true });
  });

  it("status: any status, Retry-After, and the spec's example body when the status is documented", async () => {
    mock.on("createItem").faultOnce({ kind: "status", status: 503, retryAfter: 2 }).faultOnce({ kind: "status", status: 502 });
    const busy = await createItem();
    expect([busy.status, busy.headers["retry-after"], JSON.parse(busy.body)]).toEqual([503, "2", { code: "busy", message: "try again later" }]);
    const gateway = await createItem();
    expect([gateway.status, gateway.headers["retry-after"], JSON.parse(gateway.body)]).toEqual([502, undefined, { error: "injected 502" }]);
    expect(mock.calls().map((c) => [c.fault, c.status])).toEqual([["status", 503], ["status", 502]]);
  });

  it("truncated: the headers promise the whole body, half of it arrives, then the connection drops", async () => {
    mock.on("getItem").faultOnce({ kind: "truncated" });
    const cut = await getItem();
    const whole = JSON.stringify(ITEM);
    expect(cut.status).toBe(200);
    expect(Number(cut.headers["content-length"])).toBe(whole.length);
    expect(cut.body).toBe(whole.slice(0, Math.floor(whole.length / 2)));
    expect(cut.ended).not.toBe("complete");
  });

  it("not-json: an HTML page where JSON was expected", async () => {
    mock.on("getItem").faultOnce({ kind: "not-json" });
    const page = await getItem();
    expect([page.status, page.headers["content-type"], page.ended]).toEqual([200, "text/html", "complete"]);
    expect(page.body).toMatch(/^<html>.*Bad Gateway/);
  });

  it("wrong-content-type: the JSON answer labelled text/html", async () => {
    mock.on("getItem").faultOnce({ kind: "wrong-content-type" });
    const mislabelled = await getItem();
    expect([mislabelled.headers["content-type"], JSON.parse(mislabelled.body)]).toEqual(["text/html", ITEM]);
  });

  it("hang: no answer at all, and the connection dropped after hangMs", async () => {
    mock.on("getItem").faultOnce({ kind: "hang" });
    const hung = await getItem();
    expect([hung.status, hung.body]).toEqual([undefined, ""]);
    expect(hung.ms).toBeGreaterThanOrEqual(HANG_MS - 5);
    expect(hung.ms).toBeLessThan(HANG_MS + 5_000);
    expect(mock.calls()[0]).toMatchObject({ fault: "hang", status: undefined, valid: true });
  });

  it("stall-body: headers and one byte, then nothing until hangMs, then the connection drops", async () => {
    mock.on("getItem").faultOnce({ kind: "stall-body" });
    const stalled = await getItem();
    expect([stalled.status, stalled.body]).toEqual([200, "{"]);
    expect(Number(stalled.headers["content-length"])).toBeGreaterThan(1);
    expect(stalled.ended).not.toBe("complete");
    expect(stalled.ms).toBeGreaterThanOrEqual(HANG_MS - 5);
  });

  it("body: a body that breaks the spec, sent unchecked", async () => {
    mock.on("getItem").faultOnce({ kind: "body", body: { id: 7 } }).faultOnce({ kind: "body", body: [], status: 202 });
    const broken = await getItem();
    expect([broken.status, JSON.parse(broken.body)]).toEqual([200, { id: 7 }]);
    expect((await getItem()).status).toBe(202);
  });

  it("echo: everything the request carried, in the body and in x-echo-* headers", async () => {
    mock.on("getItem").faultOnce({ kind: "echo", status: 400 }).faultOnce({ kind: "echo", status: 200, contentType: "text/html" });
    const echoed = await getItem({ "x-secret": "s3cret" });
    expect(echoed.status).toBe(400);
    expect(echoed.headers["x-echo-authorization"]).toBe("Bearer test-token");
    expect(JSON.parse(echoed.body)).toMatchObject({ error: "echo", headers: { "x-secret": "s3cret" }, url: "/items/it_0001" });
    const page = await getItem();
    expect([page.headers["content-type"], page.body]).toEqual(["text/html", expect.stringMatching(/^<pre>.*test-token/)]);
  });

  it("faultOnce first, in order, then the standing fault, then none after reset", async () => {
    mock.on("getItem").fault({ kind: "status", status: 500 }).faultOnce({ kind: "status", status: 429, retryAfter: "1" }).faultOnce({ kind: "status", status: 503 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await getItem()).status);
    expect(statuses).toEqual([429, 503, 500, 500]);
    mock.reset();
    expect((await getItem()).status).toBe(200);
  });

  it("a fault function picks a fault per request (or none) from the request line and headers", async () => {
    const seen: string[] = [];
    mock.on("getItem").fault((request) => {
      seen.push(`${request.method} ${request.path} ${request.pathParams.id}`);
      return request.headers["x-fail"] === "yes" ? { kind: "status", status: 503 } : undefined;
    });
    expect((await getItem({ "x-fail": "yes" })).status).toBe(503);
    expect((await getItem()).status).toBe(200);
    expect(seen).toEqual(["GET /items/it_0001 it_0001", "GET /items/it_0001 it_0001"]);
  });

  it("a fault that sends the answer uses the next replyOnce; one that replaces it leaves the queue alone", async () => {
    mock.on("getItem").replyOnce(200, { ...ITEM, note: "first" }).replyOnce(200, { ...ITEM, note: "second" });
    mock.on("getItem").faultOnce({ kind: "reset-after-body" }).faultOnce({ kind: "truncated" }).faultOnce({ kind: "delay", ms: 1 });
    expect((await getItem()).status).toBeUndefined();
    expect((await getItem()).body).toBe(JSON.stringify({ ...ITEM, note: "first" }).slice(0, Math.floor(JSON.stringify({ ...ITEM, note: "first" }).length / 2)));
    expect(JSON.parse((await getItem()).body)).toEqual({ ...ITEM, note: "second" });
    expect(JSON.parse((await getItem()).body)).toEqual(ITEM);
  });

  it("faults apply to invalid requests too, whose verdict is still journaled", async () => {
    mock.on("createItem").faultOnce({ kind: "delay", ms: 1 });
    const refused = await raw(`${mock.url}/items`, { method: "POST", headers: AUTH, body: JSON.stringify({ price_sats: -1 }) });
    expect(refused.status).toBe(400);
    expect(mock.calls()[0]).toMatchObject({ fault: "delay", valid: false, status: 400 });
  });

  it("a bad fault from a fault function answers 500 naming it, and is journaled", async () => {
    mock.on("getItem").fault(() => ({ kind: "meltdown" }) as unknown as Fault);
    const answer = await getItem();
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body).detail).toMatch(/^the fault function of mock.on\("getItem"\): unknown fault kind "meltdown"; kinds: delay, reset-before-body/);
    expect(mock.calls()[0]!.error).toBe(JSON.parse(answer.body).detail);
    mock.reset();
    mock.on("getItem").fault(() => {
      throw new Error("no such scenario");
    });
    const thrown = await getItem();
    expect([thrown.status, JSON.parse(thrown.body).detail]).toEqual([500, 'the fault function of mock.on("getItem") threw: no such scenario']);
  });
});
