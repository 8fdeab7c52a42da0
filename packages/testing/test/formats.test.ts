// A format the spec names itself (BTCPay's "decimal", say) documents a value; it does not constrain
// it. The mock checks replies without it and says nothing about it, instead of one warning per schema.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMock, type Mock } from "../src/index.js";
import { AUTH, ITEM, shopSpec } from "./fixtures/shop.js";

describe("formats a spec defines itself", () => {
  let mock: Mock | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await mock?.close();
  });

  it.each(["3.0", "3.1"] as const)("%s: a reply is checked without it, and nothing is logged about it", async (version) => {
    const spec = shopSpec(version) as unknown as { components: { schemas: { Item: { properties: { id: Record<string, unknown> } } } } };
    spec.components.schemas.Item.properties.id.format = "our own id format";
    const warned: string[] = [];
    for (const level of ["warn", "log", "error"] as const) vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void warned.push(args.join(" ")));
    mock = (await createMock(spec as never)) as unknown as Mock;
    mock.on("getItem").reply(200, ITEM);
    const response = await fetch(`${mock.url}/items/it_0001`, { headers: AUTH });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(ITEM);
    // The format is accepted, the rest of the schema still applies.
    expect(() => mock!.on("getItem").reply(200, { ...ITEM, id: "nope" })).toThrow(/id/);
    expect(warned.filter((line) => /format/i.test(line))).toEqual([]);
  });
});
