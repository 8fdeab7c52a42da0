// The real change families of issue 22, each in minimal form (real-changes.ts), through diffSpecs:
// the bump each deserves, one change where one thing changed, and the loud words where they matter.
import { describe, expect, it } from "vitest";
import { diffSpecs } from "../lib/spec-diff/index.js";
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

  it("a status change with the same body is said once", () => {
    const change = REAL_CHANGES.find((c) => c.kinds.includes("response-status-changed"))!;
    expect(diffSpecs(change.before, change.after).changes).toHaveLength(1);
  });

  it("the nested union compares each old member with itself: nothing reported but the new member", () => {
    const change = REAL_CHANGES.find((c) => c.name.startsWith("request union nested"))!;
    const messages = diffSpecs(change.before, change.after).changes.map((c) => c.message);
    expect(messages).toEqual(["request body of POST /swap can now also be `Chain`"]);
  });
});
