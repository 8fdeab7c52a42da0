// The real change families of issue 22, each in minimal form (real-changes.ts), through diffSpecs:
// the bump each deserves, one change where one thing changed, and the loud words where they matter.
import { describe, expect, it } from "vitest";
import { diffSpecs } from "../src/spec-diff/index.js";
import { REAL_CHANGES } from "./real-changes.js";

describe("real change families", () => {
  for (const change of REAL_CHANGES) {
    it(`${change.name}: ${change.bump}`, () => {
      const diff = diffSpecs(change.before, change.after);
      expect(diff.changes.map((c) => `${c.bump} ${c.kind}: ${c.message}`)).not.toEqual([]);
      expect([...new Set(diff.changes.map((c) => c.kind))].sort()).toEqual([...change.kinds].sort());
      expect(diff.bump).toBe(change.bump);
      if (change.says !== undefined) expect(diff.changes[0]!.message).toContain(change.says);
    });
  }

  it("a response header respelt is the same header on the wire: a patch, never \"no changes\"", () => {
    const withHeader = (name: string) => ({
      openapi: "3.0.3",
      info: { title: "Swaps", version: "1" },
      paths: { "/swap": { get: { operationId: "getSwap", responses: { "200": { description: "ok", headers: { [name]: { schema: { type: "string" } } } } } } } },
    });
    const diff = diffSpecs(withHeader("X-Request-Id"), withHeader("x-request-id"));
    expect(diff.bump).toBe("patch");
    expect(diff.changes.map((c) => c.message)).toEqual(["response header `X-Request-Id` of GET /swap is now spelt `x-request-id` (the same header on the wire)"]);
  });

  it("a server added at the end moves no index: minor; one replaced in its own slot: minor", () => {
    const api = (urls: string[]) => ({ openapi: "3.0.3", info: { title: "Swaps", version: "1" }, servers: urls.map((url) => ({ url })), paths: {} });
    const added = diffSpecs(api(["https://a.example", "https://b.example"]), api(["https://a.example", "https://b.example", "https://c.example"]));
    expect([added.bump, added.changes.map((c) => c.message)]).toEqual(["minor", ["server https://c.example was added as servers[2]"]]);
    const replaced = diffSpecs(api(["https://a.example", "https://b.example"]), api(["https://a.example", "https://b2.example"]));
    expect([replaced.bump, replaced.changes.map((c) => c.message)]).toEqual(["minor", ["server servers[1] changed from https://b.example to https://b2.example"]]);
  });

  it("a status change with the same body is said once, also when only its words changed", () => {
    const changes = REAL_CHANGES.filter((c) => c.kinds.includes("response-status-changed"));
    expect(changes).toHaveLength(2);
    for (const change of changes) expect(diffSpecs(change.before, change.after).changes).toHaveLength(1);
  });

  it("a body that lost a field named description is not the same body: the status change is said as a removal and an addition", () => {
    const change = REAL_CHANGES.find((c) => c.name.includes("descriptions reworded"))!;
    const after = structuredClone(change.after) as { paths: { "/swap": { post: { responses: Record<string, { content: Record<string, { schema: { properties: Record<string, unknown> } }> }> } } } };
    delete after.paths["/swap"].post.responses["201"]!.content["application/json"]!.schema.properties.description;
    expect(diffSpecs(change.before, after).changes.map((c) => c.kind).sort()).toEqual(["response-added", "response-removed"]);
  });

  it("the nested union compares each old member with itself: nothing reported but the new member", () => {
    const change = REAL_CHANGES.find((c) => c.name.startsWith("request union nested"))!;
    const messages = diffSpecs(change.before, change.after).changes.map((c) => c.message);
    expect(messages).toEqual(["request body of POST /swap can now also be `Chain`"]);
  });
});
