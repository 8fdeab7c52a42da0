// @satbind/testing/vitest: mocks started once per run (mockGlobalSetup + mockUrl) and a mock per
// file (useMock: started before the tests, reset after each, stopped after the last).
import { describe, expect, it } from "vitest";
import { MockError } from "../src/index.js";
import { mockUrl, useMock } from "../src/vitest.js";
import { AUTH, ITEM, shopSpec } from "./fixtures/shop.js";

describe("mockGlobalSetup and mockUrl", () => {
  it("the global setup's mocks answer from their specs", async () => {
    expect(mockUrl("shop")).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mockUrl("shop-3.0")).not.toBe(mockUrl("shop"));
    const answer = await fetch(`${mockUrl("shop")}/items/it_0001`, { headers: AUTH });
    expect(await answer.json()).toEqual(ITEM);
  });

  it("names the mocks there are when asked for another", () => {
    expect(() => mockUrl("lexe")).toThrow(new MockError('mockUrl("lexe"): no mock named "lexe"; the global setup started shop, shop-3.0'));
  });
});

describe("useMock", () => {
  const mock = useMock(shopSpec("3.1"));

  it("is started before the tests", async () => {
    mock.on("getItem").reply(200, { ...ITEM, status: "sold" });
    const answer = await fetch(`${mock.url}/items/it_0001`, { headers: AUTH });
    expect(((await answer.json()) as { status: string }).status).toBe("sold");
  });

  it("is reset after each test", async () => {
    expect(mock.calls()).toEqual([]);
    const answer = await fetch(`${mock.url}/items/it_0001`, { headers: AUTH });
    expect(await answer.json()).toEqual(ITEM);
  });
});

// Read at the top level, before any hook has run: what a user who forgets that sees.
const early = useMock(shopSpec("3.0"));
const earlyUse = (() => {
  try {
    return early.url;
  } catch (error) {
    return (error as Error).message;
  }
})();

describe("useMock at the top level of a file", () => {
  it("says where it can be used, and works once started", async () => {
    expect(earlyUse).toBe("useMock: the mock starts in beforeAll; use it inside tests and hooks, not at the top level of the file");
    expect((await fetch(`${early.url}/health`)).status).toBe(200);
  });
});
