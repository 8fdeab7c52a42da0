// The seam a mock built on this one uses (a stateful simulator): its own answers, used when the
// test set none and checked against the spec like a reply, and its own clock for the journal.
import { describe, expect, it } from "vitest";
import { startMock } from "../src/mock.js";
import { AUTH, ITEM, shopFile } from "./fixtures/shop.js";

describe("mock hooks", () => {
  it("an answer hook stands in for Prism's example, after the test's replies, and is checked against the spec", async () => {
    let clock = 1_000;
    const checked: [string, string | undefined][] = [];
    const mock = await startMock(shopFile["3.1"], {}, {
      now: () => clock,
      checked: (operationId, problem) => checked.push([operationId, problem]),
      answer: async (request) => {
        if (request.operationId === "getItem") return { status: 200, body: { ...ITEM, id: String(request.pathParams.id) }, headers: {} };
        if (request.operationId === "health") return { status: 200, body: { ok: "yes" }, headers: {} };
        return undefined;
      },
    });
    try {
      clock = 1_250;
      expect(await (await fetch(`${mock.url}/items/it_0042`, { headers: AUTH })).json()).toEqual({ ...ITEM, id: "it_0042" });
      mock.on("getItem").replyOnce(200, { ...ITEM, note: "the test's" });
      expect(((await (await fetch(`${mock.url}/items/it_0042`, { headers: AUTH })).json()) as { note: string }).note).toBe("the test's");
      const broken = await fetch(`${mock.url}/health`);
      expect(broken.status).toBe(500);
      expect(((await broken.json()) as { detail: string }).detail).toBe("the mock's own answer to health: the body for 200 does not match the spec at /ok: must be boolean");
      // Prism answers what the hook leaves alone.
      expect((await fetch(`${mock.url}/items`, { headers: AUTH })).status).toBe(200);
      expect(mock.calls().map((c) => c.receivedAt)).toEqual([250, 250, 250, 250]);
      // Each hook answer is reported once checked; the test's reply and Prism's are not hook answers.
      expect(checked).toEqual([
        ["getItem", undefined],
        ["health", "the mock's own answer to health: the body for 200 does not match the spec at /ok: must be boolean"],
      ]);
    } finally {
      await mock.close();
    }
  });

  it("a hook answer with `then` is acted on, then dropped (reset) or stalled (hang), and the journal says so", async () => {
    let acted = 0;
    const mock = await startMock(shopFile["3.1"], { hangMs: 100 }, {
      answer: async (request) => {
        acted++;
        return { status: 200, body: { ...ITEM, id: String(request.pathParams.id) }, headers: {}, then: acted === 1 ? "reset" : "hang" };
      },
    });
    try {
      await expect(fetch(`${mock.url}/items/it_0001`, { headers: AUTH })).rejects.toThrow();
      const started = performance.now();
      await expect(fetch(`${mock.url}/items/it_0002`, { headers: AUTH })).rejects.toThrow();
      expect(performance.now() - started).toBeGreaterThanOrEqual(95);
      expect(acted).toBe(2);
      expect(mock.calls().map((c) => [c.fault, c.status])).toEqual([
        ["commit-then-reset", undefined],
        ["commit-then-hang", undefined],
      ]);
    } finally {
      await mock.close();
    }
  });
});
