// spec-diff on open sets: a field written `anyOf: [{type: string, enum: [...]}, {type: string}]`
// accepts any string, and its generated type is `string`. Listing one more known value (what Lexe's
// PaymentKind did when its sidecar 0.4.13 named three new payment kinds) changes neither the wire
// nor the types: patch, not the major a closed enum's new value is.
import { describe, expect, it } from "vitest";
import { diffSpecs } from "../src/spec-diff/index.js";

function api(kinds: string[], open = true): unknown {
  const kind = { type: "string", enum: kinds };
  return {
    openapi: "3.1.0",
    info: { title: "Wallet", version: "1.0.0" },
    paths: {
      "/payment": {
        get: {
          operationId: "getPayment",
          responses: { "200": { description: "The payment", content: { "application/json": { schema: { $ref: "#/components/schemas/Payment" } } } } },
        },
      },
      "/pay": {
        post: {
          operationId: "pay",
          requestBody: { content: { "application/json": { schema: { type: "object", properties: { kind: { $ref: "#/components/schemas/Kind" } } } } } },
          responses: { "200": { description: "Paid" } },
        },
      },
    },
    components: {
      schemas: {
        Kind: open ? { anyOf: [kind, { type: "string", description: "Any other kind." }] } : kind,
        Payment: { type: "object", required: ["kind"], properties: { kind: { $ref: "#/components/schemas/Kind" } } },
      },
    },
  };
}

describe("open sets", () => {
  it("a known value added to an open set is patch, in responses and requests alike", () => {
    const diff = diffSpecs(api(["invoice", "offer"]), api(["invoice", "offer", "buy_cash_app"]));
    expect(diff.bump).toBe("patch");
    expect(diff.changes.map((c) => [c.bump, c.kind])).toEqual([
      ["patch", "response-known-value-added"],
      ["patch", "request-known-value-added"],
    ]);
    expect(diff.changes[0]!.message).toBe('response field `kind` of GET /payment (as shape #1) lists "buy_cash_app" as a known value (the set stays open)');
  });

  it("a known value dropped from an open set is patch too", () => {
    const diff = diffSpecs(api(["invoice", "offer"]), api(["invoice"]));
    expect(diff.changes.map((c) => c.kind).sort()).toEqual(["request-known-value-removed", "response-known-value-removed"]);
    expect(diff.bump).toBe("patch");
  });

  it("a closed enum keeps its rules: a new response value is major, a new request value minor", () => {
    const diff = diffSpecs(api(["invoice", "offer"], false), api(["invoice", "offer", "buy_cash_app"], false));
    expect(diff.changes.map((c) => [c.bump, c.kind])).toEqual([
      ["major", "response-enum-value-added"],
      ["minor", "request-enum-value-added"],
    ]);
  });

  it("an open member with a constraint of its own does not open the set", () => {
    const constrained = (kinds: string[]) => {
      const doc = api(kinds) as { components: { schemas: { Kind: { anyOf: Record<string, unknown>[] } } } };
      doc.components.schemas.Kind.anyOf[1]!.pattern = "^x-";
      return doc;
    };
    const diff = diffSpecs(constrained(["invoice"]), constrained(["invoice", "offer"]));
    expect(diff.changes.map((c) => c.kind)).toContain("response-enum-value-added");
    expect(diff.bump).toBe("major");
  });

  it("a set that is opened is a widening, reported as such", () => {
    const diff = diffSpecs(api(["invoice"], false), api(["invoice"]));
    expect(diff.changes.map((c) => c.kind)).toContain("response-union-changed");
    expect(diff.bump).toBe("major");
  });
});

describe("defaults", () => {
  const withDefault = (value?: number) => ({
    openapi: "3.1.0",
    info: { title: "Node", version: "1.0.0" },
    paths: {
      "/pay": {
        post: {
          operationId: "pay",
          requestBody: { content: { "application/json": { schema: { type: "object", properties: { max_fee_sats: { type: "integer", ...(value === undefined ? {} : { default: value }) } } } } } },
          responses: { "200": { description: "Paid" } },
        },
      },
    },
  });

  it("a default that appears or goes is said so, not 'changed from undefined'", () => {
    expect(diffSpecs(withDefault(), withDefault(3000)).changes.map((c) => c.message)).toEqual(["request field `max_fee_sats` of POST /pay: gained default 3000"]);
    expect(diffSpecs(withDefault(3000), withDefault()).changes.map((c) => c.message)).toEqual(["request field `max_fee_sats` of POST /pay: lost default 3000"]);
    expect(diffSpecs(withDefault(1000), withDefault(3000)).changes.map((c) => c.message)).toEqual(["request field `max_fee_sats` of POST /pay: default changed from 1000 to 3000"]);
  });
});
